"""The one PostgreSQL server a test run uses: a Docker container when an engine answers,
the embedded server otherwise. Both offer the same small interface."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from planner.server import EmbeddedServer


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


class ContainerServer:
    """A testcontainers PostgreSQL, offered with the EmbeddedServer interface."""

    def __init__(self, container: Any) -> None:
        self.container = container
        self.host = container.get_container_host_ip()
        self.port = int(container.get_exposed_port(5432))
        self.major = int(container.image.split(":")[1].split(".")[0])

    def conninfo(self, dbname: str = "postgres") -> str:
        return (
            f"host={self.host} port={self.port} user={self.container.username} "
            f"password={self.container.password} dbname={dbname}"
        )

    def url(self, dbname: str = "postgres") -> str:
        return (
            f"postgresql://{self.container.username}:{self.container.password}"
            f"@{self.host}:{self.port}/{dbname}"
        )

    def create_database(self, name: str | None = None) -> str:
        name = name or f"planner_{secrets.token_hex(6)}"
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _execute(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(statement)


@contextlib.contextmanager
def start_test_server() -> Iterator[Any]:
    if docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15") as container:
            yield ContainerServer(container)
        return
    with EmbeddedServer() as server:
        yield server
