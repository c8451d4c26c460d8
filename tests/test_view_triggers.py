"""Triggers on views (INSTEAD OF): read, dumped and checked like a table's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import yaml

from tests.test_cli import dirs, invoke

VIEW_WITH_TRIGGER_SQL = """
CREATE TABLE people (id bigint, name text);
CREATE VIEW named_people AS SELECT id, name FROM people WHERE name IS NOT NULL;
CREATE FUNCTION insert_person() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN INSERT INTO people VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE TRIGGER named_people_insert INSTEAD OF INSERT ON named_people
  FOR EACH ROW EXECUTE FUNCTION insert_person();
COMMENT ON TRIGGER named_people_insert ON named_people IS 'writes through';
"""


def test_view_trigger_is_dumped_and_checked(
    tmp_path: Path, pg_server: Any, connection: psycopg.Connection[Any], database: str
) -> None:
    connection.execute(VIEW_WITH_TRIGGER_SQL)
    url = pg_server.url(database)
    dumped = invoke("dump", "--database-url", url, "--out", str(tmp_path / "schema"))
    assert dumped.exit_code == 0, dumped.output
    views = yaml.safe_load((tmp_path / "schema" / "public" / "_views.yaml").read_text())
    assert views["views"]["named_people"]["triggers"] == [
        {
            "definition": "CREATE TRIGGER named_people_insert INSTEAD OF INSERT ON "
            "public.named_people FOR EACH ROW EXECUTE FUNCTION public.insert_person()",
            "comment": "writes through",
        }
    ]
    assert invoke("check", *dirs(tmp_path), "--database-url", url).exit_code == 0

    connection.execute("DROP TRIGGER named_people_insert ON named_people")
    drifted = invoke("check", *dirs(tmp_path), "--database-url", url)
    assert drifted.exit_code == 1
    assert "named_people_insert" in drifted.output
