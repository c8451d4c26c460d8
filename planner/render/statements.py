"""The statement value every SQL renderer produces, and COMMENT ON, which all of them use."""

from __future__ import annotations

from dataclasses import dataclass

from planner.hazards import Hazard
from planner.model import QualifiedName
from planner.operations import CommentTarget
from planner.quoting import quote_identifier, quote_literal, quote_qualified


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and what it does to a live database.

    `transactional` is False for what must run outside a transaction block (and so commits
    what came before it); `long_running` for statements that may take as long as the table is
    large without blocking anyone (concurrent index builds, validations), which get the long
    statement timeout.
    """

    sql: str
    transactional: bool = True
    hazards: tuple[Hazard, ...] = ()
    long_running: bool = False
    # An index a failed earlier run of CREATE INDEX CONCURRENTLY may have left INVALID:
    # whoever runs the statement drops it first when it is invalid.
    rebuilds_invalid_index: QualifiedName | None = None


def comment_statement(target: CommentTarget, text: str | None) -> Statement:
    value = "NULL" if text is None else quote_literal(text)
    return Statement(f"COMMENT ON {comment_target_sql(target)} IS {value}")


def comment_target_sql(target: CommentTarget) -> str:
    if target.kind == "SCHEMA":
        return f"SCHEMA {quote_identifier(target.name.schema)}"
    if target.kind == "EXTENSION":
        return f"EXTENSION {quote_identifier(target.name.name)}"
    if target.kind == "COLUMN":
        assert target.member is not None
        return f"COLUMN {quote_qualified(target.name)}.{quote_identifier(target.member)}"
    if target.kind == "CONSTRAINT":
        assert target.member is not None
        return f"CONSTRAINT {quote_identifier(target.member)} ON {quote_qualified(target.name)}"
    if target.kind in ("FUNCTION", "PROCEDURE", "AGGREGATE"):
        arguments = target.member or ("*" if target.kind == "AGGREGATE" else "")
        return f"{target.kind} {quote_qualified(target.name)}({arguments})"
    if target.kind in ("TRIGGER", "RULE", "POLICY"):
        assert target.member is not None
        return f"{target.kind} {quote_identifier(target.member)} ON {quote_qualified(target.name)}"
    if target.kind == "DOMAIN CONSTRAINT":
        assert target.member is not None
        return (
            f"CONSTRAINT {quote_identifier(target.member)} ON DOMAIN {quote_qualified(target.name)}"
        )
    return f"{target.kind} {quote_qualified(target.name)}"
