"""Database → model: a fixed set of catalog queries, whatever the number of objects.

Every query reads `pg_catalog` (not `information_schema`, which hides what a role may not
use) inside one READ ONLY transaction, so the catalog is read at a single snapshot and the
target is never written to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Sequence as SequenceOf
from functools import cache
from importlib import resources
from typing import Any

import psycopg
from psycopg.rows import dict_row

from planner.errors import IntrospectionError
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    Extension,
    ForeignKeyReference,
    Identity,
    IdentityKind,
    Index,
    IndexElement,
    Partitioning,
    PartitionOf,
    QualifiedName,
    ReferentialAction,
    SchemaNamespace,
    Sequence,
    Table,
)
from planner.sequences import minimal_options

Row = dict[str, Any]

QUERY_NAMES = (
    "schemas",
    "extensions",
    "enums",
    "sequences",
    "tables",
    "columns",
    "constraints",
    "indexes",
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
_IDENTITY_KINDS = {"a": IdentityKind.ALWAYS, "d": IdentityKind.BY_DEFAULT}


@cache
def query_text(name: str) -> str:
    return resources.files("planner.queries").joinpath(f"{name}.sql").read_text()


def introspect(
    connection: psycopg.Connection[Any], schemas: SequenceOf[str] | None = None
) -> Catalog:
    """Read the whole user catalog of the connected database as one snapshot."""
    results = run_catalog_queries(connection, schemas)
    return build_catalog(results)


def run_catalog_queries(
    connection: psycopg.Connection[Any], schemas: SequenceOf[str] | None
) -> dict[str, list[Row]]:
    parameters = {"schemas": list(schemas) if schemas else None}
    results: dict[str, list[Row]] = {}
    try:
        with connection.transaction():
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # An empty search_path makes PostgreSQL qualify every name it prints.
            connection.execute("SET LOCAL search_path = ''")
            with connection.cursor(row_factory=dict_row) as cursor:
                for name in QUERY_NAMES:
                    cursor.execute(query_text(name).encode(), parameters)
                    results[name] = cursor.fetchall()
                results["version"] = [{"version": connection.info.server_version}]
    except psycopg.Error as error:
        raise IntrospectionError(f"reading the catalog failed: {error}".strip()) from error
    return results


def build_catalog(results: Mapping[str, list[Row]]) -> Catalog:
    columns_by_table = _group(results["columns"])
    constraints_by_table = _group(results["constraints"])
    indexes_by_table = _group(results["indexes"])
    tables = tuple(
        _table(
            row,
            columns_by_table.get(row["oid"], ()),
            constraints_by_table.get(row["oid"], ()),
            indexes_by_table.get(row["oid"], ()),
        )
        for row in results["tables"]
    )
    return Catalog(
        schemas=tuple(SchemaNamespace(row["name"], row["comment"]) for row in results["schemas"]),
        extensions=tuple(
            Extension(row["name"], row["schema"], row["version"], row["comment"])
            for row in results["extensions"]
        ),
        enums=tuple(
            EnumType(
                QualifiedName(row["schema"], row["name"]), tuple(row["values"]), row["comment"]
            )
            for row in results["enums"]
        ),
        sequences=tuple(_sequence(row) for row in results["sequences"]),
        tables=tables,
        server_version=results["version"][0]["version"],
    )


def _group(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["table_oid"]].append(row)
    return grouped


def _table(
    row: Row, columns: Iterable[Row], constraints: Iterable[Row], indexes: Iterable[Row]
) -> Table:
    partition_of = None
    inherits: tuple[QualifiedName, ...] = ()
    parents = tuple(
        QualifiedName(schema, name)
        for schema, name in zip(row["parent_schemas"], row["parent_names"], strict=True)
    )
    if row["is_partition"]:
        partition_of = PartitionOf(parents[0], row["partition_bound"])
    else:
        inherits = parents
    inherited = bool(parents)
    return Table(
        name=QualifiedName(row["schema"], row["name"]),
        columns=tuple(_column(column) for column in columns if not inherited or column["is_local"]),
        constraints=tuple(
            _constraint(constraint)
            for constraint in constraints
            if not inherited or constraint["is_local"]
        ),
        indexes=tuple(_index(index) for index in indexes),
        comment=row["comment"],
        unlogged=row["unlogged"],
        partitioning=Partitioning(row["partition_key"]) if row["partition_key"] else None,
        partition_of=partition_of,
        inherits=inherits,
        storage_parameters=tuple(row["storage_parameters"]),
        row_security=row["row_security"],
        force_row_security=row["force_row_security"],
        replica_identity=row["replica_identity"],
    )


def _column(row: Row) -> Column:
    identity = None
    if row["identity"]:
        identity = Identity(
            _IDENTITY_KINDS[row["identity"]],
            minimal_options(
                column_type=row["type"],
                data_type=row["identity_type"],
                start=row["identity_start"],
                increment=row["identity_increment"],
                minimum=row["identity_minimum"],
                maximum=row["identity_maximum"],
                cache=row["identity_cache"],
                cycle=row["identity_cycle"],
            ),
        )
    return Column(
        name=row["name"],
        type=row["type"],
        not_null=row["not_null"],
        default=row["default"],
        identity=identity,
        generated=row["generated"],
        collation=row["collation"],
        comment=row["comment"],
        storage=row["storage"],
        compression=row["compression"],
        statistics=row["statistics"],
    )


def _constraint(row: Row) -> Constraint:
    kind = _CONSTRAINT_KINDS[row["kind"]]
    references = None
    if kind is ConstraintKind.FOREIGN_KEY:
        references = ForeignKeyReference(
            table=QualifiedName(row["referenced_schema"], row["referenced_table"]),
            columns=tuple(row["referenced_columns"]),
            on_delete=_ACTIONS[row["on_delete"]],
            on_update=_ACTIONS[row["on_update"]],
            match_full=row["match_type"] == "f",
            on_delete_columns=tuple(row["on_delete_columns"] or ()),
        )
    return Constraint(
        name=row["name"],
        kind=kind,
        columns=tuple(row["columns"]) if kind is not ConstraintKind.CHECK else (),
        expression=row["expression"],
        references=references,
        deferrable=row["deferrable"],
        initially_deferred=row["initially_deferred"],
        nulls_not_distinct=row["nulls_not_distinct"],
        include=tuple(row["include"]),
        no_inherit=row["no_inherit"] and kind is ConstraintKind.CHECK,
        validated=row["validated"],
        index_parameters=tuple(row["index_parameters"]),
        comment=row["comment"],
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
            row["keys"],
            row["key_is_expression"],
            row["key_collations"],
            row["key_opclasses"],
            row["key_options"],
            strict=True,
        )
    )
    return Index(
        name=row["name"],
        elements=elements,
        unique=row["unique"],
        method=row["method"],
        include=tuple(row["include"]),
        where=row["where"],
        nulls_not_distinct=row["nulls_not_distinct"],
        storage_parameters=tuple(row["storage_parameters"]),
        comment=row["comment"],
    )


def _sequence(row: Row) -> Sequence:
    owned_by = None
    if row["owner_table"] is not None:
        owned_by = (QualifiedName(row["owner_schema"], row["owner_table"]), row["owner_column"])
    return Sequence(
        name=QualifiedName(row["schema"], row["name"]),
        options=minimal_options(
            column_type="bigint",
            data_type=row["data_type"],
            start=row["start"],
            increment=row["increment"],
            minimum=row["minimum"],
            maximum=row["maximum"],
            cache=row["cache"],
            cycle=row["cycle"],
        ),
        owned_by=owned_by,
        comment=row["comment"],
    )
