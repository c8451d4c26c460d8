"""[tool.schema] in pyproject.toml sets defaults; flags override; bad settings are errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner.cli import main

USERS = "tables:\n  users:\n    columns: {id: bigint}\n    primary_key: [id]\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "decl").mkdir()
    (tmp_path / "decl" / "users.yaml").write_text(USERS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_settings_supply_directories_url_variable_and_scope(
    project: Path, pg_server: Any, database: str
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.schema]\n"
        'schema_dir = "decl"\n'
        'migrations_dir = "db/migrations"\n'
        'database_url_env = "APP_DATABASE_URL"\n'
        'exclude_tables = ["legacy_*"]\n'
        'lock_timeout = "2s"\n'
    )
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("CREATE TABLE legacy_orders (id int)")
    env = {"APP_DATABASE_URL": pg_server.url(database), "DATABASE_URL": ""}
    result = CliRunner().invoke(main, ["plan", "--format", "sql"], env=env)
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE public.users" in result.output
    assert "legacy_orders" not in result.output  # out of scope: never dropped
    assert "SET lock_timeout = '2s'" in result.output
    # A flag overrides the setting.
    flagged = CliRunner().invoke(main, ["plan", "--format", "sql", "--lock-timeout", "9s"], env=env)
    assert "SET lock_timeout = '9s'" in flagged.output
    rendered = CliRunner().invoke(main, ["render", "-m", "users"], env=env)
    assert rendered.exit_code == 0, rendered.output
    assert (project / rendered.output.strip()).is_relative_to(project / "db" / "migrations")


def test_unknown_setting_is_an_error(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.schema]\nschema_dri = "decl"\n')
    result = CliRunner().invoke(main, ["plan"], env={"DATABASE_URL": ""})
    assert result.exit_code == 2
    assert "unknown key 'schema_dri'" in result.output
    assert os.path.exists(project / "pyproject.toml")


def test_column_order_setting_rebuilds_and_a_bad_value_is_refused(
    project: Path, pg_server: Any, database: str
) -> None:
    (project / "decl" / "users.yaml").write_text(
        "tables:\n  users:\n    columns: {id: bigint, name: text, email: text}\n"
    )
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("CREATE TABLE users (id bigint, email text)")
    env = {"DATABASE_URL": pg_server.url(database)}
    (project / "pyproject.toml").write_text('[tool.schema]\nschema_dir = "decl"\n')
    appended = CliRunner().invoke(main, ["plan"], env=env)
    assert "it goes last" in appended.output, appended.output

    (project / "pyproject.toml").write_text(
        '[tool.schema]\nschema_dir = "decl"\ncolumn_order = "rebuild"\n'
    )
    rebuilt = CliRunner().invoke(main, ["plan"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "save rows of table public.users" in rebuilt.output
    flagged = CliRunner().invoke(main, ["plan", "--column-order", "append"], env=env)
    assert "it goes last" in flagged.output

    (project / "pyproject.toml").write_text(
        '[tool.schema]\nschema_dir = "decl"\ncolumn_order = "sorted"\n'
    )
    refused = CliRunner().invoke(main, ["plan"], env=env)
    assert refused.exit_code == 2
    assert (
        "pyproject.toml: [tool.schema] column_order must be one of append, rebuild, not 'sorted'"
        in (refused.output)
    )
