"""Operations → an ordered plan. The whole statement order is the literal phase list below."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from planner.model import Catalog, QualifiedName, Table
from planner.operations import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumn,
    AlterCompositeType,
    AlterDomain,
    AlterExtension,
    AlterSequence,
    AlterTable,
    CreateCollation,
    CreateCompositeType,
    CreateDomain,
    CreateEnum,
    CreateExtension,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateRule,
    CreateSchema,
    CreateSequence,
    CreateStatistics,
    CreateTable,
    CreateTrigger,
    CreateView,
    DropCollation,
    DropColumn,
    DropCompositeType,
    DropConstraint,
    DropDomain,
    DropEnum,
    DropExtension,
    DropFunction,
    DropIndex,
    DropPolicy,
    DropRule,
    DropSchema,
    DropSequence,
    DropStatistics,
    DropTable,
    DropTrigger,
    DropView,
    Grant,
    Operation,
    RenameColumn,
    RenameConstraint,
    RenameEnumValue,
    RenameIndex,
    RenameSchema,
    RenameTable,
    ReplaceCollation,
    ReplaceEnum,
    ReplaceFunction,
    RestoreRows,
    Revoke,
    SaveRows,
    SetClusterIndex,
    SetComment,
    SetOwner,
    SetReplicaIdentity,
    SetRuleEnabled,
    SetSchemaOwner,
    SetSequenceOwner,
    SetStatisticsTarget,
    SetTriggerEnabled,
)
from planner.operations_text_search import (
    AlterTextSearchDictionary,
    AlterTextSearchMappings,
    CreateTextSearchConfiguration,
    CreateTextSearchDictionary,
    DropTextSearchConfiguration,
    DropTextSearchDictionary,
    ReplaceTextSearchConfiguration,
    ReplaceTextSearchDictionary,
)
from planner.ordering import DependencyIndex, dependency_order
from planner.quoting import quote_identifier, quote_literal
from planner.render.choose import statements_for
from planner.render.statements import Statement


def _is(kind: type, test: Callable[[Operation], bool] | None = None) -> Callable[[Operation], bool]:
    return lambda operation: isinstance(operation, kind) and (test is None or test(operation))


def _foreign_key(operation: Operation) -> bool:
    return isinstance(operation, AddConstraint | DropConstraint) and operation.is_foreign_key


# Drops first (what depends on others before what they depend on), then creations and changes
# (what is depended on before its dependents), then the drops of types and namespaces that
# only become unused once the tables have changed.
def _rebuilt(operation: Operation) -> bool:
    return isinstance(operation, DropTable) and operation.rebuilt


def _from_new_object(operation: Operation) -> bool:
    return isinstance(operation, Revoke) and operation.from_new_object


def _releases_owner(operation: Operation) -> bool:
    return isinstance(operation, SetOwner) and operation.new is None


def _unclusters(operation: Operation) -> bool:
    return isinstance(operation, SetClusterIndex) and operation.new is None


def _releases_sequence(operation: Operation) -> bool:
    return isinstance(operation, SetSequenceOwner) and operation.new is None


# Renames come first: the rest of the plan was computed with the new names.
PHASES: tuple[tuple[str, Callable[[Operation], bool]], ...] = (
    ("rename schemas", _is(RenameSchema)),
    ("rename tables", _is(RenameTable)),
    ("rename columns", _is(RenameColumn)),
    ("rename constraints", _is(RenameConstraint)),
    ("rename indexes", _is(RenameIndex)),
    # Before values are added next to a new label or under an old one, and before drops:
    # the downgrade then re-creates what was dropped (defaults naming the new label
    # included) while the new labels exist, and renames them back last.
    ("rename enum values", _is(RenameEnumValue)),
    ("revoke privileges", _is(Revoke, lambda op: not _from_new_object(op))),
    # Before anything is dropped: the downgrade gives what it creates again its owner back.
    ("release owners", _releases_owner),
    ("drop policies", _is(DropPolicy)),
    ("drop rules", _is(DropRule)),
    ("drop triggers", _is(DropTrigger)),
    ("drop views", _is(DropView)),
    ("release sequences", _releases_sequence),
    # Before its index or key goes: the downgrade sets it again once they are back.
    ("unset cluster indexes", _unclusters),
    ("drop foreign keys", _is(DropConstraint, _foreign_key)),
    ("drop constraints", _is(DropConstraint)),
    ("drop indexes", _is(DropIndex)),
    # Before the columns they name go (PostgreSQL would drop them silently).
    ("drop statistics", _is(DropStatistics)),
    ("drop tables", _is(DropTable, lambda op: not _rebuilt(op))),
    ("drop columns", _is(DropColumn)),
    ("create schemas", _is(CreateSchema)),
    ("schema owners", _is(SetSchemaOwner)),
    ("create extensions", _is(CreateExtension)),
    ("alter extensions", _is(AlterExtension)),
    ("create collations", _is(CreateCollation)),
    ("replace collations", _is(ReplaceCollation)),
    # After extensions (which bring templates such as unaccent), before what may name a
    # configuration ('english'::regconfig in functions, columns, indexes and triggers).
    ("create text search dictionaries", _is(CreateTextSearchDictionary)),
    ("alter text search dictionaries", _is(AlterTextSearchDictionary)),
    ("replace text search dictionaries", _is(ReplaceTextSearchDictionary)),
    ("create text search configurations", _is(CreateTextSearchConfiguration)),
    ("alter text search configurations", _is(AlterTextSearchMappings)),
    ("replace text search configurations", _is(ReplaceTextSearchConfiguration)),
    ("create enums", _is(CreateEnum)),
    ("add enum values", _is(AddEnumValue)),
    ("create domains", _is(CreateDomain)),
    ("alter domains", _is(AlterDomain)),
    ("create composite types", _is(CreateCompositeType)),
    ("alter composite types", _is(AlterCompositeType)),
    ("create sequences", _is(CreateSequence)),
    ("alter sequences", _is(AlterSequence)),
    ("create functions", _is(CreateFunction)),
    ("replace functions", _is(ReplaceFunction)),
    # A table rebuilt for its column order is dropped and created again with no statement
    # between that commits (ADD VALUE, concurrent builds run outside the transaction): its
    # rows wait in a temporary table meanwhile. They come back before its triggers and foreign
    # keys (and those of other tables referring to it).
    ("save rows", _is(SaveRows)),
    ("drop rebuilt tables", _is(DropTable)),
    ("create tables", _is(CreateTable)),
    ("restore rows", _is(RestoreRows)),
    ("alter tables", _is(AlterTable)),
    ("add columns", _is(AddColumn)),
    ("alter columns", _is(AlterColumn)),
    ("own sequences", _is(SetSequenceOwner)),
    ("replace enums", _is(ReplaceEnum)),
    ("add constraints", _is(AddConstraint, lambda op: not _foreign_key(op))),
    ("create indexes", _is(CreateIndex)),
    ("create statistics", _is(CreateStatistics)),
    ("statistics targets", _is(SetStatisticsTarget)),
    ("add foreign keys", _is(AddConstraint)),
    ("set cluster indexes", _is(SetClusterIndex)),
    ("replica identities", _is(SetReplicaIdentity)),
    ("create views", _is(CreateView)),
    ("create triggers", _is(CreateTrigger)),
    ("enable triggers", _is(SetTriggerEnabled)),
    ("create rules", _is(CreateRule)),
    ("enable rules", _is(SetRuleEnabled)),
    ("create policies", _is(CreatePolicy)),
    ("comments", _is(SetComment)),
    # After everything is created, before the grants: ALTER OWNER rewrites the old owner's
    # ACL entries (as grantee and as grantor) to the new owner, and a later grant is
    # recorded as the new owner's: the ACL ends as a source's that was handed over.
    ("owners", _is(SetOwner)),
    ("revoke from new objects", _is(Revoke)),
    ("grant privileges", _is(Grant)),
    ("drop functions", _is(DropFunction)),
    ("drop sequences", _is(DropSequence)),
    ("drop composite types", _is(DropCompositeType)),
    ("drop domains", _is(DropDomain)),
    ("drop collations", _is(DropCollation)),
    ("drop enums", _is(DropEnum)),
    ("drop text search configurations", _is(DropTextSearchConfiguration)),
    ("drop text search dictionaries", _is(DropTextSearchDictionary)),
    ("drop extensions", _is(DropExtension)),
    ("drop schemas", _is(DropSchema)),
)


@dataclass(frozen=True, slots=True)
class Step:
    operation: Operation
    phase: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...]
    online: bool = False
    # Schemas of extensions outside public: see session_settings.
    extension_schemas: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.steps

    @property
    def session_settings(self) -> list[Statement]:
        """Settings the statements need, for the session that runs them (as pg_dump sets)."""
        settings = []
        routines = (CreateFunction, ReplaceFunction)
        if any(isinstance(step.operation, routines) for step in self.steps):
            # Function bodies may use objects created later in the same plan.
            settings.append(Statement("SET check_function_bodies = false"))
        if self.extension_schemas and self.steps:
            # Some extension functions name their own types unqualified in SQL bodies
            # (earthdistance's ll_to_earth returns `earth`): an index or default calling one
            # needs the extension's schema on the path, as it was when the object was made.
            path = ", ".join(quote_identifier(schema) for schema in self.extension_schemas)
            settings.append(
                Statement(
                    "SELECT pg_catalog.set_config('search_path', "
                    f"pg_catalog.current_setting('search_path') || {quote_literal(', ' + path)}, "
                    "false)"
                )
            )
        return settings

    @property
    def statements(self) -> list[Statement]:
        return [statement for step in self.steps for statement in step.statements]

    def reversed(self) -> Plan:
        """The downgrade: reversed steps, each reversing its operation."""
        return build_plan_in_order(
            [(step.operation.reverse(), step.phase) for step in reversed(self.steps)],
            online=self.online,
            extension_schemas=self.extension_schemas,
        )


def build_plan(
    operations: Iterable[Operation],
    current: Catalog | None = None,
    desired: Catalog | None = None,
    *,
    online: bool = False,
) -> Plan:
    """Order operations by the phase list, moved later only where pg_depend demands it."""
    ranked: list[tuple[int, Operation, str]] = []
    for operation in operations:
        rank, phase = _phase_of(operation)
        ranked.append((rank, operation, phase))
    ranked.sort(key=lambda item: item[0])
    ranked = _parents_first_within(ranked)
    order = dependency_order(
        [operation for _, operation, _ in ranked],
        DependencyIndex.of(current or Catalog()),
        DependencyIndex.of(desired or Catalog()),
    )
    extension_schemas = {
        extension.schema
        for catalog in (current, desired)
        for extension in (catalog.extensions if catalog else ())
        if extension.schema not in ("public", "pg_catalog")
    }
    return build_plan_in_order(
        [(ranked[i][1], ranked[i][2]) for i in order],
        online=online,
        extension_schemas=tuple(sorted(extension_schemas)),
    )


def _phase_of(operation: Operation) -> tuple[int, str]:
    for rank, (phase, belongs) in enumerate(PHASES):
        if belongs(operation):
            return rank, phase
    raise AssertionError(f"operation without a phase: {operation!r}")


def build_plan_in_order(
    ordered: Sequence[tuple[Operation, str]],
    *,
    online: bool = False,
    extension_schemas: tuple[str, ...] = (),
) -> Plan:
    steps = tuple(
        Step(operation, phase, tuple(statements_for(operation, online=online)))
        for operation, phase in ordered
    )
    return Plan(steps, online, extension_schemas)


def _parents_first_within(
    ranked: list[tuple[int, Operation, str]],
) -> list[tuple[int, Operation, str]]:
    """Partitions and inheriting tables after their parents; dropped in the reverse order."""
    result: list[tuple[int, Operation, str]] = []
    for _rank, group in itertools.groupby(ranked, key=lambda item: item[0]):
        items = list(group)
        phase = items[0][2]
        if phase in ("create tables", "drop tables"):
            operations = _parents_first([operation for _, operation, _ in items])
            if phase == "drop tables":
                operations.reverse()
            items = [(items[0][0], operation, phase) for operation in operations]
        result += items
    return result


def _parents_first(operations: list[Operation]) -> list[Operation]:
    """Partitions and inheriting tables after the tables they derive from (a linear sort)."""
    tables: dict[QualifiedName, Operation] = {}
    for operation in operations:
        assert isinstance(operation, CreateTable | DropTable)
        tables[operation.table.name] = operation
    ordered: list[Operation] = []
    visited: set[QualifiedName] = set()

    def visit(name: QualifiedName) -> None:
        if name in visited or name not in tables:
            return
        visited.add(name)
        for parent in _table_of(tables[name]).parents:
            visit(parent)
        ordered.append(tables[name])

    for name in tables:
        visit(name)
    return ordered


def _table_of(operation: Operation) -> Table:
    assert isinstance(operation, CreateTable | DropTable)
    return operation.table
