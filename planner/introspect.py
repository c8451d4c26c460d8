"""Database → model: a fixed set of catalog queries, whatever the number of objects.

Every query reads `pg_catalog` (not `information_schema`, which hides what a role may not
use) inside one READ ONLY transaction, so the catalog is read at a single snapshot and the
target is never written to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Sequence as SequenceOf
from functools import cache
from importlib import resources
from typing import Any, NamedTuple, cast

import psycopg
from psycopg.rows import namedtuple_row

from planner.catalog_names import CatalogNames
from planner.collector import collector_paused
from planner.errors import IntrospectionError, UnsupportedObjectError
from planner.introspect_text_search import configuration_of, dictionary_of
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
    ExtendedStatistics,
    Extension,
    ForeignKeyReference,
    Function,
    Identity,
    IdentityKind,
    Index,
    IndexElement,
    InheritedColumnSetting,
    ObjectKey,
    Ownership,
    Partitioning,
    PartitionOf,
    Policy,
    Privilege,
    QualifiedName,
    ReferentialAction,
    Rule,
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
# columns of 5,000 tables). Unset array columns (options, storage parameters, column
# numbers) come as NULL, read here with `or ()`: the queries' coalesce(…, '{}') made psycopg
# parse an empty array per row (30 ms of 100 for the rows of the columns query).
Row = Any


class _ServerVersion(NamedTuple):
    version: int


QUERY_NAMES = (
    "schemas",
    "extensions",
    "collations",
    "text_search_dictionaries",
    "text_search_configurations",
    "enums",
    "domains",
    "composite_types",
    "sequences",
    "tables",
    "columns",
    "constraints",
    "indexes",
    "operator_classes",
    "triggers",
    "rules",
    "policies",
    "statistics",
    "views",
    "functions",
    "aggregates",
    "privileges",
    "owners",
    "reader",
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


def _unsupported_message(rows: list[Row]) -> str:
    listed = [f"{row.kind} {row.identity}" for row in rows[:5]]
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    count = f"{len(rows)} object{'s' if len(rows) != 1 else ''}"
    return f"the database holds {count} the planner does not support yet: {', '.join(listed)}{more}"


# Set for the reading transaction only. An empty search_path makes PostgreSQL qualify every
# name it prints. The catalog queries are large but quick: compiling them (JIT) costs seconds.
# Both databases are read at once, so the cores are already busy: parallel workers only add
# their start-up and hand-over (5,000 tables: 2.44 s → 2.07 s for the queries of both,
# bench/measure_ours.py's floor). With the default 4 MB, the sorts of the columns,
# constraints and dependencies queries spill to disk at 5,000 tables (5 to 7 % of each).
SESSION_SETTINGS = (
    b"SELECT set_config('search_path', '', true), set_config('jit', 'off', true),"
    b" set_config('max_parallel_workers_per_gather', '0', true),"
    b" set_config('work_mem', '64MB', true)"
)


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
            connection.execute(SESSION_SETTINGS)
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
    rules_by_table = _group(results["rules"])
    policies_by_table = _group(results["policies"])
    statistics_by_table = _group(results["statistics"])
    names = CatalogNames.from_rows(columns_by_table, results["views"], results["operator_classes"])
    alike = _AlikeColumns()
    tables = tuple(
        _table(
            row,
            names,
            alike,
            columns_by_table.get(row.oid, []),
            constraints_by_table.get(row.oid, []),
            indexes_by_table.get(row.oid, []),
            triggers_by_table.get(row.oid, []),
            policies_by_table.get(row.oid, []),
            statistics_by_table.get(row.oid, []),
            rules_by_table.get(row.oid, []),
        )
        for row in results["tables"]
    )
    views = tuple(
        _view(
            row,
            names,
            indexes_by_table.get(row.table_oid, []),
            triggers_by_table.get(row.table_oid, []),
            rules_by_table.get(row.table_oid, []),
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
        text_search_dictionaries=tuple(
            dictionary_of(row) for row in results["text_search_dictionaries"]
        ),
        text_search_configurations=tuple(
            configuration_of(row) for row in results["text_search_configurations"]
        ),
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
        owners=tuple(
            Ownership(row.kind, QualifiedName(row.schema, row.name), row.member, row.owner)
            for row in results["owners"]
        ),
        dependencies=tuple(_dependency(row) for row in results["dependencies"]),
        server_version=results["version"][0].version,
        reader=results["reader"][0].role,
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
    names: CatalogNames,
    alike: _AlikeColumns,
    columns: list[Row],
    constraints: list[Row],
    indexes: list[Row],
    triggers: list[Row],
    policies: list[Row],
    statistics: list[Row],
    rules: list[Row],
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
        columns=tuple(
            alike.column(column) for column in columns if not inherited or column.is_local
        ),
        constraints=tuple(
            _constraint(constraint, names)
            for constraint in constraints
            if (not inherited or constraint.is_local or constraint.is_clone)
            and not _implicit_key(constraint, names)
        ),
        indexes=tuple(
            _index(index, names) for index in indexes if not _implicit_index(index, names)
        ),
        triggers=tuple(_trigger(t) for t in triggers),
        policies=tuple(_policy(policy) for policy in policies),
        rules=tuple(_rule(r) for r in rules),
        comment=row.comment,
        unlogged=row.unlogged,
        partitioning=Partitioning(row.partition_key) if row.partition_key else None,
        partition_of=partition_of,
        inherits=inherits,
        storage_parameters=tuple(row.storage_parameters or ()),
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
        inherited_settings=tuple(_inherited_settings(columns) if inherited else ()),
        statistics=tuple(
            ExtendedStatistics(QualifiedName(s.schema, s.name), s.definition, s.target, s.comment)
            for s in statistics
        ),
    )


def _inherited_settings(columns: list[Row]) -> Iterator[InheritedColumnSetting]:
    for column in sorted(columns, key=lambda column: column.name):
        if column.is_local:
            continue
        # A child without the default its parent has is reported as unsupported instead.
        default = column.default if column.default != column.parent_default else None
        if default is not None or column.comment is not None:
            yield InheritedColumnSetting(column.name, default, column.comment)


def _index_keys(row: Row, names: CatalogNames) -> list[tuple[str, bool]]:
    """(column name or expression, is expression) for each key of an index row."""
    numbers = row.column_numbers[: row.key_count]
    expressions = row.key_expressions or [None] * len(numbers)
    return [
        (expression, True) if number == 0 else (names.column_name(row.table_oid, number), False)
        for number, expression in zip(numbers, expressions, strict=True)
    ]


def _index_include(row: Row, names: CatalogNames) -> tuple[str, ...]:
    return names.column_names(row.table_oid, row.column_numbers[row.key_count :])


def _implicit_index(row: Row, names: CatalogNames) -> bool:
    if row.attached_to is None or not row.parent_valid:
        return False
    return made_by_postgresql(
        row.name,
        row.table_name,
        _index_keys(row, names) + [(column, False) for column in _index_include(row, names)],
        "idx",
        own_comment=row.comment is not None,
        parameters=row.storage_parameters or (),
        parent_parameters=row.parent_storage_parameters or (),
    )


def _constraint_columns(row: Row, names: CatalogNames) -> tuple[str, ...]:
    if row.kind == "x":
        # An exclusion constraint numbers an expression key 0; its place is kept as None
        # (the constraint's definition is its expression).
        return cast(tuple[str, ...], names.key_names(row.table_oid, row.column_numbers))
    return names.column_names(row.table_oid, row.column_numbers or ())


def _key_include(row: Row, names: CatalogNames) -> tuple[str, ...]:
    """The INCLUDE columns of a key's index (none for other constraints)."""
    if row.index_key_count is None:
        return ()
    return names.column_names(row.table_oid, row.index_column_numbers[row.index_key_count :])


