"""Partition indexes attached to a partitioned table's index under their own names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from planner import guard, migrations, workflow
from planner.dump import declaration_documents, write_declarations
from planner.introspect import introspect
from planner.partition_indexes import default_index_name
from tests.pairs import built_databases
from tests.peerkit import dump_difference, dump_items, schema_dump

# A partition made on its own with a named key, then attached: its key stays attached to
# the partitioned table's key under its own name. Another partition's index, made before
# the partitioned table's index, is attached to it under its own name; a third partition's
# are all PostgreSQL's own.
ATTACHED = """
CREATE TABLE orders (
    region text NOT NULL,
    id bigint NOT NULL,
    placed_at timestamptz,
    PRIMARY KEY (region, id)
) PARTITION BY LIST (region);
CREATE TABLE orders_eu (
    region text NOT NULL,
    id bigint NOT NULL,
    placed_at timestamptz,
    CONSTRAINT eu_orders_key PRIMARY KEY (region, id)
);
ALTER TABLE orders ATTACH PARTITION orders_eu FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE TABLE orders_asia PARTITION OF orders FOR VALUES IN ('asia');
CREATE INDEX us_orders_by_time ON orders_us (placed_at);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
"""

# Indexes and a key made ON ONLY the partitioned table, attached in one partition and not
# in the other: PostgreSQL holds them invalid.
ONLY_SOME = """
CREATE TABLE readings (
    sensor int NOT NULL,
    taken date NOT NULL,
    value numeric
) PARTITION BY RANGE (taken);
CREATE TABLE readings_2024 PARTITION OF readings
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_2025 PARTITION OF readings
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY readings ADD CONSTRAINT readings_key PRIMARY KEY (sensor, taken);
CREATE UNIQUE INDEX readings_2024_key ON readings_2024 (sensor, taken);
ALTER TABLE readings_2024 ADD CONSTRAINT readings_2024_key PRIMARY KEY
    USING INDEX readings_2024_key;
ALTER INDEX readings_key ATTACH PARTITION readings_2024_key;
CREATE INDEX readings_by_value ON ONLY readings (value);
CREATE INDEX readings_2025_by_value ON readings_2025 (value);
ALTER INDEX readings_by_value ATTACH PARTITION readings_2025_by_value;
CREATE INDEX readings_2024_by_value ON readings_2024 (value);
"""

# The same, with every attached index under the name PostgreSQL gives it.
DEFAULT_NAMED = """
CREATE TABLE orders (
    region text NOT NULL,
    id bigint NOT NULL,
    placed_at timestamptz,
    PRIMARY KEY (region, id)
) PARTITION BY LIST (region);
CREATE TABLE orders_eu (
    region text NOT NULL,
    id bigint NOT NULL,
    placed_at timestamptz,
    CONSTRAINT orders_eu_pkey PRIMARY KEY (region, id)
);
ALTER TABLE orders ATTACH PARTITION orders_eu FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE INDEX orders_us_placed_at_idx ON orders_us (placed_at);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
CREATE INDEX ON orders (lower(region));
"""


def _options(tmp_path: Path, url: str) -> workflow.Options:
    return workflow.Options(
        tmp_path / "schema",
        tmp_path / "migrations",
        database_url=url,
        allowed_hazards=(guard.ALL,),
    )


def _catalog(conninfo: str) -> Any:
    with psycopg.connect(conninfo) as connection:
        return introspect(connection)


@pytest.mark.parametrize(
    ("ddl", "declared_lines", "undeclared"),
    [
        (
            ATTACHED,
            ["name: eu_orders_key", "attached_to: orders_pkey", "name: us_orders_by_time"],
            ["orders_asia_pkey", "orders_asia_placed_at_idx", "only:"],
        ),
        (
            ONLY_SOME,
            ["name: readings_key", "only: true", "attached_to: readings_by_value"],
            ["attached_to: readings_key\n  indexes"],
        ),
    ],
    ids=["attached", "only"],
)
def test_attached_names_round_trip_through_declarations(
    tmp_path: Path, pg_server: Any, ddl: str, declared_lines: list[str], undeclared: list[str]
) -> None:
    with built_databases(pg_server, ddl, "") as (source, target):
        catalog = _catalog(pg_server.conninfo(source))
        (tmp_path / "schema").mkdir()
        write_declarations(catalog, tmp_path / "schema")
        declared = "".join(declaration_documents(catalog).values())
        assert all(line in declared for line in declared_lines), declared
        assert not any(text in declared for text in undeclared), declared

        options = _options(tmp_path, pg_server.url(target))
        empty = dump_items(schema_dump(pg_server.url(target)))
        rendered = workflow.render(options, "orders", server=pg_server)
        assert rendered.path is not None
        migrations.upgrade(tmp_path / "migrations", pg_server.url(target))
        assert dump_difference(pg_server.url(source), pg_server.url(target)) == ""
        assert workflow.compute_plan(options, server=pg_server).plan.is_empty

        migrations.downgrade(tmp_path / "migrations", pg_server.url(target), "base")
        assert dump_items(schema_dump(pg_server.url(target))) == empty


# Before the new partitions: the partitioned tables and their indexes exist.
ORDERS_ALONE = ATTACHED.split("CREATE TABLE orders_eu")[0] + (
    "CREATE INDEX orders_placed_at_idx ON orders (placed_at);"
)
READINGS_WITHOUT_2025 = ONLY_SOME.split("CREATE TABLE readings_2025")[0] + (
    ONLY_SOME.split("('2026-01-01');")[1].split("CREATE INDEX readings_2025_by_value")[0]
    + "CREATE INDEX readings_2024_by_value ON readings_2024 (value);"
)


@pytest.mark.parametrize(
    ("ddl", "before_ddl"),
    [(ATTACHED, ORDERS_ALONE), (ONLY_SOME, READINGS_WITHOUT_2025)],
    ids=["attached", "only"],
)
def test_a_new_partition_keeps_its_own_indexes(
    tmp_path: Path, pg_server: Any, ddl: str, before_ddl: str
) -> None:
    """The partitioned table's index exists: it is made again after the new partition."""
    with built_databases(pg_server, ddl, before_ddl) as (source, target):
        (tmp_path / "schema").mkdir()
        write_declarations(_catalog(pg_server.conninfo(source)), tmp_path / "schema")
        options = _options(tmp_path, pg_server.url(target))
        before = dump_items(schema_dump(pg_server.url(target)))

        workflow.render(options, "partitions", server=pg_server)
        migrations.upgrade(tmp_path / "migrations", pg_server.url(target))
        assert dump_difference(pg_server.url(source), pg_server.url(target)) == ""
        assert workflow.compute_plan(options, server=pg_server).plan.is_empty
        migrations.downgrade(tmp_path / "migrations", pg_server.url(target), "base")
        assert dump_items(schema_dump(pg_server.url(target))) == before


