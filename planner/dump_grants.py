"""Privileges → `grants:` mappings, for objects whose privileges are not PostgreSQL's defaults."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.dump_yaml import Flow
from planner.model import Catalog, Privilege, QualifiedName
from planner.privileges import ObjectIdentity, object_of

_STANDARD_PUBLIC_SCHEMA = {("PUBLIC", "USAGE", False)}


@dataclass
class GrantsIndex:
    by_object: dict[ObjectIdentity, list[Privilege]] = field(default_factory=dict)
    by_column: dict[tuple[QualifiedName, str], list[Privilege]] = field(default_factory=dict)
    # Owners other than the role that read the catalog (who owns what it creates anyway).
    owners: dict[tuple[str, QualifiedName, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, catalog: Catalog) -> GrantsIndex:
        by_object: dict[ObjectIdentity, list[Privilege]] = {
            i: [] for i in catalog.explicit_privileges
        }
        by_column: dict[tuple[QualifiedName, str], list[Privilege]] = defaultdict(list)
        for privilege in catalog.privileges:
            if privilege.object_kind == "COLUMN":
                by_column[(privilege.object_name, privilege.member)].append(privilege)
            elif object_of(privilege) in by_object:
                by_object[object_of(privilege)].append(privilege)
        public_schema = ("SCHEMA", QualifiedName("public", ""), "")
        held = {(p.grantee, p.privilege, p.grantable) for p in by_object.get(public_schema, [])}
        if held == _STANDARD_PUBLIC_SCHEMA:
            del by_object[public_schema]
        owners = {
            (o.object_kind, o.object_name, o.member): role_name(o.owner)
            for o in catalog.owners
            if o.owner != catalog.reader
        }
        return cls(by_object, dict(by_column), owners)

    def for_object(self, kind: str, name: QualifiedName, member: str = "") -> dict[str, Any] | None:
        privileges = self.by_object.get((kind, name, member))
        return None if privileges is None else grants_document(privileges)

    def extras(
        self, kind: str, name: QualifiedName, member: str = "", *, owned_as: str | None = None
    ) -> dict[str, Any]:
        """`owner:` and `grants:` of an object; `owned_as` is ALTER's keyword where GRANT's
        differs (views are tables to GRANT)."""
        found: dict[str, Any] = {}
        owner = self.owners.get((owned_as or kind, name, member))
        if owner is not None:
            found["owner"] = owner
        grants = self.for_object(kind, name, member)
        if grants is not None:
            found["grants"] = grants
        return found

    def for_column(self, table: QualifiedName, column: str) -> dict[str, Any] | None:
        privileges = self.by_column.get((table, column))
        return None if not privileges else grants_document(privileges)


def grants_document(privileges: list[Privilege]) -> dict[str, Any]:
    roles: dict[str, list[str]] = defaultdict(list)
    for privilege in sorted(privileges):
        word = privilege.privilege.lower()
        roles[role_name(privilege.grantee)].append(
            f"{word} with grant option" if privilege.grantable else word
        )
    return {role: Flow(words) for role, words in roles.items()}


def role_name(grantee: str) -> str:
    if grantee.startswith('"') and grantee.endswith('"'):
        return grantee[1:-1].replace('""', '"')
    return grantee
