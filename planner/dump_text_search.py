"""Text search dictionaries and configurations → their declarations in `_schema.yaml`.

Names are written unqualified wherever the declarations read them back as the same object:
pg_catalog's (PostgreSQL looks there first) and, for dictionaries, those declared in the
configuration's own schema; others are written qualified.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from planner.declare_text_search import name_parts
from planner.dump_yaml import Flow
from planner.model import Catalog, TextSearchConfiguration, TextSearchDictionary
from planner.quoting import quote_identifier

_DEFAULT_PARSER = 'pg_catalog."default"'


def dictionary_document(dictionary: TextSearchDictionary) -> dict[str, Any]:
    spec: dict[str, Any] = {"template": _declared_name(dictionary.template)}
    if dictionary.options:
        spec["options"] = dict(dictionary.options)
    if dictionary.comment is not None:
        spec["comment"] = dictionary.comment
    return spec


def configuration_document(
    configuration: TextSearchConfiguration, catalog: Catalog
) -> dict[str, Any]:
    schema = configuration.name.schema
    local = {d.name.name for d in catalog.text_search_dictionaries if d.name.schema == schema}
    spec: dict[str, Any] = {}
    if configuration.parser != _DEFAULT_PARSER:
        spec["parser"] = _declared_name(configuration.parser)
    if configuration.mappings:
        spec["mappings"] = {
            token: Flow([_dictionary_name(name, schema, local) for name in dictionaries])
            for token, dictionaries in configuration.mappings
        }
    if configuration.comment is not None:
        spec["comment"] = configuration.comment
    return spec


def _declared_name(text: str) -> str:
    schema, name = name_parts(text)
    return quote_identifier(name) if schema == "pg_catalog" else text


def _dictionary_name(text: str, schema: str, local: Set[str]) -> str:
    owner, name = name_parts(text)
    if owner == schema and name in local:
        return quote_identifier(name)
    if owner == "pg_catalog" and name not in local:
        return quote_identifier(name)
    return text
