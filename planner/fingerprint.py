"""A fingerprint of a database's schema, so a revision can refuse to run on a drifted one."""

from __future__ import annotations

from typing import Any

import psycopg

from planner.introspect import query_text


def schema_fingerprint(connection: psycopg.Connection[Any]) -> str:
    """md5 of the schema's structure as PostgreSQL prints it with an empty search_path."""
    with connection.transaction():
        connection.execute("SET LOCAL search_path = ''")
        connection.execute("SET LOCAL jit = off")
        row = connection.execute(fingerprint_query().encode()).fetchone()
    assert row is not None
    return str(row[0])


def fingerprint_query() -> str:
    return query_text("fingerprint")
