"""Safety: the destructive guard, renames that keep rows, verified plans, drift refusal,
an outside linter's view of online plans, and a writer that keeps writing during a migration."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from planner import migrations, workflow
from planner.cli import main
from planner.guard import HazardRefused
from planner.render.report import render_sql
from planner.render.timeouts import Timeouts
from planner.verify import VerificationFailed
from tests.casekit import CASES_DIR
from tests.safety_kit import bring_to, options, write_schema

TWO_TABLES = """
tables:
  keep:
    columns: {id: bigint, note: text}
    primary_key: [id]
  gone:
    columns: {id: bigint}
    primary_key: [id]
"""
ONE_TABLE = """
tables:
  keep:
    columns: {id: bigint, note: text}
    primary_key: [id]
"""


def test_data_loss_is_refused_unless_allowed(pg_server: Any, database: str, tmp_path: Path) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, TWO_TABLES, "before")
    schema_dir = write_schema(tmp_path / "after", ONE_TABLE)
    before = sorted(p.name for p in (migrations_dir / "versions").glob("*.py"))

    with pytest.raises(HazardRefused) as refused:
        workflow.render(
            options(pg_server, database, schema_dir, migrations_dir), "drop", server=pg_server
        )
    assert "deletes-data" in str(refused.value) and "drop table public.gone" in str(refused.value)
    assert sorted(p.name for p in (migrations_dir / "versions").glob("*.py")) == before

    url = pg_server.url(database)
    cli = [
        "render", "-m", "drop", "--database-url", url,
        "--schema-dir", str(schema_dir), "--migrations-dir", str(migrations_dir),
    ]  # fmt: skip
    refused_cli = CliRunner().invoke(main, cli)
    assert refused_cli.exit_code == 2 and "deletes-data" in refused_cli.output
    allowed = CliRunner().invoke(main, [*cli, "--allow-hazard", "deletes-data"])
    assert allowed.exit_code == 0, allowed.output
    assert Path(allowed.output.strip()).exists()


def test_data_loss_acknowledged_in_declarations(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, TWO_TABLES, "before")
    acknowledged = ONE_TABLE + (
        "acknowledge:\n  - {hazard: deletes-data, object: table public.gone}\n"
    )
    schema_dir = write_schema(tmp_path / "after", acknowledged)
    result = workflow.render(
        options(pg_server, database, schema_dir, migrations_dir), "drop", server=pg_server
    )
    assert result.path is not None


RENAMED = """
tables:
  notes:
    renamed_from: keep
    columns:
      id: bigint
      body: {type: text, renamed_from: note}
    primary_key: [id]
  gone:
    columns: {id: bigint}
    primary_key: [id]
"""


def test_rename_keeps_rows(pg_server: Any, database: str, tmp_path: Path) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, TWO_TABLES, "before")
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("INSERT INTO keep VALUES (1, 'first'), (2, 'second')")
    schema_dir = write_schema(tmp_path / "after", RENAMED)
    opts = options(pg_server, database, schema_dir, migrations_dir)
    result = workflow.render(opts, "rename", server=pg_server)
    assert result.path is not None
    text = result.path.read_text()
    assert "RENAME TO notes" in text and "RENAME COLUMN note TO body" in text
    assert "DROP TABLE" not in text
    migrations.upgrade(migrations_dir, pg_server.url(database))
    with psycopg.connect(pg_server.conninfo(database)) as connection:
        rows = connection.execute("SELECT id, body FROM notes ORDER BY id").fetchall()
    assert rows == [(1, "first"), (2, "second")]
    # Applied, the hint is harmless: nothing more to do.
    assert workflow.compute_plan(opts, server=pg_server).plan.is_empty


def test_enum_value_downgrade_without_online_forms(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    """The downgrade recreates the enum and the materialized view using it: an index of the
    view the plan dropped comes back once, by the reverse of its drop (no IF NOT EXISTS here
    to hide a second CREATE INDEX)."""
    case = CASES_DIR / "enum_value_added_under_policy_and_trigger"
    before = (case / "before" / "s.yaml").read_text()
    migrations_dir = bring_to(pg_server, database, tmp_path, before, "before")
    opts = options(
        pg_server, database, case / "after", migrations_dir, allowed_hazards=("all",), online=False
    )
    # render proves the upgrade and the downgrade on a scratch copy first.
    revision = workflow.render(opts, "add value", server=pg_server).path
    assert revision is not None
    assert "around it: materialized view public.counts, policy" in revision.read_text()
    migrations.upgrade(migrations_dir, pg_server.url(database))
    migrations.downgrade(migrations_dir, pg_server.url(database), "-1")
    back = options(pg_server, database, tmp_path / "before", migrations_dir, online=False)
    assert workflow.compute_plan(back, server=pg_server).plan.is_empty


def test_render_refuses_a_plan_that_does_not_converge(
    pg_server: Any, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, ONE_TABLE, "before")
    three_tables = TWO_TABLES + "  also:\n    columns: {id: bigint}\n"
    schema_dir = write_schema(tmp_path / "after", three_tables)
    real_plan_for = workflow.plan_for

    def plan_missing_its_last_step(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan_for(*args, **kwargs)
        return type(plan)(plan.steps[:-1], plan.online)

    monkeypatch.setattr(workflow, "plan_for", plan_missing_its_last_step)
    before = sorted((migrations_dir / "versions").iterdir())
    with pytest.raises(VerificationFailed) as failed:
        workflow.render(
            options(pg_server, database, schema_dir, migrations_dir), "x", server=pg_server
        )
    assert "still differs from the declarations" in str(failed.value)
    assert sorted((migrations_dir / "versions").iterdir()) == before


def test_revision_refuses_a_drifted_database(pg_server: Any, database: str, tmp_path: Path) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, ONE_TABLE, "before")
    schema_dir = write_schema(tmp_path / "after", TWO_TABLES)
    result = workflow.render(
        options(pg_server, database, schema_dir, migrations_dir), "add gone", server=pg_server
    )
    assert result.path is not None
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("ALTER TABLE keep ADD COLUMN sneaked_in integer")
    with pytest.raises(migrations.MigrationsError) as refused:
        migrations.upgrade(migrations_dir, pg_server.url(database))
    assert "drifted since review" in str(refused.value)
    # The check can be turned off for this revision.
    text = result.path.read_text().replace(
        "CHECK_STARTING_SCHEMA = True", "CHECK_STARTING_SCHEMA = False"
    )
    result.path.write_text(text)
    migrations.upgrade(migrations_dir, pg_server.url(database))


ONLINE_AFTER = """
tables:
  parents:
    columns: {id: bigint}
    primary_key: [id]
  children:
    columns:
      id: bigint
      parent_id: bigint
      amount: {type: integer, nullable: false}
      code: text
    primary_key: [id]
    unique:
      - {columns: [code]}
    foreign_keys:
      - {columns: [parent_id], references: {table: parents, columns: [id]}}
    checks:
      - {name: children_amount_positive, expression: amount > 0}
    indexes:
      - {name: children_parent_idx, columns: [parent_id]}
