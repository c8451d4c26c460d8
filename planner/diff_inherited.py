"""A child's own settings on the columns it inherits: NOT NULL, default and comment.

SET/DROP NOT NULL and SET/DROP DEFAULT on a parent recurse to its children, so a child's change
is judged from the state its parents' changes leave it in. New and recreated tables get their
settings with CREATE TABLE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

from planner.diff_recreate import Recreated
from planner.model import Catalog, Column, InheritedColumnSetting, Table
from planner.operations import AlterColumn, CommentTarget, Operation, SetComment

Found = TypeVar("Found")


def inherited_column_changes(
    current: Catalog, desired: Catalog, recreated: Recreated
) -> Iterator[Operation]:
    # Parents before children: a child's ALTER must follow the parent's that recursed into it.
    for new in sorted(desired.tables, key=lambda table: _depth(desired, table)):
        old = current.table(new.name)
        if old is None or not new.parents or new.name in recreated:
            continue
        yield from _not_null_changes(current, desired, old, new)
        yield from _setting_changes(current, desired, old, new)


def overrides_before_parents_change(
    current: Catalog, desired: Catalog, recreated: Recreated
) -> Iterator[Operation]:
    """A child's own default, where its parent's default changes, first set to the parent's
    old one. The parent's SET DEFAULT then recurses over it either way; what matters is the
    reverse: in the downgrade this step comes last and brings the child's own default back
    after the parent's reversed SET DEFAULT has recursed into the child."""
    for new in desired.tables:
        old = current.table(new.name)
        if old is None or not old.inherited_settings or new.name in recreated:
            continue
        for setting in old.inherited_settings:
            parent_before = _parents_default(current, old, setting.name)
            parent_after = _parents_default(desired, new, setting.name)
            column = _inherited_column(desired, new, setting.name)
            if setting.default is None or parent_before == parent_after or column is None:
                continue
            yield AlterColumn(
                new.name,
                replace(column, default=setting.default),
                replace(column, default=parent_before),
            )


def _depth(catalog: Catalog, table: Table) -> int:
    parents = (catalog.table(name) for name in table.parents)
    return max((_depth(catalog, parent) + 1 for parent in parents if parent is not None), default=0)


def _not_null_changes(
    current: Catalog, desired: Catalog, old: Table, new: Table
) -> Iterator[Operation]:
    names = set(new.inherited_not_null) | set(old.inherited_not_null)
    for name in sorted(names):
        parent_before = _parents_not_null(current, old, name)
        parent_after = _parents_not_null(desired, new, name)
        before = name in old.inherited_not_null or parent_before
        if parent_before != parent_after:
            before = parent_after
        after = name in new.inherited_not_null or parent_after
        column = _inherited_column(desired, new, name)
        if before != after and column is not None:
            yield AlterColumn(
                new.name, replace(column, not_null=before), replace(column, not_null=after)
            )


def _parents_not_null(catalog: Catalog, table: Table, name: str) -> bool:
    """Whether a parent of the table (at any level) holds the column NOT NULL."""

    def holds(parent: Table) -> bool | None:
        column = parent.column(name)
        return True if (column and column.not_null) or name in parent.inherited_not_null else None

    return bool(_nearest_parent(catalog, table, holds))


def _inherited_column(catalog: Catalog, table: Table, name: str) -> Column | None:
    """The column as the nearest ancestor that defines it has it: name and type only."""

    def defines(parent: Table) -> Column | None:
        column = parent.column(name)
        return Column(column.name, column.type, collation=column.collation) if column else None

    return _nearest_parent(catalog, table, defines)


def _parents_default(catalog: Catalog, table: Table, name: str) -> str | None:
    """The default the column has in the nearest parent that gives it one."""

    def default(parent: Table) -> str | None:
        column = parent.column(name)
        if column is not None:
            return column.default
        setting = next((s for s in parent.inherited_settings if s.name == name), None)
        return setting.default if setting else None

    return _nearest_parent(catalog, table, default)


def _nearest_parent(
    catalog: Catalog, table: Table, look: Callable[[Table], Found | None]
) -> Found | None:
    """What `look` finds first among the table's ancestors, depth first in inheritance order."""
    for parent_name in table.parents:
        parent = catalog.table(parent_name)
        if parent is None:
            continue
        found = look(parent)
        if found is None:
            found = _nearest_parent(catalog, parent, look)
        if found is not None:
            return found
    return None


def _setting_changes(
    current: Catalog, desired: Catalog, old: Table, new: Table
) -> Iterator[Operation]:
    old_settings = {setting.name: setting for setting in old.inherited_settings}
    new_settings = {setting.name: setting for setting in new.inherited_settings}
    for name in sorted(old_settings.keys() | new_settings.keys()):
        before = old_settings.get(name, InheritedColumnSetting(name))
        after = new_settings.get(name, InheritedColumnSetting(name))
        column = _inherited_column(desired, new, name)
        if column is None:
            continue
        parent_before = _parents_default(current, old, name)
        parent_after = _parents_default(desired, new, name)
        default_before = before.default if before.default is not None else parent_before
        if parent_before != parent_after:
            default_before = parent_after
        default_after = after.default if after.default is not None else parent_after
        if default_before != default_after:
            yield AlterColumn(
                new.name,
                replace(column, default=default_before),
                replace(column, default=default_after),
            )
        if before.comment != after.comment:
            target = CommentTarget("COLUMN", new.name, name)
            yield SetComment(target, before.comment, after.comment)
