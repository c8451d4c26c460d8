"""Extended statistics (CREATE STATISTICS): only SHARE UPDATE EXCLUSIVE on the table, which
blocks neither reads nor writes, so these statements carry no lock hazard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from planner.operations import CommentTarget, CreateStatistics, DropStatistics, SetStatisticsTarget
from planner.quoting import quote_qualified
from planner.render.statements import Statement, comment_statement

# SET STATISTICS -1 goes back to the default (the column targets), in every version.
_DEFAULT_TARGET = -1


def _create_statistics(operation: CreateStatistics) -> Iterator[Statement]:
    statistics = operation.statistics
    yield Statement(statistics.definition)
    if statistics.target is not None:
        yield from _set_target(
            SetStatisticsTarget(operation.table, statistics.name, None, statistics.target)
        )
    if statistics.comment is not None:
        yield comment_statement(CommentTarget("STATISTICS", statistics.name), statistics.comment)


def _drop_statistics(operation: DropStatistics) -> Iterator[Statement]:
    yield Statement(f"DROP STATISTICS {quote_qualified(operation.statistics.name)}")


def _set_target(operation: SetStatisticsTarget) -> Iterator[Statement]:
    target = _DEFAULT_TARGET if operation.new is None else operation.new
    yield Statement(f"ALTER STATISTICS {quote_qualified(operation.name)} SET STATISTICS {target}")


RENDERERS: dict[type, Callable[[Any], Iterator[Statement]]] = {
    CreateStatistics: _create_statistics,
    DropStatistics: _drop_statistics,
    SetStatisticsTarget: _set_target,
}
