"""`grants:` mappings in declarations → Privilege values (the complete set for the object)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planner.model import Privilege, QualifiedName
from planner.quoting import quote_identifier

if TYPE_CHECKING:
    from planner.declare import Source

# Privileges GRANT accepts per object kind (ALL is not accepted: its meaning grows with
# PostgreSQL versions, which would make a declaration mean different things).
_ALLOWED = {
    "TABLE": {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "TRUNCATE",
        "REFERENCES",
        "TRIGGER",
        "MAINTAIN",
    },
    "COLUMN": {"SELECT", "INSERT", "UPDATE", "REFERENCES"},
    "SEQUENCE": {"USAGE", "SELECT", "UPDATE"},
    "FUNCTION": {"EXECUTE"},
    "PROCEDURE": {"EXECUTE"},
    "TYPE": {"USAGE"},
    "DOMAIN": {"USAGE"},
    "SCHEMA": {"USAGE", "CREATE"},
}


def privileges(
    spec: Mapping[str, Any] | None,
    kind: str,
    name: QualifiedName,
    member: str,
    source: Source,
) -> list[Privilege]:
    result: list[Privilege] = []
    for role, entry in (spec or {}).items():
        names = entry if isinstance(entry, list) else entry["privileges"]
        grantable = False if isinstance(entry, list) else entry.get("with_grant_option", False)
        grantee = "PUBLIC" if role.upper() == "PUBLIC" else quote_identifier(role)
        for privilege in names:
            word = privilege.upper()
            item_grantable = grantable
            if word.endswith(" WITH GRANT OPTION"):
                word, item_grantable = word.removesuffix(" WITH GRANT OPTION").strip(), True
            if word not in _ALLOWED[kind]:
                allowed = ", ".join(sorted(p.lower() for p in _ALLOWED[kind]))
                raise source.error(
                    f"grants: {privilege!r} cannot be granted on a {kind.lower()} "
                    f"(allowed: {allowed})"
                )
            result.append(Privilege(kind, name, member, grantee, word, item_grantable))
    return result
