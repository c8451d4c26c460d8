"""Operations → SQL statements. Models carry no SQL; this module writes all of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from planner.hazards import (
    Hazard,
    HazardKind,
    Lock,
    classify_type_change,
    deletes,
    hazard,
    is_volatile,
    lock,
)
from planner.model import (
    Column,
    Constraint,
    ConstraintKind,
    Identity,
    Index,
    IndexElement,
    QualifiedName,
    ReferentialAction,
    Sequence,
    SequenceOptions,
    Table,
)
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterSequence,
    AlterTable,
    CommentTarget,
    CreateEnum,
    CreateExtension,
    CreateIndex,
    CreateSchema,
    CreateSequence,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropEnum,
    DropExtension,
    DropIndex,
    DropSchema,
    DropSequence,
    DropTable,
    EnumUsage,
    KeepEnumValue,
    Operation,
    RenameColumn,
    RenameConstraint,
    RenameEnumValue,
    RenameIndex,
    RenameSchema,
    RenameTable,
    ReplaceEnum,
    SetClusterIndex,
    SetComment,
    SetOwner,
    SetReplicaIdentity,
    SetSchemaOwner,
    SetSequenceOwner,
)
from planner.quoting import (
    quote_identifier,
    quote_identifier_list,
    quote_literal,
    quote_qualified,
)
from planner.render import (
    sql_partitions,
    sql_programs,
    sql_rows,
    sql_statistics,
    sql_text_search,
    sql_types,
)
from planner.render.statements import Statement
from planner.render.statements import comment_statement as _comment
from planner.reparse import stable

# PostgreSQL does not record what function bodies (outside SQL-standard bodies) use.
_FUNCTIONS_MAY_USE = "function bodies may still use it; PostgreSQL does not track them"


def base_statements(operation: Operation) -> list[Statement]:
    """The plain statements of one operation (what `online` does not replace)."""
    renderer: Callable[[Any], Iterator[Statement]] = _RENDERERS[type(operation)]
    return list(renderer(operation))


# --- schemas, extensions, enums -------------------------------------------------------------


def _create_schema(operation: CreateSchema) -> Iterator[Statement]:
    sql = f"CREATE SCHEMA {quote_identifier(operation.schema.name)}"
    if operation.schema.owner is not None:
        sql += f" AUTHORIZATION {operation.schema.owner}"
    yield Statement(sql)
    if operation.schema.comment is not None:
        yield _comment(
            CommentTarget("SCHEMA", QualifiedName(operation.schema.name, "")),
            operation.schema.comment,
        )


def _set_schema_owner(operation: SetSchemaOwner) -> Iterator[Statement]:
    yield Statement(f"ALTER SCHEMA {quote_identifier(operation.schema)} OWNER TO {operation.new}")


def _set_owner(operation: SetOwner) -> Iterator[Statement]:
    what = owned_object(operation.object_kind, operation.object_name, operation.member)
    hazards: tuple[Hazard, ...] = ()
    # A new object, or one about to be dropped, changes hands unseen: no hazard of its own.
    if operation.old is not None and operation.new is not None:
        reason = f"{operation.new} gets every privilege on {operation.object_kind.lower()} {what}"
        hazards = hazard(HazardKind.CHANGES_AUTHORIZATION, reason)
        if operation.object_kind in _RELATION_KINDS:
            hazards = lock(Lock.ACCESS_EXCLUSIVE, str(operation.object_name)) + hazards
    role = operation.new or "CURRENT_USER"
    yield Statement(f"ALTER {operation.object_kind} {what} OWNER TO {role}", hazards=hazards)


_RELATION_KINDS = frozenset({"TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE"})


def owned_object(kind: str, name: QualifiedName, member: str) -> str:
    """The object as ALTER names it: routines by their argument list."""
    if kind in ("FUNCTION", "PROCEDURE", "AGGREGATE"):
        return f"{quote_qualified(name)}({member})"
    return quote_qualified(name)


def _drop_schema(operation: DropSchema) -> Iterator[Statement]:
    name = quote_identifier(operation.schema.name)
    yield Statement(f"DROP SCHEMA {name}", hazards=deletes(f"schema {operation.schema.name}"))


def _create_extension(operation: CreateExtension) -> Iterator[Statement]:
    extension = operation.extension
    sql = f"CREATE EXTENSION IF NOT EXISTS {quote_identifier(extension.name)}"
    sql += f" WITH SCHEMA {quote_identifier(extension.schema)}"
    if extension.version:
        sql += f" VERSION {quote_literal(extension.version)}"
    yield Statement(sql)


def _drop_extension(operation: DropExtension) -> Iterator[Statement]:
    name = operation.extension.name
    hazards = deletes(f"extension {name}'s objects")
    hazards += hazard(HazardKind.UNTRACKED_DEPENDENCIES, _FUNCTIONS_MAY_USE)
    yield Statement(f"DROP EXTENSION {quote_identifier(name)}", hazards=hazards)


def _create_enum(operation: CreateEnum) -> Iterator[Statement]:
    enum = operation.enum
    labels = ", ".join(quote_literal(value) for value in enum.values)
    yield Statement(f"CREATE TYPE {quote_qualified(enum.name)} AS ENUM ({labels})")
    if enum.comment is not None:
        yield _comment(CommentTarget("TYPE", enum.name), enum.comment)


def _drop_enum(operation: DropEnum) -> Iterator[Statement]:
    name = operation.enum.name
    yield Statement(f"DROP TYPE {quote_qualified(name)}", hazards=deletes(f"type {name}"))


def _add_enum_value(operation: AddEnumValue) -> Iterator[Statement]:
    name = quote_qualified(operation.enum.name)
    sql = f"ALTER TYPE {name} ADD VALUE {quote_literal(operation.value)}"
    if operation.neighbour is not None:
        direction, label = operation.neighbour
        sql += f" {direction} {quote_literal(label)}"
    # A value added in a transaction cannot be used before that transaction commits.
    reason = "PostgreSQL cannot remove an enum value: the downgrade recreates the type and "
    reason += "fails while rows hold the value"
    if operation.kept_by_downgrade:
        reason = "PostgreSQL cannot remove an enum value, and the downgrade cannot recreate "
        reason += f"the type ({operation.kept_by_downgrade}): it leaves the value in place"
    yield Statement(sql, transactional=False, hazards=hazard(HazardKind.NOT_REVERSIBLE, reason))


def _keep_enum_value(operation: KeepEnumValue) -> Iterator[Statement]:
    # Nothing to run: the step's description tells the reader the value stays.
    yield from ()


def _rename_enum_value(operation: RenameEnumValue) -> Iterator[Statement]:
    yield Statement(
        f"ALTER TYPE {quote_qualified(operation.enum)} RENAME VALUE "
        f"{quote_literal(operation.old_value)} TO {quote_literal(operation.new_value)}"
    )


def _replace_enum(operation: ReplaceEnum) -> Iterator[Statement]:
    name = operation.after.name
    retired = QualifiedName(name.schema, f"{name.name}__replaced")
    for dependent in operation.dependents.drops:
        yield from base_statements(dependent)
    yield Statement(
        f"ALTER TYPE {quote_qualified(name)} RENAME TO {quote_identifier(retired.name)}"
    )
    yield from _create_enum(CreateEnum(operation.after))
    for usage in operation.usages:
        yield from _convert_enum_usage(name, usage)
    yield Statement(f"DROP TYPE {quote_qualified(retired)}")
    for dependent in operation.dependents.creates:
        yield from base_statements(dependent)


def _convert_enum_usage(enum: QualifiedName, usage: EnumUsage) -> Iterator[Statement]:
    table = quote_qualified(usage.table)
    column = quote_identifier(usage.column)
    target = quote_qualified(enum) + ("[]" if usage.is_array else "")
    via = "text[]" if usage.is_array else "text"
    if usage.default is not None:
        yield Statement(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
    hazards = lock(Lock.ACCESS_EXCLUSIVE, str(usage.table), brief=False)
    hazards += hazard(HazardKind.REWRITES_TABLE, f"converts every row of {usage.table}")
    hazards += hazard(
        HazardKind.NOT_REVERSIBLE, "fails on rows holding a value the new type does not have"
    )
    yield Statement(
        f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {target} USING {column}::{via}::{target}",
        hazards=hazards,
    )
    if usage.default is not None:
        yield Statement(
            f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {stable(usage.default)}"
        )


# --- sequences ------------------------------------------------------------------------------


def _create_sequence(operation: CreateSequence) -> Iterator[Statement]:
    sequence = operation.sequence
    options = sequence_options_sql(sequence.options)
    yield Statement(
        f"CREATE SEQUENCE {quote_qualified(sequence.name)}{' ' + options if options else ''}"
    )
    if sequence.comment is not None:
        yield _comment(CommentTarget("SEQUENCE", sequence.name), sequence.comment)


def _drop_sequence(operation: DropSequence) -> Iterator[Statement]:
    name = operation.sequence.name
    hazards = deletes(f"sequence {name}")
    hazards += hazard(HazardKind.UNTRACKED_DEPENDENCIES, _FUNCTIONS_MAY_USE)
    yield Statement(f"DROP SEQUENCE {quote_qualified(name)}", hazards=hazards)


def _alter_sequence(operation: AlterSequence) -> Iterator[Statement]:
    name = quote_qualified(operation.new.name)
    yield Statement(f"ALTER SEQUENCE {name} {_all_sequence_options(operation.new)}")


def _all_sequence_options(sequence: Sequence) -> str:
    """Every option spelled out, so that options left to PostgreSQL go back to its defaults."""
    options = sequence.options
    increment = options.increment or 1
    parts = [
        f"AS {options.data_type or 'bigint'}",
        f"INCREMENT BY {increment}",
        f"MINVALUE {options.minimum}" if options.minimum is not None else "NO MINVALUE",
        f"MAXVALUE {options.maximum}" if options.maximum is not None else "NO MAXVALUE",
    ]
    if options.start is not None:
        parts.append(f"START WITH {options.start}")
    else:
        implied = options.minimum if increment > 0 else options.maximum
        parts.append(
            f"START WITH {implied if implied is not None else (1 if increment > 0 else -1)}"
        )
    parts.append(f"CACHE {options.cache or 1}")
    parts.append("CYCLE" if options.cycle else "NO CYCLE")
    return " ".join(parts)


def _set_sequence_owner(operation: SetSequenceOwner) -> Iterator[Statement]:
    owner = "NONE"
    if operation.new is not None:
        table, column = operation.new
        owner = f"{quote_qualified(table)}.{quote_identifier(column)}"
    yield Statement(f"ALTER SEQUENCE {quote_qualified(operation.sequence)} OWNED BY {owner}")


# --- tables ----------------------------------------------------------------------------------


def _create_table(operation: CreateTable) -> Iterator[Statement]:
    table = operation.table
    inline = [
        c for c in table.constraints if c.validated and c.kind is not ConstraintKind.FOREIGN_KEY
    ]
    deferred = [c for c in table.constraints if c not in inline]
    yield Statement(_create_table_sql(table, inline))
    yield from _column_settings(table)
    yield from _inherited_not_null(table, inline)
    yield from _inherited_settings(table)
    for constraint in deferred:
        yield from _add_constraint(AddConstraint(table.name, constraint))
    for index in table.indexes:
        yield from _create_fresh_index(CreateIndex(table.name, index))
    yield from _table_comments(table, inline)
    if table.row_security:
        yield Statement(f"ALTER TABLE {quote_qualified(table.name)} ENABLE ROW LEVEL SECURITY")
    if table.force_row_security:
        yield Statement(f"ALTER TABLE {quote_qualified(table.name)} FORCE ROW LEVEL SECURITY")
    if table.cluster_on is not None:
        yield from _set_cluster_index(SetClusterIndex(table.name, None, table.cluster_on))
    identity = (table.replica_identity, table.replica_identity_index)
    if identity != ("default", None):
        yield from _set_replica_identity(
            SetReplicaIdentity(table.name, ("default", None), identity)
        )


def _create_table_sql(table: Table, constraints: list[Constraint]) -> str:
    keyword = "CREATE UNLOGGED TABLE" if table.unlogged else "CREATE TABLE"
    name = quote_qualified(table.name)
    body = [f"    {_column_definition(column, table.name)}" for column in table.columns]
    body += [f"    {constraint_clause(constraint)}" for constraint in constraints]
    if table.partition_of is not None:
        parent = quote_qualified(table.partition_of.parent)
        elements = " (\n" + ",\n".join(body) + "\n)" if body else ""
        sql = f"{keyword} {name} PARTITION OF {parent}{elements}\n{table.partition_of.bound}"
    else:
        sql = f"{keyword} {name} (\n" + ",\n".join(body) + "\n)"
        if table.inherits:
            sql += f" INHERITS ({', '.join(quote_qualified(parent) for parent in table.inherits)})"
    if table.partitioning is not None:
        sql += f" PARTITION BY {table.partitioning.key}"
    if table.storage_parameters:
        sql += f" WITH ({', '.join(table.storage_parameters)})"
    return sql


def _column_definition(column: Column, table: QualifiedName | None = None) -> str:
    parts = [quote_identifier(column.name), column.type]
    if column.collation:
        parts.append(f"COLLATE {column.collation}")
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({stable(column.generated)}) STORED")
    if column.identity is not None:
        parts.append(_identity_clause(column.identity, _custom_sequence(column, table)))
    if column.default is not None:
        parts.append(f"DEFAULT {stable(column.default)}")
    if column.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def _identity_clause(identity: Identity, sequence: QualifiedName | None) -> str:
    clause = f"GENERATED {identity.kind.value.upper()} AS IDENTITY"
    options = sequence_options_sql(identity.options)
    if sequence is not None:
        options = f"SEQUENCE NAME {quote_qualified(sequence)} {options}".strip()
    return f"{clause} ({options})" if options else clause


def _custom_sequence(column: Column, table: QualifiedName | None) -> QualifiedName | None:
    """The identity's sequence name where it is not the one PostgreSQL would pick."""
    if column.identity is None or column.identity.sequence is None or table is None:
        return None
    default = QualifiedName(table.schema, f"{table.name}_{column.name}_seq")
    return None if column.identity.sequence == default else column.identity.sequence


