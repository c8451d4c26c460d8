"""Objects the planner does not model stop dump, plan and check with exit 2, named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner.cli import main

UNSUPPORTED = {
    # Configurations and dictionaries are modelled; templates need C functions.
    "text search template": (
        "CREATE TEXT SEARCH TEMPLATE public.my_template"
        " (LEXIZE = dsimple_lexize, INIT = dsimple_init)",
        "text search template public.my_template",
    ),
    "operator": (
        "CREATE FUNCTION public.near(integer, integer) RETURNS boolean LANGUAGE sql "
        "AS 'SELECT abs($1 - $2) < 2'; "
        "CREATE OPERATOR public.~~~ "
        "(LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.near)",
        "operator public.~~~(integer,integer)",
    ),
    "default privileges": (
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC",
        "in schema public on tables",
    ),
    "index column statistics": (
        "CREATE TABLE public.t (a int); CREATE INDEX t_next ON public.t ((a + 1)); "
        "ALTER INDEX public.t_next ALTER COLUMN 1 SET STATISTICS 500",
        "index column statistics public.t_next",
    ),
    "inherited column without its parent's default": (
        "CREATE TABLE public.p (a int, b text DEFAULT 'x') PARTITION BY LIST (a); "
        "CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1); "
        "ALTER TABLE public.p1 ALTER COLUMN b DROP DEFAULT",
        "inherited column without its parent's default public.p1.b",
    ),
    "state of a partition's trigger": (
        "CREATE TABLE public.p (a int) PARTITION BY LIST (a); "
        "CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1); "
        "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NEW; END $$; "
        "CREATE TRIGGER tr BEFORE INSERT ON public.p FOR EACH ROW EXECUTE FUNCTION public.f(); "
        "ALTER TABLE public.p1 DISABLE TRIGGER tr",
        "state of a partition's trigger tr on public.p1",
    ),
    "default of a view column": (
        "CREATE TABLE public.t (a int, b int); CREATE VIEW public.v AS SELECT a, b FROM public.t; "
        "ALTER VIEW public.v ALTER COLUMN b SET DEFAULT 5",
        "default of a view column public.v.b",
    ),
    "statistics object on a materialized view": (
        "CREATE MATERIALIZED VIEW public.m AS SELECT 1 AS a, 2 AS b; "
        "CREATE STATISTICS public.m_ab ON a, b FROM public.m",
        "statistics object on a materialized view public.m_ab",
    ),
    "range type": (
        "CREATE TYPE public.floatrange AS RANGE (subtype = float8)",
        "range type public.floatrange",
    ),
}


@pytest.mark.parametrize("kind", sorted(UNSUPPORTED))
@pytest.mark.parametrize("command", ["dump", "plan", "check"])
def test_unsupported_object_is_named(
    kind: str, command: str, pg_server: Any, database: str, tmp_path: Path
) -> None:
    ddl, name = UNSUPPORTED[kind]
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute(ddl.encode())
    url = pg_server.url(database)
    (tmp_path / "schema").mkdir()
    arguments = {
        "dump": ["dump", "--database-url", url, "--out", str(tmp_path / "out")],
        "plan": ["plan", "--database-url", url, "--schema-dir", str(tmp_path / "schema")],
        "check": ["check", "--database-url", url, "--schema-dir", str(tmp_path / "schema")],
    }[command]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 2
    assert "not support" in result.output and name in result.output, result.output
    assert not (tmp_path / "out").exists()
