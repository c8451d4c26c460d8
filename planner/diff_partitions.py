"""Partition indexes attached to a partitioned table's index under their own names.

PostgreSQL attaches a partition's matching index when the partitioned table's index is
created, and makes a new one (its own name) for a partition that has none. So an index a
partition declares `attached_to` the partitioned table's index must exist first: a new
partitioned table's attached-to indexes and keys are created after its partitions. An index
made ON ONLY the partitioned table (`only`) attaches none by itself: the plan attaches the
declared ones. No index can be detached from its parent: a partitioned table's index whose
partitions hold such indexes is dropped with those partitions detached for the while
(planner/render/sql.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TypeVar

from planner.model import Catalog, Constraint, ConstraintKind, Index, QualifiedName, Table
from planner.operations import (
    AddConstraint,
    AttachedPartition,
    CreateIndex,
    DropConstraint,
    DropIndex,
    Operation,
)
from planner.partition_indexes import index_name, key_name

_KEYS = (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
Attachable = TypeVar("Attachable", Index, Constraint)


def without_attached_to(table: Table, catalog: Catalog) -> tuple[Table, list[Operation]]:
    """A new (or dropped) partitioned table without the indexes and keys its partitions'
    indexes are attached to (or made ON ONLY it), and the operations that create those
    after the partitions."""
    if table.partitioning is None:
        return table, []
    names = {name for partition in _partitions(catalog, table.name) for name in _targets(partition)}
    own = table.name.name
    later_keys = [
        c for c in table.constraints if c.kind in _KEYS and (c.only or key_name(own, c) in names)
    ]
    later_indexes = [i for i in table.indexes if i.only or index_name(own, i) in names]
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
    steady = _steady_indexes(
        current.table(old.partition_of.parent), desired.table(new.partition_of.parent)
    )
    old_indexes = {index.name: index for index in old.indexes}
    old_keys = {key.name: key for key in old.constraints}
    indexes = tuple(_aligned(old_indexes.get(i.name), i, steady) for i in new.indexes)
    keys = tuple(_aligned(old_keys.get(c.name), c, steady) for c in new.constraints)
    return old, replace(new, indexes=indexes, constraints=keys)


def _aligned(old: Attachable | None, new: Attachable, steady: set[str]) -> Attachable:
    if old is None or old.attached_to == new.attached_to:
        return new
    parents = {old.attached_to, new.attached_to} - {None}
    if parents & steady:
        return new
    return replace(new, attached_to=old.attached_to)


def _steady_indexes(before: Table | None, after: Table | None) -> set[str]:
    """The partitioned table's indexes and keys the plan leaves as they are."""
    if before is None or after is None:
        return set()
    kept = {index.name for index in set(before.indexes) & set(after.indexes) if index.name}
    keys = set(before.constraints) & set(after.constraints)
    return kept | {key.name for key in keys if key.kind in _KEYS and key.name}


def recreated_for_new_partitions(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    """A new partition can only be created with the partitioned table's indexes cloned into
    it, so an index (or key) a new partition's own is to be attached to, or one made ON ONLY
    the partitioned table, is created again after that partition: dropped first, then
    created, attaching what is declared."""
    existing = {table.name for table in current.tables}
    for parent in desired.tables:
        old_parent = current.table(parent.name)
        if parent.partitioning is None or old_parent is None:
            continue
        new = [p for p in _partitions(desired, parent.name) if p.name not in existing]
        names = {name for partition in new for name in _targets(partition)}
        for index in parent.indexes:
            if (index.name in names or (new and index.only)) and index in old_parent.indexes:
                yield DropIndex(parent.name, index, True)
                yield CreateIndex(parent.name, index, True)
        for key in parent.constraints:
            if (key.name in names or (new and key.only)) and key in old_parent.constraints:
                yield DropConstraint(parent.name, key, partitioned=True)
                yield AddConstraint(parent.name, key, partitioned=True)


def with_partitions_detached(
    operations: list[Operation], current: Catalog, desired: Catalog
) -> Iterator[Operation]:
    """Creations and drops of partitioned tables' indexes and keys carry the partitions whose
    own indexes are attached to them: to attach (ON ONLY), or to detach while dropping."""
    for operation in operations:
        match operation:
            case CreateIndex(table, index, True) | DropIndex(table, index, True):
                catalog = current if isinstance(operation, DropIndex) else desired
                name = index_name(table.name, index)
                operation = replace(operation, attached_partitions=_holding(catalog, table, name))
            case AddConstraint(table, key, partitioned=True) | DropConstraint(
                table, key, partitioned=True
            ) if key.kind in _KEYS:
                catalog = current if isinstance(operation, DropConstraint) else desired
                name = key_name(table.name, key)
                operation = replace(operation, attached_partitions=_holding(catalog, table, name))
        yield operation


def _holding(catalog: Catalog, parent: QualifiedName, name: str) -> tuple[AttachedPartition, ...]:
    holding: list[AttachedPartition] = []
    for partition in _partitions(catalog, parent):
        assert partition.partition_of is not None
        own = partition.name.name
        indexes = [index_name(own, i) for i in partition.indexes if i.attached_to == name]
        indexes += [key_name(own, c) for c in partition.constraints if c.attached_to == name]
        if indexes:
            holding.append(
                AttachedPartition(partition.name, partition.partition_of.bound, tuple(indexes))
            )
    return tuple(holding)


def _partitions(catalog: Catalog, parent: QualifiedName) -> Iterator[Table]:
    for table in catalog.tables:
        if table.partition_of is not None and table.partition_of.parent == parent:
            yield table


def _targets(partition: Table) -> set[str]:
    """The partitioned table's indexes and keys the partition's own are attached to."""
    names = {index.attached_to for index in partition.indexes if index.attached_to}
    return names | {key.attached_to for key in partition.constraints if key.attached_to}
