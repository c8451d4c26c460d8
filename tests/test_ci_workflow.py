"""The planner in CI: drift checks, the checksum file, and existing Alembic projects."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import psycopg
from click.testing import CliRunner

from planner import migrations
from planner.cli import main

USERS = """
tables:
  users:
    columns:
      id: {type: bigint, identity: always}
      email: {type: text, nullable: false}
    primary_key: [id]
"""


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": ""}, catch_exceptions=False)


def test_check_in_a_ci_pipeline(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "users.yaml").write_text(USERS)
    dirs = ["--schema-dir", str(tmp_path / "schema"), "--migrations-dir", str(tmp_path / "mig")]
    assert invoke("render", "-m", "users", *dirs).exit_code == 0
    assert invoke("check", *dirs).exit_code == 0

    # A declaration changed without rendering: drift, naming the change.
    (tmp_path / "schema" / "users.yaml").write_text(
        USERS.replace("    primary_key", "      bio: text\n    primary_key")
    )
    drift = invoke("check", *dirs)
    assert drift.exit_code == 1 and "add column public.users.bio" in drift.output

    rendered = invoke("render", "-m", "bio", *dirs)
    assert rendered.exit_code == 0, rendered.output
    assert invoke("check", *dirs).exit_code == 0

    # A rendered revision edited by hand: named, until rehashed.
    revision = Path(rendered.output.strip())
    revision.write_text(revision.read_text() + "\n# tweaked by hand\n")
    edited = invoke("check", *dirs, "--format", "json")
    assert edited.exit_code == 1
    report = json.loads(edited.output)
    assert report["migrations"] == [{"problem": "revision edited", "detail": revision.name}]
    assert invoke("rehash", "--migrations-dir", str(tmp_path / "mig")).exit_code == 0
    assert invoke("check", *dirs).exit_code == 0


def test_check_live_database_and_history_in_one_run(
    tmp_path: Path, pg_server: Any, database: str
) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "users.yaml").write_text(USERS)
    dirs = ["--schema-dir", str(tmp_path / "schema"), "--migrations-dir", str(tmp_path / "mig")]
    assert invoke("render", "-m", "users", *dirs).exit_code == 0
    url = pg_server.url(database)
    both = invoke("check", *dirs, "--database-url", url, "--history", "--format", "json")
    report = json.loads(both.output)
    assert both.exit_code == 1
    assert [t["in_sync"] for t in report["targets"]] == [False, True]
    migrations.upgrade(tmp_path / "mig", url)
    assert invoke("check", *dirs, "--database-url", url, "--history").exit_code == 0


HAND_WRITTEN = {
    "1975ea83b712_create_account_table.py": (
        "1975ea83b712",
        None,
        "CREATE TABLE account (id integer PRIMARY KEY, name text)",
    ),
    "ae1027a6acf_add_a_column.py": (
        "ae1027a6acf",
        "1975ea83b712",
        "ALTER TABLE account ADD COLUMN last_login timestamptz",
    ),
}


def write_existing_project(root: Path) -> Path:
    """A hand-made Alembic project: alembic.ini beside the script directory, custom names."""
    (root / "alembic" / "versions").mkdir(parents=True)
    (root / "alembic.ini").write_text(
        textwrap.dedent("""\
        [alembic]
        script_location = alembic
        file_template = %%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s
        path_separator = os
        """)
    )
    (root / "alembic" / "env.py").write_text(
        textwrap.dedent("""\
        import os
        from alembic import context
        from sqlalchemy import create_engine

        url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        with create_engine(url).connect() as connection:
            context.configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
        """)
    )
    (root / "alembic" / "script.py.mako").write_text("# unused by the tests\n")
    for name, (revision, down, sql) in HAND_WRITTEN.items():
        (root / "alembic" / "versions" / name).write_text(
            textwrap.dedent(f"""\
            from alembic import op

            revision = {revision!r}
            down_revision = {down!r}
            branch_labels = None
            depends_on = None


            def upgrade():
                op.execute({sql!r})


            def downgrade():
                pass
            """)
        )
    return root / "alembic"


ACCOUNT = """
tables:
  account:
    columns:
      id: {type: integer, nullable: false}
      name: text
      last_login: timestamptz
      plan: {type: text, nullable: false, default: "'free'"}
    primary_key: {name: account_pkey, columns: [id]}
"""


def test_render_into_an_existing_alembic_project(
    tmp_path: Path, pg_server: Any, database: str
) -> None:
    script_dir = write_existing_project(tmp_path / "backend")
    env_before = (script_dir / "env.py").read_text()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "account.yaml").write_text(ACCOUNT)
    url = pg_server.url(database)
    migrations.upgrade(script_dir, url)
    result = invoke(
        "render", "-m", "add plan", "--schema-dir", str(tmp_path / "schema"),
        "--migrations-dir", str(script_dir), "--database-url", url,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    revision = Path(result.output.strip())
    assert revision.parent == script_dir / "versions"
    assert revision.name[:8].isdigit() and revision.name.endswith("_add_plan.py")
    assert "down_revision = 'ae1027a6acf'" in revision.read_text()
    assert (script_dir / "env.py").read_text() == env_before
    assert not (script_dir / "alembic.ini").exists()
    migrations.upgrade(script_dir, url)
    with psycopg.connect(pg_server.conninfo(database)) as connection:
        columns = connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'account' "
            "ORDER BY ordinal_position"
        ).fetchall()
    assert [c[0] for c in columns] == ["id", "name", "last_login", "plan"]


def test_several_heads_are_refused(tmp_path: Path, pg_server: Any, database: str) -> None:
    script_dir = write_existing_project(tmp_path / "backend")
    (script_dir / "versions" / "b2_branch.py").write_text(
        "revision = 'b2'\ndown_revision = '1975ea83b712'\nbranch_labels = None\n"
        "depends_on = None\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n"
    )
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "account.yaml").write_text(ACCOUNT)
    result = invoke(
        "render", "-m", "x", "--schema-dir", str(tmp_path / "schema"),
        "--migrations-dir", str(script_dir), "--database-url", pg_server.url(database),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "2 heads" in result.output and "alembic merge heads" in result.output
    assert sorted(p.name for p in (script_dir / "versions").iterdir())[-1] == "b2_branch.py"
