"""Declaration files (YAML) → model, with every object's file and line kept for messages.

The model built here is *raw*: names PostgreSQL would choose are left out and expressions are
as people wrote them. `planner.canonical` turns it into PostgreSQL's own form.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from planner import declare_grants, declare_programs
from planner import declare_text_search as text_search
from planner.errors import DeclarationError
from planner.hazards import Acknowledgement, HazardKind
from planner.lint import column_subject, table_subject
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
    InheritedColumnSetting,
    Ownership,
    Partitioning,
    PartitionOf,
    Privilege,
    QualifiedName,
    ReferentialAction,
    RenameHint,
    Rule,
    SchemaNamespace,
    Sequence,
    SequenceOptions,
    Table,
    TextSearchConfiguration,
    TextSearchDictionary,
    View,
    ViewColumn,
)
from planner.partition_indexes import misdeclared
from planner.quoting import quote_identifier
from planner.sqlcheck import UnsafeSqlError, check_expression, check_type_name
from planner.yamlload import LocatedDict, line_of, load_yaml

MAX_IDENTIFIER_BYTES = 63
SCHEMA_FILE_PATTERNS = ("*.yaml", "*.yml")


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    line: int | None
    subject: str

    def error(self, problem: str) -> DeclarationError:
        return DeclarationError(self.path, self.line, self.subject, problem)


@dataclass(frozen=True)
class Declarations:
    """The declared catalog, where each object was declared, and acknowledged hazards."""

    catalog: Catalog
    sources: Mapping[tuple[str, ...], Source] = field(default_factory=dict)
    acknowledgements: tuple[Acknowledgement, ...] = ()
    renames: tuple[RenameHint, ...] = ()
    lint_ignores: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Rule ids silenced by `lint_ignore`, keyed by the lint subject of the table or column."""
    digest: str = ""
    """A digest of every file's name and text: same declarations, same digest."""

    def source(self, *key: str) -> Source | None:
        return self.sources.get(key)


