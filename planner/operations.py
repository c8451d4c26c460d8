"""Typed, immutable schema changes: the only interface between the diff and every renderer.

Each operation carries the state it replaces, so `reverse()` needs nothing else: a
downgrade is the reversed list of reversed operations.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.model import (
    Collation,
    Column,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    EnumType,
    ExtendedStatistics,
    Extension,
    Function,
    Index,
    Policy,
    Privilege,
    QualifiedName,
    Rule,
    SchemaNamespace,
    Sequence,
    Table,
    Trigger,
    View,
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


@dataclass(frozen=True, slots=True)
class CreateSchema:
    schema: SchemaNamespace

    def reverse(self) -> DropSchema:
        return DropSchema(self.schema)


@dataclass(frozen=True, slots=True)
class DropSchema:
    schema: SchemaNamespace

    def reverse(self) -> CreateSchema:
        return CreateSchema(self.schema)


@dataclass(frozen=True, slots=True)
class SetSchemaOwner:
    schema: str
    old: str
    new: str

    def reverse(self) -> SetSchemaOwner:
        return SetSchemaOwner(self.schema, self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetOwner:
    """ALTER … OWNER TO; None is the role running the plan (the owner of what it creates)."""

    object_kind: str
    object_name: QualifiedName
    member: str
    old: str | None
    new: str | None

    def reverse(self) -> SetOwner:
        return SetOwner(self.object_kind, self.object_name, self.member, self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateExtension:
    extension: Extension

    def reverse(self) -> DropExtension:
        return DropExtension(self.extension)


@dataclass(frozen=True, slots=True)
class DropExtension:
    extension: Extension

    def reverse(self) -> CreateExtension:
        return CreateExtension(self.extension)


@dataclass(frozen=True, slots=True)
class CreateEnum:
    enum: EnumType

    def reverse(self) -> DropEnum:
        return DropEnum(self.enum)


@dataclass(frozen=True, slots=True)
class DropEnum:
    enum: EnumType

    def reverse(self) -> CreateEnum:
        return CreateEnum(self.enum)


@dataclass(frozen=True, slots=True)
class EnumUsage:
    """A column whose type is the enum (or an array of it), with the default it carries."""

    table: QualifiedName
    column: str
    is_array: bool
    default: str | None


@dataclass(frozen=True, slots=True)
class EnumDependents:
    """What must be dropped before an enum is recreated and created again after it.

    PostgreSQL refuses to retype a column that a view, rule, trigger or policy uses, and
    expressions naming the type (a view's `'b'::e`, a check, an index predicate, a default)
    and domains over it would keep pointing at the retired type, which then cannot be dropped.
    """

    drops: tuple[Operation, ...] = ()
    creates: tuple[Operation, ...] = ()


@dataclass(frozen=True, slots=True)
class AddEnumValue:
    """ALTER TYPE … ADD VALUE; `enum` is the type before, `after` the type once added.

    `usages` and `dependents` describe the database where the downgrade recreates the type:
    what the plan drops is recreated after it, what the plan creates is gone before it.
    """

    enum: EnumType
    after: EnumType
    value: str
    usages: tuple[EnumUsage, ...] = ()
    dependents: EnumDependents = EnumDependents()
    # Why the downgrade cannot recreate the type (planner/diff_enum_blockers.py): then it
    # leaves the value in place.
    kept_by_downgrade: str = ""
    # Several values added to one type are removed by one recreation, in the downgrade of the
    # first (from the type as the last left it); the others' downgrades do nothing.
    downgrade_from: EnumType | None = None
    removed_with: str | None = None

    @property
    def neighbour(self) -> tuple[str, str] | None:
        """('BEFORE'|'AFTER', label) placing the value, or None to append it."""
        position = self.after.values.index(self.value)
        if position == len(self.after.values) - 1:
            return None
        return ("BEFORE", self.after.values[position + 1])

    def reverse(self) -> ReplaceEnum | KeepEnumValue:
        if self.kept_by_downgrade:
            why = f"the type cannot be recreated without it: {self.kept_by_downgrade}"
            return KeepEnumValue(self, why)
        if self.removed_with is not None:
            why = f"it goes when the type is recreated for {self.removed_with!r}, below"
            return KeepEnumValue(self, why)
        before = self.downgrade_from or self.after
        return ReplaceEnum(before, self.enum, self.usages, self.dependents)


@dataclass(frozen=True, slots=True)
class KeepEnumValue:
    """The downgrade of an added value that does not recreate the type: no statement."""

    added: AddEnumValue
    why: str

    def reverse(self) -> AddEnumValue:
        return self.added


@dataclass(frozen=True, slots=True)
class ReplaceEnum:
    """Recreate an enum with other values and convert the columns that use it.

    PostgreSQL cannot remove or reorder enum values in place; rows holding a removed
    value make the conversion fail, which is the loud outcome we want.
    """

    enum: EnumType
    after: EnumType
    usages: tuple[EnumUsage, ...] = ()
    dependents: EnumDependents = EnumDependents()

    def reverse(self) -> ReplaceEnum:
        return ReplaceEnum(self.after, self.enum, self.usages, self.dependents)


@dataclass(frozen=True, slots=True)
class RenameEnumValue:
    enum: QualifiedName
    old_value: str
    new_value: str

    def reverse(self) -> RenameEnumValue:
        return RenameEnumValue(self.enum, self.new_value, self.old_value)


@dataclass(frozen=True, slots=True)
class CreateSequence:
    """CREATE SEQUENCE without its owner: the owning column may not exist yet."""

    sequence: Sequence

    def reverse(self) -> DropSequence:
        return DropSequence(self.sequence)


@dataclass(frozen=True, slots=True)
class DropSequence:
    sequence: Sequence

    def reverse(self) -> CreateSequence:
        return CreateSequence(self.sequence)


@dataclass(frozen=True, slots=True)
class AlterSequence:
    old: Sequence
    new: Sequence

    def reverse(self) -> AlterSequence:
        return AlterSequence(self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetSequenceOwner:
    """ALTER SEQUENCE … OWNED BY; dropping the owning table or column would drop the sequence."""

    sequence: QualifiedName
    old: tuple[QualifiedName, str] | None
    new: tuple[QualifiedName, str] | None

    def reverse(self) -> SetSequenceOwner:
        return SetSequenceOwner(self.sequence, self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateTable:
    """A table with its columns, non-foreign-key constraints, indexes and comments.

    `rebuilt` when it replaces a table of the same name whose rows are kept aside
    (SaveRows) and copied back (RestoreRows)."""

    table: Table
    rebuilt: bool = False

    def reverse(self) -> DropTable:
        return DropTable(self.table, self.rebuilt)


@dataclass(frozen=True, slots=True)
class DropTable:
    table: Table
    rebuilt: bool = False

    def reverse(self) -> CreateTable:
        return CreateTable(self.table, self.rebuilt)


@dataclass(frozen=True, slots=True)
class SaveRows:
    """Before a table is rebuilt (`before` dropped, `after` created): its rows, and the state
    of its identity sequences, copied to temporary tables of the session."""

    before: Table
    after: Table

    def reverse(self) -> RestoreRows:
        return RestoreRows(self.after, self.before)


@dataclass(frozen=True, slots=True)
class RestoreRows:
    """After a table is rebuilt: the rows SaveRows kept, inserted into `after`."""

    before: Table
    after: Table

    def reverse(self) -> SaveRows:
        return SaveRows(self.after, self.before)


@dataclass(frozen=True, slots=True)
class AddColumn:
    """`declared_before` names the existing column the declarations put this one before:
    PostgreSQL appends it all the same (only rebuilding the table could move it), and the
    plan says so rather than let the order differ unnoticed."""

    table: QualifiedName
    column: Column
    declared_before: str | None = None

    def reverse(self) -> DropColumn:
        return DropColumn(self.table, self.column)


@dataclass(frozen=True, slots=True)
class DropColumn:
    """`indexed` when an index or key of the table uses the column (and goes with it)."""

    table: QualifiedName
    column: Column
    indexed: bool = False

    def reverse(self) -> AddColumn:
        return AddColumn(self.table, self.column)


@dataclass(frozen=True, slots=True)
class AlterColumn:
    table: QualifiedName
    old: Column
    new: Column

    def reverse(self) -> AlterColumn:
        return AlterColumn(self.table, self.new, self.old)


@dataclass(frozen=True, slots=True)
class AttachedPartition:
    """A partition whose own indexes (or keys) are attached to a partitioned table's index
    under their own names (planner/diff_partitions.py)."""

    table: QualifiedName
    bound: str
    indexes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AddConstraint:
    """`fresh` when the table is created by the same plan: nobody waits on it yet;
    `partitioned` when it is a partitioned table (no concurrent index builds there)."""

    table: QualifiedName
    constraint: Constraint
    fresh: bool = False
    partitioned: bool = False
    attached_partitions: tuple[AttachedPartition, ...] = ()

    @property
    def is_foreign_key(self) -> bool:
        return self.constraint.kind is ConstraintKind.FOREIGN_KEY

    def reverse(self) -> DropConstraint:
        return DropConstraint(
            self.table, self.constraint, self.fresh, self.partitioned, self.attached_partitions
        )


@dataclass(frozen=True, slots=True)
class DropConstraint:
    table: QualifiedName
    constraint: Constraint
    fresh: bool = False
    partitioned: bool = False
    attached_partitions: tuple[AttachedPartition, ...] = ()

    @property
    def is_foreign_key(self) -> bool:
        return self.constraint.kind is ConstraintKind.FOREIGN_KEY

    def reverse(self) -> AddConstraint:
        return AddConstraint(
            self.table, self.constraint, self.fresh, self.partitioned, self.attached_partitions
        )


@dataclass(frozen=True, slots=True)
class CreateIndex:
    table: QualifiedName
    index: Index
    partitioned: bool = False
    attached_partitions: tuple[AttachedPartition, ...] = ()

    def reverse(self) -> DropIndex:
        return DropIndex(self.table, self.index, self.partitioned, self.attached_partitions)


@dataclass(frozen=True, slots=True)
class DropIndex:
    table: QualifiedName
    index: Index
    partitioned: bool = False
    attached_partitions: tuple[AttachedPartition, ...] = ()

    def reverse(self) -> CreateIndex:
        return CreateIndex(self.table, self.index, self.partitioned, self.attached_partitions)


@dataclass(frozen=True, slots=True)
class AlterTable:
    """Table-level properties other than comments (row security, storage, logging)."""

    old: Table
    new: Table

    def reverse(self) -> AlterTable:
        return AlterTable(self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetReplicaIdentity:
    """REPLICA IDENTITY (default, nothing, full, or index with `index` naming it)."""

    table: QualifiedName
    old: tuple[str, str | None]
    new: tuple[str, str | None]

    def reverse(self) -> SetReplicaIdentity:
        return SetReplicaIdentity(self.table, self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetClusterIndex:
    """CLUSTER ON an index (`new`), or SET WITHOUT CLUSTER (`new` None)."""

    table: QualifiedName
    old: str | None
    new: str | None

    def reverse(self) -> SetClusterIndex:
        return SetClusterIndex(self.table, self.new, self.old)


@dataclass(frozen=True, slots=True, order=True)
class CommentTarget:
    """What a COMMENT ON names: `kind` is PostgreSQL's object keyword (TABLE, COLUMN, …)."""

    kind: str
    name: QualifiedName
    member: str | None = None


@dataclass(frozen=True, slots=True)
class SetComment:
    target: CommentTarget
    old: str | None
    new: str | None

    def reverse(self) -> SetComment:
        return SetComment(self.target, self.new, self.old)


@dataclass(frozen=True, slots=True)
class AlterExtension:
    old: Extension
    new: Extension

    def reverse(self) -> AlterExtension:
        return AlterExtension(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateCollation:
    collation: Collation

    def reverse(self) -> DropCollation:
        return DropCollation(self.collation)


@dataclass(frozen=True, slots=True)
class DropCollation:
    collation: Collation

    def reverse(self) -> CreateCollation:
        return CreateCollation(self.collation)


@dataclass(frozen=True, slots=True)
class ReplaceCollation:
    """A collation under the same name with a new definition (ALTER cannot change it)."""

    old: Collation
    new: Collation

    def reverse(self) -> ReplaceCollation:
        return ReplaceCollation(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateDomain:
    domain: Domain

    def reverse(self) -> DropDomain:
        return DropDomain(self.domain)


@dataclass(frozen=True, slots=True)
class DropDomain:
    domain: Domain

    def reverse(self) -> CreateDomain:
        return CreateDomain(self.domain)


@dataclass(frozen=True, slots=True)
class AlterDomain:
    old: Domain
    new: Domain

    def reverse(self) -> AlterDomain:
        return AlterDomain(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateCompositeType:
    type: CompositeType

    def reverse(self) -> DropCompositeType:
        return DropCompositeType(self.type)


@dataclass(frozen=True, slots=True)
class DropCompositeType:
    type: CompositeType

    def reverse(self) -> CreateCompositeType:
        return CreateCompositeType(self.type)


@dataclass(frozen=True, slots=True)
class AlterCompositeType:
    old: CompositeType
    new: CompositeType

    def reverse(self) -> AlterCompositeType:
        return AlterCompositeType(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateFunction:
    function: Function

    def reverse(self) -> DropFunction:
        return DropFunction(self.function)


@dataclass(frozen=True, slots=True)
class DropFunction:
    function: Function

    def reverse(self) -> CreateFunction:
        return CreateFunction(self.function)


@dataclass(frozen=True, slots=True)
class ReplaceFunction:
    """CREATE OR REPLACE: same signature and result type, new body or attributes."""

    old: Function
    new: Function

    def reverse(self) -> ReplaceFunction:
        return ReplaceFunction(self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateView:
    """A view or materialized view, with a materialized view's indexes and the comments."""

    view: View

    def reverse(self) -> DropView:
        return DropView(self.view)


@dataclass(frozen=True, slots=True)
class DropView:
    view: View

    def reverse(self) -> CreateView:
        return CreateView(self.view)


@dataclass(frozen=True, slots=True)
class CreateTrigger:
    table: QualifiedName
    trigger: Trigger
    fresh: bool = False

    def reverse(self) -> DropTrigger:
        return DropTrigger(self.table, self.trigger, self.fresh)


@dataclass(frozen=True, slots=True)
class DropTrigger:
    table: QualifiedName
    trigger: Trigger
    fresh: bool = False

    def reverse(self) -> CreateTrigger:
        return CreateTrigger(self.table, self.trigger, self.fresh)


@dataclass(frozen=True, slots=True)
class CreateStatistics:
    table: QualifiedName
    statistics: ExtendedStatistics
    fresh: bool = False

    def reverse(self) -> DropStatistics:
        return DropStatistics(self.table, self.statistics, self.fresh)


@dataclass(frozen=True, slots=True)
class DropStatistics:
    table: QualifiedName
    statistics: ExtendedStatistics
    fresh: bool = False

    def reverse(self) -> CreateStatistics:
        return CreateStatistics(self.table, self.statistics, self.fresh)


@dataclass(frozen=True, slots=True)
class SetStatisticsTarget:
    table: QualifiedName
    name: QualifiedName
    old: int | None
    new: int | None

    def reverse(self) -> SetStatisticsTarget:
        return SetStatisticsTarget(self.table, self.name, self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetTriggerEnabled:
    table: QualifiedName
    name: str
    old: str
    new: str

    def reverse(self) -> SetTriggerEnabled:
        return SetTriggerEnabled(self.table, self.name, self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreateRule:
    """CREATE RULE, then its state (unless enabled) and comment. `fresh`: on a relation the
    plan creates, which nobody can be using yet."""

    table: QualifiedName
    rule: Rule
    fresh: bool = False

    def reverse(self) -> DropRule:
        return DropRule(self.table, self.rule, self.fresh)


@dataclass(frozen=True, slots=True)
class DropRule:
    table: QualifiedName
    rule: Rule
    fresh: bool = False

    def reverse(self) -> CreateRule:
        return CreateRule(self.table, self.rule, self.fresh)


@dataclass(frozen=True, slots=True)
class SetRuleEnabled:
    table: QualifiedName
    name: str
    old: str
    new: str

    def reverse(self) -> SetRuleEnabled:
        return SetRuleEnabled(self.table, self.name, self.new, self.old)


@dataclass(frozen=True, slots=True)
class CreatePolicy:
    table: QualifiedName
    policy: Policy
    fresh: bool = False

    def reverse(self) -> DropPolicy:
        return DropPolicy(self.table, self.policy, self.fresh)


@dataclass(frozen=True, slots=True)
class DropPolicy:
    table: QualifiedName
    policy: Policy
    fresh: bool = False

    def reverse(self) -> CreatePolicy:
        return CreatePolicy(self.table, self.policy, self.fresh)


@dataclass(frozen=True, slots=True)
class Grant:
    privilege: Privilege

    def reverse(self) -> Revoke:
        return Revoke(self.privilege)


@dataclass(frozen=True, slots=True)
class Revoke:
    """`from_new_object`: what CREATE gave PUBLIC on an object the plan creates, taken back
    once it exists."""

    privilege: Privilege
    from_new_object: bool = False

    def reverse(self) -> Grant:
        return Grant(self.privilege)


@dataclass(frozen=True, slots=True)
class RenameSchema:
    old: str
    new: str

    def reverse(self) -> RenameSchema:
        return RenameSchema(self.new, self.old)


@dataclass(frozen=True, slots=True)
class RenameTable:
    """Renames a table (`kind` TABLE), view, materialized view or sequence in its schema."""

    old: QualifiedName
    new: QualifiedName
    kind: str = "TABLE"

    def reverse(self) -> RenameTable:
        return RenameTable(self.new, self.old, self.kind)


@dataclass(frozen=True, slots=True)
class RenameColumn:
    table: QualifiedName
    old: str
    new: str

    def reverse(self) -> RenameColumn:
        return RenameColumn(self.table, self.new, self.old)


@dataclass(frozen=True, slots=True)
class RenameConstraint:
    table: QualifiedName
    old: str
    new: str

    def reverse(self) -> RenameConstraint:
        return RenameConstraint(self.table, self.new, self.old)


@dataclass(frozen=True, slots=True)
class RenameIndex:
    schema: str
    old: str
    new: str

    def reverse(self) -> RenameIndex:
        return RenameIndex(self.schema, self.new, self.old)


Operation = (
    CreateSchema
    | DropSchema
    | SetSchemaOwner
    | SetOwner
    | CreateExtension
    | DropExtension
    | CreateEnum
    | DropEnum
    | AddEnumValue
    | KeepEnumValue
    | ReplaceEnum
    | RenameEnumValue
    | CreateSequence
    | DropSequence
    | AlterSequence
    | SetSequenceOwner
    | CreateTable
    | DropTable
    | SaveRows
    | RestoreRows
    | AddColumn
    | DropColumn
    | AlterColumn
    | AddConstraint
    | DropConstraint
    | CreateIndex
    | DropIndex
    | AlterTable
    | SetReplicaIdentity
    | SetClusterIndex
    | SetComment
    | AlterExtension
    | CreateCollation
    | DropCollation
    | ReplaceCollation
    | CreateTextSearchDictionary
    | DropTextSearchDictionary
    | ReplaceTextSearchDictionary
    | AlterTextSearchDictionary
    | CreateTextSearchConfiguration
    | DropTextSearchConfiguration
    | ReplaceTextSearchConfiguration
    | AlterTextSearchMappings
    | CreateDomain
    | DropDomain
    | AlterDomain
    | CreateCompositeType
    | DropCompositeType
    | AlterCompositeType
    | CreateFunction
    | DropFunction
    | ReplaceFunction
    | CreateView
    | DropView
    | CreateTrigger
    | DropTrigger
    | SetTriggerEnabled
    | CreateStatistics
    | DropStatistics
    | SetStatisticsTarget
    | CreateRule
    | DropRule
    | SetRuleEnabled
    | CreatePolicy
    | DropPolicy
    | Grant
    | Revoke
    | RenameSchema
    | RenameTable
    | RenameColumn
    | RenameConstraint
    | RenameIndex
)
