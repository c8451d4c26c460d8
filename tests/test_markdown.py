"""`plan --format markdown`: the pull-request report, against real PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planner import workflow
from planner.cli import main
from planner.hazards import HazardKind
from planner.render.markdown import (
    BADGES,
    attribute_identifier,
    badge,
    entity_identifier,
    escape,
    fenced,
    mermaid_type,
    render_markdown,
    unique_identifiers,
)
from planner.render.report import NO_CHANGES
from tests.casekit import check_golden
from tests.safety_kit import bring_to, options, write_schema

GOLDEN = Path(__file__).parent / "golden"
TARGET = "postgresql://app@db/app"

BEFORE = """
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
    primary_key: [id]
  tags:
    columns:
      id: bigint
      item_id: {type: bigint, nullable: false}
      label: text
    primary_key: [id]
    foreign_keys:
      - {columns: [item_id], references: {table: items, columns: [id]}}
"""

# Drops a column, adds one (a volatile default fills every row), a foreign key, an index and a
# policy: every hazard kind but none of a table drop.
AFTER = """
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
      token: {type: uuid, default: gen_random_uuid()}
    primary_key: [id]
    foreign_keys:
      - {columns: [parent_id], references: {table: parents, columns: [id]}}
    indexes:
      - {name: items_amount_idx, columns: [amount]}
    row_level_security: true
    policies:
      positive: {using: amount > 0}
  tags:
    columns:
      id: bigint
      item_id: {type: bigint, nullable: false}
      label: text
    primary_key: [id]
    foreign_keys:
      - {columns: [item_id], references: {table: items, columns: [id]}}
"""


def compute(pg_server: Any, database: str, tmp_path: Path, after: str) -> workflow.PlanResult:
    migrations_dir = bring_to(pg_server, database, tmp_path, BEFORE, "before")
    schema_dir = write_schema(tmp_path / "after", after)
    opts = options(pg_server, database, schema_dir, migrations_dir, allowed_hazards=("all",))
    return workflow.compute_plan(opts, server=pg_server)


@pytest.fixture
def hazardous(pg_server: Any, database: str, tmp_path: Path) -> workflow.PlanResult:
    return compute(pg_server, database, tmp_path, AFTER)


def report_of(result: workflow.PlanResult) -> str:
    return render_markdown(result.plan, result.current, result.desired, TARGET)


def block(report: str, language: str) -> str:
    match = re.search(rf"^```{language}\n(.*?)^```$", report, re.MULTILINE | re.DOTALL)
    assert match, f"no {language} block in:\n{report}"
    return match.group(1)


def test_report_matches_the_golden_file(hazardous: workflow.PlanResult) -> None:
    report = report_of(hazardous)
    assert report == report_of(hazardous)
    check_golden(GOLDEN / "markdown_hazards.md", report)


def test_diagram_shows_touched_tables_neighbours_and_relationships(
    hazardous: workflow.PlanResult,
) -> None:
    diagram = block(report_of(hazardous), "mermaid")
    assert diagram.startswith("erDiagram\n")
    for entity in ("public_items {", "public_parents {", "public_tags {"):
        assert f"    {entity}" in diagram
    assert 'public_parents |o--o{ public_items : "items_parent_id_fkey (added)"' in diagram
    assert 'public_items ||--o{ public_tags : "tags_item_id_fkey"' in diagram
    assert '        text doomed "removed"' in diagram
    assert '        uuid token "added"' in diagram
    assert '        bigint parent_id FK "FK added"' in diagram
    assert "        varchar_50 code\n" in diagram
    # A neighbour shows its keys only.
    assert "label" not in diagram and "bigint item_id FK" in diagram


def test_badges_for_every_hazard_kind_present(hazardous: workflow.PlanResult) -> None:
    report = report_of(hazardous)
    kinds = {h.kind for statement in hazardous.plan.statements for h in statement.hazards}
    assert kinds >= set(HazardKind) - {HazardKind.DROPS_INDEX, HazardKind.UNTRACKED_DEPENDENCIES}
    rows = [line for line in report.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(hazardous.plan.steps)
    for kind in kinds:
        assert any(badge(kind) in row for row in rows), kind
    for row in rows:
        badges = re.findall(r"[🔴🟠🟡🔵⚪🟣] ([a-z-]+)", row)
        assert len(badges) == len(set(badges)), row
    summary = report.splitlines()[2]
    assert "tables: 0 added, 1 changed, 0 dropped" in summary
    assert f"{badge(HazardKind.DELETES_DATA)} (1)" in summary


RESHAPED = """
tables:
  parents:
    columns: {id: bigint}
    primary_key: [id]
  goods:
    renamed_from: items
    columns:
      id: bigint
      parent_id: bigint
      sku: {type: varchar(50), renamed_from: code}
      amount: bigint
      doomed: text
    primary_key: [id]
  prices:
    columns:
      good_id: {type: bigint, nullable: false}
      cents: integer
    primary_key: [good_id]
    foreign_keys:
      - {columns: [good_id], references: {table: goods, columns: [id]}}
