"""Operations on text search dictionaries and configurations; each knows its reverse."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model import (
    OptionValue,
    QualifiedName,
    TextSearchConfiguration,
    TextSearchDictionary,
)

Options = tuple[tuple[str, OptionValue], ...]
Mappings = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class CreateTextSearchDictionary:
    dictionary: TextSearchDictionary

    def reverse(self) -> DropTextSearchDictionary:
        return DropTextSearchDictionary(self.dictionary)


@dataclass(frozen=True, slots=True)
class DropTextSearchDictionary:
    dictionary: TextSearchDictionary

    def reverse(self) -> CreateTextSearchDictionary:
        return CreateTextSearchDictionary(self.dictionary)


@dataclass(frozen=True, slots=True)
class ReplaceTextSearchDictionary:
    """A dictionary on another template: ALTER cannot change the template."""

    old: TextSearchDictionary
    new: TextSearchDictionary

    def reverse(self) -> ReplaceTextSearchDictionary:
        return ReplaceTextSearchDictionary(self.new, self.old)


@dataclass(frozen=True, slots=True)
class AlterTextSearchDictionary:
    """New option values; an option left out goes back to the template's default."""

    name: QualifiedName
    old: Options
    new: Options

    def reverse(self) -> AlterTextSearchDictionary:
        return AlterTextSearchDictionary(self.name, self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateTextSearchConfiguration:
    configuration: TextSearchConfiguration

    def reverse(self) -> DropTextSearchConfiguration:
        return DropTextSearchConfiguration(self.configuration)


@dataclass(frozen=True, slots=True)
class DropTextSearchConfiguration:
    configuration: TextSearchConfiguration

    def reverse(self) -> CreateTextSearchConfiguration:
        return CreateTextSearchConfiguration(self.configuration)


@dataclass(frozen=True, slots=True)
class ReplaceTextSearchConfiguration:
    """A configuration on another parser: ALTER cannot change the parser."""

    old: TextSearchConfiguration
    new: TextSearchConfiguration

    def reverse(self) -> ReplaceTextSearchConfiguration:
        return ReplaceTextSearchConfiguration(self.new, self.old)


@dataclass(frozen=True, slots=True)
class AlterTextSearchMappings:
    """Token types mapped anew, mapped to other dictionaries, or no longer mapped."""

    name: QualifiedName
    old: Mappings
    new: Mappings

    def reverse(self) -> AlterTextSearchMappings:
        return AlterTextSearchMappings(self.name, self.new, self.old)
