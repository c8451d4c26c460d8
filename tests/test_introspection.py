"""Introspection reads the catalog in a fixed number of queries, read-only."""

from __future__ import annotations

from typing import Any, ClassVar

import psycopg
import pytest

from planner.introspect import QUERY_NAMES, introspect
from planner.introspect_text_search import parse_dictionary_options


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


def test_key_columns_are_named_across_schemas_read_or_not(pg_server: Any, database: str) -> None:
    """Key columns come from the catalog as numbers, named from the columns read; the columns
    of a referenced table in a schema not read are named by the query itself."""
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute(
            "CREATE SCHEMA app;"
            "CREATE TABLE public.owners (zone text, code int, label text,"
            " PRIMARY KEY (code, zone));"
            "ALTER TABLE public.owners DROP COLUMN label;"
            "CREATE TABLE app.items (id int PRIMARY KEY, note text, owner_zone text,"
            " owner_code int, UNIQUE (owner_code) INCLUDE (note),"
            " FOREIGN KEY (owner_code, owner_zone) REFERENCES public.owners (code, zone)"
            " ON DELETE SET NULL (owner_code));"
            "CREATE INDEX items_note ON app.items (note text_pattern_ops DESC, lower(note))"
            " INCLUDE (id);"
        )
    with psycopg.connect(pg_server.conninfo(database)) as connection:
        for schemas in (["app"], None):
            catalog = introspect(connection, schemas)
            items = next(t for t in catalog.tables if str(t.name) == "app.items")
            keys = {c.kind.name: c for c in items.constraints}
            reference = keys["FOREIGN_KEY"].references
            assert reference is not None
            assert reference.columns == ("code", "zone")
            assert reference.on_delete_columns == ("owner_code",)
            assert keys["FOREIGN_KEY"].columns == ("owner_code", "owner_zone")
            assert keys["UNIQUE"].columns == ("owner_code",)
            assert keys["UNIQUE"].include == ("note",)
            (index,) = items.indexes
            assert [(e.key, e.is_expression, e.opclass, e.descending) for e in index.elements] == [
                ("note", False, "text_pattern_ops", True),
                ("lower(note)", True, None, False),
            ]
            assert index.include == ("id",)


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("", ()),
        ("rules = 'unaccent'", (("rules", "unaccent"),)),
        # PostgreSQL's own order is kept: pg_dump prints it.
        (
            "stopwords = 'english', accept = 'false'",
            (("stopwords", "english"), ("accept", "false")),
        ),
        ("maxlen = 4, rejectlong = 'true'", (("maxlen", 4), ("rejectlong", "true"))),
        ("ratio = 1.5", (("ratio", 1.5),)),
        ("\"Odd\"\"Name\" = 'it''s'", (('Odd"Name', "it's"),)),
        (
            "dictfile = E'C:\\\\dicts\\\\en', x = word",
            (("dictfile", "C:\\dicts\\en"), ("x", "word")),
        ),
    ],
)
def test_dictionary_options_are_parsed(text: str, options: tuple[Any, ...]) -> None:
    assert parse_dictionary_options(text) == options


@pytest.mark.parametrize("text", ["a = 'x", "a", "a = 'x' b = 'y'", "= 'x'"])
def test_malformed_dictionary_options_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_dictionary_options(text)


def test_owners_are_read_with_the_reading_role(connection: psycopg.Connection[Any]) -> None:
    """Owned sequences follow their table and have no owner of their own."""
    connection.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'Owning Role') THEN "
        'CREATE ROLE "Owning Role"; END IF; END $$;'
        'CREATE TABLE t (id serial); ALTER TABLE t OWNER TO "Owning Role";'
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';"
    )
    catalog = introspect(connection)
    owners = {(o.object_kind, str(o.object_name), o.member): o.owner for o in catalog.owners}
    assert owners == {
        ("TABLE", "public.t", ""): '"Owning Role"',
        ("FUNCTION", "public.f", "a integer"): catalog.reader,
    }
    role = connection.execute("SELECT current_user").fetchone()
    assert role is not None and catalog.reader == role[0]
