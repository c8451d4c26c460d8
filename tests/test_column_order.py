"""A column declared between existing ones: the plan says it goes last, and the order that
results is no drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from tests.test_cli import dirs, invoke

BETWEEN = """
tables:
  t:
    columns:
      a: integer
      c: text
      b: integer
"""


def test_column_declared_between_is_added_last_and_said_so(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute("CREATE TABLE t (a integer, b integer)")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "t.yaml").write_text(BETWEEN)
    url = pg_server.url(database)

    planned = invoke("plan", *dirs(tmp_path), "--database-url", url)
    assert planned.exit_code == 0, planned.output
    assert (
        "add column public.t.c (it goes last: PostgreSQL cannot put it before b as declared "
        "without rebuilding the table)" in planned.output
    )

    connection.execute("ALTER TABLE t ADD COLUMN c text")
    checked = invoke("check", *dirs(tmp_path), "--database-url", url)
    assert checked.exit_code == 0, checked.output