@cache
def declaration_json_schema() -> dict[str, Any]:
    text = resources.files("planner").joinpath("declarations.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def declaration_files(schema_dir: Path) -> list[Path]:
    if not schema_dir.is_dir():
        raise DeclarationError(str(schema_dir), None, "", "the schema directory does not exist")
    files = {path for pattern in SCHEMA_FILE_PATTERNS for path in schema_dir.rglob(pattern)}
    return sorted(files)


def load_declarations(schema_dir: Path) -> Declarations:
    builder = _CatalogBuilder()
    for path in declaration_files(schema_dir):
        builder.add_file(path)
    return builder.finish()


def load_declaration_text(text: str, path: str = "<declarations>") -> Declarations:
    builder = _CatalogBuilder()
    builder.add_text(text, path)
    return builder.finish()


def validate_document(data: Any, path: str) -> None:
    validator = jsonschema.Draft202012Validator(declaration_json_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    location = list(error.absolute_path)
    line = line_of(data, location + _unknown_keys(error)[:1])
    raise DeclarationError(path, line, _describe_path(location), _describe_error(error))


def _unknown_keys(error: jsonschema.ValidationError) -> list[str | int]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = set(error.schema.get("properties", {}))
    return sorted(key for key in error.instance if key not in allowed)


def _describe_path(location: list[str | int]) -> str:
    return ".".join(str(step) for step in location)


def _describe_error(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        if allowed and unknown:
            guess = difflib.get_close_matches(unknown[0], allowed, n=1)
            hint = (
                f" (did you mean {guess[0]!r}?)" if guess else f" (allowed: {', '.join(allowed)})"
            )
            return f"unknown key {unknown[0]!r}{hint}"
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    if error.validator in ("type", "oneOf") and error.context:
        return _describe_error(min(error.context, key=lambda e: len(list(e.absolute_path))))
    if error.validator == "type":
        shown = json.dumps(error.instance, default=str)[:60]
        return f"expected {error.validator_value}, got {shown}"
    return str(error.message)


# Words GRANT and ALTER … OWNER TO read as something other than a role of that name.
_ROLE_KEYWORDS = frozenset({"public", "current_user", "current_role", "session_user"})


class _CatalogBuilder:
    def __init__(self) -> None:
        self.schemas: dict[str, SchemaNamespace] = {"public": SchemaNamespace("public")}
        self.extensions: dict[str, Extension] = {}
        self.enums: dict[QualifiedName, EnumType] = {}
        self.collations: dict[QualifiedName, Collation] = {}
        self.dictionaries: dict[QualifiedName, TextSearchDictionary] = {}
        self.configurations: dict[QualifiedName, TextSearchConfiguration] = {}
        self.dictionary_names: dict[str, set[str]] = {}
        self.sequences: dict[QualifiedName, Sequence] = {}
        self.domains: dict[QualifiedName, Domain] = {}
        self.composites: dict[QualifiedName, CompositeType] = {}
        self.functions: list[Function] = []
        self.views: dict[QualifiedName, View] = {}
        self.tables: dict[QualifiedName, Table] = {}
        self.privileges: list[Privilege] = []
        self.explicit_privileges: set[tuple[str, QualifiedName, str]] = set()
        self.owners: list[Ownership] = []
        self.sources: dict[tuple[str, ...], Source] = {}
        self.pending_references: list[tuple[QualifiedName, Constraint, Source]] = []
        self.pending_owners: list[tuple[QualifiedName, QualifiedName, str, Source]] = []
        self.acknowledgements: list[Acknowledgement] = []
        self.hasher = hashlib.sha256()
        self.renames: list[RenameHint] = []
        self.lint_ignores: dict[str, frozenset[str]] = {}
        self.documents: list[tuple[LocatedDict, str]] = []
        self.type_names: dict[str, set[str]] = {}

    def add_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise DeclarationError(str(path), None, "", "the file is not UTF-8 text") from None
        self.add_text(text, str(path))

    def add_text(self, text: str, path: str) -> None:
        self.hasher.update(f"{path}\0{text}\0".encode())
        data = load_yaml(text, path)
        if data is None:
            return
        validate_document(data, path)
        self.documents.append((data, path))

    def _add_document(self, data: LocatedDict, path: str) -> None:
        schema = data.get("schema", "public")
        if "schema_renamed_from" in data:
            self.renames.append(RenameHint("schema", "", data["schema_renamed_from"], schema))
        self.acknowledgements += [
            Acknowledgement(HazardKind(entry["hazard"]), entry["object"])
            for entry in data.get("acknowledge", [])
        ]
        self._check_name(schema, Source(path, line_of(data, ["schema"]), "schema"))
        owner = data.get("schema_owner")
        namespace = SchemaNamespace(
            schema, data.get("schema_comment"), quote_identifier(owner) if owner else None
        )
        if "schema_grants" in data:
            self._grants(
                {"grants": data["schema_grants"]},
                "SCHEMA",
                QualifiedName(schema, ""),
                "",
                Source(path, line_of(data, ["schema_grants"]), f"schema {schema}"),
            )
        existing = self.schemas.get(schema)
        if existing is not None:
            namespace = SchemaNamespace(
                schema, namespace.comment or existing.comment, namespace.owner or existing.owner
            )
        self.schemas[schema] = namespace
        for name, spec in data.get("extensions", {}).items():
            self._add_extension(
                name,
                spec or {},
                Source(path, line_of(data, ["extensions", name]), f"extension {name}"),
            )
        for name, spec in data.get("collations", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["collations", name]), f"collation {qualified}")
            self._add_collation(qualified, spec, source)
        self._add_text_search(data, path, schema)
        for name, spec in data.get("enums", {}).items():
            self._add_enum(
                QualifiedName(schema, name),
                spec,
                Source(path, line_of(data, ["enums", name]), f"enum {schema}.{name}"),
            )
        for name, spec in data.get("sequences", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["sequences", name]), f"sequence {qualified}")
            self._add_sequence(qualified, spec or {}, source)
        for name, spec in data.get("domains", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["domains", name]), f"domain {qualified}")
            self._add_domain(qualified, spec, source)
        for name, spec in data.get("composite_types", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["composite_types", name]), f"type {qualified}")
            self._add_composite(qualified, spec, source)
        local_types = self.type_names.get(schema, set())
        for position, spec in enumerate(data.get("functions", [])):
            line = line_of(data, ["functions", position])
            self._add_function(schema, spec, Source(path, line, f"function #{position + 1}"))
        for name, spec in data.get("views", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["views", name]), f"view {qualified}")
            self._add_view(qualified, spec, source)
        for name, spec in data.get("tables", {}).items():
            qualified = QualifiedName(schema, name)
            source = Source(path, line_of(data, ["tables", name]), f"table {qualified}")
            self._add_table(qualified, spec, source, local_types)

    def finish(self) -> Declarations:
        # A table may use a type declared in a later file of its schema (files load in name
        # order, and "Person.yaml" sorts before "_schema.yaml"): know every type name first.
        for data, _path in self.documents:
            names = self.type_names.setdefault(data.get("schema", "public"), set())
            for kind in ("enums", "domains", "composite_types"):
                names.update(data.get(kind, {}))
            # Likewise the dictionaries a configuration of the schema may name unqualified.
            self.dictionary_names.setdefault(data.get("schema", "public"), set()).update(
                data.get("text_search_dictionaries", {})
            )
        for data, path in self.documents:
            self._add_document(data, path)
        for table_name, constraint, source in self.pending_references:
            self._check_reference(table_name, constraint, source)
        for _sequence, table_name, column, source in self.pending_owners:
            owner = self.tables.get(table_name)
            if owner is None:
                raise source.error(f"owned_by names the table {table_name}, which is not declared")
            _require_columns([column], {c.name for c in owner.columns}, source, of=str(table_name))
        catalog = Catalog(
            schemas=tuple(sorted(self.schemas.values(), key=lambda s: s.name)),
            extensions=tuple(sorted(self.extensions.values(), key=lambda e: e.name)),
            collations=tuple(sorted(self.collations.values(), key=lambda c: c.name)),
            text_search_dictionaries=tuple(
                sorted(self.dictionaries.values(), key=lambda d: d.name)
            ),
            text_search_configurations=tuple(
                sorted(self.configurations.values(), key=lambda c: c.name)
            ),
            enums=tuple(sorted(self.enums.values(), key=lambda e: e.name)),
            domains=tuple(sorted(self.domains.values(), key=lambda d: d.name)),
            composite_types=tuple(sorted(self.composites.values(), key=lambda c: c.name)),
            sequences=tuple(sorted(self.sequences.values(), key=lambda s: s.name)),
            tables=tuple(sorted(self.tables.values(), key=lambda t: t.name)),
            views=tuple(sorted(self.views.values(), key=lambda v: v.name)),
            functions=tuple(self.functions),
            privileges=tuple(sorted(set(self.privileges))),
            explicit_privileges=frozenset(self.explicit_privileges),
            owners=tuple(sorted(self.owners)),
        )
        return Declarations(
            catalog,
            dict(self.sources),
            tuple(self.acknowledgements),
            tuple(self.renames),
            dict(self.lint_ignores),
            digest=self.hasher.hexdigest(),
        )

    # --- privileges ---

    def _grants(
        self, spec: Any, kind: str, name: QualifiedName, member: str, source: Source
    ) -> None:
        if not isinstance(spec, Mapping) or "grants" not in spec:
            return
        self.explicit_privileges.add(
            ("TABLE" if kind == "COLUMN" else kind, name, "" if kind == "COLUMN" else member)
        )
        self.privileges += declare_grants.privileges(spec["grants"], kind, name, member, source)

    def _owner(
        self, spec: Any, kind: str, name: QualifiedName, member: str, source: Source
    ) -> None:
        if not isinstance(spec, Mapping) or "owner" not in spec:
            return
        role = spec["owner"]
        if role.lower() in _ROLE_KEYWORDS:
            raise source.error(f"owner: {role!r} is not a role name")
        self._check_name(role, source)
        self.owners.append(Ownership(kind, name, member, quote_identifier(role)))

    # --- names -----------------------------------------------------------------------------

    def _check_name(self, name: str, source: Source) -> None:
        size = len(name.encode("utf-8"))
        if size > MAX_IDENTIFIER_BYTES:
            raise source.error(
                f"the name {name!r} is {size} bytes long; PostgreSQL truncates names to "
                f"{MAX_IDENTIFIER_BYTES} bytes, which would show a change on every plan"
            )
        if "\x00" in name:
            raise source.error("names cannot contain NUL characters")

    def _claim(self, key: tuple[str, ...], source: Source) -> None:
        if key in self.sources:
            first = self.sources[key]
            raise source.error(f"declared twice (first at {first.path}:{first.line})")
        self.sources[key] = source

    # --- extensions and enums ----------------------------------------------------------------

    def _add_extension(self, name: str, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name, source)
        self._claim(("extension", name), source)
        self.extensions[name] = Extension(
            name, spec.get("schema", "public"), spec.get("version"), spec.get("comment")
        )

    def _add_enum(self, name: QualifiedName, spec: Any, source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("type", str(name)), source)
        entries = spec if isinstance(spec, list) else spec["values"]
        comment = None if isinstance(spec, list) else spec.get("comment")
        values = [entry if isinstance(entry, str) else entry["value"] for entry in entries]
        for entry in entries:
            if isinstance(entry, Mapping) and "renamed_from" in entry:
                self.renames.append(
                    RenameHint("enum value", str(name), entry["renamed_from"], entry["value"])
                )
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise source.error(f"the value {duplicates[0]!r} is listed twice")
        for value in values:
            if len(value.encode()) > MAX_IDENTIFIER_BYTES:
                raise source.error(f"the value {value!r} is longer than 63 bytes")
        self.enums[name] = EnumType(name, tuple(values), comment)
        self._grants(spec, "TYPE", name, "", source)
        self._owner(spec, "TYPE", name, "", source)

    def _add_sequence(self, name: QualifiedName, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("relation", str(name)), source)
        owner = spec.get("owned_by")
        owned_by = None
        if owner is not None:
            table = QualifiedName(owner.get("schema", name.schema), owner["table"])
            owned_by = (table, owner["column"])
            self.pending_owners.append((name, table, owner["column"], source))
            if "owner" in spec:
                raise source.error("a sequence owned by a column has its table's owner")
        self.sequences[name] = Sequence(
            name=name,
            options=SequenceOptions(
                data_type=spec.get("type"),
                start=spec.get("start"),
                increment=spec.get("increment"),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                cache=spec.get("cache"),
                cycle=spec.get("cycle", False),
            ),
            owned_by=owned_by,
            comment=spec.get("comment"),
        )
        self._grants(spec, "SEQUENCE", name, "", source)
        self._owner(spec, "SEQUENCE", name, "", source)

    def _add_collation(self, name: QualifiedName, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("collation", str(name)), source)
        self.collations[name] = _collation_of(name, spec, source)

    def _add_text_search(self, data: LocatedDict, path: str, schema: str) -> None:
        for name, spec in data.get("text_search_dictionaries", {}).items():
            qualified = QualifiedName(schema, name)
            source = self._text_search_source(data, path, qualified, "dictionaries", "dictionary")
            self.dictionaries[qualified] = text_search.dictionary_of(qualified, spec, source)
        local = self.dictionary_names.get(schema, set())
        for name, spec in data.get("text_search_configurations", {}).items():
            qualified = QualifiedName(schema, name)
            source = self._text_search_source(
                data, path, qualified, "configurations", "configuration"
            )
            self.configurations[qualified] = text_search.configuration_of(
                qualified, spec, source, local
            )

    def _text_search_source(
        self, data: LocatedDict, path: str, name: QualifiedName, plural: str, kind: str
    ) -> Source:
        line = line_of(data, [f"text_search_{plural}", name.name])
        source = Source(path, line, f"text search {kind} {name}")
        self._check_name(name.name, source)
        self._claim((f"text search {kind}", str(name)), source)
        return source

    def _add_domain(self, name: QualifiedName, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("type", str(name)), source)
        checks = []
        for check in spec.get("checks", []):
            check = {"expression": check} if isinstance(check, str) else check
            checks.append(
                DomainCheck(
                    name=check.get("name"),
                    expression=_expression(check["expression"], source, "check"),
                    validated=not check.get("not_valid", False),
                )
            )
        self.domains[name] = Domain(
            name=name,
            base_type=_type(spec["type"], source, name.schema, set()),
            not_null=not spec.get("nullable", True),
            default=_default(spec.get("default"), source),
            collation=_collation(spec.get("collation"), source),
            checks=tuple(checks),
            comment=spec.get("comment"),
        )
        self._grants(spec, "DOMAIN", name, "", source)
        self._owner(spec, "DOMAIN", name, "", source)

    def _add_composite(self, name: QualifiedName, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("type", str(name)), source)
        attributes = []
        for attribute_name, attribute in spec["attributes"].items():
            attribute = {"type": attribute} if isinstance(attribute, str) else attribute
            self._check_name(attribute_name, source)
            attributes.append(
                CompositeAttribute(
                    attribute_name,
                    _type(attribute["type"], source, name.schema, set()),
                    _collation(attribute.get("collation"), source),
                )
            )
        self.composites[name] = CompositeType(name, tuple(attributes), spec.get("comment"))
        self._grants(spec, "TYPE", name, "", source)
        self._owner(spec, "TYPE", name, "", source)

    def _add_function(self, schema: str, spec: Mapping[str, Any], source: Source) -> None:
        function = declare_programs.function(schema, spec, source)
        self._claim(("function", function.signature), source)
        self.functions.append(function)
        kind = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        self._grants(spec, kind, function.name, function.arguments or "", source)
        self._owner(spec, function.kind.upper(), function.name, function.arguments or "", source)

    def _add_view(self, name: QualifiedName, spec: Mapping[str, Any], source: Source) -> None:
        self._check_name(name.name, source)
        self._claim(("relation", str(name)), source)
        columns = tuple(
            ViewColumn(column, "", options.get("comment"))
            for column, options in spec.get("columns", {}).items()
        )
        indexes = tuple(self._index_list(name, spec.get("indexes", []), source, None))
        rules = self._rules(name, spec, source, on_view=True)
        self.views[name] = declare_programs.view(name, spec, source, columns, indexes, rules)
        self._grants(spec, "TABLE", name, "", source)
        kind = "MATERIALIZED VIEW" if self.views[name].materialized else "VIEW"
        self._owner(spec, kind, name, "", source)
        for column, options in spec.get("columns", {}).items():
            self._grants(options, "COLUMN", name, column, source)

    def _rules(
        self,
        relation: QualifiedName,
        spec: Mapping[str, Any],
        source: Source,
        *,
        on_view: bool = False,
    ) -> tuple[Rule, ...]:
        found: list[Rule] = []
        for rule, rule_source in declare_programs.rules(relation, spec, source, on_view=on_view):
            # Claimed so that PostgreSQL's refusal of the rule on the scratch database points here.
            self._claim(("rule", str(relation), rule.name), rule_source)
            found.append(rule)
        return tuple(found)

    # --- tables ------------------------------------------------------------------------------

    def _add_table(
        self, name: QualifiedName, spec: LocatedDict, source: Source, local_types: set[str]
    ) -> None:
        self._check_name(name.name, source)
        self._claim(("table", str(name)), source)
        self._claim(("relation", str(name)), source)
        if "renamed_from" in spec:
            self.renames.append(RenameHint("table", name.schema, spec["renamed_from"], name.name))
        if "lint_ignore" in spec:
            self.lint_ignores[table_subject(name)] = frozenset(spec["lint_ignore"])
        self._grants(spec, "TABLE", name, "", source)
        self._owner(spec, "TABLE", name, "", source)
        columns = tuple(self._columns(name, spec, source, local_types))
        # Inherited columns are PostgreSQL's to check (on the scratch database).
        inherited = "partition_of" in spec or "inherits" in spec
        column_names = None if inherited else {column.name for column in columns}
        constraints = tuple(self._constraints(name, spec, source, column_names))
        indexes = tuple(self._indexes(name, spec, source, column_names))
        problem = misdeclared(
            (*constraints, *indexes),
            partition="partition_of" in spec,
            partitioned="partition_by" in spec,
        )
        if problem is not None:
            raise source.error(problem)
        self.tables[name] = Table(
            name=name,
            columns=columns,
            constraints=constraints,
            indexes=indexes,
            triggers=tuple(declare_programs.triggers(spec.get("triggers", []), source)),
            policies=tuple(declare_programs.policies(spec.get("policies", {}), source)),
            statistics=tuple(
                sorted(
                    declare_programs.statistics(spec.get("statistics", []), name.schema, source),
                    key=lambda statistics: statistics.name,
                )
            ),
            rules=self._rules(name, spec, source),
            partitioning=_partitioning(spec.get("partition_by"), source),
            partition_of=_partition_of(spec.get("partition_of"), name.schema, source),
            inherits=tuple(
                QualifiedName(parent.get("schema", name.schema), parent["table"])
                for parent in spec.get("inherits", [])
            ),
            comment=spec.get("comment"),
            unlogged=spec.get("unlogged", False),
            storage_parameters=_parameters(spec.get("with"), source),
            row_security=spec.get("row_level_security", False),
            force_row_security=spec.get("force_row_level_security", False),
            **_replica_identity(spec.get("replica_identity", "default")),
            cluster_on=spec.get("cluster_on"),
            inherited_not_null=_inherited_not_null(spec, columns, inherited, source),
            inherited_settings=_inherited_settings(spec, columns, inherited, source),
        )

    def _columns(
        self, table: QualifiedName, spec: LocatedDict, table_source: Source, local_types: set[str]
    ) -> Iterator[Column]:
        columns = spec.get("columns", {})
        for column_name, column_spec in columns.items():
            source = Source(
                table_source.path,
                line_of(spec, ["columns", column_name]),
                f"table {table} column {column_name}",
            )
            self._check_name(column_name, source)
            self._claim(("column", str(table), column_name), source)
            if isinstance(column_spec, Mapping) and "renamed_from" in column_spec:
                old_name = column_spec["renamed_from"]
                self.renames.append(RenameHint("column", str(table), old_name, column_name))
            if isinstance(column_spec, Mapping) and "grants" in column_spec:
                self._grants(column_spec, "COLUMN", table, column_name, source)
            if isinstance(column_spec, Mapping) and "lint_ignore" in column_spec:
                subject = column_subject(table, column_name)
                self.lint_ignores[subject] = frozenset(column_spec["lint_ignore"])
            yield _column(column_name, column_spec, source, table.schema, local_types)

    def _constraints(
        self,
        table: QualifiedName,
        spec: LocatedDict,
        table_source: Source,
        columns: set[str] | None,
    ) -> Iterator[Constraint]:
        def source_at(*path: str | int) -> Source:
            return Source(table_source.path, line_of(spec, list(path)), table_source.subject)

        if "primary_key" in spec:
            yield self._keyed(
                table,
                spec["primary_key"],
                ConstraintKind.PRIMARY_KEY,
                source_at("primary_key"),
                columns,
            )
        for position, unique in enumerate(spec.get("unique", [])):
            yield self._keyed(
                table, unique, ConstraintKind.UNIQUE, source_at("unique", position), columns
            )
        for position, check in enumerate(spec.get("checks", [])):
            yield self._check(table, check, source_at("checks", position))
        for position, exclusion in enumerate(spec.get("exclude", [])):
            yield self._exclusion(table, exclusion, source_at("exclude", position))
        for position, foreign_key in enumerate(spec.get("foreign_keys", [])):
            source = source_at("foreign_keys", position)
            constraint = self._foreign_key(table, foreign_key, source, columns)
            self.pending_references.append((table, constraint, source))
            yield constraint

    def _named(
        self, table: QualifiedName, name: str | None, source: Source, renamed_from: Any = None
    ) -> str | None:
        if name is not None:
            self._check_name(name, source)
            self._claim(("constraint", str(table), name), source)
        if renamed_from is not None:
            if name is None:
                raise source.error("renamed_from needs the constraint's new name")
            self.renames.append(RenameHint("constraint", str(table), renamed_from, name))
        return name

    def _keyed(
        self,
        table: QualifiedName,
        spec: Any,
        kind: ConstraintKind,
        source: Source,
        columns: set[str] | None,
    ) -> Constraint:
        if isinstance(spec, list):
            spec = {"columns": spec}
        _require_columns(spec["columns"], columns, source)
        _require_columns(spec.get("include", []), columns, source)
        return Constraint(
            name=self._named(table, spec.get("name"), source, spec.get("renamed_from")),
            kind=kind,
            columns=tuple(spec["columns"]),
            include=tuple(spec.get("include", ())),
            nulls_not_distinct=spec.get("nulls_not_distinct", False),
            index_parameters=_parameters(spec.get("with"), source),
            deferrable=spec.get("deferrable", False),
            initially_deferred=spec.get("initially_deferred", False),
            comment=spec.get("comment"),
            attached_to=spec.get("attached_to"),
            only=spec.get("only", False),
        )

    def _check(self, table: QualifiedName, spec: Any, source: Source) -> Constraint:
        if isinstance(spec, str):
            spec = {"expression": spec}
        return Constraint(
            name=self._named(table, spec.get("name"), source, spec.get("renamed_from")),
            kind=ConstraintKind.CHECK,
            expression=_expression(spec["expression"], source, "check"),
            no_inherit=spec.get("no_inherit", False),
            validated=not spec.get("not_valid", False),
            comment=spec.get("comment"),
        )

    def _exclusion(self, table: QualifiedName, spec: Any, source: Source) -> Constraint:
        definition = spec["definition"].strip()
        if not definition.upper().startswith("EXCLUDE"):
            raise source.error("an exclusion constraint's definition starts with EXCLUDE")
        _expression(definition[len("EXCLUDE") :], source, "exclusion constraint")
        return Constraint(
            name=self._named(table, spec.get("name"), source, spec.get("renamed_from")),
            kind=ConstraintKind.EXCLUDE,
            expression=definition,
            deferrable=spec.get("deferrable", False),
            initially_deferred=spec.get("initially_deferred", False),
            comment=spec.get("comment"),
        )

    def _foreign_key(
        self, table: QualifiedName, spec: Any, source: Source, columns: set[str] | None
    ) -> Constraint:
        _require_columns(spec["columns"], columns, source)
        reference = spec["references"]
        target = QualifiedName(reference.get("schema", table.schema), reference["table"])
        return Constraint(
            name=self._named(table, spec.get("name"), source, spec.get("renamed_from")),
            kind=ConstraintKind.FOREIGN_KEY,
            columns=tuple(spec["columns"]),
            references=ForeignKeyReference(
                table=target,
                columns=tuple(reference.get("columns", ())),
                on_delete=ReferentialAction(spec.get("on_delete", "no action")),
                on_update=ReferentialAction(spec.get("on_update", "no action")),
                match_full=spec.get("match", "simple") == "full",
                on_delete_columns=tuple(spec.get("on_delete_set_columns", ())),
            ),
            deferrable=spec.get("deferrable", False),
            initially_deferred=spec.get("initially_deferred", False),
            validated=not spec.get("not_valid", False),
            comment=spec.get("comment"),
        )

    def _check_reference(
        self, table: QualifiedName, constraint: Constraint, source: Source
    ) -> None:
        reference = constraint.references
        assert reference is not None
        target = self.tables.get(reference.table)
        if target is None:
            raise source.error(
                f"foreign key references the table {reference.table}, which is not declared"
            )
        target_columns = (
            None
            if target.partition_of or target.inherits
            else {column.name for column in target.columns}
        )
        _require_columns(list(reference.columns), target_columns, source, of=str(reference.table))
        if not reference.columns and not any(
            c.kind is ConstraintKind.PRIMARY_KEY for c in target.constraints
        ):
            raise source.error(
                f"foreign key names no columns and {reference.table} has no primary key"
            )
        if reference.columns and len(reference.columns) != len(constraint.columns):
            raise source.error("foreign key has a different number of columns on each side")

    def _indexes(
        self,
        table: QualifiedName,
        spec: LocatedDict,
        table_source: Source,
        columns: set[str] | None,
    ) -> Iterator[Index]:
        yield from self._index_list(table, spec.get("indexes", []), table_source, columns)

    def _index_list(
        self, table: QualifiedName, specs: Any, table_source: Source, columns: set[str] | None
    ) -> Iterator[Index]:
        for position, index in enumerate(specs):
            line = specs.item_lines[position] if hasattr(specs, "item_lines") else None
            source = Source(table_source.path, line, table_source.subject)
            name = index.get("name")
            if name is not None:
                self._check_name(name, source)
                self._claim(("index", table.schema, name), source)
            if "renamed_from" in index:
                if name is None:
                    raise source.error("renamed_from needs the index's new name")
                self.renames.append(RenameHint("index", table.schema, index["renamed_from"], name))
            elements = tuple(
                _index_element(element, source, columns) for element in index["columns"]
            )
            if columns is not None:
                _require_columns(index.get("include", []), columns, source)
            yield Index(
                name=name,
                elements=elements,
                unique=index.get("unique", False),
                method=index.get("method", "btree"),
                include=tuple(index.get("include", ())),
                where=_expression(index["where"], source, "where") if "where" in index else None,
                nulls_not_distinct=index.get("nulls_not_distinct", False),
                storage_parameters=_parameters(index.get("with"), source),
                comment=index.get("comment"),
                attached_to=index.get("attached_to"),
                only=index.get("only", False),
            )


