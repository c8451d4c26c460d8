"""The schema model: plain, frozen values produced by both the declarations and the database.

Nothing here does I/O or renders SQL. Expressions (defaults, checks, predicates, view
queries, function definitions) are kept as text; once a model has been through PostgreSQL
(introspection) that text is PostgreSQL's own deparsed form, so equal meaning is equal text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar, cast

T = TypeVar("T")


@dataclass(frozen=True, slots=True, order=True)
class QualifiedName:
    schema: str
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


class ConstraintKind(StrEnum):
    PRIMARY_KEY = "primary key"
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign key"
    CHECK = "check"
    EXCLUDE = "exclude"


class ReferentialAction(StrEnum):
    NO_ACTION = "no action"
    RESTRICT = "restrict"
    CASCADE = "cascade"
    SET_NULL = "set null"
    SET_DEFAULT = "set default"


class IdentityKind(StrEnum):
    ALWAYS = "always"
    BY_DEFAULT = "by default"


@dataclass(frozen=True, slots=True)
class SequenceOptions:
    """Options shared by standalone sequences and identity columns; None = PostgreSQL's default."""

    data_type: str | None = None
    start: int | None = None
    increment: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    cache: int | None = None
    cycle: bool = False


@dataclass(frozen=True, slots=True)
class Identity:
    """An identity column's kind and sequence; `sequence` None means PostgreSQL names it."""

    kind: IdentityKind
    options: SequenceOptions = SequenceOptions()
    sequence: QualifiedName | None = None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    identity: Identity | None = None
    generated: str | None = None
    collation: str | None = None
    comment: str | None = None
    storage: str | None = None
    compression: str | None = None
    statistics: int | None = None
    # Planner settings of the column (`n_distinct=100`), as ALTER COLUMN … SET (…) takes them.
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForeignKeyReference:
    table: QualifiedName
    columns: tuple[str, ...]
    on_delete: ReferentialAction = ReferentialAction.NO_ACTION
    on_update: ReferentialAction = ReferentialAction.NO_ACTION
    match_full: bool = False
    on_delete_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExclusionElement:
    key: str
    is_expression: bool
    operator: str
    opclass: str | None = None
    descending: bool = False
    nulls_first: bool = False


@dataclass(frozen=True, slots=True)
class Constraint:
    """A table constraint. `name` is None only in declarations, where PostgreSQL picks it."""

    name: str | None
    kind: ConstraintKind
    columns: tuple[str, ...] = ()
    expression: str | None = None
    references: ForeignKeyReference | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    nulls_not_distinct: bool = False
    include: tuple[str, ...] = ()
    no_inherit: bool = False
    validated: bool = True
    exclusion_method: str | None = None
    exclusion_elements: tuple[ExclusionElement, ...] = ()
    where: str | None = None
    index_parameters: tuple[str, ...] = ()
    comment: str | None = None
    # A partition's key: the partitioned table's index its index is attached to; a
    # partitioned table's key: made ONLY for the table itself (as Index).
    attached_to: str | None = None
    only: bool = False


@dataclass(frozen=True, slots=True)
class IndexElement:
    key: str
    is_expression: bool = False
    collation: str | None = None
    opclass: str | None = None
    opclass_parameters: tuple[str, ...] = ()
    descending: bool = False
    nulls_first: bool = False


@dataclass(frozen=True, slots=True)
class Index:
    """A standalone index (indexes that back a constraint belong to the constraint).

    `attached_to` names the partitioned table's index a partition's index is attached to,
    where PostgreSQL would not have made it so by itself (planner/partition_indexes.py).
    `only`: a partitioned table's index made ON ONLY the table, to which only the indexes
    declared attached_to it are attached (PostgreSQL holds it invalid till all partitions are).
    """

    name: str | None
    elements: tuple[IndexElement, ...]
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    where: str | None = None
    nulls_not_distinct: bool = False
    storage_parameters: tuple[str, ...] = ()
    comment: str | None = None
    attached_to: str | None = None
    only: bool = False


@dataclass(frozen=True, slots=True)
class Trigger:
    """`definition` is the CREATE TRIGGER statement as PostgreSQL prints it.

    `enabled` is PostgreSQL's code: O (origin and local), D (disabled), R (replica), A (always).
    """

    name: str
    definition: str
    enabled: str = "O"
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A rewrite rule (CREATE RULE) of a table or view, other than a view's own `_RETURN`.

    `definition` is the CREATE RULE statement as PostgreSQL prints it (pg_get_ruledef, without
    its final ';'); `enabled` is PostgreSQL's code, as for triggers: O, D, R or A.
    """

    name: str
    definition: str
    enabled: str = "O"
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    command: str = "all"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Partitioning:
    """How a table is partitioned: `key` is PostgreSQL's `pg_get_partkeydef` text."""

    key: str


