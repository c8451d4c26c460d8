"""Building the benchmark databases on the embedded server: DDL sent in big batches.

Each batch is one multi-statement query in its own transaction. One transaction for the
whole schema grows worse than linearly in PostgreSQL (3,000 tables: 43 s against 20 s in
batches of ~100 tables on the 2-core machine), so batches commit as they go.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import psycopg
from psycopg import sql

from planner.server import EmbeddedServer

STATEMENTS_PER_BATCH = 500


def batches(statements: Sequence[str], size: int = STATEMENTS_PER_BATCH) -> Iterator[str]:
    for start in range(0, len(statements), size):
        yield ";\n".join(statements[start : start + size]) + ";"


def load(server: EmbeddedServer, dbname: str, statements: Sequence[str]) -> None:
    """Send the statements as multi-statement batches (simple query protocol: no parameters)."""
    with psycopg.connect(server.conninfo(dbname), autocommit=True) as connection:
        for batch in batches(statements):
            with connection.transaction():
                connection.execute(batch.encode())


def create_database(server: EmbeddedServer, name: str, template: str | None = None) -> None:
    """A fresh database, or a file-level copy of `template` (which must have no sessions)."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        connection.execute(statement)


def analyze(server: EmbeddedServer, dbname: str) -> None:
    """Fresh catalog statistics, as autovacuum leaves them on a database in service.

    Catalog queries are planned from these statistics; measured right after loading, the
    plans would depend on whether autovacuum had come round yet.
    """
    with psycopg.connect(server.conninfo(dbname), autocommit=True) as connection:
        connection.execute(b"VACUUM ANALYZE")


def disable_jit(server: EmbeddedServer, dbname: str) -> None:
    """jit = off for every later session on the database, whichever tool opens it."""
    statement = sql.SQL("ALTER DATABASE {} SET jit = off").format(sql.Identifier(dbname))
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        connection.execute(statement)


def table_count(server: EmbeddedServer, dbname: str) -> int:
    query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    with psycopg.connect(server.conninfo(dbname)) as connection:
        row = connection.execute(query.encode()).fetchone()
    return int(row[0]) if row else 0