def _implicit_key(row: Row, names: CatalogNames) -> bool:
    """A partition's key that PostgreSQL cloned from the partitioned table's key."""
    if not row.is_clone or not row.parent_valid:
        return False
    columns = [*_constraint_columns(row, names), *_key_include(row, names)]
    return made_by_postgresql(
        row.name,
        row.table_name,
        [(column, False) for column in columns],
        "pkey" if row.kind == "p" else "key",
        own_comment=row.comment is not None,
        parameters=row.index_parameters or (),
        parent_parameters=row.parent_index_parameters or (),
    )


class _AlikeColumns:
    """One Column object for the columns alike in many tables (`id`, `created_at`, …).

    Making a Column costs seven times looking one up (2.3 µs against 0.3 µs); the model is
    immutable, so alike columns may be the same object. Identity columns differ by their
    sequence, and are made each.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Column] = {}

    def column(self, row: Row) -> Column:
        if row.identity or row.options:
            return _column(row)
        key = (
            row.name,
            row.type,
            row.not_null,
            row.default,
            row.generated,
            row.collation,
            row.comment,
            row.storage,
            row.compression,
            row.statistics,
        )
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _column(row)
        return made


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
        options=tuple(row.options or ()),
    )


def _constraint(row: Row, names: CatalogNames) -> Constraint:
    kind = _CONSTRAINT_KINDS[row.kind]
    references = None
    if kind is ConstraintKind.FOREIGN_KEY:
        references = ForeignKeyReference(
            table=QualifiedName(row.referenced_schema, row.referenced_table),
            columns=_referenced_columns(row, names),
            on_delete=_ACTIONS[row.on_delete],
            on_update=_ACTIONS[row.on_update],
            match_full=row.match_type == "f",
            on_delete_columns=names.column_names(row.table_oid, row.on_delete_column_numbers or ()),
        )
    return Constraint(
        name=row.name,
        kind=kind,
        columns=_constraint_columns(row, names) if kind is not ConstraintKind.CHECK else (),
        expression=row.expression,
        references=references,
        deferrable=row.deferrable,
        initially_deferred=row.initially_deferred,
        nulls_not_distinct=row.nulls_not_distinct,
        include=_key_include(row, names),
        no_inherit=row.no_inherit and kind is ConstraintKind.CHECK,
        validated=row.validated,
        index_parameters=tuple(row.index_parameters or ()),
        comment=row.comment,
        attached_to=row.attached_to if kind in _KEYS else None,
        only=row.only,
    )


def _referenced_columns(row: Row, names: CatalogNames) -> tuple[str, ...]:
    """Named in the query when the referenced table is in a schema not read."""
    if row.referenced_column_names is not None:
        return tuple(row.referenced_column_names)
    return names.column_names(row.referenced_table_oid, row.referenced_column_numbers)


def _index(row: Row, names: CatalogNames) -> Index:
    elements = tuple(
        IndexElement(
            key=key,
            is_expression=is_expression,
            collation=collation,
            opclass=opclass,
            descending=bool(option & 1),
            nulls_first=bool(option & 2),
        )
        for (key, is_expression), collation, opclass, option in zip(
            _index_keys(row, names),
            row.key_collations,
            map(names.operator_class, row.key_opclass_oids),
            row.key_options,
            strict=True,
        )
    )
    return Index(
        name=row.name,
        elements=elements,
        unique=row.unique,
        method=row.method,
        include=_index_include(row, names),
        where=row.where,
        nulls_not_distinct=row.nulls_not_distinct,
        storage_parameters=tuple(row.storage_parameters or ()),
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


def _rule(row: Row) -> Rule:
    return Rule(row.name, row.definition, row.enabled, row.comment)


def _view(
    row: Row, names: CatalogNames, indexes: list[Row], triggers: list[Row], rules: list[Row]
) -> View:
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
        indexes=tuple(_index(index, names) for index in indexes),
        comment=row.comment,
        triggers=tuple(_trigger(t) for t in triggers),
        rules=tuple(_rule(r) for r in rules),
        cluster_on=row.cluster_on,
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
