"""Database → declaration files: readable, minimal, deterministic, loadable as they are.

Layout: one directory per schema; `_schema.yaml` holds its extensions, types and sequences,
`_functions.yaml` and `_views.yaml` its routines and views, and each table has its own file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence as SequenceOf
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.dump_grants import GrantsIndex, role_name
from planner.dump_objects import (
    collation_document,
    composite_document,
    domain_document,
    enum_document,
    extension_document,
    function_document,
    sequence_document,
    serial_columns,
    view_document,
    with_serials,
)
from planner.dump_stable import stable_catalog
from planner.dump_tables import table_document
from planner.dump_text_search import configuration_document, dictionary_document
from planner.dump_yaml import Flow, to_yaml
from planner.filters import exclude_tables
from planner.introspect import introspect
from planner.migrations import write_atomically
from planner.model import Catalog, QualifiedName, View
from planner.urls import parse_database_url

SCHEMA_FILE = "_schema.yaml"
FUNCTIONS_FILE = "_functions.yaml"
VIEWS_FILE = "_views.yaml"


def dump_database(database_url: str, out: Path, schemas: SequenceOf[str] | None) -> list[Path]:
    from planner.workflow import connect

    with connect(parse_database_url(database_url)) as connection:
        catalog = introspect(connection, schemas)
    return write_declarations(catalog, out)


def write_declarations(catalog: Catalog, out: Path) -> list[Path]:
    written = []
    for relative, text in declaration_documents(catalog).items():
        path = out / relative
        write_atomically(path, text)
        written.append(path)
    return written


def declaration_documents(catalog: Catalog) -> dict[str, str]:
    """File name (relative) → YAML text, for every schema of the catalog."""
    catalog = stable_catalog(exclude_tables(catalog))
    grants = GrantsIndex.of(catalog)
    # `serial` has nowhere to hold grants on its sequence: such a sequence is written out.
    serials = {
        column: sequence
        for column, sequence in serial_columns(catalog).items()
        if grants.for_object("SEQUENCE", sequence) is None
    }
    catalog = replace(
        catalog,
        sequences=tuple(s for s in catalog.sequences if s.name not in serials.values()),
        tables=tuple(with_serials(table, serials) for table in catalog.tables),
    )
    local_types = {enum.name for enum in catalog.enums}
    local_types |= {domain.name for domain in catalog.domains}
    local_types |= {composite.name for composite in catalog.composite_types}
    documents: dict[str, str] = {}
    for schema in catalog.schemas:
        documents.update(_schema_documents(catalog, schema.name, local_types, grants))
    return documents


def _schema_documents(
    catalog: Catalog, schema: str, local_types: set[QualifiedName], grants: GrantsIndex
) -> dict[str, str]:
    directory = _file_name(schema)
    documents: dict[str, str] = {}
    parts = {
        SCHEMA_FILE: _schema_level(catalog, schema, grants),
        FUNCTIONS_FILE: _functions(catalog, schema, grants),
        VIEWS_FILE: _views(catalog, schema, grants),
    }
    for file_name, document in parts.items():
        # A schema with nothing in it still exists: its _schema.yaml says so.
        if document or (file_name == SCHEMA_FILE and schema != "public"):
            documents[f"{directory}/{file_name}"] = to_yaml(_with_schema(schema, document))
    used = set(parts)
    for table in (t for t in catalog.tables if t.name.schema == schema):
        spec = _table_with_grants(table_document(table, local_types), table.name, grants)
        document = {"tables": {table.name.name: spec}}
        name = _unique_file_name(table.name.name, used)
        documents[f"{directory}/{name}"] = to_yaml(_with_schema(schema, document))
    return documents


def _table_with_grants(
    spec: dict[str, Any], name: QualifiedName, grants: GrantsIndex
) -> dict[str, Any]:
    columns = spec.get("columns", {})
    for column, column_spec in columns.items():
        column_grants = grants.for_column(name, column)
        extras = {} if column_grants is None else {"grants": column_grants}
        columns[column] = with_grants(column_spec, extras, "type")
    result: dict[str, Any] = with_grants(spec, grants.extras("TABLE", name), "type")
    return result


def with_grants(spec: Any, extras: dict[str, Any], shorthand_key: str) -> Any:
    """The spec with `owner:` and `grants:` added; a shorthand (a type, a value list) becomes
    a mapping."""
    if not extras:
        return spec
    if spec is None:
        spec = {}
    elif isinstance(spec, str) or (isinstance(spec, Flow) and spec.items_list is not None):
        spec = {shorthand_key: spec}
    return {**spec, **extras}


def _owner_worth_writing(owner: str | None, schema: str, reader: str | None) -> bool:
    """public's owner when it is not the database owner's; another schema's when it is not
    the role running the dump (who would own what the migrations create)."""
    if owner is None:
        return False
    if schema == "public":
        return owner != "pg_database_owner"
    return owner != reader


def _schema_level(catalog: Catalog, schema: str, grants: GrantsIndex) -> dict[str, Any]:
    document: dict[str, Any] = {}
    namespace = next(s for s in catalog.schemas if s.name == schema)
    if namespace.comment is not None and not (
        schema == "public" and namespace.comment == "standard public schema"
    ):
        document["schema_comment"] = namespace.comment
    if _owner_worth_writing(namespace.owner, schema, catalog.reader):
        document["schema_owner"] = role_name(namespace.owner or "")
    schema_grants = grants.for_object("SCHEMA", QualifiedName(schema, ""))
    if schema_grants is not None:
        document["schema_grants"] = schema_grants
    sections = {
        "extensions": {
            extension.name: extension_document(extension)
            for extension in catalog.extensions
            if schema == "public"
        },
        "collations": {
            c.name.name: collation_document(c)
            for c in catalog.collations
            if c.name.schema == schema
        },
        "text_search_dictionaries": {
            d.name.name: dictionary_document(d)
            for d in catalog.text_search_dictionaries
            if d.name.schema == schema
        },
        "text_search_configurations": {
            c.name.name: configuration_document(c, catalog)
            for c in catalog.text_search_configurations
            if c.name.schema == schema
        },
        "enums": {
            e.name.name: with_grants(enum_document(e), grants.extras("TYPE", e.name), "values")
            for e in catalog.enums
            if e.name.schema == schema
        },
        "domains": {
            d.name.name: with_grants(
                domain_document(d, schema), grants.extras("DOMAIN", d.name), "type"
            )
            for d in catalog.domains
            if d.name.schema == schema
        },
        "composite_types": {
            c.name.name: with_grants(
                composite_document(c, schema), grants.extras("TYPE", c.name), "attributes"
            )
            for c in catalog.composite_types
            if c.name.schema == schema
        },
        "sequences": {
            s.name.name: with_grants(
                sequence_document(s, schema), grants.extras("SEQUENCE", s.name), "type"
            )
            for s in catalog.sequences
            if s.name.schema == schema
        },
    }
    document.update({key: value for key, value in sections.items() if value})
    return document


def _functions(catalog: Catalog, schema: str, grants: GrantsIndex) -> dict[str, Any]:
    functions = [
        with_grants(
            function_document(f),
            grants.extras(
                "PROCEDURE" if f.kind == "procedure" else "FUNCTION",
                f.name,
                f.arguments or "",
                owned_as=f.kind.upper(),
            ),
            "definition",
        )
        for f in catalog.functions
        if f.name.schema == schema
    ]
    return {"functions": functions} if functions else {}


def _views(catalog: Catalog, schema: str, grants: GrantsIndex) -> dict[str, Any]:
    views = {
        v.name.name: with_grants(
            _view_with_column_grants(v, grants),
            grants.extras(
                "TABLE", v.name, owned_as="MATERIALIZED VIEW" if v.materialized else "VIEW"
            ),
            "query",
        )
        for v in catalog.views
        if v.name.schema == schema
    }
    return {"views": views} if views else {}


def _view_with_column_grants(view: View, grants: GrantsIndex) -> dict[str, Any]:
    spec = view_document(view)
    columns = {column.name: grants.for_column(view.name, column.name) for column in view.columns}
    granted = {name: found for name, found in columns.items() if found is not None}
    if granted:
        written = spec.setdefault("columns", {})
        for name, found in granted.items():
            written[name] = {**written.get(name, {}), "grants": found}
    return spec


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
