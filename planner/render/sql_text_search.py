"""SQL for text search dictionaries and configurations.

Template, parser and dictionary names are SQL text already (validated and quoted when
declared, qualified by PostgreSQL when read); token type aliases and option names are
identifiers, option values literals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from planner.hazards import HazardKind, hazard
from planner.model import OptionValue, TextSearchConfiguration, TextSearchDictionary
from planner.operations import CommentTarget
from planner.operations_text_search import (
    AlterTextSearchDictionary,
    AlterTextSearchMappings,
    CreateTextSearchConfiguration,
    CreateTextSearchDictionary,
    DropTextSearchConfiguration,
    DropTextSearchDictionary,
    Mappings,
    ReplaceTextSearchConfiguration,
    ReplaceTextSearchDictionary,
)
from planner.quoting import quote_identifier, quote_literal, quote_qualified
from planner.render.statements import Statement, comment_statement

# What was computed with the old setting stays as it was: PostgreSQL tracks no dependency of
# stored tsvectors (columns, expression indexes) on a dictionary's options or a mapping.
_STORED_VECTORS = "tsvector values stored in columns or indexes keep what the old setting made"


def _create_dictionary(operation: CreateTextSearchDictionary) -> Iterator[Statement]:
    dictionary = operation.dictionary
    settings = [f"TEMPLATE = {dictionary.template}"]
    settings += [_option(name, value) for name, value in dictionary.options]
    yield Statement(
        f"CREATE TEXT SEARCH DICTIONARY {quote_qualified(dictionary.name)} ({', '.join(settings)})"
    )
    yield from _comment("TEXT SEARCH DICTIONARY", dictionary)


def _drop_dictionary(operation: DropTextSearchDictionary) -> Iterator[Statement]:
    yield Statement(f"DROP TEXT SEARCH DICTIONARY {quote_qualified(operation.dictionary.name)}")


def _replace_dictionary(operation: ReplaceTextSearchDictionary) -> Iterator[Statement]:
    yield from _drop_dictionary(DropTextSearchDictionary(operation.old))
    yield from _create_dictionary(CreateTextSearchDictionary(operation.new))


def _alter_dictionary(operation: AlterTextSearchDictionary) -> Iterator[Statement]:
    old, new = dict(operation.old), dict(operation.new)
    changed = [_option(name, value) for name, value in operation.new if old.get(name) != value]
    # An option named without a value is removed: the template's default applies again.
    removed = [quote_identifier(name) for name, _ in operation.old if name not in new]
    yield Statement(
        f"ALTER TEXT SEARCH DICTIONARY {quote_qualified(operation.name)}"
        f" ({', '.join(changed + removed)})",
        hazards=hazard(HazardKind.UNTRACKED_DEPENDENCIES, _STORED_VECTORS),
    )


def _option(name: str, value: OptionValue) -> str:
    # Numbers go bare: PostgreSQL keeps `maxlen = 4` apart from `maxlen = '4'`.
    text = quote_literal(value) if isinstance(value, str) else repr(value)
    return f"{quote_identifier(name)} = {text}"


def _create_configuration(operation: CreateTextSearchConfiguration) -> Iterator[Statement]:
    configuration = operation.configuration
    name = quote_qualified(configuration.name)
    yield Statement(f"CREATE TEXT SEARCH CONFIGURATION {name} (PARSER = {configuration.parser})")
    yield from _mapping_statements(name, "ADD", configuration.mappings)
    yield from _comment("TEXT SEARCH CONFIGURATION", configuration)


def _drop_configuration(operation: DropTextSearchConfiguration) -> Iterator[Statement]:
    name = quote_qualified(operation.configuration.name)
    yield Statement(f"DROP TEXT SEARCH CONFIGURATION {name}")


def _replace_configuration(operation: ReplaceTextSearchConfiguration) -> Iterator[Statement]:
    yield from _drop_configuration(DropTextSearchConfiguration(operation.old))
    yield from _create_configuration(CreateTextSearchConfiguration(operation.new))


def _alter_mappings(operation: AlterTextSearchMappings) -> Iterator[Statement]:
    name = quote_qualified(operation.name)
    old, new = dict(operation.old), dict(operation.new)
    statements: list[Statement] = []
    dropped = [quote_identifier(token) for token in old if token not in new]
    if dropped:
        tokens = ", ".join(dropped)
        statements.append(
            Statement(f"ALTER TEXT SEARCH CONFIGURATION {name} DROP MAPPING FOR {tokens}")
        )
    added = tuple((token, names) for token, names in operation.new if token not in old)
    changed = tuple(
        (token, names) for token, names in operation.new if token in old and old[token] != names
    )
    statements += _mapping_statements(name, "ADD", added)
    statements += _mapping_statements(name, "ALTER", changed)
    # Every change of a mapping changes what to_tsvector makes of a text.
    changes = hazard(HazardKind.UNTRACKED_DEPENDENCIES, _STORED_VECTORS)
    yield from (Statement(statement.sql, hazards=changes) for statement in statements)


def _mapping_statements(name: str, verb: str, mappings: Mappings) -> Iterator[Statement]:
    """One statement per list of dictionaries, for every token type mapped to that list."""
    for dictionaries, tokens in _tokens_by_dictionaries(mappings):
        yield Statement(
            f"ALTER TEXT SEARCH CONFIGURATION {name} {verb} MAPPING FOR"
            f" {', '.join(quote_identifier(token) for token in tokens)}"
            f" WITH {', '.join(dictionaries)}"
        )


def _tokens_by_dictionaries(mappings: Mappings) -> Iterable[tuple[tuple[str, ...], list[str]]]:
    grouped: dict[tuple[str, ...], list[str]] = {}
    for token, dictionaries in mappings:
        grouped.setdefault(dictionaries, []).append(token)
    return grouped.items()


def _comment(
    kind: str, subject: TextSearchDictionary | TextSearchConfiguration
) -> Iterator[Statement]:
    if subject.comment is not None:
        yield comment_statement(CommentTarget(kind, subject.name), subject.comment)


RENDERERS: dict[type, Callable[[Any], Iterator[Statement]]] = {
    CreateTextSearchDictionary: _create_dictionary,
    DropTextSearchDictionary: _drop_dictionary,
    ReplaceTextSearchDictionary: _replace_dictionary,
    AlterTextSearchDictionary: _alter_dictionary,
    CreateTextSearchConfiguration: _create_configuration,
    DropTextSearchConfiguration: _drop_configuration,
    ReplaceTextSearchConfiguration: _replace_configuration,
    AlterTextSearchMappings: _alter_mappings,
}
