"""The README's complete example is a valid declaration that PostgreSQL accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg

from planner.canonical import canonicalize
from planner.declare import load_declaration_text

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), re.DOTALL)
    return max(blocks, key=len)


def test_readme_example_is_accepted(pg_server: Any, database: str) -> None:
    declarations = load_declaration_text(readme_example(), "README.md")
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as scratch:
        catalog = canonicalize(declarations, scratch)
    invoices = next(table for table in catalog.tables if table.name.name == "invoices")
    assert {column.name for column in invoices.columns} >= {"id", "number", "total_cents"}
    assert len(invoices.indexes) == 4
    assert {extension.name for extension in catalog.extensions} == {"pgcrypto"}
