"""Plan → a Markdown report for a pull-request comment (GitHub-flavoured, with Mermaid).

The report has a title, a one-line summary, a table of changes with hazard badges, the
reasons behind each badge, an ER diagram of the tables the plan touches and the SQL.

Badges: each hazard kind once per row, coloured by what a reviewer should weigh first.

    🔴  deletes-data                                rows are lost
    🟠  rewrites-table, blocks-writes, blocks-reads  the table is copied or the application waits
    🟡  scans-table, builds-index                    long work that blocks nobody
    🔵  changes-authorization                        who may read or change what changes
    ⚪  not-reversible                               a downgrade cannot restore everything
    🟣  drops-index, untracked-dependencies          worth a second look (speed, callers)

The diagram shows every table a step is about, with all its columns, and the tables linked
to them by a foreign key (before or after the change), with only their key columns.
Attribute comments mark what changes: "added", "removed", "renamed from x", "changed: type",
"FK added", …; relationship labels name the foreign key and whether it is added or removed.
Mermaid identifiers keep to [A-Za-z0-9_]: `public.items` is the entity `public_items`, and
`character varying(32)` the type `varchar_32`.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from planner.hazards import Hazard, HazardKind
from planner.model import Catalog, ConstraintKind, QualifiedName, Table
from planner.operations import (
    AddColumn,
    AddConstraint,
    AlterColumn,
    AlterTable,
    CreateIndex,
    CreatePolicy,
    CreateRule,
    CreateStatistics,
    CreateTable,
    CreateTrigger,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropRule,
    DropStatistics,
    DropTable,
    DropTrigger,
    Grant,
    Operation,
    RenameColumn,
    RenameConstraint,
    RenameIndex,
    RenameTable,
    RestoreRows,
    Revoke,
    SaveRows,
    SetClusterIndex,
    SetComment,
    SetReplicaIdentity,
    SetRuleEnabled,
    SetStatisticsTarget,
    SetTriggerEnabled,
)
from planner.plan import Plan, Step
from planner.render.describe import column_changes, describe, subject
from planner.render.report import NO_CHANGES, render_sql

BADGES: dict[HazardKind, str] = {
    HazardKind.DELETES_DATA: "🔴",
    HazardKind.REWRITES_TABLE: "🟠",
    HazardKind.BLOCKS_WRITES: "🟠",
    HazardKind.BLOCKS_READS: "🟠",
    HazardKind.SCANS_TABLE: "🟡",
    HazardKind.BUILDS_INDEX: "🟡",
    HazardKind.CHANGES_AUTHORIZATION: "🔵",
    HazardKind.NOT_REVERSIBLE: "⚪",
    HazardKind.DROPS_INDEX: "🟣",
    HazardKind.UNTRACKED_DEPENDENCIES: "🟣",
}

LEGEND = (
    "🔴 rows are lost · 🟠 the table is rewritten or the application waits · "
    "🟡 long work that blocks nobody · 🔵 who may read or change what changes · "
    "⚪ a downgrade cannot restore everything · 🟣 worth a second look (speed, callers)"
)

_KIND_ORDER = {kind: position for position, kind in enumerate(HazardKind)}


def render_markdown(plan: Plan, current: Catalog, desired: Catalog, target: str) -> str:
    """The report; the same plan and catalogs always give the same text."""
    title = f"## Schema plan for {escape(target)}"
    if plan.is_empty:
        return f"{title}\n\n{NO_CHANGES}\n"
    tables = Touched.of(plan, current, desired)
    sections = [
        title,
        summary(plan, tables),
        changes_table(plan),
        hazard_reasons(plan),
        diagram_section(tables, current, desired),
        sql_section(plan),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


# ---------------------------------------------------------------------------------------------
# Markdown text


# Characters Markdown may read as syntax inline; an underscore between two letters or digits
# never opens or closes emphasis, so identifiers keep theirs unescaped.
_SIGNIFICANT = re.compile(r"[\\`*\[\]<>|~&$]|(?<![^\W_])_|_(?![^\W_])")


def escape(text: str) -> str:
    """Text that renders as itself on one line, also inside a table cell."""
    one_line = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return _SIGNIFICANT.sub(lambda match: "\\" + match.group(0), one_line)


def fenced(text: str, language: str) -> str:
    """A code block whose fence is longer than any run of backticks in the text."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text.rstrip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def details(summary_text: str, body: str) -> str:
    return f"<details><summary>{summary_text}</summary>\n\n{body}\n\n</details>"


