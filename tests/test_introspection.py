"""Introspection reads the catalog in a fixed number of queries, read-only."""

from __future__ import annotations

from typing import Any, ClassVar

import psycopg
import pytest

from planner.introspect import QUERY_NAMES, introspect


class CountingCursor(psycopg.Cursor[Any]):
    executed: ClassVar[list[str]] = []

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        CountingCursor.executed.append(str(query)[:60])
        return super().execute(query, *args, **kwargs)


def _tables_ddl(count: int) -> str:
    return "\n".join(
        f"CREATE TABLE t{n} (id bigint PRIMARY KEY, ref bigint REFERENCES t{max(n - 1, 0)}(id), "
        f"name text NOT NULL DEFAULT 'x' CHECK (name <> ''), created timestamptz);"
        f"CREATE INDEX t{n}_name ON t{n} (lower(name)) WHERE created IS NOT NULL;"
        for n in range(count)
    )


def _count_queries(conninfo: str) -> tuple[int, int]:
    with psycopg.connect(conninfo, cursor_factory=CountingCursor) as connection:
        CountingCursor.executed = []
        catalog = introspect(connection)
        return len(CountingCursor.executed), len(catalog.tables)


@pytest.mark.slow
def test_query_count_does_not_grow_with_tables(pg_server: Any) -> None:
    counts = {}
    for size in (1, 1000):
        name = pg_server.create_database()
        try:
            with psycopg.connect(pg_server.conninfo(name), autocommit=True) as connection:
                connection.execute(_tables_ddl(size))
            queries, tables = _count_queries(pg_server.conninfo(name))
            assert tables == size
            counts[size] = queries
        finally:
            pg_server.drop_database(name)
    assert counts[1] == counts[1000]
    assert counts[1] <= len(QUERY_NAMES) + 3


def test_introspection_runs_read_only(pg_server: Any, database: str) -> None:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("CREATE TABLE t (id int)")
    with psycopg.connect(pg_server.conninfo(database)) as connection:
        connection.execute("SET default_transaction_read_only = on")
        connection.commit()
        catalog = introspect(connection)
    assert [str(table.name) for table in catalog.tables] == ["public.t"]
