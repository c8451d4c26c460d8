"""Database → model: a fixed set of catalog queries, whatever the number of objects.

Every query reads `pg_catalog` (not `information_schema`, which hides what a role may not
use) inside one READ ONLY transaction, so the catalog is read at a single snapshot and the
target is never written to.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Sequence as SequenceOf
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import psycopg
from psycopg.rows import namedtuple_row

from planner.errors import IntrospectionError, UnsupportedObjectError
from planner.model import (
    Catalog,
    Collation,
    Column,
    CompositeAttribute,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    DomainCheck,
    EnumType,
    Extension,
    ForeignKeyReference,
    Function,
    Identity,
    IdentityKind,
    Index,
    IndexElement,
    ObjectKey,
    Partitioning,
    PartitionOf,
    Policy,
    Privilege,
    QualifiedName,
    ReferentialAction,
    SchemaNamespace,
    Sequence,
    Table,
    Trigger,
    View,
    ViewColumn,
)
from planner.partition_indexes import made_by_postgresql
from planner.sequences import minimal_options

# A row of a catalog query: a namedtuple whose fields are the query's output columns. Rows
# made as dicts cost 2.5 times as much to fetch (0.47 s against 0.18 s for the 55,000
# columns of 5,000 tables).
Row = Any


class _ServerVersion(NamedTuple):
    version: int


QUERY_NAMES = (
    "schemas",
    "extensions",
    "collations",
    "enums",
    "domains",
    "composite_types",
    "sequences",
    "tables",
    "columns",
    "constraints",
    "indexes",
    "triggers",
    "policies",
    "views",
    "functions",
    "aggregates",
    "privileges",
    "dependencies",
    "unsupported",
)

_ACTIONS = {
    "a": ReferentialAction.NO_ACTION,
    "r": ReferentialAction.RESTRICT,
    "c": ReferentialAction.CASCADE,
    "n": ReferentialAction.SET_NULL,
    "d": ReferentialAction.SET_DEFAULT,
}
_CONSTRAINT_KINDS = {
    "p": ConstraintKind.PRIMARY_KEY,
    "u": ConstraintKind.UNIQUE,
    "f": ConstraintKind.FOREIGN_KEY,
    "c": ConstraintKind.CHECK,
    "x": ConstraintKind.EXCLUDE,
}
_KEYS = (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
_IDENTITY_KINDS = {"a": IdentityKind.ALWAYS, "d": IdentityKind.BY_DEFAULT}


@cache
def query_text(name: str) -> str:
    return resources.files("planner.queries").joinpath(f"{name}.sql").read_text()


def introspect(
    connection: psycopg.Connection[Any],
    schemas: SequenceOf[str] | None = None,
    *,
    allow_unsupported: bool = False,
) -> Catalog:
    """Read the whole user catalog of the connected database as one snapshot.

    Objects the planner does not model raise UnsupportedObjectError: a plan that silently
    ignored them would drop or miss them.
    """
    with collector_paused():
        results = run_catalog_queries(connection, schemas)
        if results["unsupported"] and not allow_unsupported:
            raise UnsupportedObjectError(_unsupported_message(results["unsupported"]))
        return build_catalog(results)


_pause_lock = threading.Lock()
_pauses = 0
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (nested or in several threads).

    Reading a catalog makes about a million small objects, none of them in a reference
    cycle; the collector would traverse them again and again as they pile up (at 5,000
    tables: building the model took 2.2 s with it, 1.4 s without). Garbage in a cycle is
    still collected, later.
    """
    global _pauses, _collector_was_enabled
    with _pause_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                # What was made meanwhile goes straight to the oldest generation (freeze, then
                # unfreeze), which is collected only once it has grown by a quarter; left
                # young, it would be traversed by the next collections of each generation
                # (0.3 s of CPU at 5,000 tables).
                gc.freeze()
                gc.unfreeze()
                gc.enable()


def _unsupported_message(rows: list[Row]) -> str:
    listed = [f"{row.kind} {row.identity}" for row in rows[:5]]
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    count = f"{len(rows)} object{'s' if len(rows) != 1 else ''}"
    return f"the database holds {count} the planner does not support yet: {', '.join(listed)}{more}"


