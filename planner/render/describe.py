"""One short human line per operation, shared by the text, JSON and Alembic renderers."""

from __future__ import annotations

from planner.model import Privilege, QualifiedName
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterCompositeType,
    AlterDomain,
    AlterExtension,
    AlterSequence,
    AlterTable,
    CommentTarget,
    CreateCollation,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateRule,
    CreateSchema,
    CreateSequence,
    CreateStatistics,
    CreateTable,
    CreateTrigger,
    CreateView,
    DropCollation,
    DropColumn,
    DropCompositeType,
    DropConstraint,
    DropDomain,
    DropEnum,
    DropExtension,
    DropFunction,
    DropIndex,
    DropPolicy,
    DropRule,
    DropSchema,
    DropSequence,
    DropStatistics,
    DropTable,
    DropTrigger,
    DropView,
    Grant,
    KeepEnumValue,
    Operation,
    RenameColumn,
    RenameConstraint,
    RenameEnumValue,
    RenameIndex,
    RenameSchema,
    RenameTable,
    ReplaceCollation,
    ReplaceEnum,
    ReplaceFunction,
    RestoreRows,
    Revoke,
    SaveRows,
    SetClusterIndex,
    SetComment,
    SetOwner,
    SetReplicaIdentity,
    SetRuleEnabled,
    SetSchemaOwner,
    SetSequenceOwner,
    SetStatisticsTarget,
    SetTriggerEnabled,
)
from planner.operations_text_search import (
    AlterTextSearchDictionary,
    AlterTextSearchMappings,
    CreateTextSearchConfiguration,
    CreateTextSearchDictionary,
    DropTextSearchConfiguration,
    DropTextSearchDictionary,
    ReplaceTextSearchConfiguration,
    ReplaceTextSearchDictionary,
)

_VERBS = (
    "create ",
    "drop ",
    "add ",
    "alter ",
    "replace ",
    "recreate ",
    "rename ",
    "set ",
    "make ",
    "grant ",
    "revoke ",
    "comment on ",
    "save rows of ",
    "restore rows of ",
    "leave ",
)


def subject(operation: Operation) -> str:
    """The object an operation is about, as acknowledgements name it (`table public.users`)."""
    text = describe(operation).split(" (", 1)[0]
    for verb in _VERBS:
        if text.startswith(verb):
            return text[len(verb) :]
    return text


def _detached_around(operation: DropIndex | DropConstraint | CreateIndex | AddConstraint) -> str:
    """Partitions whose indexes are attached to a dropped index are detached meanwhile."""
    if isinstance(operation, CreateIndex | AddConstraint) or not operation.attached_partitions:
        return ""
    partitions = ", ".join(str(partition.table) for partition in operation.attached_partitions)
    return f" (detaching and attaching again {partitions}, whose indexes are attached to it)"