def _inherited_not_null(
    spec: LocatedDict, columns: tuple[Column, ...], inherited: bool, source: Source
) -> tuple[str, ...]:
    names = spec.get("inherited_not_null", [])
    _check_inherited_names("inherited_not_null", names, columns, inherited, source)
    # Sorted as introspection reports them, so that equal declarations compare equal.
    return tuple(sorted(names))


def _inherited_settings(
    spec: LocatedDict, columns: tuple[Column, ...], inherited: bool, source: Source
) -> tuple[InheritedColumnSetting, ...]:
    settings = spec.get("inherited_columns", {})
    _check_inherited_names("inherited_columns", list(settings), columns, inherited, source)
    return tuple(
        InheritedColumnSetting(
            name, _default(setting.get("default"), source), setting.get("comment")
        )
        for name, setting in sorted(settings.items())
    )


def _check_inherited_names(
    key: str, names: list[str], columns: tuple[Column, ...], inherited: bool, source: Source
) -> None:
    if names and not inherited:
        raise source.error(f"{key} needs partition_of or inherits")
    own = {column.name for column in columns}
    for name in names:
        if name in own:
            raise source.error(
                f"{key} names {name!r}, a column of the table itself (declare it on the column)"
            )


def _replica_identity(value: str) -> dict[str, Any]:
    if value in ("default", "nothing", "full"):
        return {"replica_identity": value, "replica_identity_index": None}
    return {"replica_identity": "index", "replica_identity_index": value}