def sequence_options_sql(options: SequenceOptions) -> str:
    parts = []
    if options.data_type:
        parts.append(f"AS {options.data_type}")
    if options.start is not None:
        parts.append(f"START WITH {options.start}")
    if options.increment is not None:
        parts.append(f"INCREMENT BY {options.increment}")
    if options.minimum is not None:
        parts.append(f"MINVALUE {options.minimum}")
    if options.maximum is not None:
        parts.append(f"MAXVALUE {options.maximum}")
    if options.cache is not None:
        parts.append(f"CACHE {options.cache}")
    if options.cycle:
        parts.append("CYCLE")
    return " ".join(parts)


def _inherited_not_null(table: Table, inline: list[Constraint]) -> Iterator[Statement]:
    # An inline primary key has made its columns NOT NULL already.
    keyed = {
        name
        for constraint in inline
        if constraint.kind is ConstraintKind.PRIMARY_KEY
        for name in constraint.columns
    }
    for name in table.inherited_not_null:
        if name not in keyed:
            yield Statement(
                f"ALTER TABLE {quote_qualified(table.name)} "
                f"ALTER COLUMN {quote_identifier(name)} SET NOT NULL"
            )


def _inherited_settings(table: Table) -> Iterator[Statement]:
    # ONLY: the table's own children were made after it and copied its default already.
    for setting in table.inherited_settings:
        if setting.default is not None:
            yield Statement(
                f"ALTER TABLE ONLY {quote_qualified(table.name)} ALTER COLUMN "
                f"{quote_identifier(setting.name)} SET DEFAULT {stable(setting.default)}"
            )
        if setting.comment is not None:
            target = CommentTarget("COLUMN", table.name, setting.name)
            yield _comment(target, setting.comment)