"""


def test_diagram_follows_renames_new_and_dropped_tables(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    result = compute(pg_server, database, tmp_path, RESHAPED)
    report = report_of(result)
    assert "tables: 1 added, 1 changed, 1 dropped" in report
    diagram = block(report, "mermaid")
    assert "public_items" not in diagram
    assert '        varchar_50 sku "renamed from code"' in diagram
    assert '        bigint amount "changed: type"' in diagram
    assert '        bigint good_id PK, FK "added"' in diagram
    assert '        bigint item_id FK "removed"' in diagram
    assert 'public_goods ||--o| public_prices : "prices_good_id_fkey (added)"' in diagram
    assert 'public_goods ||--o{ public_tags : "tags_item_id_fkey (removed)"' in diagram


def test_sql_block_holds_every_statement(hazardous: workflow.PlanResult) -> None:
    report = report_of(hazardous)
    assert "<details><summary>SQL</summary>" in report
    sql = block(report, "sql")
    for statement in hazardous.plan.statements:
        assert f"{statement.sql};" in sql


def test_no_changes_is_short(pg_server: Any, database: str, tmp_path: Path) -> None:
    result = compute(pg_server, database, tmp_path, BEFORE)
    report = report_of(result)
    assert report == f"## Schema plan for {escape(TARGET)}\n\n{NO_CHANGES}\n"


def test_cli_prints_the_report(pg_server: Any, database: str, tmp_path: Path) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, BEFORE, "before")
    schema_dir = write_schema(tmp_path / "after", AFTER)
    arguments = [
        "plan", "--format", "markdown", "--allow-hazard", "all",
        "--database-url", pg_server.url(database),
        "--schema-dir", str(schema_dir), "--migrations-dir", str(migrations_dir),
    ]  # fmt: skip
    result = CliRunner().invoke(main, arguments, env={"DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## Schema plan for ")
    assert "```mermaid\nerDiagram\n" in result.output
    assert badge(HazardKind.DELETES_DATA) in result.output
    assert "ALTER TABLE public.items DROP COLUMN doomed;" in result.output


def test_every_kind_has_a_badge() -> None:
    assert set(BADGES) == set(HazardKind)


def test_cells_escape_markdown() -> None:
    assert escape("a|b") == r"a\|b"
    assert escape("items_parent_id_fkey _x_ a__b") == r"items_parent_id_fkey \_x\_ a\_\_b"
    assert escape("*x* _y_ `z` <b> [l](u) ~s~ $m$ &amp;") == (
        r"\*x\* \_y\_ \`z\` \<b\> \[l\](u) \~s\~ \$m\$ \&amp;"
    )
    assert escape("two\nlines") == "two lines"


def test_fence_outgrows_backticks_in_the_text() -> None:
    assert fenced("select 1", "sql") == "```sql\nselect 1\n```"
    assert fenced("a ```` b", "sql").startswith("`````sql\n")


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("character varying(32)", "varchar_32"),
        ("character(2)", "char_2"),
        ("numeric(12,2)", "numeric_12_2"),
        ("timestamp with time zone", "timestamptz"),
        ("timestamp(3) without time zone", "timestamp_3"),
        ("double precision", "float8"),
        ("text[]", "text_array"),
        ("public.mood", "public_mood"),
        ('public."Odd Type"', "public_Odd_Type"),
    ],
)
def test_types_become_mermaid_words(type_name: str, expected: str) -> None:
    assert mermaid_type(type_name) == expected


def test_names_become_mermaid_identifiers() -> None:
    assert entity_identifier("public_items") == "public_items"
    assert entity_identifier("2024_items") == "_2024_items"
    assert entity_identifier("public_Odd Name") == "public_Odd_Name"
    assert attribute_identifier("pk") == "_pk"
    assert attribute_identifier("2fa") == "_2fa"
    assert unique_identifiers(["a b", "a_b", "A-B"], entity_identifier) == ["a_b", "a_b_2", "A_B_3"]