def _partitioning(key: str | None, source: Source) -> Partitioning | None:
    if key is None:
        return None
    return Partitioning(_expression(key, source, "partition_by"))


def _partition_of(spec: Any, schema: str, source: Source) -> PartitionOf | None:
    if spec is None:
        return None
    parent = QualifiedName(spec.get("schema", schema), spec["table"])
    return PartitionOf(parent, _expression(spec["bound"], source, "partition bound"))


def _column(name: str, spec: Any, source: Source, schema: str, local_types: set[str]) -> Column:
    if isinstance(spec, str):
        spec = {"type": spec}
    column_type = _type(spec["type"], source, schema, local_types)
    return Column(
        name=name,
        type=column_type,
        not_null=not spec.get("nullable", True),
        default=_default(spec.get("default"), source),
        identity=_identity(spec.get("identity"), schema),
        generated=_expression(spec["generated"], source, "generated")
        if "generated" in spec
        else None,
        collation=_collation(spec.get("collation"), source),
        comment=spec.get("comment"),
        storage=_STORAGE_CODES.get(spec.get("storage", "")),
        compression=_COMPRESSION_CODES.get(spec.get("compression", "")),
        statistics=spec.get("statistics"),
        options=_parameters(spec.get("options"), source),
    )


_STORAGE_CODES = {"plain": "p", "external": "e", "main": "m", "extended": "x"}
_COMPRESSION_CODES = {"pglz": "p", "lz4": "l"}


