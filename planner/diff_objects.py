"""The diff of objects beside tables: collations, domains, composite types, functions, views."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from planner.diff_sets import differences
from planner.model import (
    Catalog,
    Collation,
    CompositeType,
    Domain,
    ExtendedStatistics,
    Function,
    Index,
    QualifiedName,
    Rule,
    Trigger,
    View,
)
from planner.normalize import comparable_optional
from planner.operations import (
    AlterCompositeType,
    AlterDomain,
    CommentTarget,
    CreateCollation,
    CreateCompositeType,
    CreateDomain,
    CreateFunction,
    CreateIndex,
    CreateRule,
    CreateStatistics,
    CreateTrigger,
    CreateView,
    DropCollation,
    DropCompositeType,
    DropDomain,
    DropFunction,
    DropIndex,
    DropRule,
    DropStatistics,
    DropTrigger,
    DropView,
    Operation,
    ReplaceCollation,
    ReplaceFunction,
    SetClusterIndex,
    SetComment,
    SetRuleEnabled,
    SetStatisticsTarget,
    SetTriggerEnabled,
)
from planner.render.sql_programs import function_target, view_keyword


def collation_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.collations, desired.collations, lambda c: c.name)
    yield from (CreateCollation(collation) for collation in added)
    yield from (DropCollation(collation) for collation in removed)
    for old, new in kept:
        if _without_comment(old) != _without_comment(new):
            # ALTER COLLATION changes only names, owners and versions; a new definition
            # means a new collation (PostgreSQL refuses the drop while columns use it).
            yield ReplaceCollation(old, new)
        elif old.comment != new.comment:
            yield SetComment(CommentTarget("COLLATION", new.name), old.comment, new.comment)


def _without_comment(collation: Collation) -> Collation:
    return replace(collation, comment=None)


def domain_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.domains, desired.domains, lambda d: d.name)
    yield from (CreateDomain(domain) for domain in added)
    yield from (DropDomain(domain) for domain in removed)
    for old, new in kept:
        if (old.base_type, old.collation) != (new.base_type, new.collation):
            yield DropDomain(old)
            yield CreateDomain(new)
            continue
        if _comparable_domain(old) != _comparable_domain(new):
            yield AlterDomain(replace(old, comment=None), replace(new, comment=None))
        if old.comment != new.comment:
            yield SetComment(CommentTarget("DOMAIN", new.name), old.comment, new.comment)


def _comparable_domain(domain: Domain) -> Domain:
    checks = tuple(
        replace(check, expression=comparable_optional(check.expression) or "")
        for check in domain.checks
    )
    return replace(domain, comment=None, default=comparable_optional(domain.default), checks=checks)


def composite_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(
        current.composite_types, desired.composite_types, lambda c: c.name
    )
    yield from (CreateCompositeType(composite) for composite in added)
    yield from (DropCompositeType(composite) for composite in removed)
    for old, new in kept:
        if old.attributes != new.attributes:
            yield AlterCompositeType(_bare(old), _bare(new))
        if old.comment != new.comment:
            yield SetComment(CommentTarget("TYPE", new.name), old.comment, new.comment)


def _bare(composite: CompositeType) -> CompositeType:
    return replace(composite, comment=None)


def function_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.functions, desired.functions, lambda f: f.signature)
    yield from (CreateFunction(function) for function in added)
    yield from (DropFunction(function) for function in removed)
    for old, new in kept:
        if old.definition != new.definition or old.kind != new.kind:
            if _replaceable(old, new):
                yield ReplaceFunction(replace(old, comment=None), replace(new, comment=None))
            else:
                yield DropFunction(old)
                yield CreateFunction(new)
                continue
        if old.comment != new.comment:
            yield SetComment(function_target(new), old.comment, new.comment)


def _replaceable(old: Function, new: Function) -> bool:
    """CREATE OR REPLACE keeps dependents, but only for the same kind and result type."""
    return old.kind == new.kind and old.kind != "aggregate" and old.result == new.result


def view_changes(current: Catalog, desired: Catalog) -> Iterator[Operation]:
    added, removed, kept = differences(current.views, desired.views, lambda v: v.name)
    for view in added:
        yield from create_view(view)
    for view in removed:
        yield from drop_view(view)
    for old, new in kept:
        if view_needs_recreating(old, new):
            yield from drop_view(old)
            yield from create_view(new)
            continue
        yield from _view_index_changes(old, new)
        yield from _view_cluster_changes(old, new)
        yield from _view_comment_changes(old, new)
        yield from trigger_changes(new.name, old.triggers, new.triggers)
        yield from rule_changes(new.name, old.rules, new.rules)


def create_view(view: View) -> Iterator[Operation]:
    yield CreateView(view)
    yield from (CreateTrigger(view.name, trigger, True) for trigger in view.triggers)
    yield from (CreateRule(view.name, rule, True) for rule in view.rules)


def drop_view(view: View) -> Iterator[Operation]:
    """Triggers and rules go first, on their own, so that the downgrade makes them again."""
    yield from (DropRule(view.name, rule, True) for rule in view.rules)
    yield from (DropTrigger(view.name, trigger, True) for trigger in view.triggers)
    yield DropView(view)


def trigger_changes(
    name: QualifiedName, old_triggers: tuple[Trigger, ...], new_triggers: tuple[Trigger, ...]
) -> Iterator[Operation]:
    added, removed, kept = differences(old_triggers, new_triggers, lambda t: t.name)
    yield from (DropTrigger(name, trigger) for trigger in removed)
    yield from (CreateTrigger(name, trigger) for trigger in added)
    for old, new in kept:
        if old.definition != new.definition:
            yield DropTrigger(name, old)
            yield CreateTrigger(name, new)
            continue
        if old.enabled != new.enabled:
            yield SetTriggerEnabled(name, new.name, old.enabled, new.enabled)
        if old.comment != new.comment:
            target = CommentTarget("TRIGGER", name, new.name)
            yield SetComment(target, old.comment, new.comment)


def rule_changes(
    name: QualifiedName, old_rules: tuple[Rule, ...], new_rules: tuple[Rule, ...]
) -> Iterator[Operation]:
    """A new definition drops the rule and makes it again (as for triggers): a drop is what
    the ordering knows to put before the removal of whatever the old definition used."""
    added, removed, kept = differences(old_rules, new_rules, lambda r: r.name)
    yield from (DropRule(name, rule) for rule in removed)
    yield from (CreateRule(name, rule) for rule in added)
    for old, new in kept:
        if old.definition != new.definition:
            yield DropRule(name, old)
            yield CreateRule(name, new)
            continue
        if old.enabled != new.enabled:
            yield SetRuleEnabled(name, new.name, old.enabled, new.enabled)
        if old.comment != new.comment:
            yield SetComment(CommentTarget("RULE", name, new.name), old.comment, new.comment)


def view_needs_recreating(old: View, new: View) -> bool:
    shape = ("query", "materialized", "options", "check_option")
    if any(getattr(old, name) != getattr(new, name) for name in shape):
        return True
    return [(c.name, c.type) for c in old.columns] != [(c.name, c.type) for c in new.columns]


def _view_index_changes(old: View, new: View) -> Iterator[Operation]:
    added, removed, kept = differences(old.indexes, new.indexes, lambda i: i.name or "")
    yield from (DropIndex(new.name, index) for index in removed)
    yield from (CreateIndex(new.name, index) for index in added)
    for before, after in kept:
        if before != after:
            yield DropIndex(new.name, before)
            yield CreateIndex(new.name, after)


def _view_comment_changes(old: View, new: View) -> Iterator[Operation]:
    if old.comment != new.comment:
        yield SetComment(CommentTarget(view_keyword(new), new.name), old.comment, new.comment)
    old_comments = {column.name: column.comment for column in old.columns}
    for column in new.columns:
        if old_comments.get(column.name) != column.comment:
            target = CommentTarget("COLUMN", new.name, column.name)
            yield SetComment(target, old_comments.get(column.name), column.comment)


def statistics_changes(
    table: QualifiedName,
    old_statistics: tuple[ExtendedStatistics, ...],
    new_statistics: tuple[ExtendedStatistics, ...],
) -> Iterator[Operation]:
    added, removed, kept = differences(old_statistics, new_statistics, lambda s: s.name)
    yield from (DropStatistics(table, statistics) for statistics in removed)
    yield from (CreateStatistics(table, statistics) for statistics in added)
    for old, new in kept:
        if old.definition != new.definition:
            yield DropStatistics(table, old)
            yield CreateStatistics(table, new)
            continue
        if old.target != new.target:
            yield SetStatisticsTarget(table, new.name, old.target, new.target)
        if old.comment != new.comment:
            yield SetComment(CommentTarget("STATISTICS", new.name), old.comment, new.comment)


def cluster_changes(
    relation: QualifiedName, old: str | None, new: str | None, *, remade: bool
) -> Iterator[Operation]:
    """CLUSTER ON goes with its index: it is set again when the plan makes the index again
    (and unset before, so that the downgrade sets it on the index it makes again)."""
    if old == new and not remade:
        return
    if old is not None:
        yield SetClusterIndex(relation, old, None)
    if new is not None:
        yield SetClusterIndex(relation, None, new)


def _view_cluster_changes(old: View, new: View) -> Iterator[Operation]:
    name = new.cluster_on
    remade = name is not None and _named_index(old, name) != _named_index(new, name)
    yield from cluster_changes(new.name, old.cluster_on, name, remade=remade)


def _named_index(view: View, name: str) -> Index | None:
    return next((index for index in view.indexes if index.name == name), None)
