"""Declared renames (`renamed_from`) → ALTER … RENAME, never drop and create.

A hint applies when the old name exists in the current catalog and the new one does not;
the current catalog is then rewritten as if renamed, so the rest of the diff compares like
with like. Once applied, a hint finds nothing to do. Names PostgreSQL derived from the old
name (`<table>_pkey`, `<table>_<column>_key`, `<table>_<column>_seq`, …) follow it when the
declarations expect the derived new name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import Enum
from typing import Any

from planner.model import (
    Catalog,
    Constraint,
    EnumType,
    Index,
    ObjectKey,
    QualifiedName,
    RenameHint,
    SchemaNamespace,
    Table,
)
from planner.operations import (
    Operation,
    RenameColumn,
    RenameConstraint,
    RenameEnumValue,
    RenameIndex,
    RenameSchema,
    RenameTable,
)
from planner.quoting import quote_identifier, quote_qualified

_ORDER = ("schema", "table", "column", "constraint", "index", "enum value")


@dataclass
class RenameResult:
    operations: list[Operation] = field(default_factory=list)
    current: Catalog = field(default_factory=Catalog)


def apply_renames(current: Catalog, desired: Catalog, hints: Iterable[RenameHint]) -> RenameResult:
    result = RenameResult(current=current)
    for hint in sorted(hints, key=lambda h: (_ORDER.index(h.kind), h.scope, h.new)):
        handler = _HANDLERS[hint.kind]
        handler(result, desired, hint)
    return result


def _rename_schema(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    names = {schema.name for schema in result.current.schemas}
    if hint.old not in names or hint.new in names:
        return
    result.operations.append(RenameSchema(hint.old, hint.new))
    rename_text = _identifier_renamer(
        quote_identifier(hint.old), quote_identifier(hint.new), prefix_only=True
    )
    result.current = _in_schema_renamed(result.current, hint.old, hint.new, rename_text)
    result.current = _dependencies_renamed(
        result.current, lambda key: (*key[:1], hint.new, *key[2:]) if key[1] == hint.old else key
    )


def _in_schema_renamed(value: Any, old: str, new: str, rename_text: Callable[[str], str]) -> Any:
    """Every name in schema `old` moved to `new`, and texts that name it rewritten."""
    if isinstance(value, QualifiedName):
        return QualifiedName(new, value.name) if value.schema == old else value
    if isinstance(value, SchemaNamespace):
        return replace(value, name=new) if value.name == old else value
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return rename_text(value)
    if isinstance(value, tuple):
        return tuple(_in_schema_renamed(item, old, new, rename_text) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            item.name: _in_schema_renamed(getattr(value, item.name), old, new, rename_text)
            for item in fields(value)
            if item.init
        }
        return replace(value, **changes)
    return value


def _rename_table(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    old, new = QualifiedName(hint.scope, hint.old), QualifiedName(hint.scope, hint.new)
    table = result.current.table(old)
    if table is None or result.current.table(new) is not None:
        return
    result.operations.append(RenameTable(old, new))
    renamed = replace(table, name=new)
    result.current = _replace_table(result.current, old, renamed)
    result.current = _retarget_references(result.current, old, new)
    result.current = _dependencies_renamed(
        result.current,
        lambda key: (
            (key[0], key[1], new.name, key[3]) if key[1:3] == (old.schema, old.name) else key
        ),
    )
    owners = (
        replace(o, object_name=new) if (o.object_kind, o.object_name) == ("TABLE", old) else o
        for o in result.current.owners
    )
    result.current = replace(result.current, owners=tuple(sorted(owners)))
    wanted = desired.table(new)
    if wanted is not None:
        _follow_derived_names(result, renamed, wanted, f"{hint.old}_", f"{hint.new}_")


def _rename_column(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    table_name = _parse_qualified(hint.scope)
    table = result.current.table(table_name)
    if table is None or table.column(hint.old) is None or table.column(hint.new) is not None:
        return
    result.operations.append(RenameColumn(table_name, hint.old, hint.new))
    renamed = _table_with_column_renamed(table, hint.old, hint.new)
    result.current = _replace_table(result.current, table_name, renamed)
    # RENAME COLUMN recurses: the column of every partition and inheriting table follows.
    for child_name in result.current.descendants({table_name}):
        child = result.current.table(child_name)
        assert child is not None
        child = _table_with_column_renamed(child, hint.old, hint.new)
        result.current = _replace_table(result.current, child_name, child)
    result.current = _retarget_column_references(result.current, table_name, hint.old, hint.new)
    result.current = _dependencies_renamed(
        result.current,
        _member_renamer(
            table_name, {f"column:{hint.old}": f"column:{hint.new}"}, hint.old, hint.new
        ),
    )
    wanted = desired.table(table_name)
    if wanted is not None:
        prefix = f"{table_name.name}_"
        _follow_derived_names(
            result, renamed, wanted, f"{prefix}{hint.old}_", f"{prefix}{hint.new}_"
        )


def _rename_constraint(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    table_name = _parse_qualified(hint.scope)
    table = result.current.table(table_name)
    if table is None:
        return
    names = {c.name for c in table.constraints}
    if hint.old not in names or hint.new in names:
        return
    result.operations.append(RenameConstraint(table_name, hint.old, hint.new))
    result.current = _replace_table(
        result.current, table_name, _table_with_constraint_renamed(table, hint.old, hint.new)
    )
    members = {f"constraint:{hint.old}": f"constraint:{hint.new}"}
    result.current = _dependencies_renamed(result.current, _member_renamer(table_name, members))
    result.current = _dependencies_renamed(
        result.current, _relation_renamer(table_name.schema, hint.old, hint.new)
    )


def _rename_index(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    for table in result.current.tables:
        if table.name.schema != hint.scope:
            continue
        names = {index.name for index in table.indexes}
        if hint.old in names and hint.new not in names:
            result.operations.append(RenameIndex(hint.scope, hint.old, hint.new))
            indexes = tuple(_renamed_index(i, hint.old, hint.new) for i in table.indexes)
            result.current = _replace_table(
                result.current, table.name, replace(table, indexes=indexes)
            )
            result.current = _dependencies_renamed(
                result.current, _relation_renamer(hint.scope, hint.old, hint.new)
            )
            return


def _rename_enum_value(result: RenameResult, desired: Catalog, hint: RenameHint) -> None:
    name = _parse_qualified(hint.scope)
    enum = next((e for e in result.current.enums if e.name == name), None)
    if enum is None or hint.old not in enum.values or hint.new in enum.values:
        return
    result.operations.append(RenameEnumValue(name, hint.old, hint.new))
    values = tuple(hint.new if value == hint.old else value for value in enum.values)
    enums = tuple(
        EnumType(e.name, values, e.comment) if e.name == name else e for e in result.current.enums
    )
    rename = _enum_literal_renamer(name, hint.old, hint.new)
    result.current = replace(
        result.current,
        enums=enums,
        tables=_with_texts_rewritten(result.current.tables, rename),
        views=_with_texts_rewritten(result.current.views, rename),
        domains=_with_texts_rewritten(result.current.domains, rename),
    )


_HANDLERS: dict[str, Callable[[RenameResult, Catalog, RenameHint], None]] = {
    "schema": _rename_schema,
    "table": _rename_table,
    "column": _rename_column,
    "constraint": _rename_constraint,
    "index": _rename_index,
    "enum value": _rename_enum_value,
}


# --- derived names -------------------------------------------------------------------------


def _follow_derived_names(
    result: RenameResult, table: Table, wanted: Table, old_prefix: str, new_prefix: str
) -> None:
    wanted_constraints = {c.name for c in wanted.constraints}
    wanted_indexes = {i.name for i in wanted.indexes}
    for constraint in table.constraints:
        name = constraint.name or ""
        derived = new_prefix + name[len(old_prefix) :]
        if name.startswith(old_prefix) and derived in wanted_constraints:
            _rename_constraint(
                result, Catalog(), RenameHint("constraint", str(table.name), name, derived)
            )
    for index in table.indexes:
        name = index.name or ""
        derived = new_prefix + name[len(old_prefix) :]
        if name.startswith(old_prefix) and derived in wanted_indexes:
            _rename_index(result, Catalog(), RenameHint("index", table.name.schema, name, derived))


# --- rewriting the current catalog ----------------------------------------------------------


def _parse_qualified(text: str) -> QualifiedName:
    schema, _, name = text.partition(".")
    return QualifiedName(schema, name)


def _replace_table(catalog: Catalog, old: QualifiedName, table: Table) -> Catalog:
    tables = tuple(table if t.name == old else t for t in catalog.tables)
    return replace(catalog, tables=tuple(sorted(tables, key=lambda t: t.name)))


def _retarget_references(catalog: Catalog, old: QualifiedName, new: QualifiedName) -> Catalog:
    def retarget(constraint: Constraint) -> Constraint:
        reference = constraint.references
        if reference is None or reference.table != old:
            return constraint
        return replace(constraint, references=replace(reference, table=new))

    tables = tuple(
        replace(t, constraints=tuple(retarget(c) for c in t.constraints)) for t in catalog.tables
    )
    sequences = tuple(
        replace(s, owned_by=(new, s.owned_by[1])) if s.owned_by and s.owned_by[0] == old else s
        for s in catalog.sequences
    )
    old_text = f"{quote_identifier(old.schema)}.{quote_identifier(old.name)}"
    new_text = f"{quote_identifier(new.schema)}.{quote_identifier(new.name)}"
    renamed = replace(catalog, tables=tables, sequences=sequences)
    # A view over the table keeps its text: PostgreSQL prints the table's name as each
    # column's qualifier too, so rewriting only the qualified name would leave a query that
    # neither side can run. The view is dropped before the rename and created from the
    # declarations after it (ordering.requires), and the downgrade restores the original.
    return _rewrite_expressions(renamed, _identifier_renamer(old_text, new_text), views=False)


def _table_with_column_renamed(table: Table, old: str, new: str) -> Table:
    rename = _identifier_renamer(quote_identifier(old), quote_identifier(new))
    columns = tuple(replace(c, name=new) if c.name == old else c for c in table.columns)
    constraints = tuple(
        replace(
            c,
            columns=tuple(new if n == old else n for n in c.columns),
            include=tuple(new if n == old else n for n in c.include),
            expression=rename(c.expression) if c.expression else c.expression,
        )
        for c in table.constraints
    )
    indexes = tuple(_index_with_column_renamed(index, old, new, rename) for index in table.indexes)
    inherited_not_null = tuple(sorted(new if n == old else n for n in table.inherited_not_null))
    inherited_settings = tuple(
        sorted(
            (replace(s, name=new) if s.name == old else s for s in table.inherited_settings),
            key=lambda setting: setting.name,
        )
    )
    return replace(
        table,
        columns=columns,
        constraints=constraints,
        indexes=indexes,
        inherited_not_null=inherited_not_null,
        inherited_settings=inherited_settings,
    )


def _index_with_column_renamed(
    index: Index, old: str, new: str, rename: Callable[[str], str]
) -> Index:
    elements = tuple(
        replace(e, key=rename(e.key) if e.is_expression else (new if e.key == old else e.key))
        for e in index.elements
    )
    include = tuple(new if n == old else n for n in index.include)
    where = rename(index.where) if index.where else index.where
    return replace(index, elements=elements, include=include, where=where)


def _retarget_column_references(
    catalog: Catalog, table: QualifiedName, old: str, new: str
) -> Catalog:
    def retarget(constraint: Constraint) -> Constraint:
        reference = constraint.references
        if reference is None or reference.table != table:
            return constraint
        columns = tuple(new if n == old else n for n in reference.columns)
        return replace(constraint, references=replace(reference, columns=columns))

    tables = tuple(
        replace(t, constraints=tuple(retarget(c) for c in t.constraints)) for t in catalog.tables
    )
    sequences = tuple(
        replace(s, owned_by=(table, new)) if s.owned_by == (table, old) else s
        for s in catalog.sequences
    )
    return replace(catalog, tables=tables, sequences=sequences)


def _table_with_constraint_renamed(table: Table, old: str, new: str) -> Table:
    constraints = tuple(replace(c, name=new) if c.name == old else c for c in table.constraints)
    return replace(table, constraints=constraints)


def _renamed_index(index: Index, old: str, new: str) -> Index:
    return replace(index, name=new) if index.name == old else index


def _dependencies_renamed(catalog: Catalog, rename: Callable[[ObjectKey], ObjectKey]) -> Catalog:
    """pg_depend's edges under the new names, so that the objects depending on something the
    plan drops (diff_dependents) are found in the renamed catalog."""
    edges = tuple(
        (rename(dependent), rename(referenced)) for dependent, referenced in catalog.dependencies
    )
    return replace(catalog, dependencies=edges)


def _member_renamer(
    table: QualifiedName, members: dict[str, str], column: str = "", new_column: str = ""
) -> Callable[[ObjectKey], ObjectKey]:
    """Renames parts of one table: `members` (column:…, constraint:…) and, given, a column."""

    def rename(key: ObjectKey) -> ObjectKey:
        kind, schema, name, member = key
        if (schema, name) != (table.schema, table.name):
            return key
        if kind == "relation" and member in members:
            return (kind, schema, name, members[member])
        if kind == "column" and column and member == column:
            return (kind, schema, name, new_column)
        return key

    return rename


def _relation_renamer(schema: str, old: str, new: str) -> Callable[[ObjectKey], ObjectKey]:
    """An index (or the index of a key) renamed in its schema."""

    def rename(key: ObjectKey) -> ObjectKey:
        if key[0] == "relation" and key[1:] == (schema, old, ""):
            return ("relation", schema, new, "")
        return key

    return rename


def _rewrite_expressions(
    catalog: Catalog, rewrite: Callable[[str], str], *, views: bool = True
) -> Catalog:
    """Expressions as PostgreSQL prints them once the rename is done (defaults, and views
    unless `views` is false)."""
    rewritten = tuple(replace(v, query=rewrite(v.query)) for v in catalog.views)
    tables = tuple(
        replace(
            t,
            columns=tuple(
                replace(c, default=rewrite(c.default)) if c.default else c for c in t.columns
            ),
        )
        for t in catalog.tables
    )
    return replace(catalog, views=rewritten if views else catalog.views, tables=tables)


_QUOTED_TEXT = re.compile(r"'(?:[^']|'')*'")


def _identifier_renamer(old: str, new: str, *, prefix_only: bool = False) -> Callable[[str], str]:
    """Renames the identifier `old` (or, with `prefix_only`, the qualifier `old.`) in SQL text,
    outside quoted strings."""
    if prefix_only:
        pattern = re.compile(rf"(?<![\w$\"]){re.escape(old)}(?=\.)")
    else:
        pattern = re.compile(rf"(?<![\w$\"]){re.escape(old)}(?![\w$\"])")

    def rename(text: str) -> str:
        pieces, position = [], 0
        for quoted in _QUOTED_TEXT.finditer(text):
            pieces.append(pattern.sub(new, text[position : quoted.start()]))
            pieces.append(quoted.group(0))
            position = quoted.end()
        pieces.append(pattern.sub(new, text[position:]))
        return "".join(pieces)

    return rename


def _enum_literal_renamer(enum: QualifiedName, old: str, new: str) -> Callable[[str], str]:
    """Renames the label in constants of the enum as PostgreSQL prints them (`'old'::s.e`);
    a text or another type's constant that happens to read the same stays as it is."""
    cast = re.compile(rf"::{re.escape(quote_qualified(enum))}(?![\w$\"])")
    new_literal = "'" + new.replace("'", "''") + "'"

    def rename(text: str) -> str:
        pieces, position = [], 0
        for quoted in _QUOTED_TEXT.finditer(text):
            if quoted.group(0)[1:-1].replace("''", "'") == old and cast.match(text, quoted.end()):
                pieces += [text[position : quoted.start()], new_literal]
                position = quoted.end()
        pieces.append(text[position:])
        return "".join(pieces)

    return rename


def _with_texts_rewritten(value: Any, rewrite: Callable[[str], str]) -> Any:
    """Every expression in `value` (defaults, checks, index predicates, view queries, policy
    and trigger conditions…) rewritten; comments are prose and stay as written. Function
    bodies are kept as their text, so they are not passed here."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, tuple):
        return tuple(_with_texts_rewritten(item, rewrite) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            item.name: _with_texts_rewritten(getattr(value, item.name), rewrite)
            for item in fields(value)
            if item.init and item.name != "comment"
        }
        return replace(value, **changes)
    return value