def _column_settings(table: Table) -> Iterator[Statement]:
    for column in table.columns:
        yield from _storage_settings(table.name, column.name, None, column)


def _storage_settings(
    table: QualifiedName, column_name: str, old: Column | None, new: Column
) -> Iterator[Statement]:
    prefix = f"ALTER TABLE {quote_qualified(table)} ALTER COLUMN {quote_identifier(column_name)}"
    if new.storage is not None and (old is None or old.storage != new.storage):
        yield Statement(f"{prefix} SET STORAGE {_STORAGE_NAMES[new.storage]}")
    if new.compression is not None and (old is None or old.compression != new.compression):
        yield Statement(f"{prefix} SET COMPRESSION {_COMPRESSION_NAMES[new.compression]}")
    if new.statistics is not None and (old is None or old.statistics != new.statistics):
        yield Statement(f"{prefix} SET STATISTICS {int(new.statistics)}")
    elif old is not None and old.statistics is not None and new.statistics is None:
        yield Statement(f"{prefix} SET STATISTICS -1")
    old_options = old.options if old is not None else ()
    removed = _parameter_names(old_options) - _parameter_names(new.options)
    if removed:
        yield Statement(f"{prefix} RESET ({', '.join(sorted(removed))})")
    if new.options and new.options != old_options:
        yield Statement(f"{prefix} SET ({', '.join(new.options)})")


