"""Verified plans: applied to a scratch copy of the target's schema, never to the target.

The copy is built from the target's catalog on the embedded server; the plan's upgrade must
then reach the declarations exactly, and its downgrade must come back to the copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import psycopg

from planner.apply import ApplyError, apply_plan
from planner.canonical import create_missing_roles, plan_for
from planner.diff_recreate import ColumnOrder
from planner.errors import PlannerError
from planner.introspect import introspect
from planner.model import Catalog, RenameHint
from planner.operations import AddEnumValue, AlterExtension
from planner.plan import Plan
from planner.privileges import roles_named
from planner.render.describe import describe


class VerificationFailed(PlannerError):
    """The plan does not do what it claims on a scratch copy of the target."""


def verify_plan(
    plan: Plan,
    current: Catalog,
    desired: Catalog,
    scratch: psycopg.Connection[Any],
    renames: Iterable[RenameHint] = (),
    column_order: ColumnOrder = ColumnOrder.APPEND,
) -> None:
    create_missing_roles(scratch, roles_named(current) | roles_named(desired))
    copy = plan_for(introspect(scratch), current, online=False)
    _apply(scratch, copy, "building a copy of the target's schema")
    _apply(scratch, plan, "the upgrade on a scratch copy")
    _converged(
        scratch,
        desired,
        column_order,
        "after the upgrade, the scratch copy still differs from the declarations",
    )
    if any(isinstance(step.operation, AlterExtension) for step in plan.steps):
        # Extension scripts seldom lead back to an older version: no downgrade to prove.
        return
    _apply(scratch, plan.reversed(), "the downgrade on a scratch copy")
    # The downgrade of a dropped column adds it back last: its place is not checked.
    problem = "after the downgrade, the scratch copy differs from the target"
    _converged(scratch, _with_values_kept(plan, current), ColumnOrder.APPEND, problem)


def _with_values_kept(plan: Plan, current: Catalog) -> Catalog:
    """The target as the downgrade leaves it: enum values it cannot remove stay."""
    kept = {
        step.operation.enum.name: step.operation.after
        for step in plan.steps
        if isinstance(step.operation, AddEnumValue) and step.operation.kept_by_downgrade
    }
    if not kept:
        return current
    enums = tuple(kept.get(enum.name, enum) for enum in current.enums)
    return replace(current, enums=enums)


def _apply(scratch: psycopg.Connection[Any], plan: Plan, what: str) -> None:
    try:
        apply_plan(scratch, plan, describe=lambda step: describe(step.operation))
    except ApplyError as error:
        raise VerificationFailed(
            f"{what} failed: {error}",
            hint="the plan is not safe to render; report it with the declarations",
        ) from None


def _converged(
    scratch: psycopg.Connection[Any], expected: Catalog, column_order: ColumnOrder, problem: str
) -> None:
    leftover = plan_for(introspect(scratch), expected, online=False, column_order=column_order)
    if leftover.is_empty:
        return
    listed = "; ".join(describe(step.operation) for step in leftover.steps[:5])
    more = f" and {len(leftover.steps) - 5} more" if len(leftover.steps) > 5 else ""
    raise VerificationFailed(
        f"{problem}: {listed}{more}",
        hint="nothing was written; this is a planner defect, please report it",
    )
