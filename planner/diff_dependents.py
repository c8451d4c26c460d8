"""Objects that must be dropped and created again because something they use changes.

PostgreSQL refuses to drop or retype what a view, rule, trigger, policy or function still uses;
the planner therefore recreates those dependents around the change (found through pg_depend
in the current catalog, transitively).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from planner.diff_objects import create_view, drop_view
from planner.model import Catalog, ObjectKey, QualifiedName, Rule, Trigger
from planner.operations import (
    AddConstraint,
    AlterColumn,
    CreateFunction,
    CreatePolicy,
    CreateRule,
    CreateTrigger,
    CreateView,
    DropConstraint,
    DropFunction,
    DropPolicy,
    DropRule,
    DropTrigger,
    DropView,
    Grant,
    Operation,
    ReplaceEnum,
    ReplaceFunction,
    Revoke,
)
from planner.ordering import DependencyIndex, column, removes
from planner.privileges import is_default, object_of


def recreate_dependents(
    operations: list[Operation], current: Catalog, desired: Catalog
) -> list[Operation]:
    handled = _already_recreated(operations)
    extra: list[Operation] = []

    def recreate(dependent: ObjectKey) -> list[ObjectKey]:
        gone: list[ObjectKey] = []
        for operation in recreate_dependent(dependent, current, desired, handled):
            extra.append(operation)
            gone.extend(removes(operation))
        return gone

    DependencyIndex.of(current).walk_dependents(_changed_keys(operations), recreate)
    return operations + extra


def with_grants_of_recreated(
    operations: list[Operation], current: Catalog, desired: Catalog
) -> list[Operation]:
    """A view or function made again has only what CREATE gives: its grants come back. The
    old ones are revoked before the drop, so that the downgrade grants them again after it
    has made the old object again."""
    granted = {op.privilege for op in operations if isinstance(op, Grant)}
    revoked = {op.privilege for op in operations if isinstance(op, Revoke)}
    creates = [op for op in operations if isinstance(op, CreateView | CreateFunction)]
    revokes = [
        Revoke(grant.privilege)
        for grant in regrants(creates, current)
        if grant.privilege not in revoked
    ]
    grants = [grant for grant in regrants(creates, desired) if grant.privilege not in granted]
    return operations + revokes + grants


def _changed_keys(operations: Iterable[Operation]) -> Iterator[ObjectKey]:
    for operation in operations:
        yield from removes(operation)
        if isinstance(operation, AlterColumn) and (
            (operation.old.type, operation.old.collation)
            != (operation.new.type, operation.new.collation)
        ):
            yield column(operation.table, operation.new.name)
        if isinstance(operation, ReplaceEnum):
            yield from (column(usage.table, usage.column) for usage in operation.usages)


def _already_recreated(operations: Iterable[Operation]) -> set[tuple[str, ...]]:
    handled: set[tuple[str, ...]] = set()
    for operation in operations:
        match operation:
            case DropView(view):
                handled.add(("view", str(view.name)))
            case DropTrigger(table, trigger):
                handled.add(("trigger", str(table), trigger.name))
            case DropRule(table, rule):
                handled.add(("rule", str(table), rule.name))
            case DropPolicy(table, policy):
                handled.add(("policy", str(table), policy.name))
            case DropFunction(function) | ReplaceFunction(new=function):
                handled.add(("function", function.signature))
            case DropConstraint(table, constraint):
                handled.add(("constraint", str(table), constraint.name or ""))
    return handled


def recreate_dependent(
    dependent: ObjectKey, current: Catalog, desired: Catalog, handled: set[tuple[str, ...]]
) -> Iterator[Operation]:
    kind, schema, name, member = dependent
    qualified = QualifiedName(schema, name)
    if kind == "relation" and member == "":
        yield from _recreate_view(qualified, current, desired, handled)
    elif kind == "relation" and member.startswith(("trigger:", "rule:")):
        member_kind, member_name = member.split(":", 1)
        yield from _recreate_member(qualified, member_kind, member_name, current, desired, handled)
    elif kind == "relation" and member.startswith("policy:"):
        yield from _recreate_policy(qualified, member.split(":", 1)[1], current, desired, handled)
    elif kind == "function":
        yield from _recreate_function(qualified, member, current, desired, handled)
    elif kind == "relation" and member.startswith("constraint:"):
        yield from _recreate_constraint(
            qualified, member.split(":", 1)[1], current, desired, handled
        )


def _recreate_view(
    name: QualifiedName, current: Catalog, desired: Catalog, handled: set[tuple[str, ...]]
) -> Iterator[Operation]:
    key = ("view", str(name))
    old, new = current.view(name), desired.view(name)
    if old is None or new is None or key in handled:
        return
    handled.add(key)
    yield from drop_view(old)
    yield from create_view(new)


def _recreate_member(
    table: QualifiedName,
    kind: str,
    name: str,
    current: Catalog,
    desired: Catalog,
    handled: set[tuple[str, ...]],
) -> Iterator[Operation]:
    """A trigger or rule of a table or view, dropped and made again."""
    key = (kind, str(table), name)
    if key in handled:
        return
    old = next((m for m in _members_on(current, table, kind) if m.name == name), None)
    new = next((m for m in _members_on(desired, table, kind) if m.name == name), None)
    if old is None or new is None:
        return
    handled.add(key)
    if isinstance(old, Trigger) and isinstance(new, Trigger):
        yield DropTrigger(table, old)
        yield CreateTrigger(table, new)
    elif isinstance(old, Rule) and isinstance(new, Rule):
        yield DropRule(table, old)
        yield CreateRule(table, new)


def _members_on(
    catalog: Catalog, name: QualifiedName, kind: str
) -> tuple[Trigger, ...] | tuple[Rule, ...]:
    relation = catalog.table(name) or catalog.view(name)
    if relation is None:
        return ()
    return relation.triggers if kind == "trigger" else relation.rules


def _recreate_policy(
    table: QualifiedName,
    policy_name: str,
    current: Catalog,
    desired: Catalog,
    handled: set[tuple[str, ...]],
) -> Iterator[Operation]:
    key = ("policy", str(table), policy_name)
    old_table, new_table = current.table(table), desired.table(table)
    if old_table is None or new_table is None or key in handled:
        return
    old = next((p for p in old_table.policies if p.name == policy_name), None)
    new = next((p for p in new_table.policies if p.name == policy_name), None)
    if old is None or new is None:
        return
    handled.add(key)
    yield DropPolicy(table, old)
    yield CreatePolicy(table, new)


def _recreate_function(
    name: QualifiedName,
    arguments: str,
    current: Catalog,
    desired: Catalog,
    handled: set[tuple[str, ...]],
) -> Iterator[Operation]:
    signature = f"{name}({arguments})"
    key = ("function", signature)
    old = next((f for f in current.functions if f.signature == signature), None)
    new = next((f for f in desired.functions if f.signature == signature), None)
    if old is None or new is None or key in handled:
        return
    handled.add(key)
    yield DropFunction(old)
    yield CreateFunction(new)


def _recreate_constraint(
    table: QualifiedName,
    constraint_name: str,
    current: Catalog,
    desired: Catalog,
    handled: set[tuple[str, ...]],
) -> Iterator[Operation]:
    """A foreign key (or check) whose referenced table or function is dropped and made again."""
    key = ("constraint", str(table), constraint_name)
    old_table, new_table = current.table(table), desired.table(table)
    if old_table is None or new_table is None or key in handled:
        return
    old = next((c for c in old_table.constraints if c.name == constraint_name), None)
    new = next((c for c in new_table.constraints if c.name == constraint_name), None)
    if old is None or new is None:
        return
    handled.add(key)
    partitioned = new_table.partitioning is not None
    yield DropConstraint(table, old, partitioned=partitioned)
    yield AddConstraint(table, new, partitioned=partitioned)


def regrants(creates: Iterable[Operation], catalog: Catalog) -> Iterator[Grant]:
    """Privileges a recreated view or function had beyond what CREATE gives by itself."""
    identities = set()
    for operation in creates:
        for kind, schema, name, member in removes(operation.reverse()):
            if kind == "relation" and member == "":
                identities.add(("TABLE", QualifiedName(schema, name), ""))
            elif kind == "function":
                identities.add(("FUNCTION", QualifiedName(schema, name), member))
                identities.add(("PROCEDURE", QualifiedName(schema, name), member))
    for privilege in sorted(catalog.privileges):
        if object_of(privilege) in identities and not is_default(privilege):
            yield Grant(privilege)