_STORAGE_NAMES = {"p": "PLAIN", "e": "EXTERNAL", "m": "MAIN", "x": "EXTENDED"}
_COMPRESSION_NAMES = {"p": "pglz", "l": "lz4"}


def _table_comments(table: Table, constraints: list[Constraint]) -> Iterator[Statement]:
    if table.comment is not None:
        yield _comment(CommentTarget("TABLE", table.name), table.comment)
    for column in table.columns:
        if column.comment is not None:
            yield _comment(CommentTarget("COLUMN", table.name, column.name), column.comment)
    for constraint in constraints:
        if constraint.comment is not None and constraint.name is not None:
            target = CommentTarget("CONSTRAINT", table.name, constraint.name)
            yield _comment(target, constraint.comment)


def _set_replica_identity(operation: SetReplicaIdentity) -> Iterator[Statement]:
    kind, index = operation.new
    setting = f"USING INDEX {quote_identifier(index or '')}" if kind == "index" else kind.upper()
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} REPLICA IDENTITY {setting}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.table)),
    )


def _drop_table(operation: DropTable) -> Iterator[Statement]:
    name = operation.table.name
    hazards = lock(Lock.ACCESS_EXCLUSIVE, str(name))
    # A rebuilt table is back, with its rows and indexes, in the same transaction.
    if not operation.rebuilt:
        hazards = deletes(f"table {name}") + hazards
        hazards += hazard(HazardKind.UNTRACKED_DEPENDENCIES, _FUNCTIONS_MAY_USE)
        if operation.table.indexes or any(
            c.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
            for c in operation.table.constraints
        ):
            hazards += hazard(HazardKind.DROPS_INDEX, f"the indexes of {name} go with it")
    partition_of = operation.table.partition_of
    if partition_of is not None:
        # A foreign key that references the parent has a clone referencing each partition,
        # which DROP TABLE refuses to remove; DETACH removes it (checking no row refers
        # to the partition's rows).
        parent = partition_of.parent
        yield Statement(
            f"ALTER TABLE {quote_qualified(parent)} DETACH PARTITION {quote_qualified(name)}",
            hazards=lock(Lock.ACCESS_EXCLUSIVE, str(parent)),
        )
    yield Statement(f"DROP TABLE {quote_qualified(name)}", hazards=hazards)