def _type(text: str, source: Source, schema: str, local_types: set[str]) -> str:
    try:
        check_type_name(text)
    except UnsafeSqlError as error:
        raise source.error(str(error)) from None
    text = text.strip()
    bare = _BARE_TYPE.match(text)
    if schema == "public" or bare is None:
        return text
    written, arrays = bare.groups()
    # The name as PostgreSQL reads it: quotes keep it exact, otherwise it folds to lower case.
    name = written[1:-1].replace('""', '"') if written.startswith('"') else written.lower()
    if name not in local_types:
        return text
    # A type declared beside the table resolves in the table's own schema.
    return f"{quote_identifier(schema)}.{quote_identifier(name)}{arrays.replace(' ', '')}"


# An unqualified type name, quoted or not, with optional array brackets ("Priority"[], mood).
_BARE_TYPE = re.compile(r'^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)((?:\s*\[\s*\d*\s*\])*)$')


def _collation_of(name: QualifiedName, spec: Mapping[str, Any], source: Source) -> Collation:
    provider = spec.get("provider", "libc")
    locale = spec.get("locale")
    if provider == "libc":
        # For libc, LOCALE is shorthand for both categories; PostgreSQL stores the two.
        lc_collate = spec.get("lc_collate", locale)
        lc_ctype = spec.get("lc_ctype", locale)
        if lc_collate is None or lc_ctype is None:
            raise source.error("a libc collation needs locale, or lc_collate and lc_ctype")
        locale = None
    else:
        if locale is None:
            raise source.error(f"an {provider} collation needs a locale")
        if "lc_collate" in spec or "lc_ctype" in spec:
            raise source.error(f"lc_collate and lc_ctype are for libc; {provider} takes locale")
        lc_collate = lc_ctype = None
    if "rules" in spec and provider != "icu":
        raise source.error("rules are for ICU collations")
    return Collation(
        name=name,
        provider=provider,
        locale=locale,
        lc_collate=lc_collate,
        lc_ctype=lc_ctype,
        deterministic=spec.get("deterministic", True),
        rules=spec.get("rules"),
        comment=spec.get("comment"),
    )


