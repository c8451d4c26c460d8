"""Types, sequences and serial columns → declaration mappings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from planner.dump_tables import (
    index_document,
    rule_document,
    short_type,
    trigger_document,
    unquoted_name,
)
from planner.dump_yaml import Flow, compact, parameters
from planner.model import (
    Catalog,
    Collation,
    Column,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    QualifiedName,
    Sequence,
    SequenceOptions,
    Table,
    View,
)
from planner.quoting import quote_qualified

_SERIAL_TYPES = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}


def serial_columns(catalog: Catalog) -> dict[tuple[QualifiedName, str], QualifiedName]:
    """Columns that `serial` would create exactly as they are → the sequence behind each."""
    found: dict[tuple[QualifiedName, str], QualifiedName] = {}
    sequences = {sequence.owned_by: sequence for sequence in catalog.sequences if sequence.owned_by}
    for table in catalog.tables:
        for column in table.columns:
            sequence = sequences.get((table.name, column.name))
            if sequence is not None and _is_serial(table, column, sequence):
                found[(table.name, column.name)] = sequence.name
    return found


def _is_serial(table: Table, column: Column, sequence: Sequence) -> bool:
    expected_name = QualifiedName(table.name.schema, f"{table.name.name}_{column.name}_seq")
    data_type = None if column.type == "bigint" else column.type
    return (
        column.type in _SERIAL_TYPES
        and column.not_null
        and column.identity is None
        and sequence.name == expected_name
        and sequence.comment is None
        and sequence.options == SequenceOptions(data_type=data_type)
        and column.default == f"nextval('{quote_qualified(sequence.name)}'::regclass)"
    )


def with_serials(table: Table, serials: dict[tuple[QualifiedName, str], QualifiedName]) -> Table:
    columns = tuple(
        replace(column, type=_SERIAL_TYPES[column.type], default=None, not_null=False)
        if (table.name, column.name) in serials
        else column
        for column in table.columns
    )
    return replace(table, columns=columns)


def sequence_document(sequence: Sequence, schema: str) -> Any:
    options = sequence.options
    spec = compact(
        {
            "type": options.data_type,
            "start": options.start,
            "increment": options.increment,
            "minimum": options.minimum,
            "maximum": options.maximum,
            "cache": options.cache,
            "cycle": options.cycle or None,
            "comment": sequence.comment,
        }
    )
    if sequence.owned_by is not None:
        table, column = sequence.owned_by
        owner: dict[str, Any] = {"table": table.name, "column": column}
        if table.schema != schema:
            owner = {"schema": table.schema, **owner}
        spec["owned_by"] = Flow(owner)
    return Flow(spec) if spec and len(str(spec)) < 90 else (spec or None)


def enum_document(enum: EnumType) -> Any:
    if enum.comment is None:
        return Flow(list(enum.values))
    return {"values": Flow(list(enum.values)), "comment": enum.comment}


def extension_document(extension: Extension) -> Any:
    spec = compact(
        {
            "schema": extension.schema if extension.schema != "public" else None,
            "version": extension.version,
            "comment": extension.comment,
        }
    )
    return Flow(spec) if spec else None


def collation_document(collation: Collation) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if collation.provider != "libc":
        spec["provider"] = collation.provider
        spec["locale"] = collation.locale
    elif collation.lc_collate == collation.lc_ctype:
        spec["locale"] = collation.lc_collate
    else:
        spec["lc_collate"] = collation.lc_collate
        spec["lc_ctype"] = collation.lc_ctype
    if not collation.deterministic:
        spec["deterministic"] = False
    if collation.rules is not None:
        spec["rules"] = collation.rules
    if collation.comment is not None:
        spec["comment"] = collation.comment
    return spec


def domain_document(domain: Domain, schema: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": short_type(domain.base_type, schema, set())}
    if domain.not_null:
        spec["nullable"] = False
    if domain.default is not None:
        spec["default"] = domain.default
    if domain.collation is not None:
        spec["collation"] = unquoted_name(domain.collation)
    if domain.checks:
        spec["checks"] = [
            Flow(
                compact(
                    {
                        "name": check.name,
                        "expression": check.expression,
                        "not_valid": None if check.validated else True,
                    }
                )
            )
            for check in domain.checks
        ]
    if domain.comment is not None:
        spec["comment"] = domain.comment
    return spec


def composite_document(composite: CompositeType, schema: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for attribute in composite.attributes:
        attribute_type = short_type(attribute.type, schema, set())
        attributes[attribute.name] = (
            Flow({"type": attribute_type, "collation": unquoted_name(attribute.collation)})
            if attribute.collation
            else attribute_type
        )
    spec: dict[str, Any] = {"attributes": attributes}
    if composite.comment is not None:
        spec["comment"] = composite.comment
    return spec


def function_document(function: Function) -> dict[str, Any]:
    spec: dict[str, Any] = {"definition": function.definition}
    if function.comment is not None:
        spec["comment"] = function.comment
    return spec


def view_document(view: View) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if view.materialized:
        spec["materialized"] = True
    spec["query"] = view.query
    if view.options:
        spec["with"] = Flow(parameters(view.options))
    if view.check_option:
        spec["check_option"] = view.check_option
    comments = {c.name: Flow({"comment": c.comment}) for c in view.columns if c.comment is not None}
    if comments:
        spec["columns"] = comments
    if view.indexes:
        spec["indexes"] = [index_document(index) for index in view.indexes]
    if view.cluster_on is not None:
        spec["cluster_on"] = view.cluster_on
    if view.triggers:
        spec["triggers"] = [trigger_document(trigger) for trigger in view.triggers]
    if view.rules:
        spec["rules"] = [rule_document(rule) for rule in view.rules]
    if view.comment is not None:
        spec["comment"] = view.comment
    return spec