@dataclass(frozen=True, slots=True)
class PartitionOf:
    parent: QualifiedName
    bound: str


@dataclass(frozen=True, slots=True)
class ExtendedStatistics:
    """CREATE STATISTICS on a table. `definition` is the statement as PostgreSQL prints it
    (its name qualified); `target` is its ALTER STATISTICS … SET STATISTICS (None: default)."""

    name: QualifiedName
    definition: str
    target: int | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class InheritedColumnSetting:
    """A child's own default or comment on a column it inherits. A parent's default is copied
    to its children when they are made (and when it changes); a child may then keep its own."""

    name: str
    default: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: QualifiedName
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    policies: tuple[Policy, ...] = ()
    rules: tuple[Rule, ...] = ()
    comment: str | None = None
    unlogged: bool = False
    partitioning: Partitioning | None = None
    partition_of: PartitionOf | None = None
    inherits: tuple[QualifiedName, ...] = ()
    storage_parameters: tuple[str, ...] = ()
    row_security: bool = False
    force_row_security: bool = False
    replica_identity: str = "default"
    replica_identity_index: str | None = None
    # The index CLUSTER uses by default (ALTER TABLE … CLUSTER ON).
    cluster_on: str | None = None
    # Inherited columns (of a partition or inheriting table) that this table keeps NOT NULL
    # though no parent does: left behind by a dropped primary key, or declared for the child.
    inherited_not_null: tuple[str, ...] = ()
    # By column name; a column appears only with a setting of its own.
    inherited_settings: tuple[InheritedColumnSetting, ...] = ()
    statistics: tuple[ExtendedStatistics, ...] = ()

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)

    @property
    def parents(self) -> tuple[QualifiedName, ...]:
        """The tables this one derives from: its partitioned table, or those it inherits."""
        parent = () if self.partition_of is None else (self.partition_of.parent,)
        return parent + self.inherits


@dataclass(frozen=True, slots=True)
class EnumType:
    name: QualifiedName
    values: tuple[str, ...]
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Collation:
    """A collation made with CREATE COLLATION. `locale` is the ICU (or builtin) locale; libc
    collations name `lc_collate` and `lc_ctype` instead."""

    name: QualifiedName
    provider: str = "libc"
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None
    comment: str | None = None


OptionValue = str | int | float


