"""Declared text search dictionaries and configurations → the raw model.

Names of templates, parsers and dictionaries become SQL text here, checked part by part:
bare parts fold to lower case as PostgreSQL reads them, quoted parts stay as written. An
unqualified name is left for PostgreSQL to resolve (pg_catalog first), except a dictionary
declared in the configuration's own schema, which may not be on the search_path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Set
from typing import TYPE_CHECKING, Any

from planner.model import OptionValue, QualifiedName, TextSearchConfiguration, TextSearchDictionary
from planner.quoting import quote_identifier

if TYPE_CHECKING:
    from planner.declare import Source

_PART = r'(?:"(?:[^"\x00]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_NAME = re.compile(rf"({_PART})(?:\.({_PART}))?\Z")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def dictionary_of(
    name: QualifiedName, spec: Mapping[str, Any], source: Source
) -> TextSearchDictionary:
    options = tuple(
        _option(key, value, source) for key, value in (spec.get("options") or {}).items()
    )
    return TextSearchDictionary(
        name=name,
        template=sql_name(spec["template"], source, "template"),
        options=options,
        comment=spec.get("comment"),
    )


def configuration_of(
    name: QualifiedName, spec: Mapping[str, Any], source: Source, local: Set[str]
) -> TextSearchConfiguration:
    """`local`: the dictionaries declared in the configuration's schema."""
    mappings = []
    for token, dictionaries in (spec.get("mappings") or {}).items():
        if not isinstance(dictionaries, list) or not dictionaries:
            raise source.error(f"the mapping of {token!r} must be a list of dictionaries")
        names = tuple(_dictionary(d, name.schema, local, source) for d in dictionaries)
        mappings.append((_word(token, source, "token type"), names))
    return TextSearchConfiguration(
        name=name,
        parser=sql_name(spec.get("parser", "default"), source, "parser"),
        mappings=tuple(mappings),
        comment=spec.get("comment"),
    )


def sql_name(text: Any, source: Source, what: str) -> str:
    """A name that may be qualified (`simple`, `public.unaccent`, `"My Dict"`) → SQL text."""
    match = _NAME.match(text) if isinstance(text, str) else None
    if match is None:
        raise source.error(f"{text!r} is not a {what} name")
    return ".".join(quote_identifier(_unquoted(part)) for part in match.groups() if part)


def name_parts(text: str) -> tuple[str | None, str]:
    """SQL text of a name → (schema or None, name), both unquoted."""
    match = _NAME.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a name")
    first, second = match.groups()
    if second is None:
        return None, _unquoted(first)
    return _unquoted(first), _unquoted(second)


def _dictionary(text: Any, schema: str, local: Set[str], source: Source) -> str:
    name = sql_name(text, source, "text search dictionary")
    match = _NAME.match(text)
    assert match is not None
    if match.group(2) is None and _unquoted(match.group(1)) in local:
        return f"{quote_identifier(schema)}.{name}"
    return name


def _unquoted(part: str) -> str:
    if part.startswith('"'):
        return part[1:-1].replace('""', '"')
    return part.lower()


def _option(key: str, value: Any, source: Source) -> tuple[str, OptionValue]:
    """Booleans become text, as PostgreSQL reads `accept = false`; numbers stay numbers."""
    name = _word(key, source, "option")
    if isinstance(value, bool):
        return name, "true" if value else "false"
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return name, value
    if not isinstance(value, str):
        raise source.error(f"option {name!r} needs a text, a finite number or a boolean")
    if "\x00" in value:
        raise source.error(f"option {name!r}: values cannot contain NUL characters")
    return name, value


def _word(text: str, source: Source, what: str) -> str:
    """Option names and token types: plain words, folded to lower case as PostgreSQL does."""
    if not _WORD.match(text):
        raise source.error(f"{text!r} is not a valid {what} name (letters, digits, underscores)")
    return text.lower()
