"""Identifier and literal quoting: the one place where names and text become SQL."""

from __future__ import annotations

import re

from planner.model import QualifiedName

# PostgreSQL's keywords that are not "unreserved" (pg_get_keywords() catcode <> 'U', PG 15):
# these cannot stand as a bare identifier everywhere, so they are always quoted.
_NEEDS_QUOTES = frozenset(
    [
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "between",
        "bigint",
        "binary",
        "bit",
        "boolean",
        "both",
        "case",
        "cast",
        "char",
        "character",
        "check",
        "coalesce",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "dec",
        "decimal",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "exists",
        "extract",
        "false",
        "fetch",
        "float",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "greatest",
        "group",
        "grouping",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "inout",
        "int",
        "integer",
        "intersect",
        "interval",
        "into",
        "is",
        "isnull",
        "join",
        "json_array",
        "json_arrayagg",
        "json_object",
        "json_objectagg",
        "json_scalar",
        "json_serialize",
        "json_table",
        "lateral",
        "leading",
        "least",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "merge_action",
        "national",
        "natural",
        "nchar",
        "none",
        "normalize",
        "not",
        "notnull",
        "null",
        "nullif",
        "numeric",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "out",
        "outer",
        "overlaps",
        "overlay",
        "placing",
        "position",
        "precision",
        "primary",
        "real",
        "references",
        "returning",
        "right",
        "row",
        "select",
        "session_user",
        "setof",
        "similar",
        "smallint",
        "some",
        "substring",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "time",
        "timestamp",
        "to",
        "trailing",
        "treat",
        "trim",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "values",
        "varchar",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
        "xmlattributes",
        "xmlconcat",
        "xmlelement",
        "xmlexists",
        "xmlforest",
        "xmlnamespaces",
        "xmlparse",
        "xmlpi",
        "xmlroot",
        "xmlserialize",
        "xmltable",
    ]
)
_BARE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*\Z")


def quote_identifier(name: str) -> str:
    """Quote a name unless PostgreSQL would read it back unchanged without quotes."""
    if "\x00" in name:
        raise ValueError("identifiers cannot contain NUL characters")
    if _BARE_IDENTIFIER.match(name) and name not in _NEEDS_QUOTES:
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_qualified(name: QualifiedName) -> str:
    return f"{quote_identifier(name.schema)}.{quote_identifier(name.name)}"


def quote_literal(text: str) -> str:
    """A standard-conforming string literal (backslashes are ordinary characters)."""
    if "\x00" in text:
        raise ValueError("string literals cannot contain NUL characters")
    return "'" + text.replace("'", "''") + "'"


def quote_identifier_list(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quote_identifier(name) for name in names)
