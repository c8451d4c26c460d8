"""Expression forms: equivalent spellings compare equal; printed text reads back the same."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from planner.normalize import comparable_expression
from planner.reparse import stable

COMPARABLE = [
    ("CURRENT_TIMESTAMP", "now()"),
    ("transaction_timestamp()", "now()"),
    ("(created_at > CURRENT_TIMESTAMP)", "(created_at > now())"),
    ("'CURRENT_TIMESTAMP'::text", "'CURRENT_TIMESTAMP'::text"),
    ('"current_timestamp"', '"current_timestamp"'),
    ("clock_timestamp()", "clock_timestamp()"),
]

STABLE = [
    (
        "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        "((s)::text = ANY (((ARRAY['a'::character varying, 'b'::character varying])"
        "::character varying[])::text[]))",
    ),
    (  # the pretty form of index predicates and keys
        "s::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])",
        "s::text = ANY ((ARRAY['a'::character varying, 'b'::character varying]"
        "::character varying[])::text[])",
    ),
    ("(x = ANY (ARRAY[1, 2]))", "(x = ANY (ARRAY[1, 2]))"),
    ("EXTRACT(YEAR FROM now())", "EXTRACT('YEAR' FROM now())"),
    ("EXTRACT(year FROM now())", "EXTRACT(year FROM now())"),
    ("'EXTRACT(YEAR FROM now())'::text", "'EXTRACT(YEAR FROM now())'::text"),
    ("x = ANY (ARRAY['a'::text]::text[])", "x = ANY (ARRAY['a'::text]::text[])"),
    ("x = ANY (MYARRAY['a'::varchar]::text[])", "x = ANY (MYARRAY['a'::varchar]::text[])"),
    ("((ARRAY['a'::text, 'b'::text])::text[])", "((ARRAY['a'::text, 'b'::text])::text[])"),
    ("'(ARRAY[''x''::text])::varchar[]'::text", "'(ARRAY[''x''::text])::varchar[]'::text"),
]


@pytest.mark.parametrize(("written", "comparable"), COMPARABLE)
def test_comparable_forms(written: str, comparable: str) -> None:
    assert comparable_expression(written) == comparable


@pytest.mark.parametrize(("printed", "written"), STABLE)
def test_stable_forms(printed: str, written: str) -> None:
    assert stable(printed) == written


def test_comparable_form_is_computed_once_per_text() -> None:
    comparable_expression.cache_clear()
    for _ in range(100):
        comparable_expression("(a > CURRENT_TIMESTAMP)")
    info = comparable_expression.cache_info()
    assert (info.misses, info.hits) == (1, 99)


def test_stable_text_reads_back_as_printed(pg_server: Any, database: str) -> None:
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE original (s varchar(20) CHECK (s IN ('active', 'deleted')))"
        )
        printed = connection.execute(
            "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint "
            "WHERE conrelid = 'original'::regclass"
        ).fetchone()
        assert printed is not None
        connection.execute(f"CREATE TABLE copy (s varchar(20) CHECK ({stable(printed[0])}))")
        connection.execute(f"CREATE TABLE naive (s varchar(20) CHECK ({printed[0]}))")
        rows = connection.execute(
            "SELECT conrelid::regclass::text, pg_get_expr(conbin, conrelid) FROM pg_constraint "
            "WHERE contype = 'c' AND conrelid <> 0 ORDER BY 1"
        ).fetchall()
    read_back = dict(rows)
    assert read_back["copy"] == printed[0]
    # Without the rewrite PostgreSQL would read a different expression back.
    assert read_back["naive"] != printed[0]


def test_stable_index_predicate_reads_back_as_printed(pg_server: Any, database: str) -> None:
    predicate = (
        "SELECT pg_get_expr(indpred, indrelid, true) FROM pg_index WHERE indexrelid = %s::regclass"
    )
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as connection:
        connection.execute("CREATE TABLE t (s varchar(20))")
        connection.execute("CREATE INDEX original ON t (s) WHERE s IN ('active', 'deleted')")
        printed = connection.execute(predicate, ["original"]).fetchone()
        assert printed is not None
        connection.execute(f"CREATE INDEX copy ON t (s) WHERE {stable(printed[0])}")
        connection.execute(f"CREATE INDEX naive ON t (s) WHERE {printed[0]}")
        copy = connection.execute(predicate, ["copy"]).fetchone()
        naive = connection.execute(predicate, ["naive"]).fetchone()
    assert copy == printed
    assert naive != printed
