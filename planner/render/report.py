"""Plan → text for people (text), for psql (sql) and for machines (json)."""

from __future__ import annotations

import json
from collections import Counter

from planner.plan import Plan
from planner.render.describe import describe
from planner.render.statements import Statement
from planner.render.timeouts import Timeouts

NO_CHANGES = "No changes: the target matches the declarations."


def render_sql(plan: Plan, timeouts: Timeouts | None = None) -> str:
    """SQL for psql; with `timeouts`, the SETs that bound each statement are included."""
    if plan.is_empty:
        return "-- No changes\n"
    lines = [f"{setting.sql};" for setting in plan.session_settings]
    if timeouts is not None:
        lines.append(f"SET lock_timeout = '{timeouts.lock}';")
    if lines:
        lines.append("")
    current: str | None = None
    for step in plan.steps:
        lines.append(f"-- {describe(step.operation)}")
        for statement in step.statements:
            if timeouts is not None:
                wanted = timeouts.long_statement if statement.long_running else timeouts.statement
                if wanted != current:
                    lines.append(f"SET statement_timeout = '{wanted}';")
                    current = wanted
            lines += [f"--   {line}" for line in hazard_lines(statement)]
            note = "" if statement.transactional else "  -- outside a transaction"
            lines.append(f"{statement.sql};{note}")
        lines.append("")
    return "\n".join(lines)


def hazard_lines(statement: Statement) -> list[str]:
    return [f"hazard {h.kind.value}: {h.reason}" for h in sorted(set(statement.hazards))]


def render_text(plan: Plan, target: str) -> str:
    if plan.is_empty:
        return f"{NO_CHANGES}\n"
    header = f"Plan for {target}: {summary_line(plan)}\n"
    return header + "\n" + render_sql(plan) + f"\nSummary: {summary_line(plan)}\n"


def summary_line(plan: Plan) -> str:
    verbs = Counter(describe(step.operation).split(" ", 1)[0] for step in plan.steps)
    parts = [f"{count} {verb}" for verb, count in sorted(verbs.items())]
    total = len(plan.steps)
    text = f"{total} change{'s' if total != 1 else ''} ({', '.join(parts)})"
    kinds = sorted({h.kind.value for s in plan.statements for h in s.hazards})
    return f"{text}; hazards: {', '.join(kinds)}" if kinds else text


def render_json(plan: Plan, target: str) -> str:
    document = {
        "target": target,
        "changes": [
            {
                "operation": type(step.operation).__name__,
                "description": describe(step.operation),
                "phase": step.phase,
                "statements": [
                    {
                        "sql": statement.sql,
                        "transactional": statement.transactional,
                        "hazards": [
                            {"kind": h.kind.value, "reason": h.reason}
                            for h in sorted(set(statement.hazards))
                        ],
                    }
                    for statement in step.statements
                ],
            }
            for step in plan.steps
        ],
    }
    return json.dumps(document, indent=2) + "\n"
