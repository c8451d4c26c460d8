"""Which form each operation is rendered in: online where one exists and is wanted."""

from __future__ import annotations

from planner.operations import Operation
from planner.render.online import online_statements
from planner.render.sql import base_statements
from planner.render.statements import Statement


def statements_for(operation: Operation, *, online: bool = False) -> list[Statement]:
    if online:
        statements = online_statements(operation)
        if statements is not None:
            return statements
    return base_statements(operation)
