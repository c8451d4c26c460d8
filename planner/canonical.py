"""Declared (raw) model → PostgreSQL's canonical model, judged by PostgreSQL itself.

The declarations are created in an empty scratch database and read back: types, defaults,
checks, index definitions and default names then come out exactly as PostgreSQL would
store and print them for the target, so comparing the two models compares meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import psycopg

from planner.apply import ApplyError, apply_plan, apply_step
from planner.declare import Declarations, Source
from planner.diff import diff, diff_renamed
from planner.diff_recreate import ColumnOrder
from planner.errors import DeclarationError
from planner.introspect import introspect
from planner.model import Catalog, Extension, RenameHint
from planner.operations import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateRule,
    CreateSchema,
    CreateTable,
    DropColumn,
    Operation,
    SetComment,
)
from planner.operations_text_search import (
    CreateTextSearchConfiguration,
    CreateTextSearchDictionary,
)
from planner.owners import declared_owners
from planner.plan import Plan, Step, build_plan
from planner.privileges import object_of, reconciliation, roles_named

_MISSING_TYPE = re.compile(r'type "([^"]+)" does not exist')


def canonicalize(declarations: Declarations, scratch: psycopg.Connection[Any]) -> Catalog:
    """Create the declarations in an empty database and read them back."""
    empty = introspect(scratch)
    raw = _keep_unmanaged(empty, declarations.catalog)
    create_missing_roles(scratch, roles_named(raw))
    plan = build_plan(diff(empty, raw), empty, raw)
    _apply_raw_plan(scratch, plan, declarations)
    canonical = introspect(scratch)
    exact_privileges = reconciliation(canonical, raw)
    if exact_privileges:
        apply_plan(scratch, build_plan(exact_privileges))
        canonical = introspect(scratch)
    return _forget_unpinned_versions(canonical, declarations.catalog)


def create_missing_roles(scratch: psycopg.Connection[Any], roles: set[str]) -> None:
    """Roles are cluster-wide: the scratch server gets the ones the declarations name."""
    for role in sorted(roles):
        try:
            with scratch.transaction():
                exists = scratch.execute(
                    "SELECT 1 FROM pg_roles WHERE quote_ident(rolname) = %s", [role]
                ).fetchone()
                if exists is None:
                    scratch.execute(f"CREATE ROLE {role} NOLOGIN".encode())
        except psycopg.errors.DuplicateObject:
            continue  # created meanwhile by a concurrent plan on the same server


# What a statement fails with when something it uses is created later in the same plan.
_ORDER_PROBLEMS = frozenset({"42P01", "42704", "42883", "3F000", "42703"})


def _apply_raw_plan(
    scratch: psycopg.Connection[Any], plan: Plan, declarations: Declarations
) -> None:
    """Apply a plan built without dependency information, in rounds if the order is wrong.

    Declarations do not say what a view, function or trigger uses; PostgreSQL knows once
    they exist. A failed first attempt leaves nothing behind (one transaction), and then
    each step is tried on its own, the ones that miss something retried in later rounds.
    """

    def describe(step: Step) -> str:
        return _subject(declarations, step)

    try:
        apply_plan(scratch, plan, describe=describe)
        return
    except ApplyError as error:
        if error.sqlstate not in _ORDER_PROBLEMS:
            raise _declaration_error(declarations, error) from None
    remaining = list(plan.steps)
    while remaining:
        deferred: list[Step] = []
        failure: ApplyError | None = None
        for step in remaining:
            try:
                apply_step(scratch, step, describe=describe)
            except ApplyError as error:
                if error.sqlstate not in _ORDER_PROBLEMS:
                    raise _declaration_error(declarations, error) from None
                deferred.append(step)
                failure = failure or error
        if failure is not None and len(deferred) == len(remaining):
            raise _declaration_error(declarations, failure) from None
        remaining = deferred


def _keep_unmanaged(empty: Catalog, raw: Catalog) -> Catalog:
    """Attributes nobody declared keep what a new database has (the public schema's comment)."""
    existing = {schema.name: schema for schema in empty.schemas}
    schemas = tuple(
        replace(schema, comment=existing[schema.name].comment)
        if schema.name in existing and schema.comment is None
        else schema
        for schema in raw.schemas
    )
    schemas = tuple(
        replace(schema, owner=existing[schema.name].owner)
        if schema.name in existing and schema.owner is None
        else schema
        for schema in schemas
    )
    # Privileges of what the new database already has (its schemas) stay as they are unless
    # declared; those of new objects are PostgreSQL's defaults unless declared.
    declared_objects = set(raw.explicit_privileges)
    kept = tuple(p for p in empty.privileges if object_of(p) not in declared_objects)
    privileges = tuple(sorted({*kept, *raw.privileges}))
    return replace(raw, schemas=schemas, privileges=privileges)


def _forget_unpinned_versions(canonical: Catalog, raw: Catalog) -> Catalog:
    """What the declarations leave open (extension versions, owners) stays open."""
    pinned = {extension.name for extension in raw.extensions if extension.version}
    extensions = tuple(
        extension if extension.name in pinned else replace(extension, version=None)
        for extension in canonical.extensions
    )
    owned = {schema.name for schema in raw.schemas if schema.owner is not None}
    schemas = tuple(
        schema if schema.name in owned else replace(schema, owner=None)
        for schema in canonical.schemas
    )
    owners = declared_owners(canonical, raw)
    return replace(canonical, extensions=extensions, schemas=schemas, owners=owners)


def without_unpinned_versions(catalog: Catalog, desired: Catalog) -> Catalog:
    """The target's extension versions matter only where the declarations pin one."""
    pinned = {extension.name: extension for extension in desired.extensions}
    extensions: list[Extension] = []
    for extension in catalog.extensions:
        wanted = pinned.get(extension.name)
        if wanted is not None and wanted.version is None:
            extension = replace(extension, version=None)
        extensions.append(extension)
    return replace(catalog, extensions=tuple(extensions))


def _declaration_error(declarations: Declarations, error: ApplyError) -> DeclarationError:
    source = _source(declarations, error.step)
    problem = str(error).split(": ", 1)[-1]
    missing = _MISSING_TYPE.search(problem)
    column = None
    if missing and isinstance(error.step.operation, CreateTable | AddColumn):
        column = _column_with_type(declarations, error.step, missing.group(1))
    if missing and column is not None:
        # Otherwise the type is missing in an index, default or check: PostgreSQL's words.
        source = column
        problem = f"unknown type {missing.group(1)!r}"
    if source is None:
        return DeclarationError("<declarations>", None, "", problem)
    return source.error(problem)


def _column_with_type(declarations: Declarations, step: Step, type_name: str) -> Source | None:
    operation = step.operation
    assert isinstance(operation, CreateTable | AddColumn)
    table = operation.table.name if isinstance(operation, CreateTable) else operation.table
    columns = operation.table.columns if isinstance(operation, CreateTable) else (operation.column,)
    for column in columns:
        if type_name in column.type or type_name in column.type.replace('"', ""):
            return declarations.source("column", str(table), column.name)
    return None


def _subject(declarations: Declarations, step: Step) -> str:
    source = _source(declarations, step)
    return source.subject if source is not None else type(step.operation).__name__


def _source(declarations: Declarations, step: Step) -> Source | None:
    key = _source_key(step.operation)
    return declarations.source(*key) if key else None


def _source_key(operation: Operation) -> tuple[str, ...] | None:
    if isinstance(operation, CreateTable):
        return ("table", str(operation.table.name))
    if isinstance(operation, AddConstraint | CreateIndex | AddColumn | DropColumn | AlterColumn):
        return ("table", str(operation.table))
    if isinstance(operation, CreateRule):
        return ("rule", str(operation.table), operation.rule.name)
    if isinstance(operation, CreateEnum):
        return ("type", str(operation.enum.name))
    if isinstance(operation, CreateExtension):
        return ("extension", operation.extension.name)
    if isinstance(operation, CreateTextSearchDictionary):
        return ("text search dictionary", str(operation.dictionary.name))
    if isinstance(operation, CreateTextSearchConfiguration):
        return ("text search configuration", str(operation.configuration.name))
    if isinstance(operation, CreateSchema | SetComment):
        return None
    return None


def plan_for(
    current: Catalog,
    desired: Catalog,
    *,
    online: bool = True,
    renames: Iterable[RenameHint] = (),
    column_order: ColumnOrder = ColumnOrder.APPEND,
) -> Plan:
    current = without_unpinned_versions(current, desired)
    operations, renamed = diff_renamed(current, desired, renames, column_order)
    return build_plan(operations, renamed, desired, online=online)
