"""Collations made with CREATE COLLATION: dumped, declared, planned without false diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import yaml

from tests.test_cli import dirs, invoke

COLLATIONS_SQL = """
CREATE SCHEMA "Sales";
CREATE COLLATION public.posix FROM "POSIX";
CREATE COLLATION "Sales"."Loose" (provider = icu, locale = 'und-u-ks-level2',
                                  deterministic = false);
CREATE COLLATION public.split (lc_collate = 'C', lc_ctype = 'C.utf8');
COMMENT ON COLLATION public.posix IS 'byte order';
CREATE TABLE "Sales".names (
    plain text COLLATE public.posix,
    loose text COLLATE "Sales"."Loose",
    split text COLLATE public.split
);
"""


def test_collations_dump_and_check_clean(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute(COLLATIONS_SQL)
    url = pg_server.url(database)
    dumped = invoke("dump", "--database-url", url, "--out", str(tmp_path / "schema"))
    assert dumped.exit_code == 0, dumped.output

    public = yaml.safe_load((tmp_path / "schema" / "public" / "_schema.yaml").read_text())
    assert public["collations"] == {
        "posix": {"locale": "POSIX", "comment": "byte order"},
        "split": {"lc_collate": "C", "lc_ctype": "C.utf8"},
    }
    sales = yaml.safe_load((tmp_path / "schema" / "Sales" / "_schema.yaml").read_text())
    assert sales["collations"] == {
        "Loose": {"provider": "icu", "locale": "und-u-ks-level2", "deterministic": False}
    }
    checked = invoke("check", *dirs(tmp_path), "--database-url", url)
    assert checked.exit_code == 0, checked.output


def test_changed_collation_is_recreated_when_unused(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute("CREATE COLLATION public.loose (provider = icu, locale = 'und')")
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "s.yaml").write_text(
        "collations:\n  loose: {provider: icu, locale: und-u-ks-level2, deterministic: false}\n"
    )
    planned = invoke("plan", *dirs(tmp_path), "--database-url", pg_server.url(database))
    assert planned.exit_code == 0, planned.output
    assert planned.output.index("DROP COLLATION public.loose;") < planned.output.index(
        "CREATE COLLATION public.loose (provider = icu, locale = 'und-u-ks-level2', "
        "deterministic = false)"
    )


def test_collation_declaration_errors_name_the_object(tmp_path: Path) -> None:
    schema = tmp_path / "schema"
    schema.mkdir()
    (schema / "s.yaml").write_text("collations:\n  german: {provider: icu}\n")
    result = invoke("plan", *dirs(tmp_path))
    assert result.exit_code == 2
    assert "s.yaml:2: collation public.german: an icu collation needs a locale" in result.output