def test_indexes_postgresql_names_itself_stay_implicit(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute(DEFAULT_NAMED)
    catalog = introspect(connection)
    partitions = [t for t in catalog.tables if t.partition_of is not None]
    assert [t.indexes for t in partitions] == [(), ()]
    assert [t.constraints for t in partitions] == [(), ()]
    assert "attached_to" not in "".join(declaration_documents(catalog).values())

    (tmp_path / "schema").mkdir()
    write_declarations(catalog, tmp_path / "schema")
    options = _options(tmp_path, pg_server.url(database))
    assert workflow.compute_plan(options, server=pg_server).plan.is_empty


@pytest.mark.parametrize(
    ("table", "columns", "statement"),
    [
        ("t", ["a", "b"], "CREATE INDEX ON t (a, b)"),
        ("t", ["a", "lower", "upper"], "CREATE INDEX ON t (a, lower(b), upper(b))"),
        ("t", ["a", None, None], "CREATE INDEX ON t (a, (b || 'x'), (b || 'y'))"),
        ("t", ["a", "a"], "CREATE INDEX ON t (a, a)"),
        ("t", ["a", "b"], "CREATE INDEX ON t (a) INCLUDE (b)"),
        ("t" * 40, ["é" * 20, "b"], f"CREATE INDEX ON {'t' * 40} ({'é' * 20}, b)"),
        ("t" * 40, ["a" * 40, "b" * 40], f"CREATE INDEX ON {'t' * 40} ({'a' * 40}, {'b' * 40})"),
    ],
)
def test_default_names_are_postgresql_s(
    connection: psycopg.Connection[Any], table: str, columns: list[str | None], statement: str
) -> None:
    named = {name for name in columns if name is not None} | {"a", "b"}
    connection.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in sorted(named))})")
    connection.execute(statement)
    chosen = connection.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
        [table],
    ).fetchone()
    assert chosen is not None
    assert default_index_name(table, columns, "idx") == chosen[0].strip('"')
