"""Which objects the planner manages: everything except what is excluded by name patterns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from planner.model import Catalog

# Alembic's own bookkeeping table is not part of anybody's schema.
DEFAULT_EXCLUDED_TABLES = ("alembic_version", "*.alembic_version")


def exclude_tables(catalog: Catalog, patterns: Sequence[str] = DEFAULT_EXCLUDED_TABLES) -> Catalog:
    """Drop tables matching `name` or `schema.name` glob patterns from a catalog."""

    def excluded(schema: str, name: str) -> bool:
        return any(
            fnmatchcase(name, pattern) or fnmatchcase(f"{schema}.{name}", pattern)
            for pattern in patterns
        )

    tables = tuple(t for t in catalog.tables if not excluded(t.name.schema, t.name.name))
    return replace(catalog, tables=tables)
