"""The destructive-change guard: hazards nobody allowed stop a plan before anything is written."""

from __future__ import annotations

from collections.abc import Iterable

from planner.errors import PlannerError
from planner.hazards import Acknowledgement, HazardKind
from planner.plan import Plan
from planner.render.describe import describe, subject

REFUSED_BY_DEFAULT = frozenset({HazardKind.DELETES_DATA})
ALL = "all"


class HazardRefused(PlannerError):
    """The plan has hazards that were neither allowed on the command nor acknowledged."""


def refused_kinds(allowed: Iterable[str]) -> frozenset[HazardKind]:
    allowed = set(allowed)
    if ALL in allowed:
        return frozenset()
    return frozenset(kind for kind in REFUSED_BY_DEFAULT if kind.value not in allowed)


def enforce(plan: Plan, allowed: Iterable[str], acknowledged: Iterable[Acknowledgement]) -> None:
    refused = refused_kinds(allowed)
    acknowledgements = list(acknowledged)
    offending: list[str] = []
    kinds: set[str] = set()
    for step in plan.steps:
        about = subject(step.operation)
        for statement in step.statements:
            for hazard in statement.hazards:
                if hazard.kind not in refused:
                    continue
                if any(a.covers(hazard.kind, about) for a in acknowledgements):
                    continue
                kinds.add(hazard.kind.value)
                entry = f"{describe(step.operation)} ({hazard.reason})"
                if entry not in offending:
                    offending.append(entry)
    if offending:
        shown = "; ".join(offending[:5])
        more = f"; and {len(offending) - 5} more" if len(offending) > 5 else ""
        names = ", ".join(sorted(kinds))
        raise HazardRefused(
            f"the plan has {names} hazards nobody allowed: {shown}{more}",
            hint=f"review them, then pass --allow-hazard {sorted(kinds)[0]} or acknowledge each "
            "in the declarations (acknowledge: [{hazard: ..., object: ...}])",
        )
