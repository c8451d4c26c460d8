"""What keeps the downgrade of an added enum value from recreating the type.

The reverse of ADD VALUE recreates the type and converts what uses it. PostgreSQL refuses
that conversion for a partition key column, for a generated column or one that a generated
column reads, and it cannot retype a composite type's attribute while the old type is
dropped. Then the downgrade leaves the value where it is, and the plan says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planner.model import Catalog, QualifiedName, Table
from planner.operations import EnumUsage
from planner.quoting import quote_identifier, quote_qualified


def downgrade_blocker(enum: QualifiedName, usages: tuple[EnumUsage, ...], catalog: Catalog) -> str:
    """Why the type cannot be recreated in the catalog; empty when it can."""
    reasons = list(_composite_attributes(enum, catalog))
    for usage in usages:
        table = catalog.table(usage.table)
        if table is not None:
            reasons += _column_blockers(table, usage.column, catalog)
    return "; ".join(dict.fromkeys(reasons))


def _composite_attributes(enum: QualifiedName, catalog: Catalog) -> Iterator[str]:
    type_name = quote_qualified(enum)
    for composite in catalog.composite_types:
        for attribute in composite.attributes:
            if attribute.type.removesuffix("[]") == type_name:
                yield f"attribute {attribute.name} of type {composite.name} uses it"


def _column_blockers(table: Table, column_name: str, catalog: Catalog) -> Iterator[str]:
    member = f"{table.name}.{column_name}"
    column = table.column(column_name)
    if column is not None and column.generated is not None:
        yield f"generated column {member} uses it"
    for other in table.columns:
        if other.generated is not None and _mentions(other.generated, column_name):
            yield f"generated column {table.name}.{other.name} reads {column_name}"
    for keyed in _partitioned_family(table, catalog):
        if keyed.partitioning is not None and _mentions(keyed.partitioning.key, column_name):
            yield f"column {member} is in the partition key of {keyed.name}"


def _partitioned_family(table: Table, catalog: Catalog) -> Iterator[Table]:
    """The table and the partitioned tables above it (their key constrains its columns)."""
    current: Table | None = table
    while current is not None:
        yield current
        parent = current.partition_of.parent if current.partition_of else None
        current = catalog.table(parent) if parent is not None else None


def _mentions(expression: str, column_name: str) -> bool:
    """Whether the expression names the column (as PostgreSQL prints it: quoted if needed).
    A string literal that happens to spell the name counts too: a false alarm only keeps a
    value the downgrade could have removed."""
    quoted = quote_identifier(column_name)
    if quoted != column_name:
        return quoted in expression
    return re.search(rf"(?<![\w$]){re.escape(column_name)}(?![\w$])", expression) is not None