def run_catalog_queries(
    connection: psycopg.Connection[Any], schemas: SequenceOf[str] | None
) -> dict[str, list[Row]]:
    parameters = {"schemas": list(schemas) if schemas else None}
    results: dict[str, list[Row]] = {}
    # Inside a caller's transaction the snapshot is already the caller's to choose.
    fresh = connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    try:
        with connection.transaction():
            if fresh:
                connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # An empty search_path makes PostgreSQL qualify every name it prints.
            connection.execute("SET LOCAL search_path = ''")
            # The catalog queries are large but quick; compiling them (JIT) costs seconds.
            connection.execute("SET LOCAL jit = off")
            with connection.cursor(row_factory=namedtuple_row) as cursor:
                for name in QUERY_NAMES:
                    cursor.execute(query_text(name).encode(), parameters)
                    results[name] = cursor.fetchall()
                results["version"] = [_ServerVersion(connection.info.server_version)]
    except psycopg.Error as error:
        raise IntrospectionError(f"reading the catalog failed: {error}".strip()) from error
    return results


def build_catalog(results: Mapping[str, list[Row]]) -> Catalog:
    columns_by_table = _group(results["columns"])
    constraints_by_table = _group(results["constraints"])
    indexes_by_table = _group(results["indexes"])
    triggers_by_table = _group(results["triggers"])
    policies_by_table = _group(results["policies"])
    tables = tuple(
        _table(
            row,
            columns_by_table.get(row.oid, []),
            constraints_by_table.get(row.oid, []),
            indexes_by_table.get(row.oid, []),
            triggers_by_table.get(row.oid, []),
            policies_by_table.get(row.oid, []),
        )
        for row in results["tables"]
    )
    views = tuple(
        _view(
            row, indexes_by_table.get(row.table_oid, []), triggers_by_table.get(row.table_oid, [])
        )
        for row in results["views"]
    )
    functions = tuple(
        _function(row) for row in sorted(results["functions"] + results["aggregates"], key=_by_name)
    )
    return Catalog(
        schemas=tuple(
            SchemaNamespace(row.name, row.comment, row.owner) for row in results["schemas"]
        ),
        extensions=tuple(
            Extension(row.name, row.schema, row.version, row.comment)
            for row in results["extensions"]
        ),
        collations=tuple(_collation(row) for row in results["collations"]),
        enums=tuple(
            EnumType(QualifiedName(row.schema, row.name), tuple(row.values), row.comment)
            for row in results["enums"]
        ),
        domains=tuple(_domain(row) for row in results["domains"]),
        composite_types=tuple(_composite(row) for row in results["composite_types"]),
        sequences=tuple(_sequence(row) for row in results["sequences"]),
        tables=tables,
        views=views,
        functions=functions,
        privileges=tuple(_privilege(row) for row in results["privileges"] if row.grantee),
        explicit_privileges=frozenset(
            (row.kind, QualifiedName(row.schema, row.name), row.member)
            for row in results["privileges"]
            if row.explicit
        ),
        dependencies=tuple(_dependency(row) for row in results["dependencies"]),
        server_version=results["version"][0].version,
    )


def _group(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.table_oid].append(row)
    return grouped


def _by_name(row: Row) -> tuple[str, str, str]:
    return (row.schema, row.name, row.arguments)


def _table(
    row: Row,
    columns: list[Row],
    constraints: list[Row],
    indexes: list[Row],
    triggers: list[Row],
    policies: list[Row],
) -> Table:
    partition_of = None
    inherits: tuple[QualifiedName, ...] = ()
    parents = tuple(
        QualifiedName(schema, name)
        for schema, name in zip(row.parent_schemas, row.parent_names, strict=True)
    )
    if row.is_partition:
        partition_of = PartitionOf(parents[0], row.partition_bound)
    else:
        inherits = parents
    inherited = bool(parents)
    return Table(
        name=QualifiedName(row.schema, row.name),
        columns=tuple(_column(column) for column in columns if not inherited or column.is_local),
        constraints=tuple(
            _constraint(constraint)
            for constraint in constraints
            if (not inherited or constraint.is_local or constraint.is_clone)
            and not _implicit_key(constraint)
        ),
        indexes=tuple(_index(index) for index in indexes if not _implicit_index(index)),
        triggers=tuple(_trigger(t) for t in triggers),
        policies=tuple(_policy(policy) for policy in policies),
        comment=row.comment,
        unlogged=row.unlogged,
        partitioning=Partitioning(row.partition_key) if row.partition_key else None,
        partition_of=partition_of,
        inherits=inherits,
        storage_parameters=tuple(row.storage_parameters),
        row_security=row.row_security,
        force_row_security=row.force_row_security,
        replica_identity=row.replica_identity,
        replica_identity_index=row.replica_identity_index,
        cluster_on=row.cluster_on,
        inherited_not_null=tuple(
            sorted(
                column.name
                for column in columns
                if inherited
                and not column.is_local
                and column.not_null
                and not column.parent_not_null
            )
        ),
    )


