"""Rows of the text search queries → TextSearchDictionary / TextSearchConfiguration."""

from __future__ import annotations

from typing import Any

from planner.errors import IntrospectionError
from planner.model import OptionValue, QualifiedName, TextSearchConfiguration, TextSearchDictionary

Row = Any


def dictionary_of(row: Row) -> TextSearchDictionary:
    name = QualifiedName(row.schema, row.name)
    try:
        options = parse_dictionary_options(row.options or "")
    except ValueError as error:
        raise IntrospectionError(f"text search dictionary {name}: {error}") from None
    return TextSearchDictionary(name, row.template, options, row.comment)


def configuration_of(row: Row) -> TextSearchConfiguration:
    mappings = tuple((alias, tuple(dictionaries)) for alias, dictionaries in row.mappings or ())
    return TextSearchConfiguration(
        QualifiedName(row.schema, row.name), row.parser, mappings, row.comment
    )


def parse_dictionary_options(text: str) -> tuple[tuple[str, OptionValue], ...]:
    """pg_ts_dict.dictinitoption (`stopwords = 'english', accept = 'false'`) → pairs, in order.

    PostgreSQL writes names with quote_ident and values as literals (E'…' when they hold a
    backslash), numbers bare. Bare words are read too (as text), as hand edits may give.
    """
    reader = _OptionReader(text)
    options: dict[str, OptionValue] = {}
    while not reader.at_end():
        name = reader.name()
        reader.expect("=")
        options[name] = reader.value()
        if not reader.at_end():
            reader.expect(",")
    return tuple(options.items())


class _OptionReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def at_end(self) -> bool:
        self._skip_spaces()
        return self.position >= len(self.text)

    def expect(self, character: str) -> None:
        self._skip_spaces()
        if self.text[self.position : self.position + 1] != character:
            raise ValueError(f"expected {character!r} at {self.position} in {self.text!r}")
        self.position += 1

    def name(self) -> str:
        self._skip_spaces()
        if self.text.startswith('"', self.position):
            return self._quoted('"', escapes=False)
        return self._bare()

    def value(self) -> OptionValue:
        self._skip_spaces()
        if self.text[self.position : self.position + 2] in ("E'", "e'"):
            self.position += 1
            return self._quoted("'", escapes=True)
        if self.text.startswith("'", self.position):
            return self._quoted("'", escapes=False)
        return _number_or_word(self._bare())

    def _bare(self) -> str:
        start = self.position
        while self.position < len(self.text) and self.text[self.position] not in " \t\n,=":
            self.position += 1
        if start == self.position:
            raise ValueError(f"expected a name or value at {start} in {self.text!r}")
        return self.text[start : self.position]

    def _quoted(self, quote: str, *, escapes: bool) -> str:
        self.position += 1
        characters: list[str] = []
        while self.position < len(self.text):
            character = self.text[self.position]
            self.position += 1
            if escapes and character == "\\" and self.position < len(self.text):
                characters.append(self.text[self.position])
                self.position += 1
            elif character != quote:
                characters.append(character)
            elif self.text.startswith(quote, self.position):
                characters.append(quote)
                self.position += 1
            else:
                return "".join(characters)
        raise ValueError(f"unterminated quoted text in {self.text!r}")

    def _skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1


def _number_or_word(text: str) -> OptionValue:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text
