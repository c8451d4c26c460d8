"""Names for the numbers some catalog rows carry: column numbers and operator class oids.

The indexes and constraints queries read key columns as numbers and operator classes as
oids; naming them there took a catalog lookup per key (a third of those queries' time at
5,000 tables), while the names are already among the rows of the columns, views and
operator classes queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Row = Any


@dataclass(frozen=True)
class CatalogNames:
    columns: Mapping[int, Mapping[int, str]]
    operator_classes: Mapping[int, str]

    @classmethod
    def from_rows(
        cls,
        columns_by_table: Mapping[int, Sequence[Row]],
        views: Iterable[Row],
        operator_classes: Iterable[Row],
    ) -> CatalogNames:
        names: dict[int, Mapping[int, str]] = {
            table_oid: {column.number: column.name for column in columns}
            for table_oid, columns in columns_by_table.items()
        }
        for view in views:
            # A view's columns can be added but never dropped, so they are numbered in order.
            names[view.table_oid] = dict(enumerate(view.column_names, start=1))
        return cls(names, {row.oid: row.name for row in operator_classes})

    def column_name(self, table_oid: int, number: int) -> str:
        return self.columns[table_oid][number]

    def column_names(self, table_oid: int, numbers: Iterable[int]) -> tuple[str, ...]:
        """The named columns of a table, for a list that holds no expression."""
        names = self.columns.get(table_oid, {})
        return tuple(names[number] for number in numbers)

    def key_names(self, table_oid: int, numbers: Iterable[int]) -> tuple[str | None, ...]:
        """The keys of an index or exclusion constraint: None for an expression (number 0)."""
        names = self.columns.get(table_oid, {})
        return tuple(names[number] if number else None for number in numbers)

    def operator_class(self, oid: int) -> str | None:
        """None for a default operator class, which an index definition leaves out."""
        return self.operator_classes.get(oid)