def _alter_table(operation: AlterTable) -> Iterator[Statement]:
    old, new = operation.old, operation.new
    prefix = f"ALTER TABLE {quote_qualified(new.name)}"
    security = lock(Lock.ACCESS_EXCLUSIVE, str(new.name))
    security += hazard(HazardKind.CHANGES_AUTHORIZATION, f"changes who sees rows of {new.name}")
    if old.row_security != new.row_security:
        action = "ENABLE" if new.row_security else "DISABLE"
        yield Statement(f"{prefix} {action} ROW LEVEL SECURITY", hazards=security)
    if old.force_row_security != new.force_row_security:
        action = "FORCE" if new.force_row_security else "NO FORCE"
        yield Statement(f"{prefix} {action} ROW LEVEL SECURITY", hazards=security)
    if old.unlogged != new.unlogged:
        rewrite = lock(Lock.ACCESS_EXCLUSIVE, str(new.name), brief=False)
        rewrite += hazard(HazardKind.REWRITES_TABLE, "SET LOGGED/UNLOGGED rewrites the table")
        yield Statement(f"{prefix} SET {'UNLOGGED' if new.unlogged else 'LOGGED'}", hazards=rewrite)
    removed = _parameter_names(old.storage_parameters) - _parameter_names(new.storage_parameters)
    if removed:
        yield Statement(f"{prefix} RESET ({', '.join(sorted(removed))})")
    if new.storage_parameters and new.storage_parameters != old.storage_parameters:
        yield Statement(f"{prefix} SET ({', '.join(new.storage_parameters)})")


def _set_cluster_index(operation: SetClusterIndex) -> Iterator[Statement]:
    table = quote_qualified(operation.table)
    hazards = lock(Lock.SHARE_UPDATE_EXCLUSIVE, str(operation.table))
    if operation.new is None:
        yield Statement(f"ALTER TABLE {table} SET WITHOUT CLUSTER", hazards=hazards)
    else:
        yield Statement(
            f"ALTER TABLE {table} CLUSTER ON {quote_identifier(operation.new)}", hazards=hazards
        )


def _parameter_names(parameters: tuple[str, ...]) -> set[str]:
    return {parameter.split("=", 1)[0] for parameter in parameters}


def _add_column(operation: AddColumn) -> Iterator[Statement]:
    column = operation.column
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} "
        f"ADD COLUMN {_column_definition(column, operation.table)}",
        hazards=_add_column_hazards(operation.table, column),
    )
    yield from _storage_settings(operation.table, column.name, None, column)
    if column.comment is not None:
        yield _comment(CommentTarget("COLUMN", operation.table, column.name), column.comment)


def _add_column_hazards(table: QualifiedName, column: Column) -> tuple[Hazard, ...]:
    fills = None
    if column.identity is not None:
        fills = "an identity column gets a value for every row"
    elif column.generated is not None:
        fills = "a stored generated column is computed for every row"
    elif column.default is not None and is_volatile(column.default):
        fills = f"the volatile default {column.default} is evaluated for every row"
    hazards = lock(Lock.ACCESS_EXCLUSIVE, str(table), brief=fills is None)
    if fills is not None:
        hazards += hazard(HazardKind.REWRITES_TABLE, fills)
    return hazards


def _drop_column(operation: DropColumn) -> Iterator[Statement]:
    name = f"{operation.table}.{operation.column.name}"
    hazards = deletes(f"column {name}") + lock(Lock.ACCESS_EXCLUSIVE, str(operation.table))
    if operation.indexed:
        hazards += hazard(HazardKind.DROPS_INDEX, f"the indexes using {name} go with it")
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} "
        f"DROP COLUMN {quote_identifier(operation.column.name)}",
        hazards=hazards,
    )


def alter_column(operation: AlterColumn) -> Iterator[Statement]:
    old, new = operation.old, operation.new
    prefix = (
        f"ALTER TABLE {quote_qualified(operation.table)} ALTER COLUMN {quote_identifier(new.name)}"
    )
    type_changes = (old.type, old.collation) != (new.type, new.collation)
    # A default is dropped across a type change: PostgreSQL could not always cast it.
    default_changes = old.default != new.default or (type_changes and old.default is not None)
    brief = lock(Lock.ACCESS_EXCLUSIVE, str(operation.table))
    if old.default is not None and (new.default is None or type_changes):
        yield Statement(f"{prefix} DROP DEFAULT", hazards=brief)
    if old.identity is not None and (new.identity is None or type_changes):
        yield Statement(f"{prefix} DROP IDENTITY", hazards=brief)
    if type_changes:
        collate = f" COLLATE {new.collation}" if new.collation else ""
        column = quote_identifier(new.name)
        yield Statement(
            f"{prefix} TYPE {new.type}{collate} USING {_conversion(column, old.type, new.type)}",
            hazards=_type_change_hazards(operation),
        )
    # NOT NULL before an identity is added (PostgreSQL requires it), dropped after.
    if old.not_null != new.not_null and new.not_null:
        hazards = lock(Lock.ACCESS_EXCLUSIVE, str(operation.table), brief=False)
        hazards += hazard(HazardKind.SCANS_TABLE, "SET NOT NULL reads every row to check it")
        yield Statement(f"{prefix} SET NOT NULL", hazards=hazards)
    sequence = _custom_sequence(new, operation.table)
    yield from _identity_changes(
        prefix, old.identity if not type_changes else None, new.identity, sequence
    )
    if default_changes and new.default is not None:
        yield Statement(f"{prefix} SET DEFAULT {stable(new.default)}", hazards=brief)
    if old.not_null != new.not_null and not new.not_null:
        yield Statement(f"{prefix} DROP NOT NULL", hazards=brief)
    yield from _storage_settings(operation.table, new.name, old, new)


