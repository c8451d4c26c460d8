"""A role that can only connect and read the catalogs can introspect and check, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from click.testing import CliRunner

from planner.cli import main
from planner.dump import write_declarations
from planner.introspect import introspect

SCHEMA = """
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood mood,
                       balance numeric(12,2) CHECK (balance >= 0), owner text);
CREATE INDEX accounts_owner_idx ON accounts (lower(owner)) WHERE owner IS NOT NULL;
CREATE VIEW rich AS SELECT id FROM accounts WHERE balance > 1000;
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER accounts_bump BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION bump();
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON accounts USING (owner = current_user);
REVOKE ALL ON accounts FROM PUBLIC;
"""


def test_catalog_reader_sees_what_a_superuser_sees(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as admin:
        admin.execute(SCHEMA)
        admin.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catalog_reader') "
            "THEN CREATE ROLE catalog_reader LOGIN; END IF; END $$"
        )
        admin.execute(
            f'ALTER ROLE catalog_reader IN DATABASE "{database}" '
            "SET default_transaction_read_only = on"
        )
        full = introspect(admin)
    reader_info = pg_server.conninfo(database) + " user=catalog_reader"
    with psycopg.connect(reader_info) as reader:
        assert reader.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
        assert reader.execute("SELECT has_table_privilege('accounts', 'SELECT')").fetchone() == (
            False,
        )
        limited = introspect(reader)
    assert limited == full

    # A drift check as that role: declarations dumped by the superuser are in sync.
    write_declarations(full, tmp_path / "schema")
    url = pg_server.url(database).replace("postgresql://postgres@", "postgresql://catalog_reader@")
    result = CliRunner().invoke(
        main, ["check", "--database-url", url, "--schema-dir", str(tmp_path / "schema"),
               "--migrations-dir", str(tmp_path / "mig")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
