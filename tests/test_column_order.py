"""A column declared between existing ones: by default the plan says it goes last, and the
order that results is no drift; with --column-order rebuild the table is rebuilt in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from planner import migrations
from planner.canonical import plan_for
from planner.diff_recreate import ColumnOrder
from planner.dump import write_declarations
from planner.introspect import introspect
from planner.model import (
    Catalog,
    Column,
    EnumType,
    Index,
    IndexElement,
    QualifiedName,
    Table,
)
from planner.operations import RestoreRows, SaveRows
from tests.pairs import built_databases
from tests.peerkit import dump_difference, dump_items, schema_dump
from tests.test_cli import dirs, invoke

BETWEEN = """
tables:
  t:
    columns:
      a: integer
      c: text
      b: integer
"""


def declare(project: Path, tables: str) -> None:
    (project / "schema").mkdir()
    (project / "schema" / "t.yaml").write_text(tables)


def test_column_declared_between_is_added_last_and_said_so(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute("CREATE TABLE t (a integer, b integer)")
    declare(tmp_path, BETWEEN)
    url = pg_server.url(database)

    planned = invoke("plan", *dirs(tmp_path), "--database-url", url)
    assert planned.exit_code == 0, planned.output
    assert (
        "add column public.t.c (it goes last: PostgreSQL cannot put it before b as declared "
        "without rebuilding the table, as --column-order rebuild does)" in planned.output
    )

    connection.execute("ALTER TABLE t ADD COLUMN c text")
    checked = invoke("check", *dirs(tmp_path), "--database-url", url)
    assert checked.exit_code == 0, checked.output


# --- --column-order rebuild -------------------------------------------------------------------

ACCOUNTS_BEFORE = """
CREATE ROLE column_order_reader NOLOGIN;
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    number serial,
    doubled integer GENERATED ALWAYS AS (number * 2) STORED
);
CREATE INDEX accounts_email ON accounts (lower(email));
COMMENT ON COLUMN accounts.email IS 'login';
CREATE TABLE orders (id integer PRIMARY KEY, account_id bigint REFERENCES accounts);
CREATE VIEW account_emails AS SELECT id, email FROM accounts;
GRANT SELECT ON accounts TO column_order_reader;
GRANT UPDATE (email) ON accounts TO column_order_reader;
INSERT INTO accounts (email) VALUES ('a@example.com'), ('b@example.com'), ('c@example.com');
DELETE FROM accounts WHERE id = 3;
INSERT INTO orders VALUES (1, 1), (2, 2);
CREATE FUNCTION refuse_inserts() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'inserts are refused'; END $$;
CREATE TRIGGER accounts_frozen BEFORE INSERT ON accounts
    FOR EACH ROW EXECUTE FUNCTION refuse_inserts();
