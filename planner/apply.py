"""Running planned statements on a connection (scratch databases and tests, never production:
production is changed only by Alembic running a reviewed revision)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from planner.errors import PlannerError
from planner.plan import Plan, Step
from planner.quoting import quote_qualified
from planner.render.statements import Statement

# Statements sent in one round trip (the simple query protocol takes several at once).
_BATCH = 200


class ApplyError(PlannerError):
    """A planned statement failed; `step` is the step it belongs to."""

    def __init__(self, message: str, step: Step, sql: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.step = step
        self.sql = sql
        self.sqlstate = sqlstate


def apply_plan(
    connection: psycopg.Connection[Any],
    plan: Plan,
    *,
    describe: Callable[[Step], str] = lambda step: type(step.operation).__name__,
) -> None:
    """Run a plan: transactional statements in one transaction, the others on their own."""
    previous_autocommit = connection.autocommit
    connection.autocommit = True
    try:
        for setting in plan.session_settings:
            connection.execute(setting.sql.encode())
        pending: list[tuple[Step, str]] = []
        for step in plan.steps:
            for statement in step.statements:
                if statement.transactional:
                    pending.append((step, statement.sql))
                    continue
                _run_in_transaction(connection, pending, describe)
                pending = []
                _drop_if_invalid(connection, statement)
                _run(connection, step, statement.sql, describe)
        _run_in_transaction(connection, pending, describe)
    finally:
        connection.autocommit = previous_autocommit


def _run_in_transaction(
    connection: psycopg.Connection[Any],
    statements: Sequence[tuple[Step, str]],
    describe: Callable[[Step], str],
) -> None:
    if not statements:
        return
    try:
        with connection.transaction():
            connection.execute("SET LOCAL check_function_bodies = off")
            for start in range(0, len(statements), _BATCH):
                batch = statements[start : start + _BATCH]
                connection.execute(";\n".join(sql for _, sql in batch).encode())
        return
    except psycopg.Error:
        pass  # rolled back: run them one by one to name the statement that fails
    with connection.transaction():
        connection.execute("SET LOCAL check_function_bodies = off")
        for step, sql in statements:
            _run(connection, step, sql, describe)


def _drop_if_invalid(connection: psycopg.Connection[Any], statement: Statement) -> None:
    name = statement.rebuilds_invalid_index
    if name is None:
        return
    row = connection.execute(
        "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
        [name.schema, name.name],
    ).fetchone()
    if row is not None and row[0]:
        connection.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote_qualified(name)}".encode())


def _run(
    connection: psycopg.Connection[Any], step: Step, sql: str, describe: Callable[[Step], str]
) -> None:
    try:
        connection.execute(sql.encode())
    except psycopg.Error as error:
        diagnostic = error.diag.message_primary or str(error)
        raise ApplyError(
            f"{describe(step)}: PostgreSQL refused it: {diagnostic}", step, sql, error.sqlstate
        ) from error


def apply_step(
    connection: psycopg.Connection[Any],
    step: Step,
    *,
    describe: Callable[[Step], str] = lambda step: type(step.operation).__name__,
) -> None:
    """One step on its own: its transactional statements succeed or fail together."""
    previous_autocommit = connection.autocommit
    connection.autocommit = True
    try:
        transactional = [(step, s.sql) for s in step.statements if s.transactional]
        _run_in_transaction(connection, transactional, describe)
        for statement in step.statements:
            if not statement.transactional:
                _run(connection, step, statement.sql, describe)
    finally:
        connection.autocommit = previous_autocommit
