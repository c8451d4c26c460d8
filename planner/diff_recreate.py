"""Tables the plan drops and creates again rather than alters.

PostgreSQL cannot (re)partition a table or move it between parents in place, nor put a
column anywhere but last. Such a table is dropped and created again; with it go its
partitions and inheriting tables, its privileges, and (unless the rows are kept, which only a
rebuild for the column order does) its data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from planner.diff_sets import differences
from planner.model import Catalog, Constraint, ConstraintKind, Privilege, QualifiedName, Table
from planner.normalize import comparable_optional
from planner.operations import (
    AddConstraint,
    CreatePolicy,
    CreateRule,
    CreateStatistics,
    CreateTable,
    CreateTrigger,
    DropConstraint,
    DropPolicy,
    DropRule,
    DropStatistics,
    DropTable,
    DropTrigger,
    Grant,
    Operation,
    RestoreRows,
    Revoke,
    SaveRows,
    SetSequenceOwner,
)
from planner.privileges import object_of


class ColumnOrder(StrEnum):
    """What a plan does when appending cannot give a table its declared column order."""

    # New columns go last, as ALTER TABLE ADD COLUMN puts them; the order is no difference.
    APPEND = "append"
    # The table is rebuilt with its columns in the declared order, its rows copied back.
    REBUILD = "rebuild"


@dataclass(frozen=True)
class Recreated:
    """`emptied`: recreated without their rows (repartitioned, and their descendants);
    `rebuilt`: recreated with their rows, for the column order."""

    emptied: frozenset[QualifiedName] = frozenset()
    rebuilt: frozenset[QualifiedName] = frozenset()

    def __contains__(self, name: object) -> bool:
        return name in self.emptied or name in self.rebuilt


def tables_to_recreate(current: Catalog, desired: Catalog, column_order: ColumnOrder) -> Recreated:
    _, _, kept = differences(current.tables, desired.tables, lambda t: t.name)
    # Dropping a table drops its partitions (and needs its inheriting tables gone), so those
    # are made again with it.
    emptied = {old.name for old, new in kept if _family(old) != _family(new)}
    emptied |= current.descendants(emptied)
    rebuilt: set[QualifiedName] = set()
    if column_order is ColumnOrder.REBUILD:
        parents = {parent for table in current.tables for parent in table.parents}
        rebuilt = {
            old.name
            for old, new in kept
            if old.name not in emptied
            and order_after_appending(old, new) != [c.name for c in new.columns]
            and _rebuildable(old, new, parents)
        }
    return Recreated(frozenset(emptied), frozenset(rebuilt))


def order_after_appending(old: Table, new: Table) -> list[str]:
    """The column order ALTER TABLE leaves: the kept columns where they are, then the added
    ones, then those dropped and added again to change whether they are generated."""
    wanted = {column.name for column in new.columns}
    regenerated = set()
    for column in old.columns:
        other = new.column(column.name)
        if other is not None and comparable_optional(column.generated) != comparable_optional(
            other.generated
        ):
            regenerated.add(column.name)
    kept = [c.name for c in old.columns if c.name in wanted and c.name not in regenerated]
    added = [c.name for c in new.columns if old.column(c.name) is None]
    return kept + added + [c.name for c in old.columns if c.name in regenerated]


def _rebuildable(old: Table, new: Table, parents: set[QualifiedName]) -> bool:
    """Rows can be copied back simply into a table without partitions, parents or children."""
    tables = (old, new)
    if any(t.partitioning or t.partition_of or t.inherits for t in tables):
        return False
    return old.name not in parents


def recreate_table(
    current: Catalog, desired: Catalog, old: Table, new: Table, *, keep_rows: bool
) -> Iterator[Operation]:
    owned = _owned_sequences(current, desired, old.name)
    yield from (SetSequenceOwner(name, owner, None) for name, owner in owned)
    yield from (Revoke(privilege) for privilege in _privileges_on(current, old.name))
    yield from (DropPolicy(old.name, policy, True) for policy in old.policies)
    yield from (DropRule(old.name, rule, True) for rule in old.rules)
    yield from (DropTrigger(old.name, trigger, True) for trigger in old.triggers)
    yield from (DropStatistics(old.name, statistics, True) for statistics in old.statistics)
    yield from (DropConstraint(old.name, fk, True) for fk in foreign_keys(old))
    if keep_rows:
        yield SaveRows(bare_table(old), bare_table(new))
    yield DropTable(bare_table(old), keep_rows)
    yield CreateTable(bare_table(new), keep_rows)
    if keep_rows:
        yield RestoreRows(bare_table(old), bare_table(new))
    yield from (AddConstraint(new.name, fk, True) for fk in foreign_keys(new))
    yield from (CreateTrigger(new.name, trigger, True) for trigger in new.triggers)
    yield from (CreateStatistics(new.name, statistics, True) for statistics in new.statistics)
    yield from (CreateRule(new.name, rule, True) for rule in new.rules)
    yield from (CreatePolicy(new.name, policy, True) for policy in new.policies)
    yield from (Grant(privilege) for privilege in _privileges_on(desired, new.name))
    yield from (SetSequenceOwner(name, None, owner) for name, owner in owned)


def _privileges_on(catalog: Catalog, table: QualifiedName) -> Iterable[Privilege]:
    return (p for p in catalog.privileges if object_of(p) == ("TABLE", table, ""))


def foreign_keys(table: Table) -> list[Constraint]:
    return [c for c in table.constraints if c.kind is ConstraintKind.FOREIGN_KEY]


def bare_table(table: Table) -> Table:
    """The table as CREATE TABLE makes it: foreign keys, triggers, rules and policies come
    later."""
    constraints = tuple(c for c in table.constraints if c.kind is not ConstraintKind.FOREIGN_KEY)
    return replace(table, constraints=constraints, triggers=(), policies=(), rules=())


def _family(table: Table) -> tuple[object, ...]:
    return (table.partitioning, table.partition_of, table.inherits)


def _owned_sequences(
    current: Catalog, desired: Catalog, table: QualifiedName
) -> list[tuple[QualifiedName, tuple[QualifiedName, str]]]:
    """Sequences the table owns now and will own again (DROP TABLE would take them along)."""
    wanted = {s.name: s.owned_by for s in desired.sequences}
    return [
        (sequence.name, sequence.owned_by)
        for sequence in current.sequences
        if sequence.owned_by is not None
        and sequence.owned_by[0] == table
        and wanted.get(sequence.name) == sequence.owned_by
    ]
