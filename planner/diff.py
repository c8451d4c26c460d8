"""(current, desired) → operations, by set algebra per object kind.

desired − current ⇒ create, current − desired ⇒ drop, both ⇒ compare. Both catalogs are
expected to come from PostgreSQL (introspection), so equal meaning is equal text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from planner.errors import PlannerError
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    Index,
    QualifiedName,
    Table,
)
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterTable,
    CommentTarget,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropExtension,
    DropIndex,
    DropSchema,
    DropTable,
    EnumUsage,
    Operation,
    SetComment,
)
from planner.quoting import quote_qualified

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class UnsupportedChangeError(PlannerError):
    """A change PostgreSQL cannot make without losing or rewriting what it holds."""


def differences(
    current: Iterable[T], desired: Iterable[T], key: Callable[[T], K]
) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """(added, removed, kept pairs) between two collections, in a stable, sorted order."""
    before = {key(item): item for item in current}
    after = {key(item): item for item in desired}
    added = [after[k] for k in sorted(after.keys() - before.keys(), key=str)]
    removed = [before[k] for k in sorted(before.keys() - after.keys(), key=str)]
    kept = [(before[k], after[k]) for k in sorted(before.keys() & after.keys(), key=str)]
    return added, removed, kept


def diff(current: Catalog, desired: Catalog) -> list[Operation]:
    operations: list[Operation] = []
    operations += _schema_changes(current, desired)
    operations += _extension_changes(current, desired)
    operations += _enum_changes(current, desired)
    operations += _table_changes(current, desired)
    return operations


def _schema_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.schemas, desired.schemas, lambda s: s.name)
    yield from (CreateSchema(schema) for schema in added)
    yield from (DropSchema(schema) for schema in removed)
    for old, new in kept:
        if old.comment != new.comment:
            yield SetComment(CommentTarget("SCHEMA", QualifiedName(new.name, "")), old.comment,
                             new.comment)


def _extension_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, _kept = differences(current.extensions, desired.extensions, lambda e: e.name)
    yield from (CreateExtension(extension) for extension in added)
    yield from (DropExtension(extension) for extension in removed)


def _enum_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.enums, desired.enums, lambda e: e.name)
    yield from (CreateEnum(enum) for enum in added)
    yield from (DropEnum(enum) for enum in removed)
    for old, new in kept:
        if old.values != new.values:
            yield from _enum_value_changes(old, new, enum_usages(current, old.name))
        if old.comment != new.comment:
            yield SetComment(CommentTarget("TYPE", new.name), old.comment, new.comment)


def _enum_value_changes(
    old: EnumType, new: EnumType, usages: tuple[EnumUsage, ...]
) -> Iterator[Operation]:
    kept_in_order = [value for value in new.values if value in old.values]
    if kept_in_order != list(old.values):
        missing = [value for value in old.values if value not in new.values]
        problem = (
            f"removes {', '.join(repr(v) for v in missing)}" if missing else "reorders its values"
        )
        raise UnsupportedChangeError(
            f"enum {new.name}: the declaration {problem}; PostgreSQL can only add or rename "
            "enum values",
            hint="rename a value with renamed_from, or create a new type and migrate the "
            "columns to it by hand",
        )
    values = list(old.values)
    for value in new.values:
        if value in values:
            continue
        before = EnumType(old.name, tuple(values), old.comment)
        values.insert(new.values.index(value), value)
        after = EnumType(old.name, tuple(values), old.comment)
        yield AddEnumValue(before, after, value, usages)


def enum_usages(catalog: Catalog, enum: QualifiedName) -> tuple[EnumUsage, ...]:
    type_name = quote_qualified(enum)
    usages = []
    for table in catalog.tables:
        for column in table.columns:
            if column.type in (type_name, f"{type_name}[]"):
                usages.append(
                    EnumUsage(table.name, column.name, column.type.endswith("[]"), column.default)
                )
    return tuple(usages)


# --- tables ----------------------------------------------------------------------------------


def _table_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.tables, desired.tables, lambda t: t.name)
    for table in added:
        yield CreateTable(_without_foreign_keys(table))
        yield from (AddConstraint(table.name, fk) for fk in _foreign_keys(table))
    for table in removed:
        yield from (DropConstraint(table.name, fk) for fk in _foreign_keys(table))
        yield DropTable(_without_foreign_keys(table))
    for old, new in kept:
        yield from _compare_tables(old, new)


def _foreign_keys(table: Table) -> list[Constraint]:
    return [c for c in table.constraints if c.kind is ConstraintKind.FOREIGN_KEY]


def _without_foreign_keys(table: Table) -> Table:
    constraints = tuple(c for c in table.constraints if c.kind is not ConstraintKind.FOREIGN_KEY)
    return replace(table, constraints=constraints)


def _compare_tables(old: Table, new: Table) -> Iterator[Operation]:
    if _table_properties(old) != _table_properties(new):
        yield AlterTable(old, new)
    if old.comment != new.comment:
        yield SetComment(CommentTarget("TABLE", new.name), old.comment, new.comment)
    yield from _column_changes(old, new)
    yield from _constraint_changes(old, new)
    yield from _index_changes(old, new)


def _table_properties(table: Table) -> tuple[object, ...]:
    return (
        table.row_security,
        table.force_row_security,
        table.unlogged,
        table.storage_parameters,
    )


def _column_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    added, removed, kept = differences(old_table.columns, new_table.columns, lambda c: c.name)
    order = {column.name: position for position, column in enumerate(new_table.columns)}
    for column in sorted(added, key=lambda c: order[c.name]):
        yield AddColumn(name, column)
    yield from (DropColumn(name, column) for column in removed)
    for old, new in kept:
        if old.generated != new.generated:
            yield DropColumn(name, old)
            yield AddColumn(name, new)
            continue
        if _without_comment(old) != _without_comment(new):
            yield AlterColumn(name, replace(old, comment=None), replace(new, comment=None))
        if old.comment != new.comment:
            yield SetComment(CommentTarget("COLUMN", name, new.name), old.comment, new.comment)


def _without_comment(column: Column) -> Column:
    return replace(column, comment=None)


def _constraint_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    added, removed, kept = differences(
        old_table.constraints, new_table.constraints, lambda c: c.name or ""
    )
    yield from (DropConstraint(name, constraint) for constraint in removed)
    yield from (AddConstraint(name, constraint) for constraint in added)
    for old, new in kept:
        if replace(old, comment=None) != replace(new, comment=None):
            yield DropConstraint(name, old)
            yield AddConstraint(name, new)
        elif old.comment != new.comment:
            assert new.name is not None
            target = CommentTarget("CONSTRAINT", name, new.name)
            yield SetComment(target, old.comment, new.comment)


def _index_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    added, removed, kept = differences(old_table.indexes, new_table.indexes, _index_key)
    yield from (DropIndex(name, index) for index in removed)
    yield from (CreateIndex(name, index) for index in added)
    for old, new in kept:
        if replace(old, comment=None) != replace(new, comment=None):
            yield DropIndex(name, old)
            yield CreateIndex(name, new)
        elif old.comment != new.comment:
            assert new.name is not None
            target = CommentTarget("INDEX", QualifiedName(name.schema, new.name))
            yield SetComment(target, old.comment, new.comment)


def _index_key(index: Index) -> str:
    return index.name or ""
