"""Checks that text from declarations can be placed into SQL without changing its shape.

An expression may use anything PostgreSQL accepts (PostgreSQL itself judges it later on the
scratch server), but it must stay one expression: balanced parentheses that never close
more than they opened, no statement separator and no comment outside quoted text. Wrapped
in parentheses by the renderer, such text cannot end the statement or swallow its rest.
"""

from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_WORD = re.compile(r"[^\W\d][\w$]*")
_TYPE_NAME = re.compile(
    r"""
    \A
    (?P<name>(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")
             (?:\s*\.\s*(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+"))?)
    (?:\s+[A-Za-z_][A-Za-z0-9_]*)*              # double precision, character varying, ...
    (?:\s*\(\s*\d+\s*(?:,\s*-?\d+\s*)?\))?       # (n) or (p, s)
    (?:\s+(?:with|without)\s+time\s+zone)?
    (?:\s*\[\s*\d*\s*\])*                       # array dimensions
    \Z
    """,
    re.VERBOSE | re.IGNORECASE,
)


class UnsafeSqlError(ValueError):
    """Text that would not stay one expression (or one type name) inside a statement."""


def check_expression(text: str) -> None:
    if not text.strip():
        raise UnsafeSqlError("the expression is empty")
    depth = _scan(text, allow_statement_end=False)
    if depth != 0:
        raise UnsafeSqlError("the expression has an unclosed parenthesis")


def check_type_name(text: str) -> None:
    if not _TYPE_NAME.match(text.strip()):
        raise UnsafeSqlError(f"{text!r} is not a type name")


def check_statement(text: str, *, nested_statements: bool = False) -> None:
    """One complete statement (a function or trigger definition): no second statement.

    `nested_statements`: ';' may separate statements inside parentheses, as the actions of a
    rule do (`DO ALSO (INSERT …; UPDATE …)`); PostgreSQL's grammar has no other place for
    them there, and psql does not end a statement inside parentheses either.
    """
    depth = _scan(text, allow_statement_end=True, nested_statements=nested_statements)
    if depth != 0:
        raise UnsafeSqlError("the statement has an unclosed parenthesis")


class _AtomicBody:
    """Where a SQL-standard body (`BEGIN ATOMIC … END`) is open: its statements end in ';'.

    Inside the body only CASE opens another END: CASE and END are reserved words, so neither
    can be an unquoted name there, while BEGIN can (a column alias), so it is not counted.
    """

    def __init__(self) -> None:
        self.open = False
        self.cases = 0
        self.previous_word = ""

    def see(self, word: str) -> None:
        word = word.lower()
        if not self.open:
            self.open = self.previous_word == "begin" and word == "atomic"
        elif word == "case":
            self.cases += 1
        elif word == "end":
            self.open = self.cases > 0
            self.cases = max(self.cases - 1, 0)
        self.previous_word = word


def _scan(text: str, *, allow_statement_end: bool, nested_statements: bool = False) -> int:
    depth = 0
    position = 0
    length = len(text)
    body = _AtomicBody()
    while position < length:
        char = text[position]
        word = _WORD.match(text, position) if allow_statement_end else None
        if word is not None and _starts_token(text, position):
            body.see(word.group(0))
            position = word.end()
            continue
        if char == "'":
            escaped = (
                position > 0 and text[position - 1] in "eE" and _starts_token(text, position - 1)
            )
            position = _skip_string(text, position, backslash_escapes=escaped)
            continue
        if char == '"':
            position = _skip_quoted_identifier(text, position)
            continue
        if char == "$":
            tag = _DOLLAR_TAG.match(text, position)
            if tag is not None and _starts_token(text, position):
                position = _skip_dollar_quoted(text, position, tag.group(0))
                continue
        if text.startswith("--", position) or text.startswith("/*", position):
            raise UnsafeSqlError("comments are not allowed in an expression")
        final = allow_statement_end and depth == 0 and not text[position + 1 :].strip()
        nested = nested_statements and depth > 0
        if char == ";" and not final and not body.open and not nested:
            raise UnsafeSqlError("';' would end the statement")
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise UnsafeSqlError("')' closes a parenthesis the expression did not open")
        position += 1
    return depth


def _starts_token(text: str, position: int) -> bool:
    return position == 0 or not (text[position - 1].isalnum() or text[position - 1] in "_$")


def _skip_string(text: str, start: int, *, backslash_escapes: bool) -> int:
    position = start + 1
    while position < len(text):
        char = text[position]
        if backslash_escapes and char == "\\":
            position += 2
            continue
        if char == "'":
            if text.startswith("''", position):
                position += 2
                continue
            return position + 1
        position += 1
    raise UnsafeSqlError("a string literal is not closed")


def _skip_quoted_identifier(text: str, start: int) -> int:
    position = start + 1
    while position < len(text):
        if text[position] == '"':
            if text.startswith('""', position):
                position += 2
                continue
            return position + 1
        position += 1
    raise UnsafeSqlError("a quoted identifier is not closed")


def _skip_dollar_quoted(text: str, start: int, tag: str) -> int:
    end = text.find(tag, start + len(tag))
    if end < 0:
        raise UnsafeSqlError(f"a {tag}-quoted string is not closed")
    return end + len(tag)