"""

# The same schema with a column `name` put between `id` and `email`.
ACCOUNTS_AFTER = ACCOUNTS_BEFORE.replace(
    "GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n",
    "GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    name text NOT NULL DEFAULT 'anonymous',\n",
).replace("CREATE ROLE column_order_reader NOLOGIN;", "")


def _rows(url_conninfo: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url_conninfo) as connection:
        return connection.execute(
            "SELECT id, email, number, doubled FROM accounts ORDER BY id"
        ).fetchall()


def test_rebuild_gives_the_declared_order_and_keeps_rows_sequences_and_dependents(
    tmp_path: Path, pg_server: Any
) -> None:
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as connection:
        connection.execute("DROP ROLE IF EXISTS column_order_reader")
    try:
        with built_databases(pg_server, ACCOUNTS_BEFORE, ACCOUNTS_AFTER) as (old, new):
            original_dump = dump_items(schema_dump(pg_server.url(old)))
            rows = _rows(pg_server.conninfo(old))
            schema_dir = tmp_path / "schema"
            schema_dir.mkdir()
            with psycopg.connect(pg_server.conninfo(new)) as connection:
                write_declarations(introspect(connection), schema_dir)
            arguments = [*dirs(tmp_path), "--database-url", pg_server.url(old)]

            planned = invoke("plan", *arguments, "--column-order", "rebuild")
            assert planned.exit_code == 0, planned.output
            assert "save rows of table public.accounts" in planned.output
            assert "create table public.accounts (again, with its columns in order: id, name" in (
                planned.output
            )
            assert "deletes-data" not in planned.output
            appended = invoke("plan", *arguments)
            assert "it goes last" in appended.output and "save rows" not in appended.output

            rendered = invoke("render", *arguments, "--column-order", "rebuild", "-m", "reorder")
            assert rendered.exit_code == 0, rendered.output
            migrations.upgrade(tmp_path / "mig", pg_server.url(old))

            assert dump_difference(pg_server.url(new), pg_server.url(old)) == ""
            assert _rows(pg_server.conninfo(old)) == rows
            with psycopg.connect(pg_server.conninfo(old)) as connection:
                names = connection.execute("SELECT DISTINCT name FROM accounts").fetchall()
                assert names == [("anonymous",)]
                connection.execute("ALTER TABLE accounts DISABLE TRIGGER accounts_frozen")
                added = connection.execute(
                    "INSERT INTO accounts (email) VALUES ('d@example.com') RETURNING id, number"
                ).fetchone()
                # Both sequences go on where they were: id 3 was used (and deleted) before.
                assert added == (4, 4)
                connection.rollback()
            checked = invoke("check", *arguments, "--column-order", "rebuild")
            assert checked.exit_code == 0, checked.output

            migrations.downgrade(tmp_path / "mig", pg_server.url(old), "base")
            assert dump_items(schema_dump(pg_server.url(old))) == original_dump
            assert _rows(pg_server.conninfo(old)) == rows
    finally:
        with psycopg.connect(pg_server.conninfo(), autocommit=True) as connection:
            connection.execute("DROP ROLE IF EXISTS column_order_reader")


def test_rebuild_mode_sees_a_different_order_as_drift(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute("CREATE TABLE t (a integer, b integer, c text)")
    declare(tmp_path, BETWEEN)
    arguments = [*dirs(tmp_path), "--database-url", pg_server.url(database)]

    assert invoke("check", *arguments).exit_code == 0
    checked = invoke("check", *arguments, "--column-order", "rebuild")
    assert checked.exit_code == 1, checked.output
    assert "public.t" in checked.output


REBUILDS = {
    "self_reference": (
        "CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node, label text);"
        "INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'leaf');",
        "CREATE TABLE node (id int PRIMARY KEY, kind text, parent int REFERENCES node,"
        " label text);",
    ),
    "both_ends_of_a_foreign_key": (
        "CREATE TABLE a (id int PRIMARY KEY, x text);"
        "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, y text);"
        "INSERT INTO a VALUES (1, 'x'); INSERT INTO b VALUES (1, 1, 'y');",
        "CREATE TABLE a (id int PRIMARY KEY, added text, x text);"
        "CREATE TABLE b (id int PRIMARY KEY, added text, a_id int REFERENCES a, y text);",
    ),
    "type_change_and_identity_added": (
        "CREATE TABLE t (n int NOT NULL, old text, note text); INSERT INTO t VALUES (5, 'o', 'n');",
        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, n bigint NOT NULL,"
        " note text);",
    ),
    "materialized_view_with_index": (
        "CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'b');"
        "CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t; CREATE INDEX mv_a ON mv (a);",
        "CREATE TABLE t (a int, z text, b text);"
        "CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t; CREATE INDEX mv_a ON mv (a);",
    ),
}


def _row_counts(pg_server: Any, database: str) -> dict[str, int]:
    with psycopg.connect(pg_server.conninfo(database)) as connection:
        names = connection.execute(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'm')"
            " AND relnamespace = 'public'::regnamespace AND relname <> 'alembic_version'"
        ).fetchall()
        return {
            name: connection.execute(f'SELECT count(*) FROM public."{name}"').fetchone()[0]
            for (name,) in names
        }


@pytest.mark.parametrize("name", sorted(REBUILDS))
def test_rebuild_keeps_rows_through_other_changes(
    name: str, pg_server: Any, tmp_path: Path
) -> None:
    before, after = REBUILDS[name]
    with built_databases(pg_server, before, after) as (old, new):
        with psycopg.connect(pg_server.conninfo(new)) as connection:
            write_declarations(introspect(connection), tmp_path / "schema")
        counts = _row_counts(pg_server, old)
        arguments = [*dirs(tmp_path), "--database-url", pg_server.url(old)]
        arguments += ["--column-order", "rebuild", "--allow-hazard", "all"]

        rendered = invoke("render", *arguments, "-m", "rebuild")
        assert rendered.exit_code == 0, rendered.output
        assert "save rows of table" in Path(rendered.output.strip()).read_text()
        migrations.upgrade(tmp_path / "mig", pg_server.url(old))
        assert dump_difference(pg_server.url(new), pg_server.url(old)) == ""
        assert _row_counts(pg_server, old) == counts
        assert invoke("check", *arguments).exit_code == 0

        migrations.downgrade(tmp_path / "mig", pg_server.url(old), "-1")
        assert _row_counts(pg_server, old) == counts


def test_nothing_commits_while_the_rows_wait() -> None:
    """A rebuild beside an added enum value and a concurrent index build: the statements that
    run outside the transaction come before the rows are saved or after they are back."""
    mood = QualifiedName("public", "mood")
    t, other = QualifiedName("public", "t"), QualifiedName("public", "other")
    columns = (Column("x", "integer"), Column("y", "public.mood"))
    current = Catalog(
        enums=(EnumType(mood, ("a", "b")),),
        tables=(Table(t, columns), Table(other, (Column("z", "text"),))),
    )
    desired = Catalog(
        enums=(EnumType(mood, ("a", "b", "c")),),
        tables=(
            Table(t, (columns[0], Column("between", "text"), columns[1])),
            Table(other, (Column("z", "text"),), indexes=(Index("other_z", (IndexElement("z"),)),)),
        ),
    )
    plan = plan_for(current, desired, column_order=ColumnOrder.REBUILD)
    kinds = [type(step.operation) for step in plan.steps]
    saved, restored = kinds.index(SaveRows), kinds.index(RestoreRows)
    outside = [
        position
        for position, step in enumerate(plan.steps)
        if any(not statement.transactional for statement in step.statements)
    ]
    assert len(outside) == 2, plan.steps  # ADD VALUE and CREATE INDEX CONCURRENTLY
    assert all(position < saved or position > restored for position in outside)