# ---------------------------------------------------------------------------------------------
# Summary, changes and hazards


def step_hazards(step: Step) -> list[Hazard]:
    """The step's hazards, once each, the most serious kinds first."""
    found = {hazard for statement in step.statements for hazard in statement.hazards}
    return sorted(found, key=lambda hazard: (_KIND_ORDER[hazard.kind], hazard.reason))


def step_kinds(step: Step) -> list[HazardKind]:
    return sorted({hazard.kind for hazard in step_hazards(step)}, key=_KIND_ORDER.__getitem__)


def badge(kind: HazardKind) -> str:
    return f"{BADGES[kind]} {kind.value}"


def summary(plan: Plan, tables: Touched) -> str:
    count = len(plan.steps)
    changed = len(tables.names - tables.added - tables.dropped)
    kinds = Counter(kind for step in plan.steps for kind in step_kinds(step))
    hazards = ", ".join(
        f"{badge(kind)} ({kinds[kind]})" for kind in sorted(kinds, key=_KIND_ORDER.__getitem__)
    )
    return " · ".join(
        [
            f"**{count} change{'s' if count != 1 else ''}**",
            f"tables: {len(tables.added)} added, {changed} changed, {len(tables.dropped)} dropped",
            f"other objects: {len(tables.other_subjects)} changed",
            f"hazards: {hazards}" if hazards else "no hazards",
        ]
    )


def changes_table(plan: Plan) -> str:
    rows = ["| # | Change | Phase | Hazards |", "| ---: | --- | --- | --- |"]
    for number, step in enumerate(plan.steps, 1):
        badges = " ".join(badge(kind) for kind in step_kinds(step))
        cells = [str(number), escape(describe(step.operation)), escape(step.phase), badges]
        rows.append(f"| {' | '.join(cells)} |")
    if any(step_kinds(step) for step in plan.steps):
        rows += ["", f"<sub>{LEGEND}</sub>"]
    return "\n".join(rows)


def hazard_reasons(plan: Plan) -> str:
    lines: list[str] = []
    for number, step in enumerate(plan.steps, 1):
        hazards = step_hazards(step)
        if hazards:
            lines.append(f"- **{number}** {escape(describe(step.operation))}")
            lines += [f"  - {badge(h.kind)}: {escape(h.reason)}" for h in hazards]
    if not lines:
        return ""
    return details("Why these hazards", "\n".join(lines))


def sql_section(plan: Plan) -> str:
    return details("SQL", fenced(render_sql(plan), "sql"))


# ---------------------------------------------------------------------------------------------
# Which tables the plan is about


@dataclass(frozen=True, slots=True)
class Touched:
    """Tables (by their name after the plan) that steps are about, and everything else."""

    names: frozenset[QualifiedName]
    added: frozenset[QualifiedName]
    dropped: frozenset[QualifiedName]
    other_subjects: frozenset[str]
    # Renamed tables and columns: the name after the plan → the name before it.
    previous_tables: dict[QualifiedName, QualifiedName]
    previous_columns: dict[tuple[QualifiedName, str], str]

    @staticmethod
    def of(plan: Plan, current: Catalog, desired: Catalog) -> Touched:
        renamed = {
            step.operation.old: step.operation.new
            for step in plan.steps
            if isinstance(step.operation, RenameTable) and step.operation.kind == "TABLE"
        }
        after = {table.name for table in desired.tables}
        before = {table.name for table in current.tables}

        def final(name: QualifiedName) -> QualifiedName:
            return name if name in after else renamed.get(name, name)

        names: set[QualifiedName] = set()
        others: set[str] = set()
        for step in plan.steps:
            found = [
                final(name)
                for name in mentioned_tables(step.operation, current, desired)
                if name in after or name in before
            ]
            names.update(found)
            if not found:
                others.add(subject(step.operation))
        return Touched(
            names=frozenset(names),
            added=_named(plan, CreateTable),
            dropped=_named(plan, DropTable),
            other_subjects=frozenset(others),
            previous_tables={new: old for old, new in renamed.items()},
            previous_columns=_renamed_columns(plan, final),
        )


