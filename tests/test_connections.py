"""Connection faults: a clear one-line error, exit 2, no traceback, never the password."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.server import EmbeddedServer

SECRET = "s3cr3t-Pa55word"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def tcp_server() -> Iterator[EmbeddedServer]:
    """A server on a loopback port, without TLS, asking one role for a password."""
    server = EmbeddedServer(port=free_port(), extra_settings=("listen_addresses=127.0.0.1",))
    with server:
        hba = server.directory / "data" / "pg_hba.conf"
        hba.write_text("host all pw_user 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        with psycopg.connect(server.conninfo(), autocommit=True) as connection:
            connection.execute(f"CREATE ROLE pw_user LOGIN PASSWORD '{SECRET}'")
            connection.execute("SELECT pg_reload_conf()")
        yield server


def plan(tmp_path: Path, url: str) -> Any:
    (tmp_path / "schema").mkdir(exist_ok=True)
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["plan", "--database-url", url, "--schema-dir", str(tmp_path / "schema")]
    )
    result.elapsed = time.monotonic() - started
    return result


def assert_clean_failure(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith("error: "), result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_unreachable_server_fails_fast(tmp_path: Path) -> None:
    result = plan(tmp_path, f"postgresql+asyncpg://app:{SECRET}@127.0.0.1:{free_port()}/app")
    assert_clean_failure(result, "cannot connect to")
    assert result.elapsed < 15


def test_wrong_password(tmp_path: Path, tcp_server: EmbeddedServer) -> None:
    url = f"postgresql://pw_user:not-{SECRET}@127.0.0.1:{tcp_server.port}/postgres"
    assert_clean_failure(plan(tmp_path, url), "password authentication failed")


def test_missing_database(tmp_path: Path, tcp_server: EmbeddedServer) -> None:
    url = f"postgresql://pw_user:{SECRET}@127.0.0.1:{tcp_server.port}/no_such_db"
    assert_clean_failure(plan(tmp_path, url), "no_such_db")


def test_tls_required_but_not_offered(tmp_path: Path, tcp_server: EmbeddedServer) -> None:
    url = f"postgresql://pw_user:{SECRET}@127.0.0.1:{tcp_server.port}/postgres?ssl=require"
    assert_clean_failure(plan(tmp_path, url), "SSL")


def test_unknown_ssl_mode_is_an_error_not_a_downgrade(tmp_path: Path) -> None:
    url = f"postgresql://app:{SECRET}@127.0.0.1:5432/app?sslmode=requir"
    assert_clean_failure(plan(tmp_path, url), "requir")


def test_statement_timeout_hit(tmp_path: Path, pg_server: Any, database: str) -> None:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        connection.execute(f'ALTER DATABASE "{database}" SET statement_timeout = 1')
    assert_clean_failure(plan(tmp_path, pg_server.url(database)), "statement timeout")


def test_server_going_away_during_introspection(
    tmp_path: Path, pg_server: Any, database: str
) -> None:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute(
            "DO $$ BEGIN FOR i IN 1..400 LOOP EXECUTE format("
            "'CREATE TABLE t%s (id int PRIMARY KEY, v text CHECK (v <> ''''))', i); "
            "END LOOP; END $$"
        )
    stop = threading.Event()

    def terminate_the_planner() -> None:
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as admin:
            while not stop.is_set():
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND application_name = 'schema-planner'",
                    [database],
                )
                time.sleep(0.005)

    killer = threading.Thread(target=terminate_the_planner)
    killer.start()
    try:
        result = plan(tmp_path, pg_server.url(database))
    finally:
        stop.set()
        killer.join()
    assert_clean_failure(result)
