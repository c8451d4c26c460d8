"""Which partition indexes PostgreSQL makes by itself, and which the model must name.

When a partitioned table's index is created (or a partition is created or attached), each
partition gets an index attached to it: a matching index the partition already has, or else
a new one PostgreSQL names after the partition (`ChooseIndexName` in PostgreSQL's
indexcmds.c). An attached index with exactly that name and nothing of its own is implicit:
the model leaves it out, and PostgreSQL makes it again. Any other attached index is kept,
with `attached_to` naming the partitioned table's index, so a plan recreates it under its
own name before the partitioned table's index (which then attaches it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.model import Constraint, ConstraintKind, Index

# NAMEDATALEN - 1: the longest name PostgreSQL keeps, in bytes.
_MAX_NAME_BYTES = 63


def default_index_name(table: str, columns: Sequence[str | None], label: str) -> str:
    """The name PostgreSQL gives a partition's index when it makes one for `table`.

    `columns` are the index's key and INCLUDE columns, None for an expression; `label` is
    pkey, key (unique constraint), excl or idx. A name PostgreSQL had to number because
    the first choice was taken is not predicted (such an index stays in the model).
    """
    if label == "pkey":
        return _object_name(table, None, label)
    return _object_name(table, _name_addition(_column_names(columns)), label)


def _column_names(columns: Sequence[str | None]) -> list[str]:
    """ChooseIndexColumnNames: expressions are "expr", and repeats get a number."""
    chosen: list[str] = []
    for column in columns:
        original = column if column is not None else "expr"
        name, number = original, 0
        while name in chosen:
            number += 1
            suffix = str(number)
            name = _clip(original, _MAX_NAME_BYTES - len(suffix)) + suffix
        chosen.append(name)
    return chosen


def _name_addition(names: list[str]) -> str:
    """ChooseIndexNameAddition: names joined by "_", stopping once past the name limit."""
    addition = ""
    for name in names:
        addition = f"{addition}_{name}" if addition else name
        if len(addition.encode()) > _MAX_NAME_BYTES:
            break
    return addition


def _object_name(first: str, second: str | None, label: str) -> str:
    """makeObjectName: the longer of the two parts is shortened until the whole fits."""
    overhead = len(label) + 1 + (1 if second is not None else 0)
    available = _MAX_NAME_BYTES - overhead
    first_bytes = len(first.encode())
    second_bytes = len(second.encode()) if second is not None else 0
    while first_bytes + second_bytes > available:
        if first_bytes > second_bytes:
            first_bytes -= 1
        else:
            second_bytes -= 1
    name = _clip(first, first_bytes)
    if second is not None:
        name += "_" + _clip(second, second_bytes)
    return f"{name}_{label}"


def _clip(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` bytes that does not split a character."""
    return text.encode()[:limit].decode(errors="ignore")


def made_by_postgresql(
    name: str,
    table: str,
    keys: Sequence[tuple[str, bool]],
    label: str,
    *,
    own_comment: bool,
    parameters: Sequence[str],
    parent_parameters: Sequence[str],
) -> bool:
    """Whether an attached partition index is exactly what PostgreSQL makes by itself:
    its default name, no comment, and the partitioned table's index's storage parameters
    (which PostgreSQL copies). `keys` are (column name or expression, is expression), the
    INCLUDE columns last."""
    if own_comment or tuple(parameters) != tuple(parent_parameters):
        return False
    return name in _names_postgresql_gives(table, keys, label)


def _names_postgresql_gives(table: str, keys: Sequence[tuple[str, bool]], label: str) -> set[str]:
    """An expression is named "expr" in an index PostgreSQL copies into a new or attached
    partition, but after its function in one it makes as the partitioned table's index is
    created (FigureIndexColname); both names are PostgreSQL's own."""
    copied = [None if is_expression else key for key, is_expression in keys]
    figured = [_function_name(key) if is_expression else key for key, is_expression in keys]
    return {default_index_name(table, copied, label), default_index_name(table, figured, label)}


def _function_name(expression: str) -> str | None:
    """The name of an expression's outermost function, where it is a function call."""
    call = _FUNCTION_CALL.match(expression)
    return call.group(1) if call else None


_FUNCTION_CALL = re.compile(r'^(?:[\w$]+\.)?"?([\w$]+)"?\(')


def key_name(table: str, key: Constraint) -> str:
    """A primary key's or unique constraint's name, the one PostgreSQL picks if undeclared."""
    if key.name is not None:
        return key.name
    label = "pkey" if key.kind is ConstraintKind.PRIMARY_KEY else "key"
    return default_index_name(table, [*key.columns, *key.include], label)


def index_name(table: str, index: Index) -> str:
    """An index's name, the one PostgreSQL picks if undeclared."""
    if index.name is not None:
        return index.name
    columns = [None if element.is_expression else element.key for element in index.elements]
    return default_index_name(table, [*columns, *index.include], "idx")


def misdeclared(
    items: Sequence[Index | Constraint], *, partition: bool, partitioned: bool
) -> str | None:
    """What is wrong with `attached_to` and `only` as a table declares them, if anything."""
    for item in items:
        if item.attached_to is not None and not partition:
            return f"{item.name or 'an index'}: attached_to needs partition_of"
        if item.only and not partitioned:
            return f"{item.name or 'an index'}: only needs partition_by"
    return None
