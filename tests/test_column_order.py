"""A column declared between existing ones: by default the plan says it goes last, and the
order that results is no drift; with --column-order rebuild the table is rebuilt in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from planner import migrations
from planner.dump import write_declarations
from planner.introspect import introspect
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
    old, new = pg_server.create_database(), pg_server.create_database()
    try:
        with psycopg.connect(pg_server.conninfo(old), autocommit=True) as connection:
            connection.execute("DROP ROLE IF EXISTS column_order_reader")
            connection.execute(ACCOUNTS_BEFORE)
        with psycopg.connect(pg_server.conninfo(new), autocommit=True) as connection:
            connection.execute(ACCOUNTS_AFTER)
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
        pg_server.drop_database(old)
        pg_server.drop_database(new)
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
