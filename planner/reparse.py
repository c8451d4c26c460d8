"""Text that PostgreSQL reads back into the expression it printed.

PostgreSQL's deparser is not always a fixed point. The known case: a column compared with
`IN (…)` literals of another type prints as `x = ANY ((ARRAY['a'::varchar, …])::text[])`,
and reading that back pushes the cast into every element (`ARRAY[('a'::varchar)::text, …]`),
a different expression. Casting the array to its own element type first keeps the array
whole, so the text reads back as the original. The pretty form of index predicates and keys
drops the parentheses (`ARRAY[…]::text[]`) and is rewritten the same way. A second case:
`extract('YEAR' FROM x)` prints as `EXTRACT(YEAR FROM x)`, which reads back as 'year'.
Dumps write expressions through `stable`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ELEMENT_CAST = re.compile(r"::(?P<type>[A-Za-z_][\w .\"]*?(?:\(\d+(?:,\d+)?\))?)$")
_TYPE_AFTER = re.compile(r"\)::(?P<type>[A-Za-z_][\w .\"]*?(?:\(\d+(?:,\d+)?\))?)\[\]")
_EXTRACT_FIELD = re.compile(r"EXTRACT\((?P<field>[A-Za-z_][A-Za-z0-9_]*) FROM ")
_BARE_TYPE_AFTER = re.compile(r"::(?P<type>[A-Za-z_][\w .\"]*?(?:\(\d+(?:,\d+)?\))?)\[\]")


@lru_cache(maxsize=65536)
def stable(text: str) -> str:
    result = []
    position = 0
    copied = 0
    while position < len(text):
        if text[position] == "'":
            position = _after_string(text, position)
            continue
        rewritten = None
        if text.startswith("EXTRACT(", position) and _starts_word(text, position):
            rewritten = _quote_extract_field(text, position)
        elif text.startswith("(ARRAY[", position):
            rewritten = _rewrite_array_cast(text, position)
        elif text.startswith("ARRAY[", position) and _starts_word(text, position):
            rewritten = _rewrite_bare_array_cast(text, position)
        if rewritten is not None:
            replacement, end = rewritten
            result += [text[copied:position], replacement]
            position = copied = end
            continue
        position += 1
    result.append(text[copied:])
    return "".join(result)


def _rewrite_array_cast(text: str, start: int) -> tuple[str, int] | None:
    """`(ARRAY[e::E, …])::T[]` → `((ARRAY[e::E, …])::E[])::T[]` when every element is an E."""
    close_bracket = _matching(text, start + len("(ARRAY"), "[", "]")
    if close_bracket is None or text[close_bracket + 1 : close_bracket + 2] != ")":
        return None
    cast = _TYPE_AFTER.match(text, close_bracket + 1)
    if cast is None:
        return None
    element_type = _common_element_type(text[start + len("(ARRAY[") : close_bracket])
    if element_type is None or element_type == cast.group("type"):
        return None
    array = text[start + 1 : close_bracket + 1]
    return f"(({array})::{element_type}[])::{cast.group('type')}[]", cast.end()


def _quote_extract_field(text: str, start: int) -> tuple[str, int] | None:
    """`EXTRACT(YEAR FROM …)` printed from `extract('YEAR' FROM …)`: as a bare word the field
    would fold to lower case, a different constant; as a string it keeps its case."""
    field = _EXTRACT_FIELD.match(text, start)
    if field is None or field.group("field") == field.group("field").lower():
        return None
    return f"EXTRACT('{field.group('field')}' FROM ", field.end()


def _rewrite_bare_array_cast(text: str, start: int) -> tuple[str, int] | None:
    """The pretty-printed form (index predicates and keys): `ARRAY[e::E, …]::T[]` →
    `(ARRAY[e::E, …]::E[])::T[]`."""
    close_bracket = _matching(text, start + len("ARRAY"), "[", "]")
    if close_bracket is None:
        return None
    cast = _BARE_TYPE_AFTER.match(text, close_bracket + 1)
    if cast is None:
        return None
    element_type = _common_element_type(text[start + len("ARRAY[") : close_bracket])
    if element_type is None or element_type == cast.group("type"):
        return None
    array = text[start : close_bracket + 1]
    return f"({array}::{element_type}[])::{cast.group('type')}[]", cast.end()


def _common_element_type(elements_text: str) -> str | None:
    element_types = {_element_type(element) for element in _split_top_level(elements_text)}
    return element_types.pop() if len(element_types) == 1 else None


def _starts_word(text: str, position: int) -> bool:
    return position == 0 or not (text[position - 1].isalnum() or text[position - 1] in '_$"')


def _element_type(element: str) -> str | None:
    element = element.strip()
    if not element.startswith("'"):
        return None
    match = _ELEMENT_CAST.search(element)
    return match.group("type") if match else None


def _matching(text: str, start: int, opening: str, closing: str) -> int | None:
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char == "'":
            position = _after_string(text, position)
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None


def _after_string(text: str, start: int) -> int:
    position = start + 1
    while position < len(text):
        if text[position] == "'":
            if text.startswith("''", position):
                position += 2
                continue
            return position + 1
        position += 1
    return position


def _split_top_level(text: str) -> list[str]:
    parts, depth, current, position = [], 0, [], 0
    while position < len(text):
        char = text[position]
        if char == "'":
            end = _after_string(text, position)
            current.append(text[position:end])
            position = end
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        position += 1
    parts.append("".join(current))
    return parts


def stable_optional(text: str | None) -> str | None:
    return None if text is None else stable(text)
