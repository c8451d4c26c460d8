"""Database → declaration files: readable, minimal, deterministic, loadable as they are."""

from __future__ import annotations

import re
from collections.abc import Sequence as SequenceOf
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from planner.introspect import introspect
from planner.migrations import write_atomically
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    Index,
    IndexElement,
    QualifiedName,
    ReferentialAction,
    Sequence,
    SequenceOptions,
    Table,
)
from planner.quoting import quote_identifier, quote_qualified
from planner.urls import parse_database_url

TYPES_FILE = "_types.yaml"
MAX_IDENTIFIER_BYTES = 63

_SHORT_TYPES = (
    (re.compile(r"^character varying"), "varchar"),
    (re.compile(r"^timestamp(\(\d+\))? with time zone"), r"timestamptz\1"),
    (re.compile(r"^timestamp(\(\d+\))? without time zone"), r"timestamp\1"),
    (re.compile(r"^time(\(\d+\))? with time zone"), r"timetz\1"),
    (re.compile(r"^time(\(\d+\))? without time zone"), r"time\1"),
    (re.compile(r"^bit varying"), "varbit"),
)


def dump_database(database_url: str, out: Path, schemas: SequenceOf[str] | None) -> list[Path]:
    from planner.workflow import connect

    with connect(parse_database_url(database_url)) as connection:
        catalog = introspect(connection, schemas)
    return write_declarations(catalog, out)


def write_declarations(catalog: Catalog, out: Path) -> list[Path]:
    documents = declaration_documents(catalog)
    written = []
    for relative, text in documents.items():
        path = out / relative
        write_atomically(path, text)
        written.append(path)
    return written


def declaration_documents(catalog: Catalog) -> dict[str, str]:
    """File name (relative) → YAML text, for every schema and table of the catalog."""
    documents: dict[str, str] = {}
    local_types = {enum.name for enum in catalog.enums}
    serials = serial_columns(catalog)
    catalog = replace(
        catalog,
        sequences=tuple(s for s in catalog.sequences if s.name not in serials.values()),
        tables=tuple(_with_serials(table, serials) for table in catalog.tables),
    )
    for schema in catalog.schemas:
        directory = _file_name(schema.name)
        types = _types_document(catalog, schema.name)
        if types:
            documents[f"{directory}/{TYPES_FILE}"] = _yaml(types)
        used = {TYPES_FILE}
        for table in (t for t in catalog.tables if t.name.schema == schema.name):
            name = _unique_file_name(table.name.name, used)
            document = _with_schema(
                schema.name, {"tables": {table.name.name: _table(table, local_types)}}
            )
            documents[f"{directory}/{name}"] = _yaml(document)
    return documents


def _unique_file_name(name: str, used: set[str]) -> str:
    base = _file_name(name)
    candidate = f"{base}.yaml"
    counter = 2
    while candidate in used:
        candidate = f"{base}_{counter}.yaml"
        counter += 1
    used.add(candidate)
    return candidate


def _file_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".")
    return cleaned or "_"


def _with_schema(schema: str, document: dict[str, Any]) -> dict[str, Any]:
    return document if schema == "public" else {"schema": schema, **document}


def _types_document(catalog: Catalog, schema: str) -> dict[str, Any]:
    document: dict[str, Any] = {}
    namespace = next(s for s in catalog.schemas if s.name == schema)
    if namespace.comment is not None and not (
        schema == "public" and namespace.comment == "standard public schema"
    ):
        document["schema_comment"] = namespace.comment
    extensions = {
        extension.name: _compact(
            {
                "schema": extension.schema if extension.schema != "public" else None,
                "comment": extension.comment,
            }
        )
        or None
        for extension in catalog.extensions
        if schema == "public"
    }
    if extensions:
        document["extensions"] = extensions
    enums = {enum.name.name: _enum(enum) for enum in catalog.enums if enum.name.schema == schema}
    if enums:
        document["enums"] = enums
    sequences = {
        sequence.name.name: _sequence(sequence, schema)
        for sequence in catalog.sequences
        if sequence.name.schema == schema
    }
    if sequences:
        document["sequences"] = sequences
    if not document:
        return {}
    if schema != "public":
        return {"schema": schema, **document}
    return document


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


def _with_serials(table: Table, serials: dict[tuple[QualifiedName, str], QualifiedName]) -> Table:
    columns = tuple(
        replace(column, type=_SERIAL_TYPES[column.type], default=None, not_null=False)
        if (table.name, column.name) in serials
        else column
        for column in table.columns
    )
    return replace(table, columns=columns)


