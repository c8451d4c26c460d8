"""The CLI contract: commands, exit codes, messages; against real PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner import migrations
from planner.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]

USERS = """
tables:
  users:
    columns:
      id: {type: bigint, identity: always}
      email: {type: text, nullable: false}
    primary_key: [id]
"""


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    environment = {"DATABASE_URL": ""} | (env or {})
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "users.yaml").write_text(USERS)
    return tmp_path


def dirs(project: Path) -> list[str]:
    return ["--schema-dir", str(project / "schema"), "--migrations-dir", str(project / "mig")]


def test_example_has_no_changes_on_the_embedded_default() -> None:
    result = invoke(
        "plan",
        "--schema-dir",
        str(REPO_ROOT / "schema"),
        "--migrations-dir",
        str(REPO_ROOT / "generated_migrations"),
        "--exit-code",
    )
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output


def test_render_then_check_against_a_live_database(
    project: Path, pg_server: Any, database: str
) -> None:
    url = pg_server.url(database)
    planned = invoke("plan", *dirs(project), "--database-url", url, "--exit-code")
    assert planned.exit_code == 1
    assert "CREATE TABLE public.users" in planned.output

    rendered = invoke("render", "-m", "create users", *dirs(project), "--database-url", url)
    assert rendered.exit_code == 0, rendered.output
    revision = Path(rendered.output.strip())
    assert revision.exists() and revision.parent == project / "mig" / "versions"
    assert (project / "mig" / "env.py").exists() and (project / "mig" / "alembic.ini").exists()

    drift = invoke("check", *dirs(project), "--database-url", url)
    assert drift.exit_code == 1 and "users" in drift.output

    migrations.upgrade(project / "mig", url)
    assert invoke("check", *dirs(project), "--database-url", url).exit_code == 0

    # A changed declaration renders a second revision chained on the first.
    (project / "schema" / "users.yaml").write_text(
        USERS + "      name: text\n".replace("      ", "      ", 1)
    )
    (project / "schema" / "users.yaml").write_text(
        USERS.replace(
            "    primary_key", "      name: {type: text, default: \"'anon'\"}\n    primary_key"
        )
    )
    second = invoke("render", "-m", "add name", *dirs(project), "--database-url", url)
    assert second.exit_code == 0, second.output
    assert (
        "down_revision = " + repr(revision.name.split("_")[0])
        in Path(second.output.strip()).read_text()
    )
    migrations.upgrade(project / "mig", url)
    assert invoke("check", *dirs(project), "--database-url", url).exit_code == 0
    nothing = invoke("render", "-m", "again", *dirs(project), "--database-url", url)
    assert nothing.exit_code == 0 and "No changes" in nothing.output
    assert len(list((project / "mig" / "versions").glob("*.py"))) == 2


def test_check_replays_the_migration_history(project: Path) -> None:
    assert invoke("check", *dirs(project)).exit_code == 1
    rendered = invoke("render", "-m", "users", *dirs(project))
    assert rendered.exit_code == 0, rendered.output
    checked = invoke("check", *dirs(project))
    assert checked.exit_code == 0, checked.output
    assert "In sync" in checked.output


def test_json_format(project: Path) -> None:
    import json

    result = invoke("plan", *dirs(project), "--format", "json")
    document = json.loads(result.output)
    assert document["changes"][0]["operation"] == "CreateTable"
    assert document["changes"][0]["statements"][0]["sql"].startswith("CREATE TABLE public.users")


BAD_DECLARATIONS = {
    "syntax": ("tables:\n  users:\n    columns: {id: bigint\n", "users.yaml:", "YAML syntax error"),
    "unknown key": (
        "tables:\n  users:\n    colums:\n      id: bigint\n",
        "users.yaml:3",
        "unknown key 'colums' (did you mean 'columns'?)",
    ),
    "unknown type": (
        "tables:\n  users:\n    columns:\n      id: bigint\n      age: intger\n",
        "users.yaml:5: table public.users column age:",
        "unknown type 'intger'",
    ),
    "missing table": (
        "tables:\n  users:\n    columns:\n      id: bigint\n      team_id: bigint\n"
        "    foreign_keys:\n      - {columns: [team_id], references: {table: teams}}\n",
        "users.yaml:7: table public.users:",
        "foreign key references the table public.teams, which is not declared",
    ),
    "smuggled SQL": (
        "tables:\n  users:\n    columns:\n"
        "      id: {type: bigint, default: '0); DROP TABLE users; --'}\n",
        "users.yaml:4",
        "default",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DECLARATIONS))
def test_bad_declarations_give_one_line_and_write_nothing(project: Path, case: str) -> None:
    text, location, problem = BAD_DECLARATIONS[case]
    (project / "schema" / "users.yaml").write_text(text)
    result = invoke("render", "-m", "x", *dirs(project))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len([line for line in lines if line.startswith("error:")]) == 1, result.output
    assert location in lines[0] and problem in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not (project / "mig").exists()


def test_password_never_printed(project: Path) -> None:
    result = invoke(
        "plan", *dirs(project), "--database-url", "postgresql+asyncpg://app:s3cretpw@127.0.0.1:1/db"
    )
    assert result.exit_code == 2
    assert "s3cretpw" not in result.output
    assert "cannot connect" in result.output


def test_help_for_every_command() -> None:
    for command in ("plan", "render", "check", "dump"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_dump_writes_loadable_declarations(
    project: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    shutil.rmtree(project / "schema")
    connection.execute(
        "CREATE TYPE color AS ENUM ('red', 'green');"
        "CREATE TABLE paints (id serial PRIMARY KEY, color color NOT NULL, name text UNIQUE);"
        "COMMENT ON TABLE paints IS 'cans';"
    )
    url = pg_server.url(database)
    dumped = invoke("dump", "--database-url", url, "--out", str(project / "schema"))
    assert dumped.exit_code == 0, dumped.output
    first = {p.name: p.read_text() for p in (project / "schema").rglob("*.yaml")}
    assert "paints.yaml" in first
    again = invoke("dump", "--database-url", url, "--out", str(project / "again"))
    assert again.exit_code == 0
    assert {p.name: p.read_text() for p in (project / "again").rglob("*.yaml")} == first
    assert invoke("check", *dirs(project), "--database-url", url).exit_code == 0
