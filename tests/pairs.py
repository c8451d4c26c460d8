"""Databases built from SQL for one test, dropped when it ends."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import psycopg


@contextlib.contextmanager
def built_databases(pg_server: Any, *scripts: str) -> Iterator[list[str]]:
    """One new database per SQL script, built by it ('' leaves it empty)."""
    names = [pg_server.create_database() for _ in scripts]
    try:
        for name, script in zip(names, scripts, strict=True):
            if script:
                with psycopg.connect(pg_server.conninfo(name), autocommit=True) as connection:
                    connection.execute(script)
        yield names
    finally:
        for name in names:
            pg_server.drop_database(name)