def _named(plan: Plan, kind: type[CreateTable] | type[DropTable]) -> frozenset[QualifiedName]:
    """Tables created (or dropped); a table rebuilt in place is neither."""
    return frozenset(
        step.operation.table.name
        for step in plan.steps
        if isinstance(step.operation, kind) and not step.operation.rebuilt
    )


def _renamed_columns(
    plan: Plan, final: Callable[[QualifiedName], QualifiedName]
) -> dict[tuple[QualifiedName, str], str]:
    return {
        (final(step.operation.table), step.operation.new): step.operation.old
        for step in plan.steps
        if isinstance(step.operation, RenameColumn)
    }


_TABLE_MEMBER_COMMENTS = ("TABLE", "COLUMN", "CONSTRAINT", "TRIGGER", "RULE", "POLICY")


def mentioned_tables(
    operation: Operation, current: Catalog, desired: Catalog
) -> tuple[QualifiedName, ...]:
    """Names of relations the operation is about (views and sequences are filtered later)."""
    match operation:
        case CreateTable(table) | DropTable(table) | SaveRows(before=table):
            return (table.name,)
        case RestoreRows(after=table):
            return (table.name,)
        case AlterTable(new=new):
            return (new.name,)
        case RenameTable(new=new):
            return (new,)
        case (
            AddColumn(table=name)
            | DropColumn(table=name)
            | AlterColumn(table=name)
            | AddConstraint(table=name)
            | DropConstraint(table=name)
            | CreateIndex(table=name)
            | DropIndex(table=name)
            | SetReplicaIdentity(table=name)
            | SetClusterIndex(table=name)
            | CreateTrigger(table=name)
            | DropTrigger(table=name)
            | SetTriggerEnabled(table=name)
            | CreateStatistics(table=name)
            | DropStatistics(table=name)
            | SetStatisticsTarget(table=name)
            | CreateRule(table=name)
            | DropRule(table=name)
            | SetRuleEnabled(table=name)
            | CreatePolicy(table=name)
            | DropPolicy(table=name)
            | RenameColumn(table=name)
            | RenameConstraint(table=name)
        ):
            return (name,)
        case Grant(privilege) | Revoke(privilege) if privilege.object_kind in ("TABLE", "COLUMN"):
            return (privilege.object_name,)
        case SetComment(target=target) if target.kind in _TABLE_MEMBER_COMMENTS:
            return (target.name,)
        case SetComment(target=target) if target.kind == "INDEX":
            return index_owner(target.name, (desired, current))
        case RenameIndex(schema=schema, old=old):
            return index_owner(QualifiedName(schema, old), (current,))
    return ()


def index_owner(index: QualifiedName, catalogs: Iterable[Catalog]) -> tuple[QualifiedName, ...]:
    for catalog in catalogs:
        for table in catalog.tables:
            if table.name.schema == index.schema and any(
                candidate.name == index.name for candidate in table.indexes
            ):
                return (table.name,)
    return ()