def _implicit_index(row: Row) -> bool:
    if row.attached_to is None or not row.parent_valid:
        return False
    keys = list(zip(row.keys, row.key_is_expression, strict=True))
    return made_by_postgresql(
        row.name,
        row.table_name,
        keys + [(column, False) for column in row.include],
        "idx",
        own_comment=row.comment is not None,
        parameters=row.storage_parameters,
        parent_parameters=row.parent_storage_parameters,
    )


def _implicit_key(row: Row) -> bool:
    """A partition's key that PostgreSQL cloned from the partitioned table's key."""
    if not row.is_clone or not row.parent_valid:
        return False
    return made_by_postgresql(
        row.name,
        row.table_name,
        [(column, False) for column in [*row.columns, *row.include]],
        "pkey" if row.kind == "p" else "key",
        own_comment=row.comment is not None,
        parameters=row.index_parameters,
        parent_parameters=row.parent_index_parameters,
    )


def _column(row: Row) -> Column:
    identity = None
    if row.identity:
        identity = Identity(
            _IDENTITY_KINDS[row.identity],
            minimal_options(
                column_type=row.type,
                data_type=row.identity_type,
                start=row.identity_start,
                increment=row.identity_increment,
                minimum=row.identity_minimum,
                maximum=row.identity_maximum,
                cache=row.identity_cache,
                cycle=row.identity_cycle,
            ),
            QualifiedName(row.identity_sequence_schema, row.identity_sequence_name),
        )
    return Column(
        name=row.name,
        type=row.type,
        not_null=row.not_null,
        default=row.default,
        identity=identity,
        generated=row.generated,
        collation=row.collation,
        comment=row.comment,
        storage=row.storage,
        compression=row.compression,
        statistics=row.statistics,
        options=tuple(row.options),
    )


def _constraint(row: Row) -> Constraint:
    kind = _CONSTRAINT_KINDS[row.kind]
    references = None
    if kind is ConstraintKind.FOREIGN_KEY:
        references = ForeignKeyReference(
            table=QualifiedName(row.referenced_schema, row.referenced_table),
            columns=tuple(row.referenced_columns),
            on_delete=_ACTIONS[row.on_delete],
            on_update=_ACTIONS[row.on_update],
            match_full=row.match_type == "f",
            on_delete_columns=tuple(row.on_delete_columns or ()),
        )
    return Constraint(
        name=row.name,
        kind=kind,
        columns=tuple(row.columns) if kind is not ConstraintKind.CHECK else (),
        expression=row.expression,
        references=references,
        deferrable=row.deferrable,
        initially_deferred=row.initially_deferred,
        nulls_not_distinct=row.nulls_not_distinct,
        include=tuple(row.include),
        no_inherit=row.no_inherit and kind is ConstraintKind.CHECK,
        validated=row.validated,
        index_parameters=tuple(row.index_parameters),
        comment=row.comment,
        attached_to=row.attached_to if kind in _KEYS else None,
        only=row.only,
    )


