"""The migrations directory: a complete Alembic script directory that Alembic applies."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from planner.alembic_project import locate
from planner.errors import PlannerError
from planner.integrity import (
    Problem,
    expected_sums,
    render_sum_file,
    sum_path,
    sum_problems,
)
from planner.render.alembic import render_environment_file
from planner.urls import sqlalchemy_url


class MigrationsError(PlannerError):
    """The migrations directory cannot be read, chained onto or applied."""


def ensure_script_directory(directory: Path) -> bool:
    """Create an Alembic script directory unless one is there; True when it was created."""
    if (directory / "env.py").exists():
        (directory / "versions").mkdir(exist_ok=True)
        return False
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "versions").mkdir(exist_ok=True)
    ini_path = directory / "alembic.ini"
    files = {
        ini_path: render_environment_file("alembic.ini.j2", ini_path=str(ini_path)),
        directory / "env.py": render_environment_file("env.py.j2"),
        directory / "script.py.mako": render_environment_file("script.py.mako"),
    }
    for path, text in files.items():
        if not path.exists():
            write_atomically(path, text)
    return True


def alembic_config(directory: Path) -> object:
    from alembic.config import Config

    project = locate(directory)
    config = Config(str(project.ini_path)) if project.ini_path else Config()
    # Absolute: Alembic resolves a relative script_location from the working directory.
    config.set_main_option("script_location", str(directory.resolve()))
    return config


def heads(directory: Path) -> tuple[str, ...]:
    """The head revisions of a migrations directory (none when it has no revisions yet)."""
    if not locate(directory).versions_directory.is_dir():
        return ()
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        script = ScriptDirectory.from_config(alembic_config(directory))  # type: ignore[arg-type]
        return tuple(sorted(script.get_heads()))
    except CommandError as error:
        raise MigrationsError(f"{directory}: {error}") from None


def single_head(directory: Path) -> str | None:
    found = heads(directory)
    if len(found) > 1:
        raise MigrationsError(
            f"{directory} has {len(found)} heads ({', '.join(found)}); a new revision would not "
            "know which to follow",
            hint="merge them first: alembic merge heads",
        )
    return found[0] if found else None


def chain_problems(directory: Path) -> list[Problem]:
    """Several heads, or a down_revision naming a revision that is not there."""
    if not locate(directory).versions_directory.is_dir():
        return []
    from alembic.script import ScriptDirectory

    try:
        script = ScriptDirectory.from_config(alembic_config(directory))  # type: ignore[arg-type]
        found = script.get_heads()
        list(script.walk_revisions())
    except Exception as error:  # Alembic raises several kinds for a broken chain
        return [Problem("broken revision chain", " ".join(str(error).split()))]
    if len(found) > 1:
        return [Problem("several heads", ", ".join(sorted(found)))]
    return []


def directory_problems(directory: Path) -> list[Problem]:
    return chain_problems(directory) + sum_problems(locate(directory))


def rehash(directory: Path) -> Path:
    project = locate(directory)
    path = sum_path(project)
    write_atomically(path, render_sum_file(expected_sums(project)))
    return path


def new_revision_id() -> str:
    return uuid.uuid4().hex[:12]


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    write_atomically_bytes(path, text.encode("utf-8"))


def write_atomically_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def render_lock(directory: Path) -> Iterator[None]:
    """One `render` at a time per migrations directory, so two cannot make two heads."""
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    lock_directory = Path(tempfile.gettempdir()) / "schema-planner-locks"
    lock_directory.mkdir(exist_ok=True)
    with open(lock_directory / f"{digest}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _database_url_set(url: str) -> Iterator[None]:
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = previous


def upgrade(directory: Path, database_url: str, target: str = "head") -> None:
    """Apply the directory's revisions with Alembic itself, as production would."""
    _run_alembic("upgrade", directory, database_url, target)


def downgrade(directory: Path, database_url: str, target: str) -> None:
    _run_alembic("downgrade", directory, database_url, target)


def _run_alembic(command_name: str, directory: Path, database_url: str, target: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config(directory)
    url = sqlalchemy_url(database_url)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # type: ignore[attr-defined]
    runner = getattr(command, command_name)
    try:
        with _database_url_set(url):
            runner(config, target)
    except CommandError as error:
        raise MigrationsError(f"alembic {command_name} {target}: {error}") from None
    except Exception as error:
        raise MigrationsError(
            f"alembic {command_name} {target} failed in {directory}: {_first_line(error)}"
        ) from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
