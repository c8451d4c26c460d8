"""Declarations of views, functions, triggers, rules and policies: SQL text people write, checked
to be one statement (or one expression) of the expected kind before it goes anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from planner.model import (
    ExtendedStatistics,
    Function,
    Index,
    Policy,
    QualifiedName,
    Rule,
    Trigger,
    View,
    ViewColumn,
)
from planner.quoting import quote_identifier
from planner.sqlcheck import UnsafeSqlError, check_expression, check_statement
from planner.yamlload import line_of

if TYPE_CHECKING:
    from planner.declare import Source

_IDENTIFIER = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_ROUTINE = re.compile(
    rf"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?P<kind>FUNCTION|PROCEDURE|AGGREGATE)\s+"
    rf"(?P<name>{_IDENTIFIER}(?:\s*\.\s*{_IDENTIFIER})?)\s*\(",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    rf"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(?P<name>{_IDENTIFIER})\s",
    re.IGNORECASE,
)
_STATISTICS = re.compile(
    rf"\s*CREATE\s+STATISTICS\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"(?P<name>(?:(?P<schema>{_IDENTIFIER})\s*\.\s*)?(?P<object>{_IDENTIFIER}))",
    re.IGNORECASE,
)
# ON SELECT rules are views (their `_RETURN` rule): declared as views, not here.
_RULE = re.compile(
    rf"\s*CREATE\s+(?:OR\s+REPLACE\s+)?RULE\s+(?P<name>{_IDENTIFIER})\s+AS\s+ON\s+"
    rf"(?:INSERT|UPDATE|DELETE)\s+TO\s+"
    rf"(?P<relation>{_IDENTIFIER}(?:\s*\.\s*{_IDENTIFIER})?)(?![\w$.\"])",
    re.IGNORECASE,
)
_TRIGGER_STATES = {"origin": "O", "disabled": "D", "replica": "R", "always": "A"}
_ROLE_KEYWORDS = {"public", "current_user", "current_role", "session_user"}


def _statement(text: str, source: Source, what: str) -> str:
    try:
        check_statement(text)
    except UnsafeSqlError as error:
        raise source.error(f"{what}: {error}") from None
    return text.strip().rstrip(";").rstrip()


def function(schema: str, spec: Mapping[str, Any], source: Source) -> Function:
    definition = _statement(spec["definition"], source, "definition")
    match = _ROUTINE.match(definition)
    if match is None:
        raise source.error(
            "a definition starts with CREATE [OR REPLACE] FUNCTION, PROCEDURE or AGGREGATE"
        )
    name_text = match.group("name")
    if "." not in _unquoted_dots(name_text) and schema != "public":
        # An unqualified name would land in the first schema of the search_path.
        start = match.start("name")
        definition = f"{definition[:start]}{quote_identifier(schema)}.{definition[start:]}"
        name_text = f"{quote_identifier(schema)}.{name_text}"
    name = _qualified(name_text, schema)
    arguments = _without_defaults(
        _parenthesised(definition, definition.index("(", match.end("name")))
    )
    return Function(
        name=name,
        arguments=arguments,
        definition=definition,
        kind=match.group("kind").lower(),
        comment=spec.get("comment"),
    )


def _without_defaults(arguments: str) -> str:
    """The argument list as GRANT and COMMENT ON take it: `b int DEFAULT 2` → `b int`."""
    kept: list[str] = []
    current: list[str] = []
    depth, quote, stopped = 0, "", False
    for position, character in enumerate(arguments):
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif depth == 0 and character == ",":
            kept.append("".join(current).strip())
            current, stopped = [], False
            continue
        elif depth == 0 and _starts_default(arguments, position):
            stopped = True
        if not stopped:
            current.append(character)
    kept.append("".join(current).strip())
    return ", ".join(part for part in kept if part)


def _starts_default(text: str, position: int) -> bool:
    """`=` or the word DEFAULT, where an argument's default begins."""
    if text[position] == "=":
        return True
    word_start = position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "_$")
    return word_start and re.match(r"(?i)default\b", text[position:]) is not None


def _unquoted_dots(text: str) -> str:
    return re.sub(r'"(?:[^"]|"")*"', "", text)


def _qualified(text: str, default_schema: str) -> QualifiedName:
    parts = re.findall(_IDENTIFIER, text)
    names = [_identifier_value(part) for part in parts]
    if len(names) == 1:
        return QualifiedName(default_schema, names[0])
    return QualifiedName(names[0], names[1])


def _identifier_value(text: str) -> str:
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


def _parenthesised(text: str, start: int) -> str:
    depth = 0
    for position in range(start, len(text)):
        if text[position] == "(":
            depth += 1
        elif text[position] == ")":
            depth -= 1
            if depth == 0:
                return " ".join(text[start + 1 : position].split())
    return text[start + 1 :]


