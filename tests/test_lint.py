"""`schema lint`: each rule fires on the object it concerns, at its file and line; silencing
per object and everywhere; the example schema is clean; the CLI's exit codes."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner import lint as linting
from planner.canonical import canonicalize
from planner.cli import main
from planner.declare import (
    Declarations,
    declaration_json_schema,
    load_declaration_text,
    load_declarations,
)
from planner.errors import DeclarationError
from planner.lint import Located, lint, locate
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    ForeignKeyReference,
    Index,
    IndexElement,
    QualifiedName,
    Table,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
LONG_COLUMN = "a_column_name_that_is_sixty_bytes_long_close_to_the_limit_xy"
assert len(LONG_COLUMN.encode()) == 60

# Every rule fires exactly once, each on its own object.
EVERY_RULE = f"""
tables:
  accounts:
    columns:
      id: {{type: bigint, identity: always}}
      opened_at: timestamp
      nickname: varchar(40)
      balance: money
      country: "char(2)"
    primary_key: [id]
  tickets:
    columns:
      id: serial
      account_id: {{type: bigint, nullable: false}}
      referrer_id: bigint
      reviewer_id: {{type: bigint, comment: NULL until someone reviews it}}
    primary_key: [id]
    foreign_keys:
      - name: tickets_account_id_fkey
        columns: [account_id]
        references: {{table: accounts}}
      - name: tickets_referrer_id_fkey
        columns: [referrer_id]
        references: {{table: accounts}}
      - name: tickets_reviewer_id_fkey
        columns: [reviewer_id]
        references: {{table: accounts}}
    indexes:
      - {{name: tickets_referrer_id_idx, columns: [referrer_id], where: referrer_id IS NOT NULL}}
      - {{name: tickets_reviewer_idx, columns: [reviewer_id, id]}}
  audit_log:
    columns:
      {LONG_COLUMN}: text