def _collation(value: str | None, source: Source) -> str | None:
    if value is None:
        return None
    if value.startswith('"') or "." in value:
        try:
            check_type_name(value)
        except UnsafeSqlError:
            raise source.error(f"{value!r} is not a collation name") from None
        return value
    return '"' + value.replace('"', '""') + '"'


def _default(value: Any, source: Source) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _expression(value, source, "default")


def _expression(text: str, source: Source, what: str) -> str:
    try:
        check_expression(text)
    except UnsafeSqlError as error:
        raise source.error(f"{what} {text!r}: {error}") from None
    return text.strip()


def _identity(spec: Any, schema: str) -> Identity | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return Identity(IdentityKind(spec))
    sequence = spec.get("sequence_name")
    return Identity(
        IdentityKind(spec["kind"]),
        SequenceOptions(
            data_type=spec.get("type"),
            start=spec.get("start"),
            increment=spec.get("increment"),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
            cache=spec.get("cache"),
            cycle=spec.get("cycle", False),
        ),
        QualifiedName(schema, sequence) if sequence else None,
    )


def _index_element(spec: Any, source: Source, columns: set[str] | None) -> IndexElement:
    if isinstance(spec, str):
        spec = {"column": spec}
    if "column" in spec:
        if columns is not None:
            _require_columns([spec["column"]], columns, source)
        key, is_expression = spec["column"], False
    else:
        key, is_expression = _expression(spec["expression"], source, "index expression"), True
    opclass = spec.get("opclass")
    if opclass is not None:
        try:
            check_type_name(opclass)
        except UnsafeSqlError:
            raise source.error(f"{opclass!r} is not an operator class name") from None
    descending = spec.get("order", "asc") == "desc"
    return IndexElement(
        key=key,
        is_expression=is_expression,
        collation=_collation(spec.get("collation"), source),
        opclass=opclass,
        descending=descending,
        nulls_first=spec.get("nulls", "first" if descending else "last") == "first",
    )


def _parameters(spec: Mapping[str, Any] | None, source: Source) -> tuple[str, ...]:
    if not spec:
        return ()
    parameters = []
    for key, value in spec.items():
        if not key.replace("_", "").replace(".", "").isalnum():
            raise source.error(f"invalid storage parameter {key!r}")
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if not text.replace(".", "").replace("_", "").replace("-", "").isalnum():
            text = "'" + text.replace("'", "''") + "'"
        parameters.append(f"{key}={text}")
    return tuple(parameters)


def _require_columns(
    names: list[str], available: set[str] | None, source: Source, of: str | None = None
) -> None:
    if available is None:
        return
    for name in names:
        if name not in available:
            where = f" of {of}" if of else ""
            guess = difflib.get_close_matches(name, sorted(available), n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            raise source.error(f"unknown column {name!r}{where}{hint}")