@dataclass(frozen=True, slots=True)
class TextSearchDictionary:
    """CREATE TEXT SEARCH DICTIONARY. `template` is SQL text: qualified once PostgreSQL has
    resolved it, as declared (validated and quoted) before. `options` are the template's
    settings as (name, value) pairs in the order PostgreSQL keeps them, which pg_dump prints
    (it means nothing otherwise). A value is text, or a number where it was written as one:
    PostgreSQL keeps that apart too (`maxlen = 4`, `accept = 'false'`)."""

    name: QualifiedName
    template: str
    options: tuple[tuple[str, OptionValue], ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class TextSearchConfiguration:
    """CREATE TEXT SEARCH CONFIGURATION. `parser` and the dictionary names are SQL text as for
    dictionaries' templates; `mappings` pairs each mapped token type (the parser's alias) with
    its dictionaries in the order they are consulted, sorted by the parser's token id once
    read from PostgreSQL."""

    name: QualifiedName
    parser: str
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class DomainCheck:
    name: str | None
    expression: str
    validated: bool = True


@dataclass(frozen=True, slots=True)
class Domain:
    name: QualifiedName
    base_type: str
    not_null: bool = False
    default: str | None = None
    collation: str | None = None
    checks: tuple[DomainCheck, ...] = ()
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class CompositeAttribute:
    name: str
    type: str
    collation: str | None = None


@dataclass(frozen=True, slots=True)
class CompositeType:
    name: QualifiedName
    attributes: tuple[CompositeAttribute, ...]
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Sequence:
    name: QualifiedName
    options: SequenceOptions = SequenceOptions()
    owned_by: tuple[QualifiedName, str] | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class ViewColumn:
    name: str
    type: str
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class View:
    """A view or materialized view; `query` is PostgreSQL's deparsed SELECT."""

    name: QualifiedName
    query: str
    materialized: bool = False
    options: tuple[str, ...] = ()
    check_option: str | None = None
    columns: tuple[ViewColumn, ...] = ()
    indexes: tuple[Index, ...] = ()
    comment: str | None = None
    # INSTEAD OF triggers (views) and statement triggers; created after the view itself.
    triggers: tuple[Trigger, ...] = ()
    # Rules (ON INSERT/UPDATE/DELETE … DO INSTEAD …); created after the view, always enabled.
    rules: tuple[Rule, ...] = ()
    # A materialized view's index CLUSTER uses by default, as for tables.
    cluster_on: str | None = None


@dataclass(frozen=True, slots=True)
class Function:
    """A function, procedure or aggregate; `definition` is the complete CREATE statement.

    `arguments` is PostgreSQL's identity argument list, which tells overloads apart; it is
    None only in declarations, before PostgreSQL has read the definition.
    """

    name: QualifiedName
    arguments: str | None
    definition: str
    kind: str = "function"
    result: str | None = None
    comment: str | None = None

    @property
    def signature(self) -> str:
        return f"{self.name}({self.arguments or ''})"


@dataclass(frozen=True, slots=True)
class Extension:
    name: str
    schema: str = "public"
    version: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class SchemaNamespace:
    """A schema; `owner` (a quoted role name) is managed only where declared (else None)."""

    name: str
    comment: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Privilege:
    """One privilege held by a role other than the object's owner.

    `object_kind` is GRANT's keyword (TABLE, SEQUENCE, FUNCTION, PROCEDURE, TYPE, DOMAIN,
    SCHEMA, or COLUMN with `member` naming the column); `member` is a function's identity
    arguments. `grantee` is a quoted role name or PUBLIC.
    """

    object_kind: str
    object_name: QualifiedName
    member: str
    grantee: str
    privilege: str
    grantable: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Ownership:
    """Who owns an object; managed only where declared (introspection reads every owner).

    `object_kind` is ALTER's keyword (TABLE, VIEW, MATERIALIZED VIEW, SEQUENCE, FUNCTION,
    PROCEDURE, AGGREGATE, TYPE or DOMAIN); `member` is a routine's arguments (identity
    arguments once PostgreSQL has read them, as written in declarations). `owner` is a quoted
    role name.
    """

    object_kind: str
    object_name: QualifiedName
    member: str
    owner: str


@dataclass(frozen=True, slots=True)
class RenameHint:
    """A declared `renamed_from`: `kind` is schema, table, column, index, constraint or enum
    value; `scope` is what contains the object (the schema, or the table / enum name)."""

    kind: str
    scope: str
    old: str
    new: str


ObjectKey = tuple[str, str, str, str]
"""(kind, schema, name, member): kind is relation, column, type or function; member is the
column name or the function's identity arguments, else empty."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the planner manages in one database, each collection sorted by name."""

    schemas: tuple[SchemaNamespace, ...] = ()
    extensions: tuple[Extension, ...] = ()
    collations: tuple[Collation, ...] = ()
    text_search_dictionaries: tuple[TextSearchDictionary, ...] = ()
    text_search_configurations: tuple[TextSearchConfiguration, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composite_types: tuple[CompositeType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    functions: tuple[Function, ...] = ()
    privileges: tuple[Privilege, ...] = ()
    owners: tuple[Ownership, ...] = ()
    explicit_privileges: frozenset[tuple[str, QualifiedName, str]] = field(
        default=frozenset(), compare=False
    )
    dependencies: tuple[tuple[ObjectKey, ObjectKey], ...] = field(default=(), compare=False)
    server_version: int = field(default=0, compare=False)
    # The role that read the catalog (quoted): what owns the objects nobody handed over.
    reader: str | None = field(default=None, compare=False)
    # Values computed from the catalog once (it never changes), kept as long as it lives.
    _derived: dict[str, object] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_derived", {})

    def derived(self, name: str, build: Callable[[Catalog], T]) -> T:
        if name not in self._derived:
            self._derived[name] = build(self)
        return cast(T, self._derived[name])

    # Plans look tables up by name for each table they touch: a scan per lookup made planning
    # quadratic in the number of tables.
    def table(self, name: QualifiedName) -> Table | None:
        return self.derived("tables by name", _tables_by_name).get(name)

    def view(self, name: QualifiedName) -> View | None:
        return self.derived("views by name", _views_by_name).get(name)

    def descendants(self, names: set[QualifiedName]) -> set[QualifiedName]:
        """The tables that derive from the tables named, at any level."""
        found: set[QualifiedName] = set()
        while True:
            known = names | found
            children = {
                table.name
                for table in self.tables
                if table.name not in known and known.intersection(table.parents)
            }
            if not children:
                return found
            found |= children


def _tables_by_name(catalog: Catalog) -> Mapping[QualifiedName, Table]:
    return {table.name: table for table in catalog.tables}


def _views_by_name(catalog: Catalog) -> Mapping[QualifiedName, View]:
    return {view.name: view for view in catalog.views}