def describe(operation: Operation) -> str:
    match operation:
        case CreateSchema(schema) | DropSchema(schema):
            return f"{_verb(operation)} schema {schema.name}"
        case SetSchemaOwner(schema=schema, new=new):
            return f"make {new} owner of schema {schema}"
        case SetOwner(object_kind=kind, object_name=name, member=member, new=new):
            routine = f"({member})" if kind in ("FUNCTION", "PROCEDURE", "AGGREGATE") else ""
            role = new or "the role running the plan"
            return f"make {role} owner of {kind.lower()} {name}{routine}"
        case CreateExtension(extension) | DropExtension(extension):
            return f"{_verb(operation)} extension {extension.name}"
        case CreateEnum(enum) | DropEnum(enum):
            return f"{_verb(operation)} enum {enum.name}"
        case KeepEnumValue(added, why):
            return f"leave value {added.value!r} in enum {added.enum.name} ({why})"
        case AddEnumValue(enum=enum, value=value):
            return f"add value {value!r} to enum {enum.name}"
        case ReplaceEnum(enum=enum, after=after, dependents=dependents):
            text = f"recreate enum {enum.name} with values {', '.join(after.values)}"
            if dependents.drops:
                # "drop view public.v" → "view public.v": each is dropped and created again.
                around = ", ".join(describe(d).split(" ", 1)[1] for d in dependents.drops)
                text += f" (dropped and created again around it: {around})"
            return text
        case RenameEnumValue(enum=enum, old_value=old, new_value=new):
            return f"rename value {old!r} of enum {enum} to {new!r}"
        case CreateSequence(sequence) | DropSequence(sequence):
            return f"{_verb(operation)} sequence {sequence.name}"
        case AlterSequence(new=new):
            return f"alter sequence {new.name}"
        case SetSequenceOwner(sequence=sequence, new=new):
            owner = f"{new[0]}.{new[1]}" if new is not None else "nothing"
            return f"make sequence {sequence} owned by {owner}"
        case DropTable(table, rebuilt=True):
            return f"drop table {table.name} (to rebuild it with its columns in the declared order)"
        case CreateTable(table, rebuilt=True):
            columns = ", ".join(column.name for column in table.columns)
            return f"create table {table.name} (again, with its columns in order: {columns})"
        case CreateTable(table) | DropTable(table):
            return f"{_verb(operation)} table {table.name}"
        case SaveRows(before=table):
            return f"save rows of table {table.name} (in a temporary table, for the rebuild)"
        case RestoreRows(after=table):
            return f"restore rows of table {table.name} (from the temporary table)"
        case AlterTable(new=new):
            return f"alter table {new.name}"
        case AddColumn(table, column, declared_before) if declared_before is not None:
            return (
                f"add column {_member(table, column.name)} (it goes last: PostgreSQL cannot "
                f"put it before {declared_before} as declared without rebuilding the table, "
                "as --column-order rebuild does)"
            )
        case AddColumn(table, column) | DropColumn(table, column):
            return f"{_verb(operation)} column {_member(table, column.name)}"
        case AlterColumn(table=table, old=old, new=new):
            return (
                f"alter column {_member(table, new.name)} ({', '.join(column_changes(old, new))})"
            )
        case AddConstraint(table, constraint) | DropConstraint(table, constraint):
            name = constraint.name or "(unnamed)"
            text = f"{_verb(operation)} {constraint.kind.value} {name} on {table}"
            return text + _detached_around(operation)
        case CreateIndex(table, index) | DropIndex(table, index):
            text = f"{_verb(operation)} index {index.name or '(unnamed)'} on {table}"
            return text + _detached_around(operation)
        case AlterExtension(new=new):
            return f"alter extension {new.name}"
        case CreateCollation(collation) | DropCollation(collation):
            return f"{_verb(operation)} collation {collation.name}"
        case ReplaceCollation(new=new):
            return f"recreate collation {new.name}"
        case CreateTextSearchDictionary(dictionary) | DropTextSearchDictionary(dictionary):
            return f"{_verb(operation)} text search dictionary {dictionary.name}"
        case ReplaceTextSearchDictionary(new=new):
            return f"recreate text search dictionary {new.name} (its template changes)"
        case AlterTextSearchDictionary(name=name):
            return f"alter text search dictionary {name} (options)"
        case CreateTextSearchConfiguration(configuration) | DropTextSearchConfiguration(
            configuration
        ):
            return f"{_verb(operation)} text search configuration {configuration.name}"
        case ReplaceTextSearchConfiguration(new=new):
            return f"recreate text search configuration {new.name} (its parser changes)"
        case AlterTextSearchMappings(name=name):
            return f"alter text search configuration {name} (mappings)"
        case CreateDomain(domain) | DropDomain(domain):
            return f"{_verb(operation)} domain {domain.name}"
        case AlterDomain(new=new):
            return f"alter domain {new.name}"
        case CreateCompositeType(composite) | DropCompositeType(composite):
            return f"{_verb(operation)} type {composite.name}"
        case AlterCompositeType(new=new):
            return f"alter type {new.name}"
        case CreateFunction(function) | DropFunction(function):
            return f"{_verb(operation)} {function.kind} {function.signature}"
        case ReplaceFunction(new=new):
            return f"replace {new.kind} {new.signature}"
        case CreateView(view) | DropView(view):
            kind = "materialized view" if view.materialized else "view"
            return f"{_verb(operation)} {kind} {view.name}"
        case CreateTrigger(table, trigger) | DropTrigger(table, trigger):
            return f"{_verb(operation)} trigger {trigger.name} on {table}"
        case SetTriggerEnabled(table=table, name=name, new=new):
            return f"set trigger {name} on {table} to {_TRIGGER_STATES[new]}"
        case CreateStatistics(table, statistics) | DropStatistics(table, statistics):
            return f"{_verb(operation)} statistics {statistics.name} on {table}"
        case SetStatisticsTarget(name=name, new=new):
            return f"set statistics target of {name} to {'default' if new is None else new}"
        case CreateRule(table, rule) | DropRule(table, rule):
            return f"{_verb(operation)} rule {rule.name} on {table}"
        case SetRuleEnabled(table=table, name=name, new=new):
            return f"set rule {name} on {table} to {_TRIGGER_STATES[new]}"
        case CreatePolicy(table, policy) | DropPolicy(table, policy):
            return f"{_verb(operation)} policy {policy.name} on {table}"
        case SetClusterIndex(table=table, new=None):
            return f"set table {table} without cluster"
        case SetClusterIndex(table=table, new=new):
            return f"set table {table} to cluster on {new}"
        case SetReplicaIdentity(table=table, new=new):
            return f"set replica identity of {table} to {new[1] or new[0]}"
        case Grant(privilege) | Revoke(privilege):
            if isinstance(operation, Grant):
                return f"grant {_privilege_text(privilege)} to {privilege.grantee}"
            return f"revoke {_privilege_text(privilege)} from {privilege.grantee}"
        case RenameSchema(old=old_schema, new=new_schema):
            return f"rename schema {old_schema} to {new_schema}"
        case RenameTable(old=old, new=new, kind=kind):
            return f"rename {kind.lower()} {old} to {new.name}"
        case RenameColumn(table=table, old=old, new=new):
            return f"rename column {table}.{old} to {new}"
        case RenameConstraint(table=table, old=old, new=new):
            return f"rename constraint {old} on {table} to {new}"
        case RenameIndex(schema=schema, old=old, new=new):
            return f"rename index {schema}.{old} to {new}"
        case SetComment(target=target):
            return f"comment on {target.kind.lower()} {_comment_subject(target)}"
    raise AssertionError(f"no description for {operation!r}")


