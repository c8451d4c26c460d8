"""Fixtures: one real PostgreSQL server per test run, one fresh database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.servers import start_test_server

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    with start_test_server() as server:
        yield server


@pytest.fixture
def database(pg_server: Any) -> Iterator[str]:
    """A fresh, empty database's name; dropped after the test."""
    name = pg_server.create_database()
    try:
        yield name
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def connection(pg_server: Any, database: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as conn:
        yield conn
