"""Which objects the planner manages: schemas and tables chosen by include / exclude globs.

What is out of scope is left out of both the target and the declarations, so it is never
created, changed or dropped. Alembic's own bookkeeping table is always out of scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from planner.model import Catalog, Ownership, QualifiedName

ALWAYS_EXCLUDED_TABLES = ("alembic_version", "*.alembic_version")
_RELATION_KINDS = frozenset({"TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE"})


@dataclass(frozen=True, slots=True)
class Scope:
    include_schemas: tuple[str, ...] = ()
    exclude_schemas: tuple[str, ...] = ()
    include_tables: tuple[str, ...] = ()
    exclude_tables: tuple[str, ...] = ()

    def has_schema(self, schema: str) -> bool:
        if self.include_schemas and not _matches(schema, self.include_schemas):
            return False
        return not _matches(schema, self.exclude_schemas)

    def has_relation(self, name: QualifiedName) -> bool:
        if not self.has_schema(name.schema):
            return False
        if self.include_tables and not _matches_name(name, self.include_tables):
            return False
        return not _matches_name(name, (*self.exclude_tables, *ALWAYS_EXCLUDED_TABLES))

    def apply(self, catalog: Catalog) -> Catalog:
        def in_schema(name: QualifiedName) -> bool:
            return self.has_schema(name.schema)

        return replace(
            catalog,
            schemas=tuple(s for s in catalog.schemas if self.has_schema(s.name)),
            collations=tuple(c for c in catalog.collations if in_schema(c.name)),
            text_search_dictionaries=tuple(
                d for d in catalog.text_search_dictionaries if in_schema(d.name)
            ),
            text_search_configurations=tuple(
                c for c in catalog.text_search_configurations if in_schema(c.name)
            ),
            enums=tuple(e for e in catalog.enums if in_schema(e.name)),
            domains=tuple(d for d in catalog.domains if in_schema(d.name)),
            composite_types=tuple(c for c in catalog.composite_types if in_schema(c.name)),
            sequences=tuple(s for s in catalog.sequences if self.has_relation(s.name)),
            tables=tuple(t for t in catalog.tables if self.has_relation(t.name)),
            views=tuple(v for v in catalog.views if self.has_relation(v.name)),
            functions=tuple(f for f in catalog.functions if in_schema(f.name)),
            privileges=tuple(
                p
                for p in catalog.privileges
                if self.has_schema(p.object_name.schema)
                and (
                    p.object_kind not in ("TABLE", "COLUMN", "SEQUENCE")
                    or self.has_relation(p.object_name)
                )
            ),
            owners=tuple(o for o in catalog.owners if self._has_owned(o)),
        )

    def _has_owned(self, ownership: Ownership) -> bool:
        if ownership.object_kind in _RELATION_KINDS:
            return self.has_relation(ownership.object_name)
        return self.has_schema(ownership.object_name.schema)


def _matches(value: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(value, pattern) for pattern in patterns)


def _matches_name(name: QualifiedName, patterns: Sequence[str]) -> bool:
    return _matches(name.name, patterns) or _matches(f"{name.schema}.{name.name}", patterns)


def exclude_tables(catalog: Catalog, scope: Scope | None = None) -> Catalog:
    """The catalog within `scope` (by default: everything but Alembic's table)."""
    return (scope or Scope()).apply(catalog)