def _is_user_type(type_name: str) -> bool:
    # format_type qualifies every type outside pg_catalog (introspection runs with an empty
    # search_path), so a dot before any parenthesis means a user type: an enum, a domain, …
    return "." in type_name.split("(", 1)[0]


def _conversion(column: str, old_type: str, new_type: str) -> str:
    """How the old values become the new type: user types (enums) have no cast between
    them, but both sides read and write text."""
    if _is_user_type(old_type) and _is_user_type(new_type):
        via = "text[]" if new_type.endswith("[]") else "text"
        return f"{column}::{via}::{new_type}"
    return f"{column}::{new_type}"


def _type_change_hazards(operation: AlterColumn) -> tuple[Hazard, ...]:
    old, new = operation.old, operation.new
    change = classify_type_change(old.type, new.type)
    hazards = lock(Lock.ACCESS_EXCLUSIVE, str(operation.table), brief=not change.rewrites)
    if change.rewrites:
        hazards += hazard(
            HazardKind.REWRITES_TABLE, f"{old.type} to {new.type} has no binary-compatible cast"
        )
    if old.collation != new.collation:
        hazards += hazard(HazardKind.BUILDS_INDEX, f"indexes on {new.name} are rebuilt")
    if change.narrows:
        column = f"{operation.table}.{new.name}"
        hazards += hazard(
            HazardKind.DELETES_DATA, f"{old.type} to {new.type} may cut or round values of {column}"
        )
        hazards += hazard(HazardKind.NOT_REVERSIBLE, "a downgrade cannot restore cut values")
    return hazards


def _identity_changes(
    prefix: str, old: Identity | None, new: Identity | None, sequence: QualifiedName | None
) -> Iterator[Statement]:
    if new is None:
        return
    if old is None:
        yield Statement(f"{prefix} ADD {_identity_clause(new, sequence)}")
        return
    if old.sequence and new.sequence and old.sequence != new.sequence:
        yield Statement(
            f"ALTER SEQUENCE {quote_qualified(old.sequence)} "
            f"RENAME TO {quote_identifier(new.sequence.name)}"
        )
    if old.kind != new.kind:
        yield Statement(f"{prefix} SET GENERATED {new.kind.value.upper()}")
    if old.options != new.options:
        yield from _identity_option_changes(prefix, old.options, new.options)


def _identity_option_changes(
    prefix: str, old: SequenceOptions, new: SequenceOptions
) -> Iterator[Statement]:
    settings = []
    if old.start != new.start:
        settings.append(f"SET START WITH {new.start if new.start is not None else 1}")
    if old.increment != new.increment:
        settings.append(f"SET INCREMENT BY {new.increment or 1}")
    if old.minimum != new.minimum:
        settings.append(
            f"SET MINVALUE {new.minimum}" if new.minimum is not None else "SET NO MINVALUE"
        )
    if old.maximum != new.maximum:
        settings.append(
            f"SET MAXVALUE {new.maximum}" if new.maximum is not None else "SET NO MAXVALUE"
        )
    if old.cache != new.cache:
        settings.append(f"SET CACHE {new.cache or 1}")
    if old.cycle != new.cycle:
        settings.append("SET CYCLE" if new.cycle else "SET NO CYCLE")
    if settings:
        yield Statement(f"{prefix} {' '.join(settings)}")


# --- constraints and indexes -----------------------------------------------------------------


def _add_constraint(operation: AddConstraint) -> Iterator[Statement]:
    constraint = operation.constraint
    table = ("ONLY " if constraint.only else "") + quote_qualified(operation.table)
    sql = f"ALTER TABLE {table} ADD {constraint_clause(constraint)}"
    if not constraint.validated:
        sql += " NOT VALID"
    yield Statement(sql, hazards=add_constraint_hazards(operation, validates=constraint.validated))
    if constraint.only and constraint.name is not None:
        index = QualifiedName(operation.table.schema, constraint.name)
        yield from sql_partitions.attach_indexes(index, operation.attached_partitions)
    yield from constraint_comment(operation.table, constraint)


def constraint_comment(table: QualifiedName, constraint: Constraint) -> Iterator[Statement]:
    if constraint.comment is not None and constraint.name is not None:
        yield _comment(CommentTarget("CONSTRAINT", table, constraint.name), constraint.comment)


def add_constraint_hazards(operation: AddConstraint, *, validates: bool) -> tuple[Hazard, ...]:
    """Locks and work of ALTER TABLE … ADD CONSTRAINT (with or without NOT VALID)."""
    constraint, table = operation.constraint, str(operation.table)
    if constraint.kind is ConstraintKind.FOREIGN_KEY:
        assert constraint.references is not None
        referenced = str(constraint.references.table)
        hazards = lock(Lock.SHARE_ROW_EXCLUSIVE, f"{table} and {referenced}", brief=not validates)
    else:
        hazards = lock(Lock.ACCESS_EXCLUSIVE, table, brief=not validates or operation.fresh)
    if operation.fresh:
        return hazards if constraint.kind is ConstraintKind.FOREIGN_KEY else ()
    if constraint.kind in (
        ConstraintKind.PRIMARY_KEY,
        ConstraintKind.UNIQUE,
        ConstraintKind.EXCLUDE,
    ):
        hazards += hazard(HazardKind.BUILDS_INDEX, f"builds the index of {constraint.name}")
    if validates:
        hazards += hazard(HazardKind.SCANS_TABLE, f"checks every row of {table}")
    if constraint.kind is ConstraintKind.EXCLUDE:
        hazards += hazard(
            HazardKind.BLOCKS_WRITES,
            "PostgreSQL has no online form for exclusion constraints",
        )
    return hazards


