"""Object owners: which object each operation makes or removes, and the ALTER … OWNER TO a plan
needs around them.

An owner is managed only where declared: the desired catalog holds only declared owners, the
current one (introspected) every owner. A new or recreated object belongs to the role running
the plan, so a declared owner is set right after it is created; before an object owned by
another role is dropped it is handed to the running role, whose reverse (in the downgrade)
gives the recreated object its owner back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from planner.model import Catalog, Function, Ownership, QualifiedName
from planner.operations import (
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateFunction,
    CreateSequence,
    CreateTable,
    CreateView,
    DropCompositeType,
    DropDomain,
    DropEnum,
    DropFunction,
    DropSequence,
    DropTable,
    DropView,
    Operation,
    ReplaceEnum,
    SetOwner,
)

OwnedObject = tuple[str, QualifiedName, str]
ROUTINE_KINDS = frozenset({"FUNCTION", "PROCEDURE", "AGGREGATE"})


def owned_object(ownership: Ownership) -> OwnedObject:
    return ownership.object_kind, ownership.object_name, ownership.member


def routine_kind(function: Function) -> str:
    return function.kind.upper()


def owner_changes(
    operations: Iterable[Operation], current: Catalog, desired: Catalog
) -> list[Operation]:
    """SetOwner operations for declared owners that differ, and around created/dropped objects."""
    operations = list(operations)
    before = {owned_object(o): o.owner for o in current.owners}
    created = {key for op in operations for key in _created(op)}
    dropped = {key for op in operations for key in _dropped(op)}
    changes: list[Operation] = []
    for key in sorted(dropped, key=_sort_key):
        owner = before.get(key)
        if owner is not None and owner != current.reader:
            changes.append(SetOwner(*key, owner, None))
    for ownership in desired.owners:
        key = owned_object(ownership)
        old = None if key in created else before.get(key)
        if key in created or (old is not None and old != ownership.owner):
            changes.append(SetOwner(*key, old, ownership.owner))
    return changes


def _sort_key(key: OwnedObject) -> tuple[str, str, str, str]:
    return key[0], key[1].schema, key[1].name, key[2]


def _created(operation: Operation) -> Iterator[OwnedObject]:
    match operation:
        case CreateTable(table=table):
            yield "TABLE", table.name, ""
        case CreateView(view=view):
            yield ("MATERIALIZED VIEW" if view.materialized else "VIEW"), view.name, ""
        case CreateSequence(sequence=sequence):
            yield "SEQUENCE", sequence.name, ""
        case CreateFunction(function=function):
            yield routine_kind(function), function.name, function.arguments or ""
        case CreateEnum(enum=enum) | ReplaceEnum(after=enum):
            yield "TYPE", enum.name, ""
        case CreateCompositeType(type=composite):
            yield "TYPE", composite.name, ""
        case CreateDomain(domain=domain):
            yield "DOMAIN", domain.name, ""


def _dropped(operation: Operation) -> Iterator[OwnedObject]:
    match operation:
        case DropTable(table=table):
            yield "TABLE", table.name, ""
        case DropView(view=view):
            yield ("MATERIALIZED VIEW" if view.materialized else "VIEW"), view.name, ""
        case DropSequence(sequence=sequence):
            yield "SEQUENCE", sequence.name, ""
        case DropFunction(function=function):
            yield routine_kind(function), function.name, function.arguments or ""
        case DropEnum(enum=enum) | ReplaceEnum(enum=enum):
            yield "TYPE", enum.name, ""
        case DropCompositeType(type=composite):
            yield "TYPE", composite.name, ""
        case DropDomain(domain=domain):
            yield "DOMAIN", domain.name, ""


def declared_owners(canonical: Catalog, declared: Catalog) -> tuple[Ownership, ...]:
    """The canonical catalog's owners of the objects whose owner is declared.

    A routine is declared with its arguments as written: it is the canonical routine of the
    same arguments, else the only one of its name.
    """
    wanted = {owned_object(o) for o in declared.owners}
    overloads: dict[tuple[str, QualifiedName], int] = {}
    for ownership in canonical.owners:
        if ownership.object_kind in ROUTINE_KINDS:
            name = (ownership.object_kind, ownership.object_name)
            overloads[name] = overloads.get(name, 0) + 1
    named = {(kind, name) for kind, name, _ in wanted}

    def kept(ownership: Ownership) -> bool:
        if owned_object(ownership) in wanted:
            return True
        name = (ownership.object_kind, ownership.object_name)
        return ownership.object_kind in ROUTINE_KINDS and name in named and overloads[name] == 1

    return tuple(o for o in canonical.owners if kept(o))
