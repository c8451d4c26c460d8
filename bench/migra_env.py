"""migra in a virtual environment of its own (it needs SQLAlchemy 1.x and psycopg2).

Created on first use under the cache directory and reused afterwards; a failed install is
reported as the reason migra is missing from the results, never as a crash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = ("migra", "schemainspect", "psycopg2-binary", "sqlalchemy<2")
INSTALL_TIMEOUT_SECONDS = 900
_READY_MARK = ".bench-ready"


class MigraUnavailable(Exception):
    """migra could not be installed or started."""


def default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "schema-planner-bench"


def migra_command(cache_dir: Path) -> list[str]:
    """The command that runs migra, installing it into `cache_dir/migra-venv` if needed."""
    venv = cache_dir / "migra-venv"
    executable = venv / "bin" / "migra"
    if not (venv / _READY_MARK).is_file() or not executable.is_file():
        _install(venv)
    return [str(executable)]


def _install(venv: Path) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "venv", str(venv)], "creating its virtual environment")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    _run([*pip, "--disable-pip-version-check", *PACKAGES], f"pip install {' '.join(PACKAGES)}")
    (venv / _READY_MARK).write_text(" ".join(PACKAGES) + "\n")


def _run(command: list[str], what: str) -> None:
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise MigraUnavailable(f"{what} failed: {error}") from error
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
        detail = (errors or result.stderr.strip().splitlines() or ["no output"])[-1]
        raise MigraUnavailable(f"{what} failed (exit {result.returncode}): {detail}")


def version(cache_dir: Path) -> str:
    """The installed migra and schemainspect versions, for the results file."""
    python = cache_dir / "migra-venv" / "bin" / "python"
    code = (
        "import importlib.metadata as m; "
        "print(' '.join(f'{p} {m.version(p)}' for p in ('migra', 'schemainspect', 'sqlalchemy')))"
    )
    completed = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return completed.stdout.strip() or "unknown version"
