"""Bad declarations: one clear line naming file, line and object; exit 2; nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planner import migrations, workflow
from planner.cli import main

TABLE = "tables:\n  t:\n    columns:\n      id: bigint\n"

BAD = {
    "owner that is not a role": (
        TABLE + "    owner: public\n",
        "t.yaml:2: table public.t:",
        "owner: 'public' is not a role name",
    ),
    "owner of a sequence owned by a column": (
        TABLE + "sequences:\n  s: {owner: app, owned_by: {table: t, column: id}}\n",
        "t.yaml:6: sequence public.s:",
        "a sequence owned by a column has its table's owner",
    ),
    "syntax error": ("tables: [\n", "t.yaml:2:", "YAML syntax error"),
    "duplicate key": (
        "tables:\n  t:\n    columns: {id: bigint}\n  t:\n    columns: {id: text}\n",
        "t.yaml:4:",
        "duplicate key 't' (first written on line 2)",
    ),
    "unknown key": (
        "tables:\n  t:\n    columns: {id: bigint}\n    primary_kye: [id]\n",
        "t.yaml:4: tables.t:",
        "unknown key 'primary_kye' (did you mean 'primary_key'?)",
    ),
    "wrong value type": (
        "tables:\n  t:\n    columns:\n      id: {type: bigint, nullable: 'no'}\n",
        "t.yaml:4:",
        "expected boolean",
    ),
    "unknown column type": (
        TABLE + "      n: numbr(3)\n",
        "t.yaml:5: table public.t column n:",
        "unknown type 'numbr'",
    ),
    "missing referenced table": (
        TABLE + "    foreign_keys:\n      - {columns: [id], references: {table: nowhere}}\n",
        "t.yaml:6: table public.t:",
        "references the table public.nowhere, which is not declared",
    ),
    "missing column": (
        TABLE + "    primary_key: [idd]\n",
        "t.yaml:5: table public.t:",
        "unknown column 'idd' (did you mean 'id'?)",
    ),
    "missing type of an enum default": (
        TABLE + "      mood: {type: feeling}\n",
        "t.yaml:5: table public.t column mood:",
        "unknown type 'feeling'",
    ),
    "duplicate object": (
        TABLE
        + "    indexes:\n      - {name: t_i, columns: [id]}\n      - {name: t_i, columns: [id]}\n",
        "t.yaml:7:",
        "declared twice",
    ),
    "name longer than 63 bytes": (
        TABLE + "      " + "x" * 64 + ": text\n",
        "t.yaml:5:",
        "64 bytes long; PostgreSQL truncates names to 63 bytes",
    ),
    "multibyte name longer than 63 bytes": (
        TABLE + "      " + "é" * 32 + ": text\n",
        "t.yaml:5:",
        "64 bytes long",
    ),
    "SQL smuggled into a default": (
        "tables:\n  t:\n    columns:\n"
        "      id: {type: bigint, default: '0); DROP TABLE users; --'}\n",
        "t.yaml:4: table public.t column id:",
        "closes a parenthesis the expression did not open",
    ),
    "SQL smuggled into a check": (
        TABLE + '    checks:\n      - "id > 0) OR (true"\n',
        "t.yaml:6: table public.t:",
        "closes a parenthesis",
    ),
    "statement end in a where": (
        TABLE + "    indexes:\n      - {name: i, columns: [id], where: 'id > 0; DELETE FROM t'}\n",
        "t.yaml:6: table public.t:",
        "';' would end the statement",
    ),
    "statement after a SQL-standard function body": (
        "functions:\n  - definition: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql"
        " BEGIN ATOMIC SELECT 1 AS begin; END; DROP TABLE t; END'\n",
        "t.yaml:2: function #1:",
        "';' would end the statement",
    ),
    "inherited_columns on a table that inherits nothing": (
        TABLE + "    inherited_columns: {id: {default: 1}}\n",
        "t.yaml:2: table public.t:",
        "inherited_columns needs partition_of or inherits",
    ),
    "statistics that are not a CREATE STATISTICS": (
        TABLE + "    statistics:\n      - {definition: 'CREATE INDEX s ON t (id)'}\n",
        "t.yaml:2: table public.t:",
        "a statistics definition starts with CREATE STATISTICS name",
    ),
    "comment in an expression": (
        TABLE + "    checks:\n      - 'id > 0 -- and the rest'\n",
        "t.yaml:6:",
        "comments are not allowed",
    ),
    "type that is not a type": (
        TABLE + "      n: 'text; DROP TABLE t'\n",
        "t.yaml:5: table public.t column n:",
        "is not a type name",
    ),
    "attached_to on a table that is no partition": (
        TABLE + "    indexes:\n      - {name: t_i, columns: [id], attached_to: p_i}\n",
        "t.yaml:2: table public.t:",
        "t_i: attached_to needs partition_of",
    ),
    "only on a table that is not partitioned": (
        TABLE + "    primary_key: {name: t_key, columns: [id], only: true}\n",
        "t.yaml:2: table public.t:",
        "t_key: only needs partition_by",
    ),
    "malformed rule definition": (
        TABLE + "    rules:\n      - definition: CREATE RULE r AS ON SELECT TO t DO INSTEAD"
        " NOTHING\n",
        "t.yaml:6: table public.t rule:",
        "a rule definition starts with CREATE [OR REPLACE] RULE name AS ON",
    ),
    "statement after a rule": (
        TABLE + "    rules:\n      - definition: 'CREATE RULE r AS ON DELETE TO t"
        " DO (NOTIFY a; NOTIFY b); DROP TABLE t'\n",
        "t.yaml:6: table public.t rule:",
        "';' would end the statement",
    ),
    "rule on another table": (
        TABLE + "    rules:\n      - {definition: CREATE RULE r AS ON DELETE TO u DO INSTEAD"
        " NOTHING}\n",
        "t.yaml:6: table public.t rule r:",
        "the rule is on public.u, not on public.t, which declares it",
    ),
    "disabled rule of a view": (
        "views:\n  v:\n    query: SELECT 1 AS a\n    rules:\n"
        "      - {definition: CREATE RULE r AS ON DELETE TO v DO INSTEAD NOTHING,"
        " enabled: disabled}\n",
        "t.yaml:5: view public.v rule r:",
        "a view's rule is always enabled",
    ),
    "rule declared twice": (
        TABLE + "    rules:\n"
        "      - {definition: CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING}\n"
        "      - {definition: CREATE RULE r AS ON UPDATE TO t DO INSTEAD NOTHING}\n",
        "t.yaml:7: table public.t rule r:",
        "declared twice (first at",
    ),
    "rule PostgreSQL refuses": (
        TABLE + "    rules:\n"
        "      - {definition: CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING}\n"
        "      - {definition: CREATE RULE s AS ON DELETE TO t DO ALSO DELETE FROM t"
        " WHERE nope = OLD.id}\n",
        "t.yaml:7: table public.t rule s:",
        'column "nope" does not exist',
    ),
    "malformed text search option": (
        "text_search_dictionaries:\n  d:\n    template: simple\n"
        "    options: {stop words: english}\n",
        "t.yaml:2: text search dictionary public.d:",
        "'stop words' is not a valid option name",
    ),
    "text search template name with SQL in it": (
        "text_search_dictionaries:\n  d:\n    template: simple); DROP TABLE t; --\n",
        "t.yaml:2: text search dictionary public.d:",
        "is not a template name",
    ),
    "text search mapping to a non-list": (
        "text_search_configurations:\n  c:\n    mappings:\n      word: simple\n",
        "t.yaml:4:",
        "expected array",
    ),
    "text search mapping to an unknown dictionary": (
        "text_search_configurations:\n  c:\n    mappings:\n      word: [nowhere]\n",
        "t.yaml:2: text search configuration public.c:",
        'text search dictionary "nowhere" does not exist',
    ),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(7)
        ),
        "t.yaml:",
        "expands to more than",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_declaration(case: str, tmp_path: Path) -> None:
    text, location, problem = BAD[case]
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "t.yaml").write_text(text)
    result = CliRunner().invoke(
        main,
        ["render", "-m", "x", "--schema-dir", str(tmp_path / "schema"),
         "--migrations-dir", str(tmp_path / "mig")],
        env={"DATABASE_URL": ""},
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith("error: "), result.output
    assert location in first and problem in first, first
    assert "Traceback" not in result.output
    assert not (tmp_path / "mig").exists()


def test_huge_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    filler = "# " + "x" * 1000 + "\n"
    (tmp_path / "schema" / "t.yaml").write_text(TABLE + filler * 51_000)
    result = CliRunner().invoke(
        main, ["plan", "--schema-dir", str(tmp_path / "schema")], env={"DATABASE_URL": ""}
    )
    assert result.exit_code == 2
    assert "declarations are limited to 10 MB" in result.output


ODD_NAMES = """
schema: Sales Dept
enums:
  "Mood":
    values: [happy, "very happy"]
tables:
  order:
    comment: a reserved word
    columns:
      user: {type: text}
      "Select": {type: integer}
      größe: {type: numeric}
      "users; DROP TABLE x": {type: text, comment: "a name, not a statement"}
      mood: {type: '"Sales Dept"."Mood"'}
    primary_key: [user]
    indexes:
      - {name: "Order Index", columns: ["Select", größe]}
"""


def test_reserved_mixed_case_and_non_ascii_names_work(
    tmp_path: Path, pg_server: Any, database: str
) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "odd.yaml").write_text(ODD_NAMES)
    options = workflow.Options(tmp_path / "schema", tmp_path / "mig", pg_server.url(database))
    rendered = workflow.render(options, "odd names", server=pg_server)
    assert rendered.path is not None
    migrations.upgrade(tmp_path / "mig", pg_server.url(database))
    assert workflow.compute_plan(options, server=pg_server).plan.is_empty
    text = rendered.path.read_text()
    assert 'CREATE TABLE "Sales Dept"."order"' in text
    assert '"users; DROP TABLE x" text' in text
