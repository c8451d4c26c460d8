"""(current, desired) → operations, by set algebra per object kind.

desired minus current ⇒ create, current minus desired ⇒ drop, both ⇒ compare. Both catalogs are
expected to come from PostgreSQL (introspection), so equal meaning is equal text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from planner import diff_objects
from planner.diff_dependents import recreate_dependents, with_grants_of_recreated
from planner.diff_enums import with_downgrade_context
from planner.diff_inherited import inherited_column_changes, overrides_before_parents_change
from planner.diff_partitions import (
    aligned_attachments,
    recreated_for_new_partitions,
    with_partitions_detached,
    without_attached_to,
)
from planner.diff_recreate import (
    ColumnOrder,
    Recreated,
    bare_table,
    foreign_keys,
    recreate_table,
    tables_to_recreate,
)
from planner.diff_sets import differences
from planner.diff_text_search import text_search_changes
from planner.errors import PlannerError
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    Index,
    QualifiedName,
    RenameHint,
    Sequence,
    Table,
)
from planner.normalize import comparable_optional
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterExtension,
    AlterSequence,
    AlterTable,
    CommentTarget,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreatePolicy,
    CreateRule,
    CreateSchema,
    CreateSequence,
    CreateStatistics,
    CreateTable,
    CreateTrigger,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropExtension,
    DropIndex,
    DropPolicy,
    DropRule,
    DropSchema,
    DropSequence,
    DropStatistics,
    DropTable,
    DropTrigger,
    EnumUsage,
    Operation,
    SetComment,
    SetReplicaIdentity,
    SetSchemaOwner,
    SetSequenceOwner,
)
from planner.owners import owner_changes
from planner.privileges import privilege_changes
from planner.quoting import quote_qualified
from planner.renames import apply_renames

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class UnsupportedChangeError(PlannerError):
    """A change PostgreSQL cannot make without losing or rewriting what it holds."""


def diff(
    current: Catalog,
    desired: Catalog,
    renames: Iterable[RenameHint] = (),
    column_order: ColumnOrder = ColumnOrder.APPEND,
) -> list[Operation]:
    return diff_renamed(current, desired, renames, column_order)[0]


def diff_renamed(
    current: Catalog,
    desired: Catalog,
    renames: Iterable[RenameHint] = (),
    column_order: ColumnOrder = ColumnOrder.APPEND,
) -> tuple[list[Operation], Catalog]:
    """The operations, and the current catalog as it is once the renames are done: the names
    the operations use (ordering reads pg_depend in it)."""
    renamed = apply_renames(current, desired, renames)
    current = renamed.current
    recreated = tables_to_recreate(current, desired, column_order)
    operations: list[Operation] = list(renamed.operations)
    operations += _schema_changes(current, desired)
    operations += _extension_changes(current, desired)
    operations += diff_objects.collation_changes(current, desired)
    operations += text_search_changes(current, desired)
    operations += _enum_changes(current, desired)
    operations += diff_objects.domain_changes(current, desired)
    operations += diff_objects.composite_changes(current, desired)
    operations += _sequence_changes(current, desired)
    operations += diff_objects.function_changes(current, desired)
    operations += _table_changes(current, desired, recreated)
    operations += recreated_for_new_partitions(current, desired)
    operations += diff_objects.view_changes(current, desired)
    operations += privilege_changes(current, desired, recreated)
    operations = recreate_dependents(operations, current, desired)
    operations = with_grants_of_recreated(operations, current, desired)
    operations = list(with_partitions_detached(operations, current, desired))
    operations += owner_changes(operations, current, desired)
    return with_downgrade_context(operations, current), current


def _schema_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.schemas, desired.schemas, lambda s: s.name)
    yield from (CreateSchema(schema) for schema in added)
    yield from (DropSchema(schema) for schema in removed)
    for old, new in kept:
        if old.comment != new.comment:
            yield SetComment(
                CommentTarget("SCHEMA", QualifiedName(new.name, "")), old.comment, new.comment
            )
        if new.owner is not None and old.owner is not None and old.owner != new.owner:
            yield SetSchemaOwner(new.name, old.owner, new.owner)


def _extension_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.extensions, desired.extensions, lambda e: e.name)
    yield from (CreateExtension(extension) for extension in added)
    yield from (DropExtension(extension) for extension in removed)
    for old, new in kept:
        if old.schema != new.schema or (new.version and old.version != new.version):
            yield AlterExtension(old, new)
        if old.comment != new.comment:
            target = CommentTarget("EXTENSION", QualifiedName("", new.name))
            yield SetComment(target, old.comment, new.comment)


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


# --- sequences ------------------------------------------------------------------------------


def _sequence_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.sequences, desired.sequences, lambda s: s.name)
    for sequence in added:
        yield CreateSequence(replace(sequence, owned_by=None))
        if sequence.owned_by is not None:
            yield SetSequenceOwner(sequence.name, None, sequence.owned_by)
    for sequence in removed:
        if sequence.owned_by is not None:
            yield SetSequenceOwner(sequence.name, sequence.owned_by, None)
        yield DropSequence(replace(sequence, owned_by=None))
    for old, new in kept:
        yield from _compare_sequences(old, new)


def _compare_sequences(old: Sequence, new: Sequence) -> Iterator[Operation]:
    if old.options != new.options:
        yield AlterSequence(
            replace(old, owned_by=None, comment=None), replace(new, owned_by=None, comment=None)
        )
    if old.owned_by != new.owned_by:
        # Released first and owned again later: the old owner may be dropped in between.
        if old.owned_by is not None:
            yield SetSequenceOwner(new.name, old.owned_by, None)
        if new.owned_by is not None:
            yield SetSequenceOwner(new.name, None, new.owned_by)
    if old.comment != new.comment:
        yield SetComment(CommentTarget("SEQUENCE", new.name), old.comment, new.comment)


# --- tables ----------------------------------------------------------------------------------


def _table_changes(current: Catalog, desired: Catalog, recreated: Recreated) -> Iterator[Operation]:
    added, removed, kept = differences(current.tables, desired.tables, lambda t: t.name)
    for table in added:
        table, after_partitions = without_attached_to(table, desired)
        yield CreateTable(bare_table(table))
        yield from after_partitions
        partitioned = table.partitioning is not None
        yield from (AddConstraint(table.name, fk, True, partitioned) for fk in foreign_keys(table))
        yield from (CreateTrigger(table.name, trigger, True) for trigger in table.triggers)
        yield from (CreateRule(table.name, rule, True) for rule in table.rules)
        yield from (CreatePolicy(table.name, policy, True) for policy in table.policies)
        yield from (CreateStatistics(table.name, s, True) for s in table.statistics)
    for table in removed:
        yield from (DropStatistics(table.name, s, True) for s in table.statistics)
        yield from (DropPolicy(table.name, policy, True) for policy in table.policies)
        yield from (DropRule(table.name, rule, True) for rule in table.rules)
        yield from (DropTrigger(table.name, trigger, True) for trigger in table.triggers)
        partitioned = table.partitioning is not None
        yield from (DropConstraint(table.name, fk, True, partitioned) for fk in foreign_keys(table))
        table, after_partitions = without_attached_to(table, current)
        yield from (operation.reverse() for operation in after_partitions)
        yield DropTable(bare_table(table))
    # Before the parents' ALTERs, so that the downgrade restores them after its own.
    yield from overrides_before_parents_change(current, desired, recreated)
    for old, new in kept:
        if old.name in recreated:
            keep_rows = old.name in recreated.rebuilt
            yield from recreate_table(current, desired, old, new, keep_rows=keep_rows)
        elif old != new:  # most tables are equal: nothing to compare further
            yield from _compare_tables(*aligned_attachments(current, desired, old, new))
    # Last, so that they follow the ALTERs of the parents' columns they are judged against.
    yield from inherited_column_changes(current, desired, recreated)


def _policy_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    added, removed, kept = differences(old_table.policies, new_table.policies, lambda p: p.name)
    yield from (DropPolicy(name, policy) for policy in removed)
    yield from (CreatePolicy(name, policy) for policy in added)
    for old, new in kept:
        if replace(old, comment=None) != replace(new, comment=None):
            yield DropPolicy(name, old)
            yield CreatePolicy(name, new)
        elif old.comment != new.comment:
            yield SetComment(CommentTarget("POLICY", name, new.name), old.comment, new.comment)


def _compare_tables(old: Table, new: Table) -> Iterator[Operation]:
    if _table_properties(old) != _table_properties(new):
        yield AlterTable(old, new)
    if old.comment != new.comment:
        yield SetComment(CommentTarget("TABLE", new.name), old.comment, new.comment)
    old_identity = (old.replica_identity, old.replica_identity_index)
    new_identity = (new.replica_identity, new.replica_identity_index)
    if old_identity != new_identity:
        yield SetReplicaIdentity(new.name, old_identity, new_identity)
    yield from _column_changes(old, new)
    yield from _constraint_changes(old, new)
    yield from _index_changes(old, new)
    yield from _cluster_changes(old, new)
    yield from diff_objects.trigger_changes(new.name, old.triggers, new.triggers)
    yield from diff_objects.rule_changes(new.name, old.rules, new.rules)
    yield from _policy_changes(old, new)
    yield from diff_objects.statistics_changes(new.name, old.statistics, new.statistics)


def _cluster_changes(old: Table, new: Table) -> Iterator[Operation]:
    name = new.cluster_on
    remade = name is not None and _index_or_key(old, name) != _index_or_key(new, name)
    yield from diff_objects.cluster_changes(new.name, old.cluster_on, name, remade=remade)


def _index_or_key(table: Table, name: str) -> Index | Constraint | None:
    found = next((index for index in table.indexes if index.name == name), None)
    return found or next((key for key in table.constraints if key.name == name), None)


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
    staying = {old.name for old, _ in kept}
    for column in sorted(added, key=lambda c: order[c.name]):
        later = new_table.columns[order[column.name] + 1 :]
        before = next((c.name for c in later if c.name in staying), None)
        yield AddColumn(name, column, before)
    yield from (DropColumn(name, column, _indexed(old_table, column.name)) for column in removed)
    for old, new in kept:
        if old == new:
            continue
        if comparable_optional(old.generated) != comparable_optional(new.generated):
            yield DropColumn(name, old)
            yield AddColumn(name, new)
            continue
        if _without_comment(old) != _without_comment(new):
            yield AlterColumn(name, replace(old, comment=None), replace(new, comment=None))
        if old.comment != new.comment:
            yield SetComment(CommentTarget("COLUMN", name, new.name), old.comment, new.comment)


def _indexed(table: Table, column: str) -> bool:
    keys = [c.columns for c in table.constraints if c.kind is not ConstraintKind.CHECK]
    keys += [
        tuple(e.key for e in i.elements if not e.is_expression) + i.include for i in table.indexes
    ]
    return any(column in key for key in keys)


def _without_comment(column: Column) -> Column:
    return replace(
        column,
        comment=None,
        default=comparable_optional(column.default),
        generated=comparable_optional(column.generated),
    )


def _constraint_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    added, removed, kept = differences(
        old_table.constraints, new_table.constraints, lambda c: c.name or ""
    )
    partitioned = new_table.partitioning is not None
    yield from (DropConstraint(name, c, partitioned=partitioned) for c in removed)
    yield from (AddConstraint(name, c, partitioned=partitioned) for c in added)
    for old, new in kept:
        if old == new:
            continue
        if _comparable_constraint(old) != _comparable_constraint(new):
            yield DropConstraint(name, old, partitioned=partitioned)
            yield AddConstraint(name, new, partitioned=partitioned)
        elif old.comment != new.comment:
            assert new.name is not None
            target = CommentTarget("CONSTRAINT", name, new.name)
            yield SetComment(target, old.comment, new.comment)


def _comparable_constraint(constraint: Constraint) -> Constraint:
    return replace(constraint, comment=None, expression=comparable_optional(constraint.expression))


def _index_changes(old_table: Table, new_table: Table) -> Iterator[Operation]:
    name = new_table.name
    partitioned = new_table.partitioning is not None
    added, removed, kept = differences(old_table.indexes, new_table.indexes, _index_key)
    yield from (DropIndex(name, index, partitioned) for index in removed)
    yield from (CreateIndex(name, index, partitioned) for index in added)
    for old, new in kept:
        if old == new:
            continue
        if _comparable_index(old) != _comparable_index(new):
            yield DropIndex(name, old, partitioned)
            yield CreateIndex(name, new, partitioned)
        elif old.comment != new.comment:
            assert new.name is not None
            target = CommentTarget("INDEX", QualifiedName(name.schema, new.name))
            yield SetComment(target, old.comment, new.comment)


def _comparable_index(index: Index) -> Index:
    elements = tuple(
        replace(element, key=comparable_optional(element.key) or "")
        if element.is_expression
        else element
        for element in index.elements
    )
    return replace(index, comment=None, where=comparable_optional(index.where), elements=elements)


def _index_key(index: Index) -> str:
    return index.name or ""
