"""SQL for views, functions, triggers, rules and policies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from planner.hazards import Hazard, HazardKind, Lock, hazard, lock
from planner.model import Function, QualifiedName, View
from planner.operations import (
    CommentTarget,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateRule,
    CreateTrigger,
    CreateView,
    DropFunction,
    DropPolicy,
    DropRule,
    DropTrigger,
    DropView,
    ReplaceFunction,
    SetRuleEnabled,
    SetTriggerEnabled,
)
from planner.quoting import quote_identifier, quote_qualified
from planner.render.statements import Statement, comment_statement
from planner.reparse import stable

_TRIGGER_STATES = {"O": "ENABLE", "D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}


def view_keyword(view: View) -> str:
    return "MATERIALIZED VIEW" if view.materialized else "VIEW"


def _create_view(
    operation: CreateView, create_index: Callable[[CreateIndex], Iterator[Statement]]
) -> Iterator[Statement]:
    view = operation.view
    sql = f"CREATE {view_keyword(view)} {quote_qualified(view.name)}"
    if view.options:
        sql += f" WITH ({', '.join(view.options)})"
    sql += f" AS\n{stable(view.query)}"
    if view.check_option:
        sql += f"\n  WITH {view.check_option.upper()} CHECK OPTION"
    computes = hazard(HazardKind.SCANS_TABLE, f"computes the rows of {view.name} once")
    yield Statement(sql, hazards=computes if view.materialized else ())
    for index in view.indexes:
        yield from create_index(CreateIndex(view.name, index))
    if view.cluster_on is not None:
        cluster_index = quote_identifier(view.cluster_on)
        yield Statement(f"ALTER TABLE {quote_qualified(view.name)} CLUSTER ON {cluster_index}")
    if view.comment is not None:
        yield comment_statement(CommentTarget(view_keyword(view), view.name), view.comment)
    for column in view.columns:
        if column.comment is not None:
            target = CommentTarget("COLUMN", view.name, column.name)
            yield comment_statement(target, column.comment)


def _drop_view(operation: DropView) -> Iterator[Statement]:
    view = operation.view
    yield Statement(
        f"DROP {view_keyword(view)} {quote_qualified(view.name)}",
        hazards=lock(Lock.ACCESS_EXCLUSIVE, str(view.name)),
    )


def function_keyword(function: Function) -> str:
    return {"procedure": "PROCEDURE", "aggregate": "AGGREGATE"}.get(function.kind, "FUNCTION")


def function_target(function: Function) -> CommentTarget:
    return CommentTarget(function_keyword(function), function.name, function.arguments or "")


_UNTRACKED = "PostgreSQL does not track what a function body uses; callers may break"


def _create_function(operation: CreateFunction) -> Iterator[Statement]:
    function = operation.function
    yield Statement(
        function.definition, hazards=hazard(HazardKind.UNTRACKED_DEPENDENCIES, _UNTRACKED)
    )
    if function.comment is not None:
        yield comment_statement(function_target(function), function.comment)


def _replace_function(operation: ReplaceFunction) -> Iterator[Statement]:
    yield Statement(
        operation.new.definition, hazards=hazard(HazardKind.UNTRACKED_DEPENDENCIES, _UNTRACKED)
    )


def _drop_function(operation: DropFunction) -> Iterator[Statement]:
    target = function_target(operation.function)
    arguments = target.member or ("*" if target.kind == "AGGREGATE" else "")
    yield Statement(
        f"DROP {target.kind} {quote_qualified(target.name)}({arguments})",
        hazards=hazard(HazardKind.UNTRACKED_DEPENDENCIES, _UNTRACKED),
    )


def _create_trigger(operation: CreateTrigger) -> Iterator[Statement]:
    trigger = operation.trigger
    hazards = () if operation.fresh else lock(Lock.SHARE_ROW_EXCLUSIVE, str(operation.table))
    yield Statement(trigger.definition, hazards=hazards)
    if trigger.enabled != "O":
        yield from _trigger_state(operation.table, trigger.name, trigger.enabled)
    if trigger.comment is not None:
        target = CommentTarget("TRIGGER", operation.table, trigger.name)
        yield comment_statement(target, trigger.comment)


def _trigger_state(table: QualifiedName, name: str, state: str) -> Iterator[Statement]:
    yield _state_statement(table, "TRIGGER", name, state, Lock.SHARE_ROW_EXCLUSIVE)


def _set_trigger_enabled(operation: SetTriggerEnabled) -> Iterator[Statement]:
    yield from _trigger_state(operation.table, operation.name, operation.new)


def _drop_trigger(operation: DropTrigger) -> Iterator[Statement]:
    yield _drop_member(operation.table, "TRIGGER", operation.trigger.name, operation.fresh)


def _create_rule(operation: CreateRule) -> Iterator[Statement]:
    rule = operation.rule
    # CREATE and DROP RULE take an ACCESS EXCLUSIVE lock, as ENABLE and DISABLE RULE do.
    hazards = () if operation.fresh else lock(Lock.ACCESS_EXCLUSIVE, str(operation.table))
    yield Statement(rule.definition, hazards=hazards)
    if rule.enabled != "O":
        yield _state_statement(operation.table, "RULE", rule.name, rule.enabled)
    if rule.comment is not None:
        yield comment_statement(CommentTarget("RULE", operation.table, rule.name), rule.comment)


def _set_rule_enabled(operation: SetRuleEnabled) -> Iterator[Statement]:
    yield _state_statement(operation.table, "RULE", operation.name, operation.new)


def _drop_rule(operation: DropRule) -> Iterator[Statement]:
    yield _drop_member(operation.table, "RULE", operation.rule.name, operation.fresh)


def _state_statement(
    table: QualifiedName, kind: str, name: str, state: str, level: Lock = Lock.ACCESS_EXCLUSIVE
) -> Statement:
    """ALTER TABLE … ENABLE/DISABLE [REPLICA|ALWAYS] TRIGGER/RULE name."""
    return Statement(
        f"ALTER TABLE {quote_qualified(table)} {_TRIGGER_STATES[state]} {kind} "
        f"{quote_identifier(name)}",
        hazards=lock(level, str(table)),
    )


def _drop_member(table: QualifiedName, kind: str, name: str, fresh: bool) -> Statement:
    hazards = () if fresh else lock(Lock.ACCESS_EXCLUSIVE, str(table))
    return Statement(
        f"DROP {kind} {quote_identifier(name)} ON {quote_qualified(table)}", hazards=hazards
    )


def _create_policy(operation: CreatePolicy) -> Iterator[Statement]:
    policy = operation.policy
    sql = f"CREATE POLICY {quote_identifier(policy.name)} ON {quote_qualified(operation.table)}"
    if not policy.permissive:
        sql += " AS RESTRICTIVE"
    if policy.command != "all":
        sql += f" FOR {policy.command.upper()}"
    if policy.roles != ("public",):
        sql += f" TO {', '.join(policy.roles)}"
    if policy.using is not None:
        sql += f" USING ({stable(policy.using)})"
    if policy.with_check is not None:
        sql += f" WITH CHECK ({stable(policy.with_check)})"
    yield Statement(sql, hazards=_policy_hazards(operation.table, operation.fresh))
    if policy.comment is not None:
        target = CommentTarget("POLICY", operation.table, policy.name)
        yield comment_statement(target, policy.comment)


def _drop_policy(operation: DropPolicy) -> Iterator[Statement]:
    name = quote_identifier(operation.policy.name)
    yield Statement(
        f"DROP POLICY {name} ON {quote_qualified(operation.table)}",
        hazards=_policy_hazards(operation.table, operation.fresh),
    )


def _policy_hazards(table: QualifiedName, fresh: bool) -> tuple[Hazard, ...]:
    hazards = () if fresh else lock(Lock.ACCESS_EXCLUSIVE, str(table))
    return hazards + hazard(
        HazardKind.CHANGES_AUTHORIZATION, f"changes who may use rows of {table}"
    )


def renderers(
    create_index: Callable[[CreateIndex], Iterator[Statement]],
) -> dict[type, Callable[[Any], Iterator[Statement]]]:
    return {
        CreateView: lambda operation: _create_view(operation, create_index),
        DropView: _drop_view,
        CreateFunction: _create_function,
        ReplaceFunction: _replace_function,
        DropFunction: _drop_function,
        CreateTrigger: _create_trigger,
        DropTrigger: _drop_trigger,
        SetTriggerEnabled: _set_trigger_enabled,
        CreateRule: _create_rule,
        DropRule: _drop_rule,
        SetRuleEnabled: _set_rule_enabled,
        CreatePolicy: _create_policy,
        DropPolicy: _drop_policy,
    }