def _sequence(sequence: Sequence, schema: str) -> Any:
    options = sequence.options
    spec = _compact(
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
        spec["owned_by"] = _Flow(owner)
    return _Flow(spec) if spec and len(str(spec)) < 90 else (spec or None)


def _enum(enum: EnumType) -> Any:
    if enum.comment is None:
        return _Flow(list(enum.values))
    return {"values": _Flow(list(enum.values)), "comment": enum.comment}


def _table(table: Table, local_types: set[QualifiedName]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if table.comment is not None:
        document["comment"] = table.comment
    document["columns"] = {
        column.name: _column(column, table.name.schema, local_types) for column in table.columns
    }
    constraints = {
        kind: [c for c in table.constraints if c.kind is kind] for kind in ConstraintKind
    }
    primary = constraints[ConstraintKind.PRIMARY_KEY]
    if primary:
        document["primary_key"] = _primary_key(table, primary[0])
    if constraints[ConstraintKind.UNIQUE]:
        document["unique"] = [_unique(table, c) for c in constraints[ConstraintKind.UNIQUE]]
    if constraints[ConstraintKind.FOREIGN_KEY]:
        document["foreign_keys"] = [
            _foreign_key(table, c) for c in constraints[ConstraintKind.FOREIGN_KEY]
        ]
    if constraints[ConstraintKind.CHECK]:
        document["checks"] = [_check(c) for c in constraints[ConstraintKind.CHECK]]
    if constraints[ConstraintKind.EXCLUDE]:
        document["exclude"] = [_exclusion(c) for c in constraints[ConstraintKind.EXCLUDE]]
    if table.indexes:
        document["indexes"] = [_index(index) for index in table.indexes]
    document.update(_table_flags(table))
    return document


def _table_flags(table: Table) -> dict[str, Any]:
    flags: dict[str, Any] = {}
    if table.unlogged:
        flags["unlogged"] = True
    if table.storage_parameters:
        flags["with"] = _Flow(_parameters(table.storage_parameters))
    if table.row_security:
        flags["row_level_security"] = True
    if table.force_row_security:
        flags["force_row_level_security"] = True
    return flags


def _column(column: Column, schema: str, local_types: set[QualifiedName]) -> Any:
    spec: dict[str, Any] = {"type": short_type(column.type, schema, local_types)}
    if column.not_null:
        spec["nullable"] = False
    if column.default is not None:
        spec["default"] = column.default
    if column.identity is not None:
        spec["identity"] = column.identity.kind.value
        options = column.identity.options
        extra = _compact(
            {
                "type": options.data_type,
                "start": options.start,
                "increment": options.increment,
                "minimum": options.minimum,
                "maximum": options.maximum,
                "cache": options.cache,
                "cycle": options.cycle or None,
            }
        )
        if extra:
            spec["identity"] = {"kind": column.identity.kind.value, **extra}
    if column.generated is not None:
        spec["generated"] = column.generated
    if column.collation is not None:
        spec["collation"] = _unquoted(column.collation)
    if column.comment is not None:
        spec["comment"] = column.comment
    if column.storage is not None:
        spec["storage"] = {"p": "plain", "e": "external", "m": "main", "x": "extended"}[
            column.storage
        ]
    if column.compression is not None:
        spec["compression"] = {"p": "pglz", "l": "lz4"}[column.compression]
    if column.statistics is not None:
        spec["statistics"] = column.statistics
    if list(spec) == ["type"]:
        return spec["type"]
    return _Flow(spec) if len(str(spec)) < 90 else spec


def short_type(text: str, schema: str, local_types: set[QualifiedName]) -> str:
    for pattern, replacement in _SHORT_TYPES:
        if pattern.match(text):
            return pattern.sub(replacement, text, count=1)
    for name in local_types:
        prefix = f"{quote_identifier(name.schema)}.{quote_identifier(name.name)}"
        if name.schema == schema and text.split("[", 1)[0] == prefix:
            return quote_identifier(name.name) + text[len(prefix) :]
    return text


def _unquoted(name: str) -> str:
    if name.startswith('"') and name.endswith('"') and name.count('"') == 2:
        return name[1:-1]
    return name


def _default_name(table: Table, columns: SequenceOf[str], suffix: str) -> str:
    name = f"{table.name.name}_{'_'.join(columns)}_{suffix}"
    return name if len(name.encode()) <= MAX_IDENTIFIER_BYTES else ""


def _constraint_common(constraint: Constraint) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if constraint.deferrable:
        extra["deferrable"] = True
    if constraint.initially_deferred:
        extra["initially_deferred"] = True
    if not constraint.validated:
        extra["not_valid"] = True
    if constraint.comment is not None:
        extra["comment"] = constraint.comment
    return extra


def _primary_key(table: Table, constraint: Constraint) -> Any:
    extra = _key_options(constraint)
    if constraint.name == f"{table.name.name}_pkey" and not extra:
        return _Flow(list(constraint.columns))
    return {"name": constraint.name, "columns": _Flow(list(constraint.columns)), **extra}


def _key_options(constraint: Constraint) -> dict[str, Any]:
    extra = _constraint_common(constraint)
    if constraint.include:
        extra["include"] = _Flow(list(constraint.include))
    if constraint.nulls_not_distinct:
        extra["nulls_not_distinct"] = True
    if constraint.index_parameters:
        extra["with"] = _Flow(_parameters(constraint.index_parameters))
    return extra


def _unique(table: Table, constraint: Constraint) -> Any:
    spec: dict[str, Any] = {}
    if constraint.name != _default_name(table, constraint.columns, "key"):
        spec["name"] = constraint.name
    spec["columns"] = _Flow(list(constraint.columns))
    spec.update(_key_options(constraint))
    return _Flow(spec) if len(str(spec)) < 90 else spec


def _foreign_key(table: Table, constraint: Constraint) -> dict[str, Any]:
    reference = constraint.references
    assert reference is not None
    spec: dict[str, Any] = {}
    if constraint.name != _default_name(table, constraint.columns, "fkey"):
        spec["name"] = constraint.name
    spec["columns"] = _Flow(list(constraint.columns))
    target: dict[str, Any] = {}
    if reference.table.schema != table.name.schema:
        target["schema"] = reference.table.schema
    target["table"] = reference.table.name
    target["columns"] = list(reference.columns)
    spec["references"] = _Flow(target)
    if reference.on_delete is not ReferentialAction.NO_ACTION:
        spec["on_delete"] = reference.on_delete.value
    if reference.on_update is not ReferentialAction.NO_ACTION:
        spec["on_update"] = reference.on_update.value
    if reference.on_delete_columns:
        spec["on_delete_set_columns"] = _Flow(list(reference.on_delete_columns))
    if reference.match_full:
        spec["match"] = "full"
    spec.update(_constraint_common(constraint))
    return spec


def _check(constraint: Constraint) -> Any:
    spec: dict[str, Any] = {"name": constraint.name, "expression": constraint.expression}
    if constraint.no_inherit:
        spec["no_inherit"] = True
    spec.update(_constraint_common(constraint))
    return _Flow(spec) if len(str(spec)) < 90 else spec


def _exclusion(constraint: Constraint) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": constraint.name, "definition": constraint.expression}
    spec.update(_constraint_common(constraint))
    return spec


def _index(index: Index) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": index.name}
    if index.unique:
        spec["unique"] = True
    if index.method != "btree":
        spec["method"] = index.method
    elements = [_index_element(element) for element in index.elements]
    spec["columns"] = _Flow(elements) if all(isinstance(e, str) for e in elements) else elements
    if index.include:
        spec["include"] = _Flow(list(index.include))
    if index.nulls_not_distinct:
        spec["nulls_not_distinct"] = True
    if index.where is not None:
        spec["where"] = index.where
    if index.storage_parameters:
        spec["with"] = _Flow(_parameters(index.storage_parameters))
    if index.comment is not None:
        spec["comment"] = index.comment
    return spec


def _index_element(element: IndexElement) -> Any:
    spec: dict[str, Any] = (
        {"expression": element.key} if element.is_expression else {"column": element.key}
    )
    if element.descending:
        spec["order"] = "desc"
    if element.nulls_first != element.descending:
        spec["nulls"] = "first" if element.nulls_first else "last"
    if element.opclass is not None:
        spec["opclass"] = element.opclass
    if element.collation is not None:
        spec["collation"] = _unquoted(element.collation)
    if list(spec) == ["column"]:
        return element.key
    return _Flow(spec)


def _parameters(parameters: tuple[str, ...]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        result[key] = value
    return result


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class _Flow(dict[str, Any]):
    """Written on one line in YAML: `{type: bigint, nullable: false}` or `[id, email]`."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, list):
            super().__init__()
            self.items_list: list[Any] | None = value
        else:
            super().__init__(value)
            self.items_list = None


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    if value.items_list is not None:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value.items_list, flow_style=True)
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(_Flow, _represent_flow)


def _yaml(document: dict[str, Any]) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return body