# ---------------------------------------------------------------------------------------------
# The ER diagram


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key as an edge between table names after the plan."""

    child: QualifiedName
    name: str
    parent: QualifiedName
    columns: tuple[str, ...]
    referenced: tuple[str, ...]
    status: Literal["added", "removed", "kept"]
    parent_side: str
    child_side: str


@dataclass(frozen=True, slots=True)
class Attribute:
    type: str
    name: str
    keys: tuple[str, ...]
    notes: tuple[str, ...]


def diagram_section(tables: Touched, current: Catalog, desired: Catalog) -> str:
    if not tables.names:
        return ""
    return "### Tables\n\n" + fenced(er_diagram(tables, current, desired), "mermaid")


def er_diagram(tables: Touched, current: Catalog, desired: Catalog) -> str:
    edges = foreign_keys(tables, current, desired)
    shown = set(tables.names)
    shown |= {edge.parent for edge in edges if edge.child in tables.names}
    shown |= {edge.child for edge in edges if edge.parent in tables.names}
    ids = entity_ids(shown)
    lines = ["erDiagram"]
    for name in sorted(shown):
        before = current.table(tables.previous_tables.get(name, name))
        renamed = {
            new: old for (table, new), old in tables.previous_columns.items() if table == name
        }
        listed = attributes(before, desired.table(name), renamed)
        if name not in tables.names:
            linked = linked_columns(name, edges)
            listed = [
                attribute for attribute in listed if attribute.keys or attribute.name in linked
            ]
        lines += entity_lines(ids[name], listed)
    lines += [
        relationship_line(edge, ids)
        for edge in edges
        if edge.child in shown and edge.parent in shown
    ]
    return "\n".join(lines)


def foreign_keys(tables: Touched, current: Catalog, desired: Catalog) -> list[ForeignKey]:
    """Foreign keys before and after the plan, by table names after it, sorted."""
    later = {old: new for new, old in tables.previous_tables.items()}
    before = _foreign_keys_of(current, lambda name: later.get(name, name))
    after = _foreign_keys_of(desired, lambda name: name)
    edges = []
    for key in sorted(before.keys() | after.keys()):
        if key in before and key in after:
            edges.append(dataclasses.replace(after[key], status="kept"))
        elif key in after:
            edges.append(dataclasses.replace(after[key], status="added"))
        else:
            edges.append(dataclasses.replace(before[key], status="removed"))
    return edges


def _foreign_keys_of(
    catalog: Catalog, rename: Callable[[QualifiedName], QualifiedName]
) -> dict[tuple[QualifiedName, str], ForeignKey]:
    found = {}
    for table in catalog.tables:
        for constraint in table.constraints:
            reference = constraint.references
            if constraint.kind is not ConstraintKind.FOREIGN_KEY or reference is None:
                continue
            parent_side, child_side = cardinality(table, constraint.columns)
            edge = ForeignKey(
                child=rename(table.name),
                name=constraint.name or "",
                parent=rename(reference.table),
                columns=constraint.columns,
                referenced=reference.columns,
                status="kept",
                parent_side=parent_side,
                child_side=child_side,
            )
            found[(edge.child, edge.name)] = edge
    return found


def cardinality(child: Table, columns: tuple[str, ...]) -> tuple[str, str]:
    """Mermaid's ends: a parent row is optional when a key column is nullable; a child row is
    unique per parent when the key columns are exactly a primary key or unique constraint."""
    nullable = any(column is None or not column.not_null for column in map(child.column, columns))
    unique = any(
        constraint.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
        and set(constraint.columns) == set(columns)
        for constraint in child.constraints
    )
    return ("|o" if nullable else "||", "o|" if unique else "o{")


def linked_columns(name: QualifiedName, edges: Iterable[ForeignKey]) -> set[str]:
    linked: set[str] = set()
    for edge in edges:
        if edge.child == name:
            linked.update(edge.columns)
        if edge.parent == name:
            linked.update(edge.referenced)
    return linked


_KEY_MARKERS = {
    ConstraintKind.PRIMARY_KEY: "PK",
    ConstraintKind.FOREIGN_KEY: "FK",
    ConstraintKind.UNIQUE: "UK",
}


def column_keys(table: Table | None) -> dict[str, tuple[str, ...]]:
    """Column name → its Mermaid key markers, in the order PK, FK, UK."""
    keys: dict[str, list[str]] = {}
    for kind, marker in _KEY_MARKERS.items():
        for constraint in table.constraints if table else ():
            if constraint.kind is kind:
                for column in constraint.columns:
                    if marker not in keys.setdefault(column, []):
                        keys[column].append(marker)
    return {column: tuple(markers) for column, markers in keys.items()}


def attributes(
    before: Table | None, after: Table | None, previous_names: dict[str, str]
) -> list[Attribute]:
    """Columns after the plan, in their order, then the removed ones; notes say what changes."""
    keys_before, keys_after = column_keys(before), column_keys(after)
    listed: list[Attribute] = []
    kept: set[str] = set()
    for column in after.columns if after else ():
        old_name = previous_names.get(column.name, column.name)
        old = before.column(old_name) if before else None
        keys = keys_after.get(column.name, ())
        if old is None:
            listed.append(Attribute(column.type, column.name, keys, ("added",)))
            continue
        kept.add(old_name)
        notes = (
            [f"renamed from {attribute_identifier(old_name)}"] if old_name != column.name else []
        )
        changes = column_changes(old, column)
        notes += [f"changed: {', '.join(changes)}"] if changes else []
        old_keys = keys_before.get(old_name, ())
        notes += [f"{key} added" for key in keys if key not in old_keys]
        notes += [f"{key} removed" for key in old_keys if key not in keys]
        listed.append(Attribute(column.type, column.name, keys, tuple(notes)))
    for column in before.columns if before else ():
        if column.name not in kept:
            keys = keys_before.get(column.name, ())
            listed.append(Attribute(column.type, column.name, keys, ("removed",)))
    return listed


def entity_lines(identifier: str, listed: list[Attribute]) -> list[str]:
    if not listed:
        return [f"    {identifier}"]
    names = unique_identifiers([attribute.name for attribute in listed], attribute_identifier)
    lines = [f"    {identifier} {{"]
    for attribute, name in zip(listed, names, strict=True):
        parts = [mermaid_type(attribute.type), name]
        if attribute.keys:
            parts.append(", ".join(attribute.keys))
        if attribute.notes:
            parts.append(mermaid_string("; ".join(attribute.notes)))
        lines.append(f"        {' '.join(parts)}")
    return [*lines, "    }"]


def relationship_line(edge: ForeignKey, ids: dict[QualifiedName, str]) -> str:
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", edge.name) or "foreign_key"
    if edge.status != "kept":
        label += f" ({edge.status})"
    ends = f"{edge.parent_side}--{edge.child_side}"
    return f"    {ids[edge.parent]} {ends} {ids[edge.child]} : {mermaid_string(label)}"


# ---------------------------------------------------------------------------------------------
# Mermaid-safe words


# Mermaid reads a name starting with a digit as a number, and inside an entity block it reads
# PK, FK and UK alone as key markers.
_ATTRIBUTE_KEYWORDS = ("pk", "fk", "uk")

_SHORT_TYPES = (
    (r"^timestamp(\(\d+\))? with time zone", r"timestamptz\1"),
    (r"^timestamp(\(\d+\))? without time zone", r"timestamp\1"),
    (r"^time(\(\d+\))? with time zone", r"timetz\1"),
    (r"^time(\(\d+\))? without time zone", r"time\1"),
    (r"^character varying", "varchar"),
    (r"^character\b", "char"),
    (r"^bit varying", "varbit"),
    (r"^double precision", "float8"),
    (r"\[\]", "_array"),
)


def mermaid_type(type_name: str) -> str:
    """`character varying(32)` → `varchar_32`, `numeric(12,2)` → `numeric_12_2`."""
    for pattern, replacement in _SHORT_TYPES:
        type_name = re.sub(pattern, replacement, type_name)
    word = _word(type_name).strip("_") or "unknown"
    return attribute_identifier(word)


def _word(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text)


def entity_identifier(text: str) -> str:
    word = _word(text)
    if word[:1].isdigit():
        return f"_{word}"
    return word


def attribute_identifier(text: str) -> str:
    word = _word(text)
    if word[:1].isdigit() or word.lower() in _ATTRIBUTE_KEYWORDS:
        return f"_{word}"
    return word


def unique_identifiers(texts: list[str], make: Callable[[str], str]) -> list[str]:
    """Mermaid identifiers for texts, numbered where two would otherwise be the same."""
    taken: set[str] = set()
    result = []
    for text in texts:
        base = candidate = make(text)
        number = 2
        while candidate.lower() in taken:
            candidate, number = f"{base}_{number}", number + 1
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def entity_ids(names: Iterable[QualifiedName]) -> dict[QualifiedName, str]:
    ordered = sorted(names)
    texts = [f"{name.schema}_{name.name}" for name in ordered]
    return dict(zip(ordered, unique_identifiers(texts, entity_identifier), strict=True))


def mermaid_string(text: str) -> str:
    return '"' + re.sub(r'["<>\r\n]', "'", text) + '"'
