"""SQL for collations, domains, composite types and extension changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from planner.hazards import HazardKind, deletes, hazard
from planner.model import Collation, CompositeAttribute, Domain, DomainCheck, Privilege
from planner.operations import (
    AlterCompositeType,
    AlterDomain,
    AlterExtension,
    CommentTarget,
    CreateCollation,
    CreateCompositeType,
    CreateDomain,
    DropCollation,
    DropCompositeType,
    DropDomain,
    Grant,
    ReplaceCollation,
    Revoke,
)
from planner.quoting import quote_identifier, quote_literal, quote_qualified
from planner.render.statements import Statement, comment_statement
from planner.reparse import stable


def _create_collation(operation: CreateCollation) -> Iterator[Statement]:
    collation = operation.collation
    name = quote_qualified(collation.name)
    yield Statement(f"CREATE COLLATION {name} ({', '.join(_collation_options(collation))})")
    if collation.comment is not None:
        yield comment_statement(CommentTarget("COLLATION", collation.name), collation.comment)


def _collation_options(collation: Collation) -> Iterator[str]:
    yield f"provider = {collation.provider}"
    if collation.locale is not None:
        yield f"locale = {quote_literal(collation.locale)}"
    if collation.lc_collate is not None:
        yield f"lc_collate = {quote_literal(collation.lc_collate)}"
    if collation.lc_ctype is not None:
        yield f"lc_ctype = {quote_literal(collation.lc_ctype)}"
    if not collation.deterministic:
        yield "deterministic = false"
    if collation.rules is not None:
        yield f"rules = {quote_literal(collation.rules)}"


def _drop_collation(operation: DropCollation) -> Iterator[Statement]:
    yield Statement(f"DROP COLLATION {quote_qualified(operation.collation.name)}")


def _replace_collation(operation: ReplaceCollation) -> Iterator[Statement]:
    yield from _drop_collation(DropCollation(operation.old))
    yield from _create_collation(CreateCollation(operation.new))


def _check_clause(check: DomainCheck) -> str:
    clause = f"CHECK ({stable(check.expression)})"
    return f"CONSTRAINT {quote_identifier(check.name)} {clause}" if check.name else clause


def _create_domain(operation: CreateDomain) -> Iterator[Statement]:
    domain = operation.domain
    parts = [f"CREATE DOMAIN {quote_qualified(domain.name)} AS {domain.base_type}"]
    if domain.collation:
        parts.append(f"COLLATE {domain.collation}")
    if domain.default is not None:
        parts.append(f"DEFAULT {stable(domain.default)}")
    if domain.not_null:
        parts.append("NOT NULL")
    parts += [_check_clause(check) for check in domain.checks if check.validated]
    yield Statement(" ".join(parts))
    for check in domain.checks:
        if not check.validated:
            yield Statement(
                f"ALTER DOMAIN {quote_qualified(domain.name)} ADD {_check_clause(check)} NOT VALID"
            )
    if domain.comment is not None:
        yield comment_statement(CommentTarget("DOMAIN", domain.name), domain.comment)


def _drop_domain(operation: DropDomain) -> Iterator[Statement]:
    name = operation.domain.name
    yield Statement(f"DROP DOMAIN {quote_qualified(name)}", hazards=deletes(f"domain {name}"))


def _alter_domain(operation: AlterDomain) -> Iterator[Statement]:
    old, new = operation.old, operation.new
    prefix = f"ALTER DOMAIN {quote_qualified(new.name)}"
    if old.default != new.default:
        action = f"SET DEFAULT {stable(new.default)}" if new.default is not None else "DROP DEFAULT"
        yield Statement(f"{prefix} {action}")
    scans = hazard(HazardKind.SCANS_TABLE, f"checks every column of type {new.name}")
    if old.not_null != new.not_null:
        setting = "SET" if new.not_null else "DROP"
        yield Statement(f"{prefix} {setting} NOT NULL", hazards=scans if new.not_null else ())
    yield from _domain_check_changes(prefix, old, new)


def _domain_check_changes(prefix: str, old: Domain, new: Domain) -> Iterator[Statement]:
    kept = set(old.checks) & set(new.checks)
    for check in old.checks:
        if check not in kept and check.name:
            yield Statement(f"{prefix} DROP CONSTRAINT {quote_identifier(check.name)}")
    for check in new.checks:
        if check not in kept:
            not_valid = "" if check.validated else " NOT VALID"
            hazards = hazard(HazardKind.SCANS_TABLE, "checks every column using the domain")
            yield Statement(
                f"{prefix} ADD {_check_clause(check)}{not_valid}",
                hazards=hazards if check.validated else (),
            )


def _attribute(attribute: CompositeAttribute) -> str:
    collate = f" COLLATE {attribute.collation}" if attribute.collation else ""
    return f"{quote_identifier(attribute.name)} {attribute.type}{collate}"


def _create_composite(operation: CreateCompositeType) -> Iterator[Statement]:
    composite = operation.type
    attributes = ", ".join(_attribute(attribute) for attribute in composite.attributes)
    yield Statement(f"CREATE TYPE {quote_qualified(composite.name)} AS ({attributes})")
    if composite.comment is not None:
        yield comment_statement(CommentTarget("TYPE", composite.name), composite.comment)


def _drop_composite(operation: DropCompositeType) -> Iterator[Statement]:
    name = operation.type.name
    yield Statement(f"DROP TYPE {quote_qualified(name)}", hazards=deletes(f"type {name}"))


def _alter_composite(operation: AlterCompositeType) -> Iterator[Statement]:
    old = {attribute.name: attribute for attribute in operation.old.attributes}
    new = {attribute.name: attribute for attribute in operation.new.attributes}
    actions = [f"DROP ATTRIBUTE {quote_identifier(name)}" for name in old if name not in new]
    for name, attribute in new.items():
        if name not in old:
            actions.append(f"ADD ATTRIBUTE {_attribute(attribute)}")
        elif old[name] != attribute:
            collate = f" COLLATE {attribute.collation}" if attribute.collation else ""
            actions.append(
                f"ALTER ATTRIBUTE {quote_identifier(name)} TYPE {attribute.type}{collate}"
            )
    if actions:
        yield Statement(f"ALTER TYPE {quote_qualified(operation.new.name)} {', '.join(actions)}")


def _alter_extension(operation: AlterExtension) -> Iterator[Statement]:
    old, new = operation.old, operation.new
    name = quote_identifier(new.name)
    if old.schema != new.schema:
        yield Statement(f"ALTER EXTENSION {name} SET SCHEMA {quote_identifier(new.schema)}")
    if new.version and old.version != new.version:
        reason = "extension scripts rarely offer a way back to the older version"
        yield Statement(
            f"ALTER EXTENSION {name} UPDATE TO {quote_literal(new.version)}",
            hazards=hazard(HazardKind.NOT_REVERSIBLE, reason),
        )


RENDERERS: dict[type, Callable[[Any], Iterator[Statement]]] = {
    CreateCollation: _create_collation,
    DropCollation: _drop_collation,
    ReplaceCollation: _replace_collation,
    CreateDomain: _create_domain,
    DropDomain: _drop_domain,
    AlterDomain: _alter_domain,
    CreateCompositeType: _create_composite,
    DropCompositeType: _drop_composite,
    AlterCompositeType: _alter_composite,
    AlterExtension: _alter_extension,
}


def privilege_target(privilege: Privilege) -> str:
    name = privilege.object_name
    if privilege.object_kind == "SCHEMA":
        return f"SCHEMA {quote_identifier(name.schema)}"
    if privilege.object_kind in ("FUNCTION", "PROCEDURE"):
        return f"{privilege.object_kind} {quote_qualified(name)}({privilege.member})"
    if privilege.object_kind == "COLUMN":
        return f"TABLE {quote_qualified(name)}"
    return f"{privilege.object_kind} {quote_qualified(name)}"


def _privilege_words(privilege: Privilege) -> str:
    if privilege.object_kind == "COLUMN":
        return f"{privilege.privilege} ({quote_identifier(privilege.member)})"
    return privilege.privilege


def _grant(operation: Grant) -> Iterator[Statement]:
    privilege = operation.privilege
    option = " WITH GRANT OPTION" if privilege.grantable else ""
    yield Statement(
        f"GRANT {_privilege_words(privilege)} ON {privilege_target(privilege)} "
        f"TO {privilege.grantee}{option}",
        hazards=hazard(HazardKind.CHANGES_AUTHORIZATION, f"gives {privilege.grantee} a privilege"),
    )


def _revoke(operation: Revoke) -> Iterator[Statement]:
    privilege = operation.privilege
    yield Statement(
        f"REVOKE {_privilege_words(privilege)} ON {privilege_target(privilege)} "
        f"FROM {privilege.grantee}",
        hazards=hazard(
            HazardKind.CHANGES_AUTHORIZATION, f"takes a privilege from {privilege.grantee}"
        ),
    )


RENDERERS[Grant] = _grant
RENDERERS[Revoke] = _revoke
