"""Privileges: which object each belongs to, which PostgreSQL grants by itself, and how the
declared privileges of an object are made exact."""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import replace

from planner.model import Catalog, Privilege, QualifiedName
from planner.operations import Grant, Operation, Revoke

ObjectIdentity = tuple[str, QualifiedName, str]

# What CREATE gives PUBLIC on its own, per GRANT object kind.
_PUBLIC_DEFAULTS = {
    "FUNCTION": "EXECUTE",
    "PROCEDURE": "EXECUTE",
    "TYPE": "USAGE",
    "DOMAIN": "USAGE",
}
_ROLE_KEYWORDS = {"PUBLIC", "public", "current_user", "current_role", "session_user"}


def object_of(privilege: Privilege) -> ObjectIdentity:
    """The object a privilege is on (a column privilege belongs to its table)."""
    if privilege.object_kind == "COLUMN":
        return "TABLE", privilege.object_name, ""
    return privilege.object_kind, privilege.object_name, privilege.member


def is_default(privilege: Privilege) -> bool:
    return (
        privilege.grantee == "PUBLIC"
        and not privilege.grantable
        and _PUBLIC_DEFAULTS.get(privilege.object_kind) == privilege.privilege
    )


def privileged_objects(catalog: Catalog) -> set[ObjectIdentity]:
    objects: set[ObjectIdentity] = {("TABLE", table.name, "") for table in catalog.tables}
    objects |= {("TABLE", view.name, "") for view in catalog.views}
    objects |= {("SEQUENCE", sequence.name, "") for sequence in catalog.sequences}
    objects |= {("TYPE", enum.name, "") for enum in catalog.enums}
    objects |= {("TYPE", composite.name, "") for composite in catalog.composite_types}
    objects |= {("DOMAIN", domain.name, "") for domain in catalog.domains}
    objects |= {("SCHEMA", QualifiedName(s.name, ""), "") for s in catalog.schemas}
    for function in catalog.functions:
        kind = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        objects.add((kind, function.name, function.arguments or ""))
    return objects


def privilege_changes(
    current: Catalog, desired: Catalog, recreated: Container[QualifiedName] = ()
) -> Iterator[Operation]:
    """Grants and revokes; those on `recreated` tables go with the recreation."""

    def kept(privilege: Privilege) -> bool:
        kind, name, _ = object_of(privilege)
        return kind != "TABLE" or name not in recreated

    before = set(filter(kept, current.privileges))
    after = set(filter(kept, desired.privileges))
    existed, remains = privileged_objects(current), privileged_objects(desired)
    # What PostgreSQL grants by itself on CREATE (and takes away on DROP) is not planned.
    for privilege in sorted(before - after):
        if object_of(privilege) in remains or not is_default(privilege):
            yield Revoke(privilege)
    for privilege in sorted(after - before):
        if object_of(privilege) in existed or not is_default(privilege):
            yield Grant(privilege)
    created = (remains - existed) & desired.explicit_privileges
    for privilege in _defaults_taken_away(created, after):
        yield Revoke(privilege, from_new_object=True)


def _defaults_taken_away(
    created: set[ObjectIdentity], after: set[Privilege]
) -> Iterator[Privilege]:
    """What CREATE gives PUBLIC on a new object whose declared privileges leave it out."""
    for kind, name, member in sorted(created):
        privilege = _PUBLIC_DEFAULTS.get(kind)
        if privilege is None:
            continue
        default = Privilege(kind, name, member, "PUBLIC", privilege)
        if default not in after:
            yield default


def reconciliation(actual: Catalog, declared: Catalog) -> list[Operation]:
    """Grants and revokes that make objects with declared privileges hold exactly those.

    Declared function arguments are as written; PostgreSQL's identity arguments replace them.
    """
    renamed = _function_identities(actual, declared)
    declared_objects = {
        renamed.get(identity, identity) for identity in declared.explicit_privileges
    }
    wanted = {_renamed(p, renamed) for p in declared.privileges}
    wanted = {p for p in wanted if object_of(p) in declared_objects}
    present = {p for p in actual.privileges if object_of(p) in declared_objects}
    operations: list[Operation] = [Revoke(p) for p in sorted(present - wanted)]
    operations += [Grant(p) for p in sorted(wanted - present)]
    return operations


def roles_named(catalog: Catalog) -> set[str]:
    """Quoted role names the catalog grants to, writes policies for or makes owners."""
    roles = {privilege.grantee for privilege in catalog.privileges}
    roles |= {ownership.owner for ownership in catalog.owners}
    for table in catalog.tables:
        for policy in table.policies:
            roles |= set(policy.roles)
    return {role for role in roles if role not in _ROLE_KEYWORDS}


def _function_identities(
    actual: Catalog, declared: Catalog
) -> dict[ObjectIdentity, ObjectIdentity]:
    canonical: dict[QualifiedName, list[str]] = {}
    for function in actual.functions:
        canonical.setdefault(function.name, []).append(function.arguments or "")
    mapping: dict[ObjectIdentity, ObjectIdentity] = {}
    for function in declared.functions:
        overloads = canonical.get(function.name, [])
        kind = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        written = function.arguments or ""
        if written in overloads:
            continue
        if len(overloads) == 1:
            mapping[(kind, function.name, written)] = (kind, function.name, overloads[0])
    return mapping


def _renamed(privilege: Privilege, renamed: dict[ObjectIdentity, ObjectIdentity]) -> Privilege:
    target = renamed.get((privilege.object_kind, privilege.object_name, privilege.member))
    if target is None:
        return privilege
    return replace(privilege, member=target[2])
