"""Each hazard is raised by the statements that cause it and absent from the safe forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner import workflow
from planner.hazards import HazardKind
from planner.plan import Plan
from tests.safety_kit import bring_to, options, write_schema

BASE = """
enums:
  mood: [calm]
tables:
  parents:
    columns: {id: bigint}
    primary_key: [id]
  items:
    columns:
      id: bigint
      parent_id: bigint
      code: varchar(50)
      amount: integer
      doomed: text
      range: tstzrange
    primary_key: [id]
"""


def plan_to(
    pg_server: Any, database: str, tmp_path: Path, after: str, before: str = BASE, **extra: Any
) -> Plan:
    bring_to(pg_server, database, tmp_path, before, "before")
    schema_dir = write_schema(tmp_path / "after", after)
    opts = options(
        pg_server, database, schema_dir, tmp_path / "migrations", allowed_hazards=("all",), **extra
    )
    return workflow.compute_plan(opts, server=pg_server).plan


def kinds_by_statement(plan: Plan) -> dict[str, set[HazardKind]]:
    return {s.sql: {h.kind for h in s.hazards} for s in plan.statements}


def edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


WITH_GONE = BASE.replace("  items:\n", "  gone:\n    columns: {id: bigint}\n  items:\n")

CASES = {
    "drop column": (
        edit("      doomed: text\n", ""),
        "DROP COLUMN doomed",
        {HazardKind.DELETES_DATA, HazardKind.NOT_REVERSIBLE, HazardKind.BLOCKS_READS},
    ),
    "narrowing type change": (
        edit("code: varchar(50)", "code: varchar(10)"),
        "TYPE character varying(10)",
        {HazardKind.DELETES_DATA, HazardKind.NOT_REVERSIBLE},
    ),
    "rewriting type change": (
        edit("amount: integer", "amount: bigint"),
        "TYPE bigint",
        {HazardKind.REWRITES_TABLE, HazardKind.BLOCKS_READS, HazardKind.BLOCKS_WRITES},
    ),
    "volatile default": (
        edit(
            "      doomed: text\n",
            "      doomed: text\n      token: {type: uuid, default: gen_random_uuid()}\n",
        ),
        "ADD COLUMN token",
        {HazardKind.REWRITES_TABLE},
    ),
    "identity on existing table": (
        edit(
            "      doomed: text\n",
            "      doomed: text\n      seq: {type: bigint, identity: always}\n",
        ),
        "ADD COLUMN seq",
        {HazardKind.REWRITES_TABLE},
    ),
    "stored generated column": (
        edit(
            "      doomed: text\n",
            "      doomed: text\n      twice: {type: integer, generated: amount * 2}\n",
        ),
        "ADD COLUMN twice",
        {HazardKind.REWRITES_TABLE},
    ),
    "policy": (
        BASE + "    row_level_security: true\n    policies:\n      mine: {using: amount > 0}\n",
        "CREATE POLICY",
        {HazardKind.CHANGES_AUTHORIZATION},
    ),
    "grant": (
        BASE + "    grants: {PUBLIC: [select]}\n",
        "GRANT SELECT",
        {HazardKind.CHANGES_AUTHORIZATION},
    ),
    "enum value": (
        edit("mood: [calm]", "mood: [calm, busy]"),
        "ADD VALUE",
        {HazardKind.NOT_REVERSIBLE},
    ),
    "exclusion constraint": (
        BASE + "    exclude:\n"
        '      - {name: no_overlap, definition: "EXCLUDE USING gist (range WITH &&)"}\n',
        "EXCLUDE USING gist",
        {HazardKind.BLOCKS_WRITES, HazardKind.BUILDS_INDEX, HazardKind.SCANS_TABLE},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hazard_raised_where_it_is_caused(
    case: str, pg_server: Any, database: str, tmp_path: Path
) -> None:
    after, fragment, expected = CASES[case]
    assert_hazards(plan_to(pg_server, database, tmp_path, after), fragment, expected)


def test_dropping_a_table_deletes_data(pg_server: Any, database: str, tmp_path: Path) -> None:
    plan = plan_to(pg_server, database, tmp_path, BASE, before=WITH_GONE)
    expected = {HazardKind.DELETES_DATA, HazardKind.NOT_REVERSIBLE, HazardKind.BLOCKS_READS}
    assert_hazards(plan, "DROP TABLE public.gone", expected)


def assert_hazards(plan: Plan, fragment: str, expected: set[HazardKind]) -> None:
    matching = [k for sql, k in kinds_by_statement(plan).items() if fragment in sql]
    assert matching, f"no statement with {fragment!r} in {list(kinds_by_statement(plan))}"
    assert expected <= matching[0], (fragment, matching[0])


SAFE_FORMS = (
    BASE.replace(
        "      range: tstzrange\n    primary_key: [id]\n",
        "      range: tstzrange\n      extra: {type: timestamptz, default: now()}\n"
        "    primary_key: [id]\n"
        "    unique:\n      - {columns: [code]}\n"
        "    foreign_keys:\n"
        "      - {columns: [parent_id], references: {table: parents, columns: [id]}}\n"
        "    checks:\n      - amount > 0\n"
        "    indexes:\n      - {name: items_amount_idx, columns: [amount]}\n",
    )
    .replace("code: varchar(50)", "code: varchar(80)")
    .replace("amount: integer", "amount: {type: integer, nullable: false}")
)


def test_online_forms_block_nobody_for_long(pg_server: Any, database: str, tmp_path: Path) -> None:
    plan = plan_to(pg_server, database, tmp_path, SAFE_FORMS)
    for statement in plan.statements:
        kinds = {h.kind for h in statement.hazards}
        long_lock = [h for h in statement.hazards if "whole statement" in h.reason]
        assert not long_lock, (statement.sql, long_lock)
        # Work that reads every row or builds an index never runs under a blocking lock.
        if kinds & {HazardKind.SCANS_TABLE, HazardKind.BUILDS_INDEX}:
            assert not kinds & {HazardKind.BLOCKS_READS, HazardKind.BLOCKS_WRITES}, statement.sql
        assert HazardKind.REWRITES_TABLE not in kinds, statement.sql
        assert HazardKind.DELETES_DATA not in kinds, statement.sql


def test_offline_forms_say_they_block(pg_server: Any, database: str, tmp_path: Path) -> None:
    plan = plan_to(pg_server, database, tmp_path, SAFE_FORMS, online=False)
    blocking_work = [
        s.sql
        for s in plan.statements
        if {h.kind for h in s.hazards} >= {HazardKind.SCANS_TABLE, HazardKind.BLOCKS_WRITES}
        or {h.kind for h in s.hazards} >= {HazardKind.BUILDS_INDEX, HazardKind.BLOCKS_WRITES}
    ]
    assert any("CREATE INDEX items_amount_idx" in sql for sql in blocking_work)
    assert any("SET NOT NULL" in sql for sql in blocking_work)
    assert any("FOREIGN KEY" in sql for sql in blocking_work)
