"""Comparison forms for expressions PostgreSQL stores differently although they mean the same.

PostgreSQL's own deparsed text already removes most spelling differences (casts, aliases,
parentheses); what remains are distinct parse trees with one meaning, listed here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# `CURRENT_TIMESTAMP` is an SQL value function; `now()` and `transaction_timestamp()` are
# functions; all three return the start time of the current transaction.
_EQUIVALENT = (
    (re.compile(r"(?<![\w.\"])CURRENT_TIMESTAMP(?![\w(])", re.IGNORECASE), "now()"),
    (re.compile(r"(?<![\w.\"])transaction_timestamp\(\)", re.IGNORECASE), "now()"),
    (re.compile(r"(?<![\w.\"])pg_catalog\.now\(\)"), "now()"),
)
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


@lru_cache(maxsize=65536)
def comparable_expression(text: str) -> str:
    """The text with equivalent spellings replaced, quoted parts left untouched."""
    pieces = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        pieces.append(_replace_equivalents(text[position : quoted.start()]))
        pieces.append(quoted.group(0))
        position = quoted.end()
    pieces.append(_replace_equivalents(text[position:]))
    return "".join(pieces)


def _replace_equivalents(text: str) -> str:
    for pattern, replacement in _EQUIVALENT:
        text = pattern.sub(replacement, text)
    return text


def comparable_optional(text: str | None) -> str | None:
    return None if text is None else comparable_expression(text)
