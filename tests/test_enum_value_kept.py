"""An enum value added where the downgrade cannot recreate the type: the upgrade is planned
all the same, says the downgrade keeps the value, and the downgrade does exactly that."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from planner import migrations
from planner.dump import write_declarations
from planner.introspect import introspect
from tests.pairs import built_databases
from tests.peerkit import dump_difference
from tests.test_cli import invoke

ENUM = "CREATE TYPE mood AS ENUM ('sad', 'happy');"
BLOCKED = {
    "partition_key": (
        "CREATE TABLE moods (m mood, x int) PARTITION BY LIST (m);"
        "CREATE TABLE moods_sad PARTITION OF moods FOR VALUES IN ('sad');",
        "column public.moods.m is in the partition key of public.moods",
    ),
    "read_by_generated_column": (
        "CREATE TABLE g (m mood, is_sad boolean GENERATED ALWAYS AS (m = 'sad') STORED);",
        "generated column public.g.is_sad reads m",
    ),
    "generated_column_of_the_type": (
        "CREATE TABLE g (x int, m mood GENERATED ALWAYS AS "
        "(CASE WHEN x > 0 THEN 'happy'::mood ELSE 'sad'::mood END) STORED);",
        "generated column public.g.m uses it",
    ),
    "composite_attribute": (
        "CREATE TYPE pair AS (m mood, n int); CREATE TABLE c (p pair);",
        "attribute m of type public.pair uses it",
    ),
}


def old_and_new(pg_server: Any, schema: str, added: list[str]) -> Any:
    """Databases OLD (the schema) and NEW (the schema, then the values added)."""
    values = "".join(f"ALTER TYPE mood ADD VALUE {value};" for value in added)
    return built_databases(pg_server, ENUM + schema, ENUM + schema + values)


def render_new_onto_old(pg_server: Any, old: str, new: str, project: Path) -> str:
    """NEW dumped to declarations, and the revision that brings OLD there (its text)."""
    with psycopg.connect(pg_server.conninfo(new)) as connection:
        write_declarations(introspect(connection), project / "schema")
    directories = ["--schema-dir", str(project / "schema")]
    directories += ["--migrations-dir", str(project / "migrations")]
    rendered = invoke("render", *directories, "--database-url", pg_server.url(old), "-m", "v")
    assert rendered.exit_code == 0, rendered.output
    return Path(rendered.output.strip()).read_text()


@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_added_value_is_kept_by_the_downgrade(name: str, pg_server: Any, tmp_path: Path) -> None:
    schema, reason = BLOCKED[name]
    with old_and_new(pg_server, schema, ["'calm' BEFORE 'happy'"]) as (old, new):
        script = render_new_onto_old(pg_server, old, new, tmp_path)
        assert f"the downgrade cannot recreate the type ({reason})" in script
        assert "leave value 'calm' in enum public.mood" in script

        migrations.upgrade(tmp_path / "migrations", pg_server.url(old))
        assert dump_difference(pg_server.url(new), pg_server.url(old)) == ""
        migrations.downgrade(tmp_path / "migrations", pg_server.url(old), "-1")
        # The value was all that changed, and it stays.
        assert dump_difference(pg_server.url(new), pg_server.url(old)) == ""


def test_values_added_together_are_removed_by_one_recreation(
    pg_server: Any, tmp_path: Path
) -> None:
    table = "CREATE TABLE posts (id int, m mood NOT NULL DEFAULT 'sad');"
    added = ["'calm' BEFORE 'happy'", "'angry'", "'bored' AFTER 'sad'"]
    with old_and_new(pg_server, table, added) as (old, new):
        with psycopg.connect(pg_server.conninfo(old), autocommit=True) as connection:
            connection.execute("INSERT INTO posts VALUES (1, 'happy')")
        script = render_new_onto_old(pg_server, old, new, tmp_path)
        downgrade = script.split("def downgrade")[1]
        assert downgrade.count("RENAME TO mood__replaced") == 1
        assert downgrade.count("leave value") == 2

        migrations.upgrade(tmp_path / "migrations", pg_server.url(old))
        migrations.downgrade(tmp_path / "migrations", pg_server.url(old), "-1")
        with psycopg.connect(pg_server.conninfo(old)) as connection:
            labels = connection.execute("SELECT enum_range(NULL::mood)::text[]").fetchone()
            assert labels == (["sad", "happy"],)
            assert connection.execute("SELECT m::text FROM posts").fetchall() == [("happy",)]
