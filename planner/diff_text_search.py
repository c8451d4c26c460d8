"""The diff of text search dictionaries and configurations."""

from __future__ import annotations

from collections.abc import Iterator

from planner.diff_sets import differences
from planner.model import Catalog
from planner.operations import CommentTarget, Operation, SetComment
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

DICTIONARY = "TEXT SEARCH DICTIONARY"
CONFIGURATION = "TEXT SEARCH CONFIGURATION"


def text_search_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    yield from _dictionary_changes(current, desired)
    yield from _configuration_changes(current, desired)


def _dictionary_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(
        current.text_search_dictionaries, desired.text_search_dictionaries, lambda d: d.name
    )
    yield from (CreateTextSearchDictionary(dictionary) for dictionary in added)
    yield from (DropTextSearchDictionary(dictionary) for dictionary in removed)
    for old, new in kept:
        if old.template != new.template:
            # The drop fails while a configuration maps the dictionary: PostgreSQL says so.
            yield ReplaceTextSearchDictionary(old, new)
            continue
        # PostgreSQL's order of the options is presentation (pg_dump's), not meaning.
        if dict(old.options) != dict(new.options):
            yield AlterTextSearchDictionary(new.name, old.options, new.options)
        if old.comment != new.comment:
            yield SetComment(CommentTarget(DICTIONARY, new.name), old.comment, new.comment)


def _configuration_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(
        current.text_search_configurations, desired.text_search_configurations, lambda c: c.name
    )
    yield from (CreateTextSearchConfiguration(configuration) for configuration in added)
    yield from (DropTextSearchConfiguration(configuration) for configuration in removed)
    for old, new in kept:
        if old.parser != new.parser:
            # Token types belong to the parser: the mappings cannot carry over either.
            yield ReplaceTextSearchConfiguration(old, new)
            continue
        # The parser's token order is presentation; each token's dictionary order is meaning.
        if dict(old.mappings) != dict(new.mappings):
            yield AlterTextSearchMappings(new.name, old.mappings, new.mappings)
        if old.comment != new.comment:
            yield SetComment(CommentTarget(CONFIGURATION, new.name), old.comment, new.comment)