"""

EXPECTED = {
    "timestamp-without-time-zone": ("column public.accounts.opened_at", "opened_at:"),
    "varchar-length-as-check": ("column public.accounts.nickname", "nickname:"),
    "money-type": ("column public.accounts.balance", "balance:"),
    "char-n": ("column public.accounts.country", "country:"),
    "serial-instead-of-identity": ("column public.tickets.id", "id: serial"),
    "fk-without-index": (
        "constraint public.tickets.tickets_account_id_fkey",
        "name: tickets_account_id_fkey",
    ),
    "nullable-foreign-key-without-reason": ("column public.tickets.referrer_id", "referrer_id:"),
    "table-without-primary-key": ("table public.audit_log", "audit_log:"),
    "name-too-long": (f"column public.audit_log.{LONG_COLUMN}", f"{LONG_COLUMN}:"),
}


def line_with(text: str, marker: str) -> int:
    lines = [number for number, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(lines) == 1, marker
    return lines[0]


def declared(text: str) -> Declarations:
    return load_declaration_text(text, "lint.yaml")


def canonical(declarations: Declarations, pg_server: Any, database: str) -> Catalog:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as scratch:
        return canonicalize(declarations, scratch)


def lint_text(
    text: str, pg_server: Any, database: str, disabled: Collection[str] = ()
) -> list[Located]:
    declarations = declared(text)
    catalog = canonical(declarations, pg_server, database)
    return locate(lint(catalog, declarations.lint_ignores, disabled), declarations)


def by_rule(located: list[Located]) -> dict[str, list[Located]]:
    rules: dict[str, list[Located]] = {}
    for entry in located:
        rules.setdefault(entry.advisory.rule, []).append(entry)
    return rules


def test_every_rule_fires_once_on_its_object_at_its_line(pg_server: Any, database: str) -> None:
    rules = by_rule(lint_text(EVERY_RULE, pg_server, database))
    assert set(rules) == set(linting.RULE_IDS) == set(EXPECTED)
    for rule, (subject, marker) in EXPECTED.items():
        [entry] = rules[rule]
        assert entry.advisory.subject == subject, rule
        assert (entry.path, entry.line) == ("lint.yaml", line_with(EVERY_RULE, marker)), rule
        assert entry.advisory.why == next(r.why for r in linting.RULES if r.id == rule)
        assert entry.text().startswith(f"lint.yaml:{entry.line}: {rule}: {subject}: ")


def test_messages_say_what_to_do_instead(pg_server: Any, database: str) -> None:
    located = lint_text(EVERY_RULE, pg_server, database)
    messages = {entry.advisory.rule: entry.advisory.message for entry in located}
    assert "CHECK (char_length(nickname) <= 40)" in messages["varchar-length-as-check"]
    assert "public.tickets_id_seq" in messages["serial-instead-of-identity"]
    assert "(account_id)" in messages["fk-without-index"]
    assert "60 bytes" in messages["name-too-long"]


SILENCED = (
    EVERY_RULE.replace(
        "      balance: money\n", "      balance: {type: money, lint_ignore: [money-type]}\n"
    )
    .replace(
        "  tickets:\n",
        "  tickets:\n    lint_ignore: [fk-without-index, serial-instead-of-identity]\n",
    )
    .replace("  audit_log:\n", "  audit_log:\n    lint_ignore: [table-without-primary-key]\n")
)


def test_lint_ignore_silences_one_object_and_a_tables_contents(
    pg_server: Any, database: str
) -> None:
    declarations = declared(SILENCED)
    assert declarations.lint_ignores == {
        "column public.accounts.balance": frozenset({"money-type"}),
        "table public.tickets": frozenset({"fk-without-index", "serial-instead-of-identity"}),
        "table public.audit_log": frozenset({"table-without-primary-key"}),
    }
    rules = by_rule(lint_text(SILENCED, pg_server, database))
    assert set(linting.RULE_IDS) - set(rules) == {
        "money-type",
        "fk-without-index",
        "serial-instead-of-identity",
        "table-without-primary-key",
    }


def test_a_column_silencing_covers_only_that_column(pg_server: Any, database: str) -> None:
    text = EVERY_RULE.replace(
        "      nickname: varchar(40)\n",
        "      nickname: {type: varchar(40), lint_ignore: [varchar-length-as-check]}\n"
        "      handle: varchar(20)\n",
    )
    [entry] = by_rule(lint_text(text, pg_server, database))["varchar-length-as-check"]
    assert entry.advisory.subject == "column public.accounts.handle"


def test_rules_disabled_everywhere(pg_server: Any, database: str) -> None:
    disabled = {"char-n", "name-too-long"}
    rules = by_rule(lint_text(EVERY_RULE, pg_server, database, disabled))
    assert set(rules) == set(linting.RULE_IDS) - disabled


def test_unknown_rules_are_refused() -> None:
    with pytest.raises(DeclarationError, match=r"lint\.yaml:4"):
        declared("tables:\n  t:\n    columns: {id: bigint}\n    lint_ignore: [no-such-rule]\n")
    with pytest.raises(linting.UnknownRuleError, match="no-such-rule"):
        lint(Catalog(), disabled=["no-such-rule"])


def test_the_json_schema_lists_every_rule() -> None:
    definition = declaration_json_schema()["$defs"]["lint_ignore"]
    assert tuple(definition["items"]["enum"]) == linting.RULE_IDS


def test_the_example_schema_has_no_advisories(pg_server: Any, database: str) -> None:
    declarations = load_declarations(REPO_ROOT / "schema")
    catalog = canonical(declarations, pg_server, database)
    assert lint(catalog, declarations.lint_ignores) == []


DERIVED = """
tables:
  a_table_name_of_fifty_five_bytes_that_leaves_no_room_xx:
    columns:
      id: {type: bigint, identity: always}
      owner_id: {type: bigint, nullable: false}
    primary_key: [id]
    foreign_keys:
      - columns: [owner_id]
        references: {table: a_table_name_of_fifty_five_bytes_that_leaves_no_room_xx}
    indexes:
      - {name: short_owner_idx, columns: [owner_id]}
