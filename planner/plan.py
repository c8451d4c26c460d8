"""Operations → an ordered plan. The whole statement order is the literal phase list below."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from planner.model import QualifiedName, Table
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterSequence,
    AlterTable,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateSchema,
    CreateSequence,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropExtension,
    DropIndex,
    DropSchema,
    DropSequence,
    DropTable,
    Operation,
    RenameEnumValue,
    ReplaceEnum,
    SetComment,
    SetSequenceOwner,
)
from planner.render.sql import Statement, statements_for


def _is(kind: type, test: Callable[[Operation], bool] | None = None) -> Callable[[Operation], bool]:
    return lambda operation: isinstance(operation, kind) and (test is None or test(operation))


def _foreign_key(operation: Operation) -> bool:
    return isinstance(operation, AddConstraint | DropConstraint) and operation.is_foreign_key


# Drops first (what depends on others before what they depend on), then creations and changes
# (what is depended on before its dependents), then the drops of types and namespaces that
# only become unused once the tables have changed.
def _releases_sequence(operation: Operation) -> bool:
    return isinstance(operation, SetSequenceOwner) and operation.new is None


PHASES: tuple[tuple[str, Callable[[Operation], bool]], ...] = (
    ("release sequences", _releases_sequence),
    ("drop foreign keys", _is(DropConstraint, _foreign_key)),
    ("drop constraints", _is(DropConstraint)),
    ("drop indexes", _is(DropIndex)),
    ("drop tables", _is(DropTable)),
    ("drop columns", _is(DropColumn)),
    ("create schemas", _is(CreateSchema)),
    ("create extensions", _is(CreateExtension)),
    ("create enums", _is(CreateEnum)),
    ("add enum values", _is(AddEnumValue)),
    ("rename enum values", _is(RenameEnumValue)),
    ("create sequences", _is(CreateSequence)),
    ("alter sequences", _is(AlterSequence)),
    ("create tables", _is(CreateTable)),
    ("alter tables", _is(AlterTable)),
    ("add columns", _is(AddColumn)),
    ("alter columns", _is(AlterColumn)),
    ("own sequences", _is(SetSequenceOwner)),
    ("replace enums", _is(ReplaceEnum)),
    ("add constraints", _is(AddConstraint, lambda op: not _foreign_key(op))),
    ("create indexes", _is(CreateIndex)),
    ("add foreign keys", _is(AddConstraint)),
    ("comments", _is(SetComment)),
    ("drop sequences", _is(DropSequence)),
    ("drop enums", _is(DropEnum)),
    ("drop extensions", _is(DropExtension)),
    ("drop schemas", _is(DropSchema)),
)


@dataclass(frozen=True, slots=True)
class Step:
    operation: Operation
    phase: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]

    @property
    def is_empty(self) -> bool:
        return not self.steps

    @property
    def statements(self) -> list[Statement]:
        return [statement for step in self.steps for statement in step.statements]

    def reversed(self) -> Plan:
        """The downgrade: reversed steps, each reversing its operation."""
        return build_plan_in_order(
            [(step.operation.reverse(), step.phase) for step in reversed(self.steps)]
        )


def build_plan(operations: Iterable[Operation]) -> Plan:
    remaining = list(operations)
    ordered: list[tuple[Operation, str]] = []
    for phase, belongs in PHASES:
        in_phase = [operation for operation in remaining if belongs(operation)]
        remaining = [operation for operation in remaining if not belongs(operation)]
        ordered += [(operation, phase) for operation in _order_within(phase, in_phase)]
    if remaining:
        raise AssertionError(f"operations without a phase: {remaining}")
    return build_plan_in_order(ordered)


def build_plan_in_order(ordered: Sequence[tuple[Operation, str]]) -> Plan:
    return Plan(
        tuple(
            Step(operation, phase, tuple(statements_for(operation))) for operation, phase in ordered
        )
    )


def _order_within(phase: str, operations: list[Operation]) -> list[Operation]:
    if phase == "create tables":
        return _parents_first(operations)
    if phase == "drop tables":
        return list(reversed(_parents_first(operations)))
    return operations


def _parents_first(operations: list[Operation]) -> list[Operation]:
    """Partitions and inheriting tables after the tables they derive from (a linear sort)."""
    tables: dict[QualifiedName, Operation] = {}
    for operation in operations:
        assert isinstance(operation, CreateTable | DropTable)
        tables[operation.table.name] = operation
    ordered: list[Operation] = []
    visited: set[QualifiedName] = set()

    def visit(name: QualifiedName) -> None:
        if name in visited or name not in tables:
            return
        visited.add(name)
        for parent in _parents(_table_of(tables[name])):
            visit(parent)
        ordered.append(tables[name])

    for name in tables:
        visit(name)
    return ordered


def _table_of(operation: Operation) -> Table:
    assert isinstance(operation, CreateTable | DropTable)
    return operation.table


def _parents(table: Table) -> tuple[QualifiedName, ...]:
    if table.partition_of is not None:
        return (table.partition_of.parent, *table.inherits)
    return table.inherits