def view(
    name: QualifiedName,
    spec: Mapping[str, Any],
    source: Source,
    columns: tuple[ViewColumn, ...],
    indexes: tuple[Index, ...],
    view_rules: tuple[Rule, ...] = (),
) -> View:
    from planner.declare import _parameters

    materialized = spec.get("materialized", False)
    if (indexes or "cluster_on" in spec) and not materialized:
        raise source.error("only a materialized view can have indexes or cluster_on")
    return View(
        name=name,
        query=_statement(spec["query"], source, "query"),
        materialized=materialized,
        options=_parameters(spec.get("with"), source),
        check_option=spec.get("check_option"),
        columns=columns,
        indexes=indexes,
        comment=spec.get("comment"),
        triggers=tuple(triggers(spec.get("triggers", []), source)),
        rules=view_rules,
        cluster_on=spec.get("cluster_on"),
    )


def triggers(specs: list[Mapping[str, Any]], source: Source) -> Iterator[Trigger]:
    for spec in specs:
        definition = _statement(spec["definition"], source, "trigger definition")
        match = _TRIGGER.match(definition)
        if match is None:
            raise source.error("a trigger definition starts with CREATE [CONSTRAINT] TRIGGER name")
        yield Trigger(
            name=_identifier_value(match.group("name")),
            definition=definition,
            enabled=_TRIGGER_STATES[spec.get("enabled", "origin")],
            comment=spec.get("comment"),
        )


def statistics(
    specs: list[Mapping[str, Any]], table_schema: str, source: Source
) -> Iterator[ExtendedStatistics]:
    for spec in specs:
        definition = _statement(spec["definition"], source, "statistics definition")
        match = _STATISTICS.match(definition)
        if match is None:
            raise source.error("a statistics definition starts with CREATE STATISTICS name")
        schema = match.group("schema")
        if schema is None:
            # As PostgreSQL prints it, and where the table is rather than on the search path.
            qualified = f"{quote_identifier(table_schema)}.{match.group('object')}"
            definition = definition[: match.start("name")] + qualified + definition[match.end() :]
        name = QualifiedName(
            _identifier_value(schema) if schema else table_schema,
            _identifier_value(match.group("object")),
        )
        yield ExtendedStatistics(name, definition, spec.get("target"), spec.get("comment"))


def rules(
    relation: QualifiedName, spec: Mapping[str, Any], owner: Source, *, on_view: bool = False
) -> Iterator[tuple[Rule, Source]]:
    """The `rules:` of a table or view, each checked to be one CREATE RULE on that relation,
    with where it is declared."""
    from planner.declare import Source

    for position, rule_spec in enumerate(spec.get("rules", [])):
        source = Source(owner.path, line_of(spec, ["rules", position]), f"{owner.subject} rule")
        yield _rule(relation, rule_spec, source, on_view)


def _rule(
    relation: QualifiedName, spec: Mapping[str, Any], source: Source, on_view: bool
) -> tuple[Rule, Source]:
    text = spec["definition"]
    try:
        check_statement(text, nested_statements=True)
    except UnsafeSqlError as error:
        raise source.error(f"rule definition: {error}") from None
    definition = text.strip().rstrip(";").rstrip()
    match = _RULE.match(definition)
    if match is None:
        raise source.error(
            "a rule definition starts with CREATE [OR REPLACE] RULE name AS ON "
            "INSERT|UPDATE|DELETE TO table"
        )
    name = _identifier_value(match.group("name"))
    source = replace(source, subject=f"{source.subject} {name}")
    target = _qualified(match.group("relation"), "public")
    if target != relation:
        # An unqualified name is read with the search_path, where `public` comes first.
        raise source.error(f"the rule is on {target}, not on {relation}, which declares it")
    enabled = _TRIGGER_STATES[spec.get("enabled", "origin")]
    if on_view and enabled != "O":
        raise source.error("a view's rule is always enabled (PostgreSQL refuses to alter it)")
    rule = Rule(name=name, definition=definition, enabled=enabled, comment=spec.get("comment"))
    return rule, source


def policies(specs: Mapping[str, Mapping[str, Any]], source: Source) -> Iterator[Policy]:
    for name, spec in specs.items():
        yield Policy(
            name=name,
            command=spec.get("command", "all"),
            permissive=spec.get("permissive", True),
            roles=tuple(sorted(_role(role) for role in spec.get("roles", ["public"]))),
            using=_optional_expression(spec.get("using"), source, f"policy {name} using"),
            with_check=_optional_expression(
                spec.get("with_check"), source, f"policy {name} with_check"
            ),
            comment=spec.get("comment"),
        )


def _role(name: str) -> str:
    return name.lower() if name.lower() in _ROLE_KEYWORDS else quote_identifier(name)


def _optional_expression(text: str | None, source: Source, what: str) -> str | None:
    if text is None:
        return None
    try:
        check_expression(text)
    except UnsafeSqlError as error:
        raise source.error(f"{what}: {error}") from None
    return text.strip()
