"""Tables → declaration mappings (columns, keys, checks, indexes, triggers, rules, policies)."""

from __future__ import annotations

import re
from collections.abc import Sequence as SequenceOf
from typing import Any

from planner.dump_yaml import Flow, compact, parameters
from planner.model import (
    Column,
    Constraint,
    ConstraintKind,
    Index,
    IndexElement,
    Policy,
    QualifiedName,
    ReferentialAction,
    Rule,
    Table,
    Trigger,
)
from planner.quoting import quote_identifier

MAX_IDENTIFIER_BYTES = 63

_SHORT_TYPES = (
    (re.compile(r"^character varying"), "varchar"),
    (re.compile(r"^timestamp(\(\d+\))? with time zone"), r"timestamptz\1"),
    (re.compile(r"^timestamp(\(\d+\))? without time zone"), r"timestamp\1"),
    (re.compile(r"^time(\(\d+\))? with time zone"), r"timetz\1"),
    (re.compile(r"^time(\(\d+\))? without time zone"), r"time\1"),
    (re.compile(r"^bit varying"), "varbit"),
)


def table_document(table: Table, local_types: set[QualifiedName]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if table.comment is not None:
        document["comment"] = table.comment
    document["columns"] = {
        column.name: _column(column, table.name, local_types) for column in table.columns
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
        document["indexes"] = [index_document(index) for index in table.indexes]
    if table.triggers:
        document["triggers"] = [trigger_document(trigger) for trigger in table.triggers]
    if table.rules:
        document["rules"] = [rule_document(rule) for rule in table.rules]
    if table.policies:
        document["policies"] = {policy.name: _policy(policy) for policy in table.policies}
    if table.statistics:
        document["statistics"] = [
            compact({"definition": s.definition, "target": s.target, "comment": s.comment})
            for s in table.statistics
        ]
    document.update(_table_flags(table))
    document.update(_table_family(table))
    return document


_TRIGGER_STATES = {"O": "origin", "D": "disabled", "R": "replica", "A": "always"}


def trigger_document(trigger: Trigger) -> dict[str, Any]:
    spec: dict[str, Any] = {"definition": trigger.definition}
    if trigger.enabled != "O":
        spec["enabled"] = _TRIGGER_STATES[trigger.enabled]
    if trigger.comment is not None:
        spec["comment"] = trigger.comment
    return spec


def rule_document(rule: Rule) -> dict[str, Any]:
    spec: dict[str, Any] = {"definition": rule.definition}
    if rule.enabled != "O":
        spec["enabled"] = _TRIGGER_STATES[rule.enabled]
    if rule.comment is not None:
        spec["comment"] = rule.comment
    return spec


def _policy(policy: Policy) -> dict[str, Any]:
    return compact(
        {
            "command": None if policy.command == "all" else policy.command,
            "permissive": None if policy.permissive else False,
            "roles": None
            if policy.roles == ("public",)
            else Flow([unquoted_name(r) for r in policy.roles]),
            "using": policy.using,
            "with_check": policy.with_check,
            "comment": policy.comment,
        }
    )


def _table_family(table: Table) -> dict[str, Any]:
    family: dict[str, Any] = {}
    if table.partitioning is not None:
        family["partition_by"] = table.partitioning.key
    if table.partition_of is not None:
        parent = table.partition_of.parent
        reference: dict[str, Any] = {"table": parent.name, "bound": table.partition_of.bound}
        if parent.schema != table.name.schema:
            reference = {"schema": parent.schema, **reference}
        family["partition_of"] = Flow(reference)
    if table.inherits:
        family["inherits"] = [
            Flow(
                {"table": parent.name}
                if parent.schema == table.name.schema
                else {"schema": parent.schema, "table": parent.name}
            )
            for parent in table.inherits
        ]
    return family


def _table_flags(table: Table) -> dict[str, Any]:
    flags: dict[str, Any] = {}
    if table.unlogged:
        flags["unlogged"] = True
    if table.storage_parameters:
        flags["with"] = Flow(parameters(table.storage_parameters))
    if table.row_security:
        flags["row_level_security"] = True
    if table.force_row_security:
        flags["force_row_level_security"] = True
    if table.cluster_on is not None:
        flags["cluster_on"] = table.cluster_on
    # Columns a primary key covers are NOT NULL by that key: not written twice.
    keyed = {
        name
        for constraint in table.constraints
        if constraint.kind is ConstraintKind.PRIMARY_KEY
        for name in constraint.columns
    }
    inherited_not_null = [name for name in table.inherited_not_null if name not in keyed]
    if inherited_not_null:
        flags["inherited_not_null"] = Flow(inherited_not_null)
    if table.inherited_settings:
        flags["inherited_columns"] = {
            setting.name: Flow(compact({"default": setting.default, "comment": setting.comment}))
            for setting in table.inherited_settings
        }
    if table.replica_identity != "default":
        flags["replica_identity"] = table.replica_identity_index or table.replica_identity
    return flags


def _column(column: Column, table: QualifiedName, local_types: set[QualifiedName]) -> Any:
    schema = table.schema
    spec: dict[str, Any] = {"type": short_type(column.type, schema, local_types)}
    if column.not_null:
        spec["nullable"] = False
    if column.default is not None:
        spec["default"] = column.default
    if column.identity is not None:
        spec["identity"] = column.identity.kind.value
        options = column.identity.options
        sequence = column.identity.sequence
        default_sequence = QualifiedName(table.schema, f"{table.name}_{column.name}_seq")
        extra = compact(
            {
                "sequence_name": sequence.name
                if sequence and sequence != default_sequence
                else None,
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
        spec["collation"] = unquoted_name(column.collation)
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
    if column.options:
        spec["options"] = Flow(parameters(column.options))
    if list(spec) == ["type"]:
        return spec["type"]
    return Flow(spec) if len(str(spec)) < 90 else spec


def short_type(text: str, schema: str, local_types: set[QualifiedName]) -> str:
    for pattern, replacement in _SHORT_TYPES:
        if pattern.match(text):
            return pattern.sub(replacement, text, count=1)
    for name in local_types:
        prefix = f"{quote_identifier(name.schema)}.{quote_identifier(name.name)}"
        if name.schema == schema and text.split("[", 1)[0] == prefix:
            return quote_identifier(name.name) + text[len(prefix) :]
    return text


def unquoted_name(name: str) -> str:
    """The identifier a single quoted name stands for ("a""b" → a"b); a qualified name
    ("Sales"."Loose") stays as written, the declarations read it as SQL."""
    if _ONE_QUOTED_NAME.fullmatch(name):
        return name[1:-1].replace('""', '"')
    return name


_ONE_QUOTED_NAME = re.compile(r'"(?:[^"]|"")*"')


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
        return Flow(list(constraint.columns))
    return {"name": constraint.name, "columns": Flow(list(constraint.columns)), **extra}


def _key_options(constraint: Constraint) -> dict[str, Any]:
    extra = _constraint_common(constraint)
    if constraint.include:
        extra["include"] = Flow(list(constraint.include))
    if constraint.nulls_not_distinct:
        extra["nulls_not_distinct"] = True
    if constraint.index_parameters:
        extra["with"] = Flow(parameters(constraint.index_parameters))
    if constraint.attached_to is not None:
        extra["attached_to"] = constraint.attached_to
    if constraint.only:
        extra["only"] = True
    return extra


def _unique(table: Table, constraint: Constraint) -> Any:
    spec: dict[str, Any] = {}
    if constraint.name != _default_name(table, constraint.columns, "key"):
        spec["name"] = constraint.name
    spec["columns"] = Flow(list(constraint.columns))
    spec.update(_key_options(constraint))
    return Flow(spec) if len(str(spec)) < 90 else spec


def _foreign_key(table: Table, constraint: Constraint) -> dict[str, Any]:
    reference = constraint.references
    assert reference is not None
    spec: dict[str, Any] = {}
    if constraint.name != _default_name(table, constraint.columns, "fkey"):
        spec["name"] = constraint.name
    spec["columns"] = Flow(list(constraint.columns))
    target: dict[str, Any] = {}
    if reference.table.schema != table.name.schema:
        target["schema"] = reference.table.schema
    target["table"] = reference.table.name
    target["columns"] = list(reference.columns)
    spec["references"] = Flow(target)
    if reference.on_delete is not ReferentialAction.NO_ACTION:
        spec["on_delete"] = reference.on_delete.value
    if reference.on_update is not ReferentialAction.NO_ACTION:
        spec["on_update"] = reference.on_update.value
    if reference.on_delete_columns:
        spec["on_delete_set_columns"] = Flow(list(reference.on_delete_columns))
    if reference.match_full:
        spec["match"] = "full"
    spec.update(_constraint_common(constraint))
    return spec


def _check(constraint: Constraint) -> Any:
    spec: dict[str, Any] = {"name": constraint.name, "expression": constraint.expression}
    if constraint.no_inherit:
        spec["no_inherit"] = True
    spec.update(_constraint_common(constraint))
    return Flow(spec) if len(str(spec)) < 90 else spec


def _exclusion(constraint: Constraint) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": constraint.name, "definition": constraint.expression}
    spec.update(_constraint_common(constraint))
    return spec


def index_document(index: Index) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": index.name}
    if index.unique:
        spec["unique"] = True
    if index.method != "btree":
        spec["method"] = index.method
    elements = [_index_element(element) for element in index.elements]
    spec["columns"] = Flow(elements) if all(isinstance(e, str) for e in elements) else elements
    if index.include:
        spec["include"] = Flow(list(index.include))
    if index.nulls_not_distinct:
        spec["nulls_not_distinct"] = True
    if index.where is not None:
        spec["where"] = index.where
    if index.storage_parameters:
        spec["with"] = Flow(parameters(index.storage_parameters))
    if index.comment is not None:
        spec["comment"] = index.comment
    if index.attached_to is not None:
        spec["attached_to"] = index.attached_to
    if index.only:
        spec["only"] = True
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
        spec["collation"] = unquoted_name(element.collation)
    if list(spec) == ["column"]:
        return element.key
    return Flow(spec)