"""


def test_derived_names_cut_by_postgresql_are_flagged(pg_server: Any, database: str) -> None:
    located = lint_text(DERIVED, pg_server, database)
    table = "a_table_name_of_fifty_five_bytes_that_leaves_no_room_xx"
    assert len(table) == 55
    [fkey] = [e for e in located if e.advisory.subject.endswith("_fkey")]
    assert fkey.advisory.rule == "name-too-long"
    assert f"derived this name from '{table}_owner_id_fkey' (69 bytes)" in fkey.advisory.message
    assert len(fkey.advisory.subject.rsplit(".", 1)[1]) == 63
    assert fkey.line == line_with(DERIVED, f"  {table}:")  # unnamed: the table's line
    # <table>_pkey is 60 bytes: not cut, but at the limit's edge.
    [pkey] = [e for e in located if e.advisory.subject.endswith("_pkey")]
    assert "60 bytes long" in pkey.advisory.message
    # So is the identity's sequence, <table>_id_seq; the short index name is not.
    assert {e.advisory.rule for e in located} == {"name-too-long"}
    assert {e.advisory.subject.split(" ")[0] for e in located} == {"constraint", "sequence"}
    assert len(located) == 3


# --- which indexes serve a foreign key (no server needed: lint reads any catalog) -----------

PARENT = QualifiedName("public", "parents")


def child(*indexes: Index, keys: tuple[Constraint, ...] = ()) -> Catalog:
    foreign_key = Constraint(
        "child_fkey",
        ConstraintKind.FOREIGN_KEY,
        columns=("a", "b"),
        references=ForeignKeyReference(PARENT, ("x", "y")),
    )
    primary_key = Constraint("child_pkey", ConstraintKind.PRIMARY_KEY, columns=("id",))
    table = Table(
        QualifiedName("public", "child"),
        tuple(Column(name, "bigint", not_null=True) for name in ("id", "a", "b", "c")),
        constraints=(primary_key, foreign_key, *keys),
        indexes=indexes,
    )
    return Catalog(tables=(table,))


def index(*keys: str, method: str = "btree", where: str | None = None) -> Index:
    return Index("child_idx", tuple(IndexElement(key) for key in keys), method=method, where=where)


def fk_advised(catalog: Catalog) -> bool:
    return any(a.rule == "fk-without-index" for a in lint(catalog))


@pytest.mark.parametrize(
    ("catalog", "advised"),
    [
        (child(), True),
        (child(index("a", "b")), False),
        (child(index("b", "a", "c")), False),
        (child(index("a")), True),
        (child(index("c", "a", "b")), True),
        (child(index("a", "b", method="gin")), True),
        (child(index("a", "b", where="(a IS NOT NULL) AND (b IS NOT NULL)")), False),
        (child(index("a", "b", where="c > 0")), True),
        (child(keys=(Constraint("child_key", ConstraintKind.UNIQUE, columns=("b", "a")),)), False),
    ],
)
def test_an_index_serves_a_foreign_key_when_it_leads_with_its_columns(
    catalog: Catalog, advised: bool
) -> None:
    assert fk_advised(catalog) is advised


# --- the command ----------------------------------------------------------------------------


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


@pytest.fixture
def schema_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "schema"
    directory.mkdir()
    (directory / "tables.yaml").write_text(EVERY_RULE)
    return directory


def test_cli_prints_one_line_per_advisory_and_exits_1(schema_dir: Path) -> None:
    result = invoke("--schema-dir", str(schema_dir))
    assert result.exit_code == 1, result.output
    path = str(schema_dir / "tables.yaml")
    lines = [line for line in result.output.splitlines() if line.startswith(path)]
    assert len(lines) == len(EXPECTED)
    line = line_with(EVERY_RULE, "balance:")
    assert f"{path}:{line}: money-type: column public.accounts.balance: money: " in result.output


def test_cli_ignore_and_json(schema_dir: Path) -> None:
    result = invoke("--schema-dir", str(schema_dir), "--format", "json", "--ignore", "char-n")
    assert result.exit_code == 1, result.output
    advisories = json.loads(result.output)["advisories"]
    assert {a["rule"] for a in advisories} == set(EXPECTED) - {"char-n"}
    money = next(a for a in advisories if a["rule"] == "money-type")
    assert money["object"] == "column public.accounts.balance"
    assert money["line"] == line_with(EVERY_RULE, "balance:") and money["why"]


def test_cli_exits_0_on_the_example() -> None:
    result = invoke("--schema-dir", str(REPO_ROOT / "schema"))
    assert result.exit_code == 0, result.output
    assert result.output == "No advisories.\n"


def test_cli_exits_2_on_errors(tmp_path: Path, schema_dir: Path) -> None:
    missing = invoke("--schema-dir", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert "error:" in missing.output
    (schema_dir / "tables.yaml").write_text("tables:\n  t:\n    columns: {id: no_such_type}\n")
    unknown_type = invoke("--schema-dir", str(schema_dir))
    assert unknown_type.exit_code == 2
    assert "unknown type" in unknown_type.output
    assert invoke("--schema-dir", str(schema_dir), "--ignore", "no-such-rule").exit_code == 2


def test_cli_takes_ignored_rules_from_pyproject(
    schema_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.schema]\nschema_dir = "schema"\nlint_ignore = ["char-n", "money-type"]\n'
    )
    monkeypatch.chdir(tmp_path)
    result = invoke("--format", "json")
    assert result.exit_code == 1, result.output
    rules = {advisory["rule"] for advisory in json.loads(result.output)["advisories"]}
    assert rules == set(EXPECTED) - {"char-n", "money-type"}
