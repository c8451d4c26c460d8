"""Online forms: the statements that change a table while traffic keeps flowing.

- indexes are built and dropped CONCURRENTLY, outside a transaction, re-runnable;
- foreign keys and checks are added NOT VALID, then validated in a transaction of their own
  (VALIDATE takes only SHARE UPDATE EXCLUSIVE);
- SET NOT NULL is proven by a validated CHECK (col IS NOT NULL) first, so PostgreSQL (12+)
  skips its own scan under ACCESS EXCLUSIVE;
- unique constraints and primary keys are built as a concurrent unique index first and then
  attached with ADD CONSTRAINT … USING INDEX.
Partitioned tables have no concurrent index builds; exclusion constraints no NOT VALID.
Those keep their blocking forms, whose hazards say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from planner.hazards import Hazard, HazardKind, Lock, hazard, lock
from planner.model import Column, ConstraintKind, Index, IndexElement, QualifiedName
from planner.operations import AddConstraint, AlterColumn, CreateIndex, DropIndex, Operation
from planner.quoting import quote_identifier, quote_qualified
from planner.render import sql
from planner.render.statements import Statement

MAX_IDENTIFIER_BYTES = 63


def online_statements(operation: Operation) -> list[Statement] | None:
    """The online form of an operation, or None where the plain form is already safe."""
    match operation:
        case CreateIndex(table, index, partitioned) if not partitioned:
            return [*_create_index_concurrently(table, index), *_index_comment(operation)]
        case DropIndex(table, index, partitioned) if not partitioned:
            return [_drop_index_concurrently(table, index)]
        # Neither concurrent index builds nor NOT VALID foreign keys exist for partitioned
        # tables: they keep the plain statement, whose hazards say what it blocks.
        case AddConstraint(fresh=False, partitioned=False) as add if (
            add.constraint.kind is not ConstraintKind.EXCLUDE
        ):
            return [*_add_constraint(add), *sql.constraint_comment(add.table, add.constraint)]
        case AlterColumn() as alter if alter.new.not_null and not alter.old.not_null:
            return list(_alter_column(alter))
    return None


def _create_index_concurrently(table: QualifiedName, index: Index) -> Iterator[Statement]:
    assert index.name is not None
    yield Statement(
        sql.create_index_sql(table, index, concurrently=True),
        transactional=False,
        long_running=True,
        hazards=hazard(HazardKind.BUILDS_INDEX, f"builds {index.name} without blocking writes"),
        rebuilds_invalid_index=QualifiedName(table.schema, index.name),
    )


def _index_comment(operation: CreateIndex) -> list[Statement]:
    return list(sql.base_statements(operation))[1:]


def _drop_index_concurrently(table: QualifiedName, index: Index) -> Statement:
    assert index.name is not None
    name = quote_qualified(QualifiedName(table.schema, index.name))
    return Statement(
        f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        transactional=False,
        hazards=hazard(HazardKind.DROPS_INDEX, f"queries that used {index.name} may slow down"),
    )


def _add_constraint(operation: AddConstraint) -> Iterator[Statement]:
    constraint = operation.constraint
    if constraint.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE):
        yield from _key_via_index(operation)
        return
    table = quote_qualified(operation.table)
    yield Statement(
        f"ALTER TABLE {table} ADD {sql.constraint_clause(constraint)} NOT VALID",
        hazards=sql.add_constraint_hazards(operation, validates=False),
    )
    if constraint.validated:
        yield _validate(operation.table, constraint.name or "")


def _validate(table: QualifiedName, name: str) -> Statement:
    return Statement(
        f"ALTER TABLE {quote_qualified(table)} VALIDATE CONSTRAINT {quote_identifier(name)}",
        transactional=False,
        long_running=True,
        hazards=hazard(
            HazardKind.SCANS_TABLE, f"reads every row of {table} under SHARE UPDATE EXCLUSIVE"
        ),
    )


def _key_via_index(operation: AddConstraint) -> Iterator[Statement]:
    constraint = operation.constraint
    name = constraint.name or ""
    index = Index(
        name=name,
        elements=tuple(IndexElement(column) for column in constraint.columns),
        unique=True,
        include=constraint.include,
        nulls_not_distinct=constraint.nulls_not_distinct,
        storage_parameters=constraint.index_parameters,
    )
    yield from _create_index_concurrently(operation.table, index)
    kind = "PRIMARY KEY" if constraint.kind is ConstraintKind.PRIMARY_KEY else "UNIQUE"
    clause = f"CONSTRAINT {quote_identifier(name)} {kind} USING INDEX {quote_identifier(name)}"
    if constraint.deferrable:
        clause += (
            " DEFERRABLE INITIALLY DEFERRED" if constraint.initially_deferred else " DEFERRABLE"
        )
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} ADD {clause}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.table)),
    )


def _alter_column(operation: AlterColumn) -> Iterator[Statement]:
    for statement in sql.alter_column(operation):
        if statement.sql.endswith(" SET NOT NULL"):
            yield from _set_not_null(operation.table, operation.new, statement.sql)
        else:
            yield statement


def _set_not_null(table: QualifiedName, column: Column, set_sql: str) -> Iterator[Statement]:
    check = not_null_check_name(table, column.name)
    quoted_table = quote_qualified(table)
    brief = lock(Lock.ACCESS_EXCLUSIVE, str(table))
    yield Statement(
        f"ALTER TABLE {quoted_table} ADD CONSTRAINT {quote_identifier(check)} "
        f"CHECK ({quote_identifier(column.name)} IS NOT NULL) NOT VALID",
        hazards=brief,
    )
    yield _validate(table, check)
    proven: tuple[Hazard, ...] = brief
    yield Statement(set_sql, hazards=proven)
    yield Statement(
        f"ALTER TABLE {quoted_table} DROP CONSTRAINT {quote_identifier(check)}", hazards=brief
    )


def not_null_check_name(table: QualifiedName, column: str) -> str:
    """A name for the temporary NOT NULL proof that fits in 63 bytes and stays unique."""
    name = f"{table.name}_{column}_not_null"
    if len(name.encode()) <= MAX_IDENTIFIER_BYTES:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name.encode()[:50].decode(errors='ignore')}_{digest}_nn"
