"""SQL that carries a table's rows across its rebuild (planner/diff_recreate.py).

The rows wait in temporary tables of the migration's session: nothing is left in the
database if the migration fails (the transaction takes them back) or when it ends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from planner.hazards import HazardKind, Lock, hazard, lock
from planner.model import QualifiedName, Table
from planner.operations import RestoreRows, SaveRows
from planner.quoting import quote_identifier, quote_identifier_list, quote_literal, quote_qualified
from planner.render.statements import Statement


def _save_rows(operation: SaveRows) -> Iterator[Statement]:
    before, after = operation.before, operation.after
    name = quote_qualified(before.name)
    hazards = hazard(
        HazardKind.REWRITES_TABLE,
        f"copies every row of {before.name} aside and back, to rebuild it with its columns "
        "in the declared order",
    )
    hazards += lock(Lock.ACCESS_EXCLUSIVE, str(before.name), brief=False)
    # Locked before the copy: rows written after it would be lost with the dropped table.
    yield Statement(f"LOCK TABLE {name} IN ACCESS EXCLUSIVE MODE", hazards=hazards)
    columns = quote_identifier_list(copied_columns(before, after))
    yield Statement(
        f"CREATE TEMPORARY TABLE {_rows_table(before.name)} AS SELECT {columns} FROM {name}"
    )
    carried = _identities_carried(before, after)
    if carried:
        states = ", ".join(
            f"({quote_literal(column)}, pg_sequence_last_value("
            f"{_identity_sequence(before.name, column)}::regclass))"
            for column in carried
        )
        yield Statement(
            f"CREATE TEMPORARY TABLE {_sequences_table(before.name)} AS "
            f"SELECT * FROM (VALUES {states}) AS saved(column_name, last_value)"
        )


def _restore_rows(operation: RestoreRows) -> Iterator[Statement]:
    before, after = operation.before, operation.after
    name = quote_qualified(after.name)
    columns = quote_identifier_list(copied_columns(before, after))
    rows = _rows_table(after.name)
    # With no column in common, each row still comes back, made of defaults.
    target = f"{name} ({columns})" if columns else name
    yield Statement(f"INSERT INTO {target} OVERRIDING SYSTEM VALUE SELECT {columns} FROM {rows}")
    yield Statement(f"DROP TABLE {rows}")
    carried = set(_identities_carried(before, after))
    copied = set(copied_columns(before, after))
    for column in after.columns:
        if column.identity is None or column.name not in copied:
            continue
        # The sequence goes on from where the old one was, or past the values copied in.
        highest = f"(SELECT max({quote_identifier(column.name)}) FROM {name})"
        if column.name in carried:
            saved = (
                f"(SELECT last_value FROM {_sequences_table(after.name)} "
                f"WHERE column_name = {quote_literal(column.name)})"
            )
            highest = f"coalesce({saved}, {highest})"
        yield Statement(
            f"SELECT setval({_identity_sequence(after.name, column.name)}, last_value) "
            f"FROM (SELECT {highest} AS last_value) AS restored WHERE last_value IS NOT NULL"
        )
    if carried:
        yield Statement(f"DROP TABLE {_sequences_table(after.name)}")


def copied_columns(before: Table, after: Table) -> list[str]:
    """Columns of `after` (in its order) filled from `before`: generated ones compute anew."""
    return [
        column.name
        for column in after.columns
        if column.generated is None and before.column(column.name) is not None
    ]


def _identities_carried(before: Table, after: Table) -> list[str]:
    copied = set(copied_columns(before, after))
    return [
        column.name
        for column in before.columns
        if column.identity is not None
        and column.name in copied
        and (target := after.column(column.name)) is not None
        and target.identity is not None
    ]


def _identity_sequence(table: QualifiedName, column: str) -> str:
    # The table name is parsed as SQL (so quoted); the column name is taken as it is.
    return (
        f"pg_get_serial_sequence({quote_literal(quote_qualified(table))}, {quote_literal(column)})"
    )


def _rows_table(table: QualifiedName) -> str:
    return f"pg_temp.{quote_identifier('schema_planner_rows_' + _digest(table))}"


def _sequences_table(table: QualifiedName) -> str:
    return f"pg_temp.{quote_identifier('schema_planner_sequences_' + _digest(table))}"


def _digest(table: QualifiedName) -> str:
    # Names of any length and spelling make a valid, distinct temporary table name.
    return hashlib.sha256(f"{table.schema}\x00{table.name}".encode()).hexdigest()[:16]


RENDERERS: dict[type, Callable[[Any], Iterator[Statement]]] = {
    SaveRows: _save_rows,
    RestoreRows: _restore_rows,
}
