"""A catalog whose expressions are written so that PostgreSQL reads back the same ones."""

from __future__ import annotations

from dataclasses import replace

from planner.model import Catalog, Domain, Index, Table, View
from planner.reparse import stable, stable_optional


def stable_catalog(catalog: Catalog) -> Catalog:
    return replace(
        catalog,
        tables=tuple(_table(table) for table in catalog.tables),
        views=tuple(_view(view) for view in catalog.views),
        domains=tuple(_domain(domain) for domain in catalog.domains),
    )


def _table(table: Table) -> Table:
    return replace(
        table,
        columns=tuple(
            replace(c, default=stable_optional(c.default), generated=stable_optional(c.generated))
            for c in table.columns
        ),
        constraints=tuple(
            replace(c, expression=stable_optional(c.expression)) for c in table.constraints
        ),
        indexes=tuple(_index(index) for index in table.indexes),
        policies=tuple(
            replace(p, using=stable_optional(p.using), with_check=stable_optional(p.with_check))
            for p in table.policies
        ),
        inherited_settings=tuple(
            replace(s, default=stable_optional(s.default)) for s in table.inherited_settings
        ),
    )


def _index(index: Index) -> Index:
    elements = tuple(
        replace(element, key=stable(element.key)) if element.is_expression else element
        for element in index.elements
    )
    return replace(index, elements=elements, where=stable_optional(index.where))


def _view(view: View) -> View:
    return replace(view, query=stable(view.query), indexes=tuple(_index(i) for i in view.indexes))


def _domain(domain: Domain) -> Domain:
    checks = tuple(replace(check, expression=stable(check.expression)) for check in domain.checks)
    return replace(domain, default=stable_optional(domain.default), checks=checks)
