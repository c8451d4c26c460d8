"""Declarations written in other spellings than the database's DDL plan nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from planner import workflow

HAND_WRITTEN_DDL = """
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE SEQUENCE ticket_numbers START 100;
CREATE TABLE things (
    id serial PRIMARY KEY,
    counter int4 NOT NULL DEFAULT 0,
    code character varying(20),
    seen_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
    stamped timestamp DEFAULT transaction_timestamp(),
    active bool DEFAULT 'true',
    ratio float8,
    price decimal(10, 2) CHECK (price > 0),
    scores int[],
    feeling mood DEFAULT 'calm',
    email text UNIQUE,
    sequence_number bigint GENERATED ALWAYS AS IDENTITY,
    document jsonb DEFAULT '{}',
    ticket int8 DEFAULT nextval('ticket_numbers'),
    label varchar
);
CREATE INDEX ON things (lower(code)) WHERE counter > 0;
CREATE INDEX things_multi ON things USING btree (counter DESC NULLS FIRST, code);
"""

SAME_IN_OTHER_WORDS = """
enums:
  mood: [calm, busy]
sequences:
  ticket_numbers: {start: 100}
tables:
  things:
    columns:
      id: serial
      counter: {type: integer, nullable: false, default: 0}
      code: varchar(20)
      seen_at: {type: timestamptz, default: now()}
      stamped: {type: timestamp without time zone, default: CURRENT_TIMESTAMP}
      active: {type: boolean, default: true}
      ratio: double precision
      price: numeric(10,2)
      scores: integer[]
      feeling: {type: mood, default: "'calm'::mood"}
      email: text
      sequence_number: {type: int8, identity: always}
      document: {type: jsonb, default: "'{}'::jsonb"}
      ticket: {type: bigint, default: "nextval('ticket_numbers'::regclass)"}
      label: character varying
    primary_key: [id]
    unique:
      - columns: [email]
    checks:
      - (price > (0)::numeric)
    indexes:
      - columns: [{expression: lower(code::text)}]
        where: (counter > 0)
      - name: things_multi
        columns: [{column: counter, order: desc}, code]
"""


def test_other_spellings_plan_nothing(
    pg_server: Any, database: str, connection: psycopg.Connection[Any], tmp_path: Path
) -> None:
    connection.execute(HAND_WRITTEN_DDL)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    (schema_dir / "things.yaml").write_text(SAME_IN_OTHER_WORDS)
    options = workflow.Options(
        schema_dir=schema_dir,
        migrations_dir=tmp_path / "migrations",
        database_url=pg_server.url(database),
    )
    result = workflow.compute_plan(options, server=pg_server)
    assert [step.statements for step in result.plan.steps] == []


def test_a_real_difference_is_still_seen(
    pg_server: Any, database: str, connection: psycopg.Connection[Any], tmp_path: Path
) -> None:
    connection.execute(HAND_WRITTEN_DDL)
    schema_dir = tmp_path / "schema"
    schema_dir.mkdir()
    changed = SAME_IN_OTHER_WORDS.replace("default: now()", "default: clock_timestamp()")
    (schema_dir / "things.yaml").write_text(changed)
    options = workflow.Options(schema_dir, tmp_path / "migrations", pg_server.url(database))
    result = workflow.compute_plan(options, server=pg_server)
    sql = [statement.sql for statement in result.plan.statements]
    assert sql == ["ALTER TABLE public.things ALTER COLUMN seen_at SET DEFAULT clock_timestamp()"]