def _drop_constraint(operation: DropConstraint) -> Iterator[Statement]:
    name = operation.constraint.name
    if name is None:
        raise ValueError("cannot drop a constraint whose name PostgreSQL has not chosen yet")
    hazards = () if operation.fresh else lock(Lock.ACCESS_EXCLUSIVE, str(operation.table))
    if operation.constraint.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE):
        hazards += hazard(HazardKind.DROPS_INDEX, f"the index of {name} goes with it")
    yield from sql_partitions.detach(operation.table, operation.attached_partitions)
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} DROP CONSTRAINT {quote_identifier(name)}",
        hazards=hazards,
    )
    yield from sql_partitions.reattach(operation.table, operation.attached_partitions)


def constraint_clause(constraint: Constraint) -> str:
    body = _constraint_body(constraint)
    if constraint.deferrable:
        body += " DEFERRABLE"
        if constraint.initially_deferred:
            body += " INITIALLY DEFERRED"
    if constraint.name is None:
        return body
    return f"CONSTRAINT {quote_identifier(constraint.name)} {body}"


def _constraint_body(constraint: Constraint) -> str:
    columns = quote_identifier_list(constraint.columns)
    if constraint.kind is ConstraintKind.PRIMARY_KEY:
        return f"PRIMARY KEY ({columns}){_index_options(constraint)}"
    if constraint.kind is ConstraintKind.UNIQUE:
        nulls = " NULLS NOT DISTINCT" if constraint.nulls_not_distinct else ""
        return f"UNIQUE{nulls} ({columns}){_index_options(constraint)}"
    if constraint.kind is ConstraintKind.FOREIGN_KEY:
        return _foreign_key_body(constraint)
    if constraint.kind is ConstraintKind.CHECK:
        no_inherit = " NO INHERIT" if constraint.no_inherit else ""
        return f"CHECK ({stable(constraint.expression or '')}){no_inherit}"
    assert constraint.expression is not None
    return stable(constraint.expression)


def _index_options(constraint: Constraint) -> str:
    text = ""
    if constraint.include:
        text += f" INCLUDE ({quote_identifier_list(constraint.include)})"
    if constraint.index_parameters:
        text += f" WITH ({', '.join(constraint.index_parameters)})"
    return text


def _foreign_key_body(constraint: Constraint) -> str:
    reference = constraint.references
    assert reference is not None
    sql = (
        f"FOREIGN KEY ({quote_identifier_list(constraint.columns)}) "
        f"REFERENCES {quote_qualified(reference.table)}"
    )
    if reference.columns:
        sql += f" ({quote_identifier_list(reference.columns)})"
    if reference.match_full:
        sql += " MATCH FULL"
    if reference.on_update is not ReferentialAction.NO_ACTION:
        sql += f" ON UPDATE {reference.on_update.value.upper()}"
    if reference.on_delete is not ReferentialAction.NO_ACTION:
        sql += f" ON DELETE {reference.on_delete.value.upper()}"
        if reference.on_delete_columns:
            sql += f" ({quote_identifier_list(reference.on_delete_columns)})"
    return sql


def _create_index(operation: CreateIndex) -> Iterator[Statement]:
    # Made ON ONLY a partitioned table, an index has nothing to build.
    hazards = lock(Lock.SHARE, str(operation.table), brief=operation.index.only)
    if not operation.index.only:
        hazards += hazard(HazardKind.BUILDS_INDEX, f"builds {operation.index.name} over every row")
    yield Statement(create_index_sql(operation.table, operation.index), hazards=hazards)
    yield from _attached_indexes(operation)
    yield from _index_comment(operation)


def _create_fresh_index(operation: CreateIndex) -> Iterator[Statement]:
    """An index of a table or materialized view created by the same plan."""
    yield Statement(create_index_sql(operation.table, operation.index))
    yield from _attached_indexes(operation)
    yield from _index_comment(operation)


def _attached_indexes(operation: CreateIndex) -> Iterator[Statement]:
    if operation.index.only and operation.index.name is not None:
        index = QualifiedName(operation.table.schema, operation.index.name)
        yield from sql_partitions.attach_indexes(index, operation.attached_partitions)


def _index_comment(operation: CreateIndex) -> Iterator[Statement]:
    index = operation.index
    if index.comment is not None and index.name is not None:
        target = CommentTarget("INDEX", QualifiedName(operation.table.schema, index.name))
        yield _comment(target, index.comment)


