"""What the downgrade of an added enum value meets when it recreates the type.

PostgreSQL cannot drop an enum value, so the reverse of ADD VALUE renames the type away,
creates it again with the old values, converts the columns and drops the retired type. That
runs in the downgrade where the upgrade added the value: after the upgrade's drops (which come
first) have not been undone yet, and after its creations (which come later) have been. The
database it meets is therefore the current catalog minus what the plan removes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from planner.diff_dependents import recreate_dependent, regrants
from planner.diff_enum_blockers import downgrade_blocker
from planner.model import Catalog, Column, ObjectKey, QualifiedName
from planner.operations import (
    AddEnumValue,
    AlterColumn,
    CreateDomain,
    CreateIndex,
    DropDomain,
    DropIndex,
    EnumDependents,
    EnumUsage,
    Operation,
)
from planner.ordering import DependencyIndex, column, dependency_order, relation, removes
from planner.ordering import type_key as enum_key
from planner.quoting import quote_qualified

Recreation = tuple[Operation, Operation]


def with_downgrade_context(operations: list[Operation], current: Catalog) -> list[Operation]:
    """Each AddEnumValue with the columns and dependents its reverse has to handle."""
    removed: set[ObjectKey] = set()
    for operation in operations:
        removed |= removes(operation)
    index = DependencyIndex.of(current)
    met = _without_dropped_view_indexes(current, removed)
    in_context = [
        _in_context(operation, met, index, removed)
        if isinstance(operation, AddEnumValue)
        else operation
        for operation in operations
    ]
    return _one_recreation_per_type(in_context)


def _one_recreation_per_type(operations: list[Operation]) -> list[Operation]:
    """The downgrade of the first value added to a type recreates it without all of them,
    from the type as the last one left it; the downgrades of the others do nothing."""
    added: dict[QualifiedName, list[int]] = {}
    for position, operation in enumerate(operations):
        if isinstance(operation, AddEnumValue) and not operation.kept_by_downgrade:
            added.setdefault(operation.enum.name, []).append(position)
    result = list(operations)
    for positions in added.values():
        if len(positions) < 2:
            continue
        first, last = result[positions[0]], result[positions[-1]]
        assert isinstance(first, AddEnumValue) and isinstance(last, AddEnumValue)
        result[positions[0]] = replace(first, downgrade_from=last.after)
        for position in positions[1:]:
            later = result[position]
            assert isinstance(later, AddEnumValue)
            result[position] = replace(later, removed_with=first.value)
    return result


def _without_dropped_view_indexes(catalog: Catalog, removed: set[ObjectKey]) -> Catalog:
    """A materialized view's index the plan drops is created again after the type (by the
    downgrade's reverse of the drop), not with the view."""
    views = tuple(
        replace(
            view,
            indexes=tuple(
                index
                for index in view.indexes
                if relation(QualifiedName(view.name.schema, index.name or "")) not in removed
            ),
        )
        for view in catalog.views
    )
    return replace(catalog, views=views)


def _in_context(
    operation: AddEnumValue, current: Catalog, index: DependencyIndex, removed: set[ObjectKey]
) -> AddEnumValue:
    # A column the plan drops comes back after the type is recreated, already of the new type.
    usages = tuple(u for u in operation.usages if column(u.table, u.column) not in removed)
    # A composite type the plan drops is created again before it (drops of types come late).
    blocker = downgrade_blocker(operation.enum.name, usages, current)
    if blocker:
        return replace(operation, usages=usages, kept_by_downgrade=blocker)
    recreations = _recreations(operation.enum.name, usages, current, index, removed)
    order = dependency_order([drop for drop, _ in recreations], index, index)
    ordered = [recreations[i] for i in order]
    # A domain over the enum is dropped last, once its columns hold text, and so created
    # first: nothing else in the list has to exist before it or be gone before its drop.
    ordered.sort(key=lambda pair: isinstance(pair[0], DropDomain))
    # Created in the mirror order of the drops (what was used first), then by what each
    # creation references.
    creates = [create for _, create in reversed(ordered)]
    dependents = EnumDependents(
        tuple(drop for drop, _ in ordered),
        tuple(creates[i] for i in dependency_order(creates, index, index))
        + tuple(regrants(creates, current)),
    )
    return replace(operation, usages=usages, dependents=dependents)