def _index(row: Row) -> Index:
    elements = tuple(
        IndexElement(
            key=key,
            is_expression=is_expression,
            collation=collation,
            opclass=opclass,
            descending=bool(option & 1),
            nulls_first=bool(option & 2),
        )
        for key, is_expression, collation, opclass, option in zip(
            row.keys,
            row.key_is_expression,
            row.key_collations,
            row.key_opclasses,
            row.key_options,
            strict=True,
        )
    )
    return Index(
        name=row.name,
        elements=elements,
        unique=row.unique,
        method=row.method,
        include=tuple(row.include),
        where=row.where,
        nulls_not_distinct=row.nulls_not_distinct,
        storage_parameters=tuple(row.storage_parameters),
        comment=row.comment,
        attached_to=row.attached_to,
        only=row.only,
    )


def _sequence(row: Row) -> Sequence:
    owned_by = None
    if row.owner_table is not None:
        owned_by = (QualifiedName(row.owner_schema, row.owner_table), row.owner_column)
    return Sequence(
        name=QualifiedName(row.schema, row.name),
        options=minimal_options(
            column_type="bigint",
            data_type=row.data_type,
            start=row.start,
            increment=row.increment,
            minimum=row.minimum,
            maximum=row.maximum,
            cache=row.cache,
            cycle=row.cycle,
        ),
        owned_by=owned_by,
        comment=row.comment,
    )


def _policy(row: Row) -> Policy:
    return Policy(
        name=row.name,
        command=row.command,
        permissive=row.permissive,
        roles=tuple(row.roles),
        using=row.using,
        with_check=row.with_check,
        comment=row.comment,
    )


def _trigger(row: Row) -> Trigger:
    return Trigger(row.name, row.definition, row.enabled, row.comment)


def _view(row: Row, indexes: list[Row], triggers: list[Row]) -> View:
    comments = dict(zip(row.commented_columns, row.column_comments, strict=True))
    columns = tuple(
        ViewColumn(name, column_type, comments.get(name))
        for name, column_type in zip(row.column_names, row.column_types, strict=True)
    )
    return View(
        name=QualifiedName(row.schema, row.name),
        query=row.query,
        materialized=row.materialized,
        options=tuple(row.options),
        check_option=row.check_option,
        columns=columns,
        indexes=tuple(_index(index) for index in indexes),
        comment=row.comment,
        triggers=tuple(_trigger(t) for t in triggers),
    )


def _function(row: Row) -> Function:
    return Function(
        name=QualifiedName(row.schema, row.name),
        arguments=row.arguments,
        definition=row.definition.strip(),
        kind=row.kind,
        result=row.result,
        comment=row.comment,
    )


def _collation(row: Row) -> Collation:
    libc = row.provider == "libc"
    return Collation(
        name=QualifiedName(row.schema, row.name),
        provider=row.provider,
        locale=None if libc else row.locale,
        lc_collate=row.lc_collate if libc else None,
        lc_ctype=row.lc_ctype if libc else None,
        deterministic=row.deterministic,
        rules=row.rules,
        comment=row.comment,
    )


def _domain(row: Row) -> Domain:
    checks = tuple(
        DomainCheck(name, expression, validated)
        for name, expression, validated in zip(
            row.check_names, row.check_expressions, row.check_validated, strict=True
        )
    )
    return Domain(
        name=QualifiedName(row.schema, row.name),
        base_type=row.base_type,
        not_null=row.not_null,
        default=row.default,
        collation=row.collation,
        checks=checks,
        comment=row.comment,
    )


def _composite(row: Row) -> CompositeType:
    attributes = tuple(
        CompositeAttribute(name, attribute_type, collation)
        for name, attribute_type, collation in zip(
            row.attribute_names,
            row.attribute_types,
            row.attribute_collations,
            strict=True,
        )
    )
    return CompositeType(QualifiedName(row.schema, row.name), attributes, row.comment)


def _dependency(row: Row) -> tuple[ObjectKey, ObjectKey]:
    dependent = (row.kind, row.schema, row.name, row.member)
    referenced_member = row.referenced_member or ""
    referenced = (
        row.referenced_kind,
        row.referenced_schema,
        row.referenced_name,
        referenced_member,
    )
    return dependent, referenced


def _privilege(row: Row) -> Privilege:
    return Privilege(
        object_kind=row.kind,
        object_name=QualifiedName(row.schema, row.name),
        member=row.member,
        grantee=row.grantee,
        privilege=row.privilege,
        grantable=row.grantable,
    )
