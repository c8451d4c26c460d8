"""Helpers for the safety tests: a database at a declared state, and a plan to another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner import migrations, workflow


def write_schema(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "schema.yaml").write_text(text)
    return directory


def options(
    pg_server: Any, database: str, schema_dir: Path, migrations_dir: Path, **extra: Any
) -> workflow.Options:
    return workflow.Options(
        schema_dir=schema_dir,
        migrations_dir=migrations_dir,
        database_url=pg_server.url(database),
        **extra,
    )


def bring_to(pg_server: Any, database: str, tmp_path: Path, text: str, name: str) -> Path:
    """Render and apply declarations to the database; returns the migrations directory."""
    migrations_dir = tmp_path / "migrations"
    schema_dir = write_schema(tmp_path / name, text)
    opts = options(pg_server, database, schema_dir, migrations_dir, allowed_hazards=("all",))
    workflow.render(opts, name, server=pg_server)
    migrations.upgrade(migrations_dir, pg_server.url(database))
    return migrations_dir