def create_index_sql(table: QualifiedName, index: Index, *, concurrently: bool = False) -> str:
    parts = ["CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"]
    if concurrently:
        # IF NOT EXISTS: a revision re-run after a failure skips what it already built.
        parts.append("CONCURRENTLY IF NOT EXISTS")
    if index.name is not None:
        parts.append(quote_identifier(index.name))
    only = "ONLY " if index.only else ""
    parts.append(f"ON {only}{quote_qualified(table)} USING {quote_identifier(index.method)}")
    parts.append(f"({', '.join(_index_element(element) for element in index.elements)})")
    if index.include:
        parts.append(f"INCLUDE ({quote_identifier_list(index.include)})")
    if index.nulls_not_distinct:
        parts.append("NULLS NOT DISTINCT")
    if index.storage_parameters:
        parts.append(f"WITH ({', '.join(index.storage_parameters)})")
    if index.where is not None:
        parts.append(f"WHERE ({stable(index.where)})")
    return " ".join(parts)


def _index_element(element: IndexElement) -> str:
    text = f"({stable(element.key)})" if element.is_expression else quote_identifier(element.key)
    if element.collation:
        text += f" COLLATE {element.collation}"
    if element.opclass:
        text += f" {element.opclass}"
        if element.opclass_parameters:
            text += f" ({', '.join(element.opclass_parameters)})"
    if element.descending:
        text += " DESC"
        if not element.nulls_first:
            text += " NULLS LAST"
    elif element.nulls_first:
        text += " NULLS FIRST"
    return text


def _drop_index(operation: DropIndex) -> Iterator[Statement]:
    name = operation.index.name
    if name is None:
        raise ValueError("cannot drop an index whose name PostgreSQL has not chosen yet")
    slower = hazard(HazardKind.DROPS_INDEX, f"queries that used {name} may slow down")
    yield from sql_partitions.detach(operation.table, operation.attached_partitions)
    yield Statement(
        f"DROP INDEX {quote_qualified(QualifiedName(operation.table.schema, name))}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.table)) + slower,
    )
    yield from sql_partitions.reattach(operation.table, operation.attached_partitions)


# --- renames -------------------------------------------------------------------------------


def _rename_schema(operation: RenameSchema) -> Iterator[Statement]:
    old, new = quote_identifier(operation.old), quote_identifier(operation.new)
    yield Statement(f"ALTER SCHEMA {old} RENAME TO {new}")


def _rename_table(operation: RenameTable) -> Iterator[Statement]:
    yield Statement(
        f"ALTER {operation.kind} {quote_qualified(operation.old)} "
        f"RENAME TO {quote_identifier(operation.new.name)}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.old)),
    )


def _rename_column(operation: RenameColumn) -> Iterator[Statement]:
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} RENAME COLUMN "
        f"{quote_identifier(operation.old)} TO {quote_identifier(operation.new)}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.table)),
    )


def _rename_constraint(operation: RenameConstraint) -> Iterator[Statement]:
    yield Statement(
        f"ALTER TABLE {quote_qualified(operation.table)} RENAME CONSTRAINT "
        f"{quote_identifier(operation.old)} TO {quote_identifier(operation.new)}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(operation.table)),
    )


def _rename_index(operation: RenameIndex) -> Iterator[Statement]:
    old = QualifiedName(operation.schema, operation.old)
    yield Statement(
        f"ALTER INDEX {quote_qualified(old)} RENAME TO {quote_identifier(operation.new)}"
    )


# --- comments --------------------------------------------------------------------------------


def _set_comment(operation: SetComment) -> Iterator[Statement]:
    yield _comment(operation.target, operation.new)


_RENDERERS: dict[type, Callable[[Any], Iterator[Statement]]] = {
    CreateSchema: _create_schema,
    DropSchema: _drop_schema,
    SetSchemaOwner: _set_schema_owner,
    SetOwner: _set_owner,
    CreateExtension: _create_extension,
    DropExtension: _drop_extension,
    CreateEnum: _create_enum,
    DropEnum: _drop_enum,
    AddEnumValue: _add_enum_value,
    KeepEnumValue: _keep_enum_value,
    ReplaceEnum: _replace_enum,
    RenameEnumValue: _rename_enum_value,
    CreateSequence: _create_sequence,
    DropSequence: _drop_sequence,
    AlterSequence: _alter_sequence,
    SetSequenceOwner: _set_sequence_owner,
    CreateTable: _create_table,
    DropTable: _drop_table,
    AlterTable: _alter_table,
    AddColumn: _add_column,
    DropColumn: _drop_column,
    AlterColumn: alter_column,
    AddConstraint: _add_constraint,
    DropConstraint: _drop_constraint,
    CreateIndex: _create_index,
    DropIndex: _drop_index,
    SetComment: _set_comment,
    RenameSchema: _rename_schema,
    RenameTable: _rename_table,
    RenameColumn: _rename_column,
    RenameConstraint: _rename_constraint,
    RenameIndex: _rename_index,
    SetReplicaIdentity: _set_replica_identity,
    SetClusterIndex: _set_cluster_index,
    **sql_types.RENDERERS,
    **sql_rows.RENDERERS,
    **sql_programs.renderers(_create_fresh_index),
    **sql_statistics.RENDERERS,
    **sql_text_search.RENDERERS,
}