_TRIGGER_STATES = {"O": "enabled", "D": "disabled", "R": "replica", "A": "always"}


def column_changes(old: object, new: object) -> list[str]:
    fields = (
        "type",
        "collation",
        "not_null",
        "default",
        "identity",
        "storage",
        "compression",
        "statistics",
        "options",
    )
    return [name.replace("_", " ") for name in fields if getattr(old, name) != getattr(new, name)]


def _privilege_text(privilege: Privilege) -> str:
    subject = (
        privilege.object_name.schema
        if privilege.object_kind == "SCHEMA"
        else str(privilege.object_name)
    )
    if privilege.object_kind in ("FUNCTION", "PROCEDURE"):
        subject += f"({privilege.member})"
    if privilege.object_kind == "COLUMN":
        subject += f".{privilege.member}"
    return f"{privilege.privilege.lower()} on {subject}"


def _comment_subject(target: CommentTarget) -> str:
    if target.kind in ("FUNCTION", "PROCEDURE", "AGGREGATE"):
        return f"{target.name}({target.member or ''})"
    if target.kind in ("TRIGGER", "RULE", "POLICY", "CONSTRAINT", "DOMAIN CONSTRAINT"):
        return f"{target.member} on {target.name}"
    if target.kind == "SCHEMA":
        return target.name.schema
    if target.kind == "EXTENSION":
        return target.name.name
    if target.member:
        return f"{target.name}.{target.member}"
    return str(target.name)


def _verb(operation: Operation) -> str:
    name = type(operation).__name__
    for prefix, verb in (("Create", "create"), ("Drop", "drop"), ("Add", "add")):
        if name.startswith(prefix):
            return verb
    return name.lower()


def _member(table: QualifiedName, member: str) -> str:
    return f"{table}.{member}"
