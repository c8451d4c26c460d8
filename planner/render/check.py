"""The drift check's report: short lines for a CI log, or JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from planner.integrity import Problem
from planner.operations import Operation
from planner.plan import Plan
from planner.render.describe import describe


class CheckedTarget(Protocol):
    @property
    def plan(self) -> Plan: ...
    @property
    def target(self) -> str: ...


def render_check_text(results: Sequence[CheckedTarget], problems: Sequence[Problem]) -> str:
    lines = []
    for result in results:
        if result.plan.is_empty:
            lines.append(f"In sync: {result.target} matches the declarations.")
            continue
        lines.append(f"Drift: {result.target} differs from the declarations:")
        lines += [f"  - {describe(step.operation)}" for step in result.plan.steps]
    lines += [f"Migrations directory: {problem}" for problem in problems]
    return "\n".join(lines) + "\n"


def render_check_json(results: Sequence[CheckedTarget], problems: Sequence[Problem]) -> str:
    document: dict[str, Any] = {
        "in_sync": not problems and all(result.plan.is_empty for result in results),
        "targets": [
            {
                "target": result.target,
                "in_sync": result.plan.is_empty,
                "differences": [
                    {
                        "operation": type(step.operation).__name__,
                        "description": describe(step.operation),
                    }
                    for step in result.plan.steps
                ],
            }
            for result in results
        ],
        "migrations": [{"problem": problem.kind, "detail": problem.detail} for problem in problems],
    }
    return json.dumps(document, indent=2) + "\n"


def _difference(operation: Operation) -> dict[str, str]:
    return {"operation": type(operation).__name__, "description": describe(operation)}
