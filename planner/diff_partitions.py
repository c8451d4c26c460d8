"""Partition indexes attached to a partitioned table's index under their own names.

PostgreSQL attaches a partition's matching index when the partitioned table's index is
created, and makes a new one (its own name) for a partition that has none. So an index a
partition declares `attached_to` the partitioned table's index must exist first: a new
partitioned table's attached-to indexes and keys are created after its partitions. No index
can be detached from its parent: a partitioned table's index whose partitions hold such
indexes is dropped with those partitions detached for the while (planner/render/sql.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeVar

from planner.model import Catalog, Constraint, ConstraintKind, Index, QualifiedName, Table
from planner.operations import AddConstraint, CreateIndex, DropConstraint, DropIndex, Operation
from planner.partition_indexes import index_name, key_name

_KEYS = (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
Attachable = TypeVar("Attachable", Index, Constraint)


def attached_names(catalog: Catalog, parent: QualifiedName) -> set[str]:
    """The parent's indexes (and keys) that a partition's index is declared attached to."""
    names: set[str] = set()
    for table in catalog.tables:
        if table.partition_of is not None and table.partition_of.parent == parent:
            names |= {index.attached_to for index in table.indexes if index.attached_to}
            names |= {key.attached_to for key in table.constraints if key.attached_to}
    return names


def without_attached_to(table: Table, catalog: Catalog) -> tuple[Table, list[Operation]]:
    """A new (or dropped) partitioned table without the indexes and keys its partitions'
    indexes are attached to, and the operations that create those after the partitions."""
    names = attached_names(catalog, table.name)
    if table.partitioning is None or not names:
        return table, []
    own = table.name.name
    later_keys = [c for c in table.constraints if c.kind in _KEYS and key_name(own, c) in names]
    later_indexes = [i for i in table.indexes if index_name(own, i) in names]
    bare = replace(
        table,
        constraints=tuple(c for c in table.constraints if c not in later_keys),
        indexes=tuple(i for i in table.indexes if i not in later_indexes),
    )
    operations: list[Operation] = [
        AddConstraint(table.name, key, fresh=True, partitioned=True) for key in later_keys
    ]
    operations += [CreateIndex(table.name, index, True) for index in later_indexes]
    return bare, operations


def aligned_attachments(
    current: Catalog, desired: Catalog, old: Table, new: Table
) -> tuple[Table, Table]:
    """A partition's index that becomes attached to a partitioned table's index the plan
    creates (or stays behind when the plan drops it) changes with that index alone."""
    if old.partition_of is None or new.partition_of is None:
        return old, new
    before = _index_names(current.table(old.partition_of.parent))
    after = _index_names(desired.table(new.partition_of.parent))
    old_indexes = {index.name: index for index in old.indexes}
    old_keys = {key.name: key for key in old.constraints}
    indexes = tuple(_aligned(old_indexes.get(i.name), i, before, after) for i in new.indexes)
    keys = tuple(_aligned(old_keys.get(c.name), c, before, after) for c in new.constraints)
    return old, replace(new, indexes=indexes, constraints=keys)


def _aligned(
    old: Attachable | None, new: Attachable, before: set[str], after: set[str]
) -> Attachable:
    if old is None or old.attached_to == new.attached_to:
        return new
    if old.attached_to is None and new.attached_to not in before:
        return replace(new, attached_to=None)
    if new.attached_to is None and old.attached_to not in after:
        return replace(new, attached_to=old.attached_to)
    return new


def _index_names(table: Table | None) -> set[str]:
    if table is None:
        return set()
    names = {index.name for index in table.indexes if index.name}
    return names | {key.name for key in table.constraints if key.kind in _KEYS and key.name}


def with_partitions_detached(
    operations: list[Operation], current: Catalog, desired: Catalog
) -> Iterator[Operation]:
    """Drops (and creations, for their reverse) of partitioned tables' indexes carry the
    partitions whose own indexes are attached to them."""
    for operation in operations:
        if isinstance(operation, DropIndex | CreateIndex) and operation.partitioned:
            catalog = current if isinstance(operation, DropIndex) else desired
            partitions = _holding(catalog, operation.table, operation.index.name)
            operation = replace(operation, attached_partitions=partitions)
        yield operation


def _holding(
    catalog: Catalog, parent: QualifiedName, name: str | None
) -> tuple[tuple[QualifiedName, str], ...]:
    return tuple(
        (table.name, table.partition_of.bound)
        for table in catalog.tables
        if table.partition_of is not None
        and table.partition_of.parent == parent
        and name is not None
        and name in _attached_to(table)
    )


def _attached_to(table: Table) -> set[str | None]:
    return {index.attached_to for index in table.indexes} | {
        key.attached_to for key in table.constraints
    }


def recreated_for_new_partitions(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    """A new partition can only be created with the partitioned table's indexes cloned into
    it, so an index (or key) a new partition's own is to be attached to is created again
    after that partition: dropped first, then created, attaching it."""
    existing = {table.name for table in current.tables}
    for parent in desired.tables:
        old_parent = current.table(parent.name)
        if parent.partitioning is None or old_parent is None:
            continue
        names = _attached_by_new_partitions(desired, parent.name, existing)
        for index in parent.indexes:
            if index.name in names and index in old_parent.indexes:
                yield DropIndex(parent.name, index, True)
                yield CreateIndex(parent.name, index, True)
        for key in parent.constraints:
            if key.name in names and key in old_parent.constraints:
                yield DropConstraint(parent.name, key, partitioned=True)
                yield AddConstraint(parent.name, key, partitioned=True)


def _attached_by_new_partitions(
    catalog: Catalog, parent: QualifiedName, existing: set[QualifiedName]
) -> set[str | None]:
    names: set[str | None] = set()
    for table in catalog.tables:
        if table.name in existing or table.partition_of is None:
            continue
        if table.partition_of.parent == parent:
            names |= _attached_to(table)
    return names - {None}