def _recreations(
    enum: QualifiedName,
    usages: tuple[EnumUsage, ...],
    catalog: Catalog,
    index: DependencyIndex,
    removed: set[ObjectKey],
) -> list[Recreation]:
    """Objects using the type, or the columns converted to it, then what uses those."""
    converted = {(u.table, u.column) for u in usages} | _domain_columns(enum, catalog)
    handled: set[tuple[str, ...]] = set()
    recreations: list[Recreation] = []

    def recreate(dependent: ObjectKey) -> list[ObjectKey]:
        gone: list[ObjectKey] = []
        if _removed(dependent, removed):
            return gone
        for drop, create in _recreate(dependent, catalog, converted, handled):
            recreations.append((drop, create))
            gone.extend(removes(drop))
            if isinstance(drop, AlterColumn) and drop.old.type != drop.new.type:
                gone.append(column(drop.table, drop.new.name))
        return gone

    start = [enum_key(enum), *(column(u.table, u.column) for u in usages)]
    index.walk_dependents(start, recreate)
    return recreations


def _domain_columns(enum: QualifiedName, catalog: Catalog) -> set[tuple[QualifiedName, str]]:
    """Columns of a domain over the enum: converted with the domain, defaults included."""
    base = quote_qualified(enum)
    domains = {
        quote_qualified(d.name) for d in catalog.domains if d.base_type in (base, f"{base}[]")
    }
    return {
        (table.name, found.name)
        for table in catalog.tables
        for found in table.columns
        if found.type.removesuffix("[]") in domains
    }


def _removed(dependent: ObjectKey, removed: set[ObjectKey]) -> bool:
    kind, schema, name, _ = dependent
    return dependent in removed or (
        kind == "relation" and relation(QualifiedName(schema, name)) in removed
    )


def _recreate(
    dependent: ObjectKey,
    catalog: Catalog,
    converted: set[tuple[QualifiedName, str]],
    handled: set[tuple[str, ...]],
) -> Iterator[Recreation]:
    """`converted`: columns whose type and default the recreation itself takes care of."""
    kind, schema, name, member = dependent
    qualified = QualifiedName(schema, name)
    is_view = catalog.view(qualified) is not None
    if kind == "relation" and member.startswith("column:") and not is_view:
        column_name = member.split(":", 1)[1]
        if (qualified, column_name) not in converted:
            yield from _recreate_default(qualified, column_name, catalog, handled)
    elif kind == "relation" and member == "" and not is_view:
        yield from _recreate_index(qualified, catalog, handled)
    elif kind == "type":
        yield from _recreate_domain(qualified, catalog, handled)
    else:
        # A view's columns of the type depend on it as much as its query does.
        if is_view:
            dependent = relation(qualified)
        yield from _pairs(recreate_dependent(dependent, catalog, catalog, handled))


def _pairs(operations: Iterable[Operation]) -> Iterator[Recreation]:
    """recreate_dependent yields each drop followed by the creation that undoes it."""
    listed = list(operations)
    yield from zip(listed[0::2], listed[1::2], strict=True)


def _recreate_default(
    table_name: QualifiedName, column_name: str, catalog: Catalog, handled: set[tuple[str, ...]]
) -> Iterator[Recreation]:
    """A default naming the type on a column of another type (`'a'::e::text`)."""
    key = ("default", str(table_name), column_name)
    table = catalog.table(table_name)
    found = table.column(column_name) if table is not None else None
    if found is None or found.default is None or found.generated is not None or key in handled:
        return
    handled.add(key)
    bare: Column = replace(found, default=None)
    yield AlterColumn(table_name, found, bare), AlterColumn(table_name, bare, found)


def _recreate_domain(
    name: QualifiedName, catalog: Catalog, handled: set[tuple[str, ...]]
) -> Iterator[Recreation]:
    """A domain over the enum: its base type cannot change, so its columns hold text while
    the domain is dropped and created again over the new type."""
    key = ("domain", str(name))
    domain = next((d for d in catalog.domains if d.name == name), None)
    if domain is None or key in handled:
        return
    handled.add(key)
    type_name = quote_qualified(name)
    for table in catalog.tables:
        for found in table.columns:
            if found.type in (type_name, f"{type_name}[]") and found.generated is None:
                text = "text[]" if found.type.endswith("[]") else "text"
                held = replace(found, type=text, default=None, collation=None)
                yield AlterColumn(table.name, found, held), AlterColumn(table.name, held, found)
    yield DropDomain(domain), CreateDomain(domain)


def _recreate_index(
    name: QualifiedName, catalog: Catalog, handled: set[tuple[str, ...]]
) -> Iterator[Recreation]:
    """An index whose expression or predicate names the type (`WHERE state = 'a'::e`):
    PostgreSQL rebuilds it from its text, which would name the retired type."""
    key = ("index", str(name))
    for table in catalog.tables:
        if table.name.schema != name.schema or key in handled:
            continue
        for found in table.indexes:
            if found.name == name.name:
                handled.add(key)
                partitioned = table.partitioning is not None
                yield (
                    DropIndex(table.name, found, partitioned),
                    CreateIndex(table.name, found, partitioned),
                )