"""
ONLINE_BEFORE = """
tables:
  parents:
    columns: {id: bigint}
    primary_key: [id]
  children:
    columns:
      id: bigint
      parent_id: bigint
      amount: integer
      code: text
    primary_key: [id]
"""

# squawk's lock-safety rules; "no safe form" exceptions are what our hazards say.
LOCK_RULES = {
    "require-concurrent-index-creation",
    "constraint-missing-not-valid",
    "adding-foreign-key-constraint",
    "adding-not-nullable-field",
    "disallowed-unique-constraint",
    "require-lock-timeout",
    "require-statement-timeout",
}


def test_squawk_finds_no_lock_hazard_in_an_online_plan(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    bring_to(pg_server, database, tmp_path, ONLINE_BEFORE, "before")
    schema_dir = write_schema(tmp_path / "after", ONLINE_AFTER)
    opts = options(pg_server, database, schema_dir, tmp_path / "migrations")
    plan = workflow.compute_plan(opts, server=pg_server).plan
    sql_file = tmp_path / "plan.sql"
    sql_file.write_text(render_sql(plan, Timeouts()))
    squawk = Path(sys.executable).with_name("squawk")
    found = subprocess.run(
        [str(squawk), "--reporter", "json", str(sql_file)], capture_output=True, text=True
    )
    reported = {entry["rule_name"] for entry in json.loads(found.stdout or "[]")}
    assert not reported & LOCK_RULES, reported & LOCK_RULES
    # The same plan without online forms is what squawk warns about.
    offline = workflow.compute_plan(
        options(pg_server, database, schema_dir, tmp_path / "migrations", online=False),
        server=pg_server,
    ).plan
    sql_file.write_text(render_sql(offline))
    found = subprocess.run(
        [str(squawk), "--reporter", "json", str(sql_file)], capture_output=True, text=True
    )
    reported = {entry["rule_name"] for entry in json.loads(found.stdout or "[]")}
    assert {"require-concurrent-index-creation", "constraint-missing-not-valid"} <= reported


@pytest.mark.slow
def test_writer_keeps_writing_during_the_migration(
    pg_server: Any, database: str, tmp_path: Path
) -> None:
    migrations_dir = bring_to(pg_server, database, tmp_path, ONLINE_BEFORE, "before")
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("INSERT INTO parents SELECT g FROM generate_series(1, 1000) g")
        connection.execute(
            "INSERT INTO children SELECT g, 1 + g % 1000, 1 + g % 7, 'c' || g "
            "FROM generate_series(1, 300000) g"
        )
    schema_dir = write_schema(tmp_path / "after", ONLINE_AFTER)
    workflow.render(
        options(pg_server, database, schema_dir, migrations_dir), "online", server=pg_server
    )

    latencies: list[float] = []
    stop = threading.Event()

    def writer() -> None:
        with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
            next_id = 10_000_000
            while not stop.is_set():
                started = time.monotonic()
                connection.execute(
                    "INSERT INTO children VALUES (%s, 1, 5, %s)", [next_id, f"w{next_id}"]
                )
                latencies.append(time.monotonic() - started)
                next_id += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        started = time.monotonic()
        migrations.upgrade(migrations_dir, pg_server.url(database))
        migration_seconds = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
    assert len(latencies) > 50, "the writer barely ran"
    assert max(latencies) < 1.0, (max(latencies), migration_seconds)
