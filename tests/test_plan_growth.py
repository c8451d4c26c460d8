"""Planning work grows linearly with the number of tables (counted, not timed).

The catalogs are built in memory: the diff, the ordering and the rendering are measured by
the Python calls they make, which is deterministic. A lookup that scans every table for each
table (a quadratic step) multiplies the count by the growth factor squared, not by the
factor, and fails the test long before it shows on a stopwatch.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from types import FrameType
from typing import Any

import pytest

from planner.canonical import plan_for
from planner.diff_recreate import ColumnOrder
from planner.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    ForeignKeyReference,
    Index,
    IndexElement,
    Partitioning,
    PartitionOf,
    QualifiedName,
    Table,
    View,
    ViewColumn,
)
from planner.render.report import render_sql

SMALL, LARGE = 100, 400
# Linear growth gives LARGE / SMALL; a quadratic step gives its square.
ALLOWED_GROWTH = 1.1 * LARGE / SMALL
MOOD = QualifiedName("public", "mood")


def _name(number: int) -> QualifiedName:
    return QualifiedName("public", f"t{number:05d}")


def _table(number: int, changed: bool) -> list[Table]:
    name = _name(number)
    columns = [
        Column("id", "bigint", not_null=True),
        Column("mood", "public.mood"),
        Column("note", "text"),
        Column("amount", "integer", default="0"),
    ]
    constraints = [
        Constraint(f"{name.name}_pkey", ConstraintKind.PRIMARY_KEY, ("id",)),
        Constraint(f"{name.name}_amount_check", ConstraintKind.CHECK, expression="(amount >= 0)"),
    ]
    if number:
        reference = ForeignKeyReference(_name(number - 1), ("id",))
        constraints.append(
            Constraint(
                f"{name.name}_parent_fkey", ConstraintKind.FOREIGN_KEY, ("id",), None, reference
            )
        )
    indexes = [Index(f"{name.name}_note_idx", (IndexElement("note"),))]
    if changed and number % 20 == 0:
        columns.insert(1, Column("added", "text"))  # between: rebuilt or appended
    if changed and number % 20 == 1:
        indexes = []
    if changed and number % 20 == 2:
        columns[2] = replace(columns[2], type="character varying(10)")
    table = Table(name, tuple(columns), tuple(constraints), tuple(indexes))
    if number % 25 != 3:
        return [table]
    # A partitioned table with two partitions, one keeping a column NOT NULL on its own.
    partitioned = replace(
        table, constraints=(), indexes=(), partitioning=Partitioning("LIST (mood)")
    )
    partitions = [
        Table(
            QualifiedName("public", f"{name.name}_{value}"),
            (),
            partition_of=PartitionOf(name, f"FOR VALUES IN ('{value}')"),
            inherited_not_null=("note",) if value == "a" and changed else (),
        )
        for value in ("a", "b")
    ]
    return [partitioned, *partitions]


def _catalog(tables: int, changed: bool) -> Catalog:
    values = ("a", "b", "c") if changed else ("a", "b")
    views = tuple(
        View(
            QualifiedName("public", f"v{number:05d}"),
            f"SELECT id FROM {_name(number)}",
            columns=(ViewColumn("id", "bigint"),),
        )
        for number in range(0, tables, 10)
    )
    dependencies = tuple(
        (("relation", "public", view.name.name, ""), ("column", "public", f"t{number:05d}", "id"))
        for number, view in zip(range(0, tables, 10), views, strict=True)
    )
    return Catalog(
        enums=(EnumType(MOOD, values),),
        tables=tuple(t for number in range(tables) for t in _table(number, changed)),
        views=views,
        dependencies=dependencies,
    )


def _calls(function: Any) -> int:
    count = 0

    def counter(frame: FrameType, event: str, argument: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(counter)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("column_order", list(ColumnOrder))
def test_planning_work_grows_linearly_with_the_tables(column_order: ColumnOrder) -> None:
    def planning(tables: int) -> int:
        current, desired = _catalog(tables, False), _catalog(tables, True)

        def plan_and_render() -> None:
            plan = plan_for(current, desired, column_order=column_order)
            assert len(plan.steps) > tables // 20
            render_sql(plan)
            render_sql(plan.reversed())

        return _calls(plan_and_render)

    small, large = planning(SMALL), planning(LARGE)
    assert large / small <= ALLOWED_GROWTH, f"{small} calls for {SMALL} tables, {large} for {LARGE}"
