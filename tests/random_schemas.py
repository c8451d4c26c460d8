"""Random pairs of declarations (A, B) for the convergence test.

A small mutable model of a schema (tables, columns, keys, checks, indexes, enums and views in
one or two PostgreSQL schemas) is drawn with constructive edits, copied, and changed into B
with edits of every kind; both sides render to the YAML the planner reads. Objects keep a
stable key, so a rename in B is a new name on the same object (rendered with `renamed_from`)
and every expression is rendered from the current names.

Each column type has one sample value that satisfies every check, key and foreign key the
generator makes, so one row per table can sit in the database while B is applied. The edits
keep B loadable *and* applicable to that row: a column added to a table that has a row gets
the sample as its default or may hold NULL (then it is never made NOT NULL, part of a primary
key or given an identity), and a new foreign key from a table that has a row only uses
existing columns when the referenced row is there too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from hypothesis import strategies as st

# --- names --------------------------------------------------------------------------------

TABLE_NAMES = ("accounts", "orders", "items", "events", "invoices", "Order", "user", "Group")
COLUMN_NAMES = (
    "id", "name", "amount", "created_at", "status", "code", "note", "price", "quantity",
    "owner_id", "data", "flag", "Value", "user", "order", "from", "total", "label",
)  # fmt: skip
VIEW_NAMES = ("recent", "summary", "Report", "select")
ENUM_NAMES = ("mood", "stage", "Priority")
ENUM_VALUES = ("low", "mid", "high", "new", "done", "it's", "Mixed Case")
SECOND_SCHEMAS = ("inventory", "Sales")
ON_DELETE = ("no action", "restrict", "cascade", "set null", "set default")

_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
# The reserved words among the names above: PostgreSQL reads them as keywords unless quoted.
_RESERVED = frozenset({"user", "order", "from", "select", "group"})


def ident(name: str) -> str:
    """The name as SQL text: bare when PostgreSQL would read it back unchanged."""
    if _PLAIN_NAME.match(name) and name not in _RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _stem(name: str) -> str:
    """A lower-case ASCII stem for the names the generator derives from a table name."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "t"


# --- types --------------------------------------------------------------------------------

INTEGER_TYPES = ("smallint", "integer", "bigint")
SIMPLE_TYPES = (
    *INTEGER_TYPES, "text", "varchar(8)", "varchar(20)", "numeric(12,2)", "numeric(20,0)",
    "boolean", "timestamptz", "date", "jsonb", "uuid", "bytea", "text[]",
)  # fmt: skip

SAMPLES = {
    "integer": "1",
    "numeric": "1",
    "text": "'x'",
    "boolean": "true",
    "timestamptz": "'2024-01-02 03:04:05+00'",
    "date": "'2024-01-02'",
    "jsonb": "'{}'",
    "uuid": "'00000000-0000-0000-0000-000000000001'",
    "bytea": "'\\x01'",
    "text[]": "'{x}'",
}
SAMPLE_DEFAULTS: dict[str, Any] = {**SAMPLES, "integer": 1, "numeric": 1, "boolean": True}
DEFAULTS: dict[str, tuple[Any, ...]] = {
    "integer": (0, 1, 42, -1),
    "numeric": (0, 1, "1.50", 0.5),
    "text": ("'x'", "''", "'it''s'"),
    "boolean": (True, False),
    "timestamptz": ("now()", "CURRENT_TIMESTAMP", "'2024-01-02 03:04:05+00'"),
    "date": ("CURRENT_DATE", "'2024-01-02'"),
    "jsonb": ("'{}'", "'[]'::jsonb"),
    "uuid": ("gen_random_uuid()",),
    "bytea": ("'\\x'",),
    "text[]": ("'{}'", "ARRAY[]::text[]"),
}
KEY_FAMILIES = ("integer", "text", "uuid")
NUMERIC_FAMILIES = ("integer", "numeric")
HASH_FAMILIES = ("integer", "text", "uuid", "date")
BRIN_FAMILIES = ("integer", "numeric", "text", "date", "timestamptz", "uuid")


def family_of(type_text: str) -> str:
    if type_text in INTEGER_TYPES:
        return "integer"
    if type_text.startswith("numeric"):
        return "numeric"
    if type_text == "text" or type_text.startswith("varchar"):
        return "text"
    return type_text


def type_changes(type_text: str, *, in_foreign_key: bool, identity: bool) -> list[str]:
    """Types PostgreSQL casts this type to (`USING column::type`) and that keep the
    generator's checks, index expressions, foreign keys and sample value valid."""
    family = family_of(type_text)
    if family == "integer":
        changes = [name for name in INTEGER_TYPES if name != type_text]
        if not (in_foreign_key or identity):
            changes += ["numeric(20,0)", "numeric(12,2)"]
        return changes
    if family == "numeric" and not in_foreign_key:
        return [name for name in ("numeric(20,0)", "numeric(24,4)", "bigint") if name != type_text]
    if family == "text":
        widths = [f"varchar({n})" for n in (20, 64)]
        if type_text.startswith("varchar"):
            widths = [w for w in widths if int(w[8:-1]) > int(type_text[8:-1])]
        return ["text", *widths] if type_text != "text" else widths
    if family == "date":
        return ["timestamptz"]
    return []


# --- the model ----------------------------------------------------------------------------


@dataclass(kw_only=True)
class Item:
    """An object with a stable key; `original` is its name when it was created."""

    key: int
    name: str | None
    in_a: bool
    original: str | None = None

    def __post_init__(self) -> None:
        self.original = self.name

    def renamed_from(self) -> str | None:
        if self.in_a and self.original is not None and self.name != self.original:
            return self.original
        return None


@dataclass(kw_only=True)
class Column(Item):
    name: str
    type: str = ""
    enum: int | None = None
    nullable: bool = True
    default: Any = None
    identity: str | None = None
    comment: str | None = None
    shorthand: bool = False
    may_hold_null: bool = False


@dataclass(frozen=True)
class Predicate:
    """SQL text with `{0}`, `{1}` where the columns' current names go."""

    template: str
    columns: tuple[int, ...]


@dataclass(kw_only=True)
class Key(Item):
    primary: bool
    columns: list[int]


@dataclass(kw_only=True)
class ForeignKey(Item):
    columns: list[int]
    target: int
    target_columns: list[int]
    on_delete: str
    name_target_columns: bool = True


@dataclass(kw_only=True)
class Check(Item):
    predicate: Predicate


@dataclass(frozen=True)
class Element:
    column: int
    lower: bool = False
    descending: bool = False


@dataclass(kw_only=True)
class Index(Item):
    elements: list[Element]
    unique: bool = False
    method: str = "btree"
    where: Predicate | None = None


@dataclass(kw_only=True)
class Table(Item):
    name: str
    schema: str
    columns: list[Column] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    comment: str | None = None

    def column(self, key: int) -> Column:
        return next(column for column in self.columns if column.key == key)

    def has(self, key: int) -> bool:
        return any(column.key == key for column in self.columns)

    @property
    def primary_key(self) -> Key | None:
        return next((key for key in self.keys if key.primary), None)

    def sql_name(self) -> str:
        return f"{ident(self.schema)}.{ident(self.name)}"


@dataclass(kw_only=True)
class Enum(Item):
    name: str
    schema: str
    values: list[str]
    renamed_values: dict[str, str] = field(default_factory=dict)
    """Value → the A value it was renamed from."""


@dataclass(kw_only=True)
class View(Item):
    name: str
    schema: str
    table: int
    columns: list[int]
    where: Predicate | None = None
    qualify: bool = True


@dataclass
class State:
    schemas: list[str] = field(default_factory=lambda: ["public"])
    enums: dict[int, Enum] = field(default_factory=dict)
    tables: dict[int, Table] = field(default_factory=dict)
    views: dict[int, View] = field(default_factory=dict)
    counter: int = 0
    in_a: bool = True
    avoid: frozenset[str] = frozenset()
    """Known planner bugs (names in KNOWN_PLANNER_BUGS) the edits steer around."""
    a_view_uses: set[int] = field(default_factory=set)
    """Keys of the tables and columns A's views use."""
    a_names: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """(kind, scope, name) → key of each object A has: B never renames an object to one of
    these names (a hint applies only when its new name is free), and creates none with the
    name of an object it dropped (that would change the object, not make a new one)."""

    def a_names_in(self, kind: str, scope: str, *, dropped_only: bool = False) -> set[str]:
        return {
            name
            for (k, s, name), key in self.a_names.items()
            if (k, s) == (kind, scope) and not (dropped_only and self.exists(key))
        }

    def exists(self, key: int) -> bool:
        if key in self.tables or key in self.views or key in self.enums:
            return True
        return any(table.has(key) for table in self.tables.values())

    def next_key(self) -> int:
        self.counter += 1
        return self.counter

    def tables_in(self, schema: str) -> list[Table]:
        return [table for table in self.tables.values() if table.schema == schema]

    def relation_names(self, schema: str) -> set[str]:
        names = {t.name for t in self.tables_in(schema)}
        names |= {v.name for v in self.views.values() if v.schema == schema}
        return names | {
            i.name for t in self.tables_in(schema) for i in t.indexes if i.name is not None
        }

    def family(self, column: Column) -> str:
        return "enum" if column.enum is not None else family_of(column.type)

    def type_text(self, column: Column) -> str:
        if column.enum is None:
            return column.type
        # Unqualified even outside public: a type declared beside the table resolves there.
        return ident(self.enums[column.enum].name)

    def view_uses(self) -> set[int]:
        """Keys of the tables and columns A's and B's views use."""
        uses = set(self.a_view_uses)
        for view in self.views.values():
            uses |= {view.table, *view.columns, *(view.where.columns if view.where else ())}
        return uses

    def has_row(self, table: Table) -> bool:
        """Whether the test puts a row into the table before B is applied."""
        return table.in_a

    def holds_value(self, table: Table, column: Column) -> bool:
        """Whether the table's row (if any) has a non-NULL value in the column."""
        return self.has_row(table) and not column.may_hold_null

    def pinned(self, table: Table, column: Column) -> bool:
        """A column B adds to a table with a row: its default fills the row, so it stays."""
        return self.has_row(table) and not column.in_a


# --- drawing helpers ----------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]
T = TypeVar("T")


def one_of(draw: Draw, items: Sequence[T]) -> T:
    """One of a non-empty sequence."""
    chosen: T = draw(st.sampled_from(items))
    return chosen


def choose(draw: Draw, items: Iterable[T]) -> T | None:
    """One of the items, or None when there are none."""
    candidates = list(items)
    if not candidates:
        return None
    chosen: T = draw(st.sampled_from(candidates))
    return chosen


def fresh_name(draw: Draw, pool: tuple[str, ...], taken: set[str], stem: str) -> str:
    """A name from the pool that is not taken, else `stem` with a number."""
    free = [name for name in pool if name not in taken]
    if free and draw(st.integers(0, 4)):
        return str(draw(st.sampled_from(free)))
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def sample_literal(state: State, column: Column) -> str:
    if column.enum is not None:
        return literal(state.enums[column.enum].values[0])
    return SAMPLES[family_of(column.type)]


def sample_default(state: State, column: Column) -> Any:
    if column.enum is not None:
        return literal(state.enums[column.enum].values[0])
    return SAMPLE_DEFAULTS[family_of(column.type)]


def generated_name(state: State, table: Table, kind: str) -> str:
    return f"{_stem(table.name)}_{kind}{state.next_key()}"


# --- constructive edits (A is made of these) -----------------------------------------------


def draw_type(draw: Draw, state: State, schema: str) -> tuple[str, int | None]:
    enums = [enum for enum in state.enums.values() if enum.schema == schema]
    if enums and draw(st.integers(0, 5)) == 0:
        return "", one_of(draw, enums).key
    return str(draw(st.sampled_from(SIMPLE_TYPES))), None


def add_column(
    draw: Draw,
    state: State,
    table: Table,
    type_text: str | None = None,
    *,
    name: str | None = None,
    key_part: bool = False,
) -> Column | None:
    if len(table.columns) >= 8:
        return None
    taken = {c.name for c in table.columns} | state.a_names_in(
        "column", str(table.key), dropped_only=True
    )
    name = name if name is not None and name not in taken else None
    name = name or fresh_name(draw, COLUMN_NAMES, taken, "c")
    enum = None
    if type_text is None:
        type_text, enum = draw_type(draw, state, table.schema)
    column = Column(key=state.next_key(), name=name, in_a=state.in_a, type=type_text, enum=enum)
    column.shorthand = draw(st.booleans())
    column.nullable = not key_part and draw(st.booleans())
    if family_of(type_text) == "integer" and draw(st.integers(0, 3)) == 0:
        column.identity = draw(st.sampled_from(("always", "by default")))
    elif state.has_row(table) and not state.in_a:
        # The existing row gets the default: the sample, or NULL.
        if not column.nullable or draw(st.booleans()):
            column.default = sample_default(state, column)
        else:
            column.may_hold_null = True
    elif draw(st.booleans()):
        column.default = draw_default(draw, state, column)
    position = draw(st.integers(0, len(table.columns))) if table.columns else 0
    table.columns.insert(position, column)
    return column


def draw_default(draw: Draw, state: State, column: Column) -> Any:
    if column.enum is not None:
        return literal(one_of(draw, state.enums[column.enum].values))
    return draw(st.sampled_from(DEFAULTS[family_of(column.type)]))


def add_table(draw: Draw, state: State) -> None:
    schema = one_of(draw, state.schemas)
    taken = state.relation_names(schema) | state.a_names_in("relation", schema, dropped_only=True)
    name = fresh_name(draw, TABLE_NAMES, taken, "table")
    table = Table(key=state.next_key(), name=name, schema=schema, in_a=state.in_a)
    state.tables[table.key] = table
    if draw(st.integers(0, 4)):
        id_type = draw(st.sampled_from(("integer", "bigint", "text", "uuid")))
        first = add_column(draw, state, table, id_type, name="id", key_part=True)
        assert first is not None
        pk_name = generated_name(state, table, "pk") if draw(st.booleans()) else None
        table.keys.append(
            Key(
                key=state.next_key(),
                name=pk_name,
                in_a=state.in_a,
                primary=True,
                columns=[first.key],
            )
        )
    for _ in range(draw(st.integers(1, 4))):
        add_column(draw, state, table)
    if draw(st.integers(0, 2)) == 0:
        table.comment = draw(st.sampled_from(("Main records", "it's a table")))


def pick_table(draw: Draw, state: State) -> Table | None:
    return choose(draw, sorted(state.tables.values(), key=lambda table: table.key))


def pick_columns(
    draw: Draw, table: Table, families: tuple[str, ...] | None, state: State, most: int = 2
) -> list[Column]:
    candidates = [c for c in table.columns if families is None or state.family(c) in families]
    if not candidates:
        return []
    count = draw(st.integers(1, min(most, len(candidates))))
    chosen = draw(st.permutations(candidates))[:count]
    return list(chosen)


def add_unique(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    columns = pick_columns(draw, table, ("integer", "text", "uuid", "date", "numeric"), state)
    keys = [column.key for column in columns]
    if not keys or any(set(existing.columns) == set(keys) for existing in table.keys):
        return
    name = generated_name(state, table, "uq") if draw(st.booleans()) else None
    table.keys.append(
        Key(key=state.next_key(), name=name, in_a=state.in_a, primary=False, columns=keys)
    )


def add_primary_key(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None or table.primary_key is not None:
        return
    columns = [c for c in pick_columns(draw, table, KEY_FAMILIES, state) if not c.may_hold_null]
    keys = [column.key for column in columns]
    if not keys or any(set(existing.columns) == set(keys) for existing in table.keys):
        return
    name = generated_name(state, table, "pk") if draw(st.booleans()) else None
    table.keys.insert(
        0, Key(key=state.next_key(), name=name, in_a=state.in_a, primary=True, columns=keys)
    )


def change_primary_key(draw: Draw, state: State) -> None:
    """Other columns for the primary key (foreign keys that reference it go with it)."""
    table = pick_table(draw, state)
    old = table.primary_key if table else None
    if table is None or old is None:
        return
    columns = [c for c in pick_columns(draw, table, KEY_FAMILIES, state) if not c.may_hold_null]
    keys = [column.key for column in columns]
    if not keys or any(set(existing.columns) == set(keys) for existing in table.keys):
        return
    table.keys.remove(old)
    remove_foreign_keys_to(state, table.key, old)
    name = old.name if draw(st.booleans()) else generated_name(state, table, "pk")
    table.keys.insert(
        0, Key(key=state.next_key(), name=name, in_a=False, primary=True, columns=keys)
    )


def compatible(state: State, local: Column, target: Column) -> bool:
    return state.family(local) == state.family(target) and local.enum == target.enum


def add_foreign_key(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    targets = [
        (other, key)
        for other in state.tables_in(table.schema)
        for key in other.keys
        if all(state.family(other.column(k)) in KEY_FAMILIES for k in key.columns)
    ]
    if not targets:
        return
    target, key = one_of(draw, targets)
    target_columns = [target.column(k) for k in key.columns]
    # The row (if any) must find its referenced row: else the columns are new and NULL.
    reuse = not state.has_row(table) or all(
        state.holds_value(target, column) for column in target_columns
    )
    local: list[int] = []
    for wanted in target_columns:
        found = [c for c in table.columns if compatible(state, c, wanted) and c.key not in local]
        if reuse and found and draw(st.booleans()):
            column = choose(draw, found)
        else:
            column = new_reference_column(draw, state, table, target, wanted)
        if column is None:
            return
        local.append(column.key)
    name = generated_name(state, table, "fk") if draw(st.booleans()) else None
    table.foreign_keys.append(
        ForeignKey(
            key=state.next_key(),
            name=name,
            in_a=state.in_a,
            columns=local,
            target=target.key,
            target_columns=list(key.columns),
            on_delete=draw(st.sampled_from(ON_DELETE)),
            name_target_columns=not key.primary or draw(st.booleans()),
        )
    )


def new_reference_column(
    draw: Draw, state: State, table: Table, target: Table, wanted: Column
) -> Column | None:
    type_text = wanted.type if wanted.enum is None else ""
    if type_text in INTEGER_TYPES or type_text.startswith("varchar"):
        type_text = draw(
            st.sampled_from((type_text, "bigint" if type_text in INTEGER_TYPES else "text"))
        )
    if len(table.columns) >= 8:
        return None
    taken = {c.name for c in table.columns} | state.a_names_in(
        "column", str(table.key), dropped_only=True
    )
    name = fresh_name(draw, (), taken, f"{_stem(target.name)}_{_stem(wanted.name)}")
    column = Column(
        key=state.next_key(), name=name, in_a=state.in_a, type=type_text, enum=wanted.enum
    )
    column.may_hold_null = state.has_row(table) and not state.in_a
    table.columns.append(column)
    return column


CHECK_TEMPLATES = ("{0} >= 0", "{0} > 0", "{0} < 1000000", "{0} <> -1", "{0} BETWEEN 0 AND 100")


def add_check(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    columns = pick_columns(draw, table, NUMERIC_FAMILIES, state)
    if not columns:
        return
    if len(columns) == 2:
        predicate = Predicate("{0} <= {1}", (columns[0].key, columns[1].key))
    else:
        predicate = Predicate(draw(st.sampled_from(CHECK_TEMPLATES)), (columns[0].key,))
    if any(check.predicate == predicate for check in table.checks):
        return
    name = generated_name(state, table, "ck") if draw(st.booleans()) else None
    table.checks.append(
        Check(key=state.next_key(), name=name, in_a=state.in_a, predicate=predicate)
    )


def draw_predicate(draw: Draw, state: State, table: Table) -> Predicate | None:
    column = one_of(draw, table.columns)
    family = state.family(column)
    templates = ["{0} IS NOT NULL"]
    if family in NUMERIC_FAMILIES:
        templates.append("{0} > 0")
    elif family == "text":
        templates.append("{0} <> ''")
    elif family == "boolean":
        templates += ["{0}", "NOT {0}"]
    return Predicate(draw(st.sampled_from(templates)), (column.key,))


def draw_elements(draw: Draw, state: State, table: Table, method: str) -> list[Element]:
    families = {"hash": HASH_FAMILIES, "brin": BRIN_FAMILIES}.get(method)
    columns = pick_columns(draw, table, families, state, most=1 if method == "hash" else 3)
    elements = []
    for column in columns:
        lower = method != "brin" and state.family(column) == "text" and draw(st.booleans())
        descending = method == "btree" and not lower and draw(st.integers(0, 3)) == 0
        elements.append(Element(column.key, lower, descending))
    return elements


def add_index(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    method = draw(st.sampled_from(("btree", "btree", "hash", "brin")))
    elements = draw_elements(draw, state, table, method)
    if not elements:
        return
    index = Index(
        key=state.next_key(),
        name=generated_name(state, table, "ix") if draw(st.integers(0, 4)) else None,
        in_a=state.in_a,
        elements=elements,
        unique=method == "btree" and draw(st.booleans()),
        method=method,
        where=draw_predicate(draw, state, table) if draw(st.integers(0, 2)) == 0 else None,
    )
    same = (index.elements, index.unique, index.method, index.where)
    if any((i.elements, i.unique, i.method, i.where) == same for i in table.indexes):
        return
    table.indexes.append(index)


def add_enum(draw: Draw, state: State) -> None:
    schema = one_of(draw, state.schemas)
    taken = {e.name for e in state.enums.values() if e.schema == schema}
    taken |= state.a_names_in("type", schema, dropped_only=True)
    name = fresh_name(draw, ENUM_NAMES, taken, "kind")
    values = list(draw(st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=3, unique=True)))
    enum = Enum(key=state.next_key(), name=name, schema=schema, in_a=state.in_a, values=values)
    state.enums[enum.key] = enum


def add_view(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    columns = pick_columns(draw, table, None, state, most=3)
    taken = state.relation_names(table.schema)
    taken |= state.a_names_in("relation", table.schema, dropped_only=True)
    view = View(
        key=state.next_key(),
        name=fresh_name(draw, VIEW_NAMES, taken, "view"),
        schema=table.schema,
        in_a=state.in_a,
        table=table.key,
        columns=[column.key for column in columns],
        where=draw_predicate(draw, state, table) if draw(st.booleans()) else None,
        qualify=table.schema != "public" or draw(st.booleans()),
    )
    state.views[view.key] = view


def add_column_edit(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is not None:
        add_column(draw, state, table)


CONSTRUCTIVE = (
    add_column_edit, add_index, add_check, add_unique, add_foreign_key, add_view,
    add_primary_key, add_table, add_enum,
)  # fmt: skip


# --- removals (B) -------------------------------------------------------------------------


def remove_foreign_keys_to(state: State, table_key: int, key: Key | None = None) -> None:
    """Foreign keys referencing the table (or only its `key`) go with what they reference."""
    for table in state.tables.values():
        table.foreign_keys = [
            fk
            for fk in table.foreign_keys
            if fk.target != table_key or (key is not None and fk.target_columns != key.columns)
        ]


def drop_table(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    del state.tables[table.key]
    remove_foreign_keys_to(state, table.key)
    state.views = {k: v for k, v in state.views.items() if v.table != table.key}


def drop_column(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None or len(table.columns) < 2:
        return
    column = one_of(draw, table.columns)
    table.columns.remove(column)
    for key in [key for key in table.keys if column.key in key.columns]:
        table.keys.remove(key)
        remove_foreign_keys_to(state, table.key, key)
    table.foreign_keys = [fk for fk in table.foreign_keys if column.key not in fk.columns]
    table.checks = [c for c in table.checks if column.key not in c.predicate.columns]
    table.indexes = [i for i in table.indexes if column.key not in _index_columns(i)]
    for view in [v for v in state.views.values() if v.table == table.key]:
        view.columns = [key for key in view.columns if key != column.key]
        if view.where is not None and column.key in view.where.columns:
            view.where = None
        if not view.columns:
            del state.views[view.key]


def _index_columns(index: Index) -> set[int]:
    keys = {element.column for element in index.elements}
    return keys | set(index.where.columns if index.where else ())


def drop_constraint(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    kind = draw(st.sampled_from(("key", "foreign key", "check", "index")))
    if kind == "key" and table.keys:
        key = one_of(draw, table.keys)
        table.keys.remove(key)
        remove_foreign_keys_to(state, table.key, key)
    elif kind == "foreign key" and table.foreign_keys:
        table.foreign_keys.remove(one_of(draw, table.foreign_keys))
    elif kind == "check" and table.checks:
        table.checks.remove(one_of(draw, table.checks))
    elif kind == "index" and table.indexes:
        table.indexes.remove(one_of(draw, table.indexes))


def drop_view(draw: Draw, state: State) -> None:
    view = choose(draw, sorted(state.views))
    if view is not None:
        del state.views[view]


def drop_enum(draw: Draw, state: State) -> None:
    used = {c.enum for t in state.tables.values() for c in t.columns}
    enum = choose(draw, sorted(key for key in state.enums if key not in used))
    if enum is not None:
        del state.enums[enum]


# --- changes (B) --------------------------------------------------------------------------


def pick_column(draw: Draw, state: State) -> tuple[Table, Column] | None:
    table = pick_table(draw, state)
    column = choose(draw, table.columns) if table else None
    return (table, column) if table and column else None


def in_foreign_key(state: State, table: Table, column: Column) -> bool:
    if any(column.key in fk.columns for fk in table.foreign_keys):
        return True
    return any(
        fk.target == table.key and column.key in fk.target_columns
        for other in state.tables.values()
        for fk in other.foreign_keys
    )


def change_type(draw: Draw, state: State) -> None:
    candidates = [
        (table, column, changes)
        for table in sorted(state.tables.values(), key=lambda table: table.key)
        for column in table.columns
        if column.enum is None
        and (
            changes := type_changes(
                column.type,
                in_foreign_key=in_foreign_key(state, table, column),
                identity=column.identity is not None,
            )
        )
    ]
    picked = choose(draw, candidates)
    if picked is None:
        return
    table, column, changes = picked
    column.type = one_of(draw, changes)
    if column.default is not None and not state.pinned(table, column):
        column.default = draw(
            st.sampled_from((column.default, None, sample_default(state, column)))
        )


def change_nullable(draw: Draw, state: State) -> None:
    picked = pick_column(draw, state)
    if picked is not None and not picked[1].may_hold_null:
        column = picked[1]
        column.nullable = not column.nullable
        column.shorthand = False


def change_default(draw: Draw, state: State) -> None:
    picked = pick_column(draw, state)
    if picked is None:
        return
    table, column = picked
    if column.identity is not None or state.pinned(table, column):
        return
    options = [None, draw_default(draw, state, column)]
    column.default = draw(st.sampled_from([o for o in options if o != column.default] or [None]))
    column.shorthand = False


def change_identity(draw: Draw, state: State) -> None:
    picked = pick_column(draw, state)
    if picked is None:
        return
    table, column = picked
    if family_of(column.type) != "integer" or column.may_hold_null:
        return
    kinds = [kind for kind in (None, "always", "by default") if kind != column.identity]
    column.identity = draw(st.sampled_from(kinds))
    if column.identity is not None:
        column.default = None
    elif state.pinned(table, column):
        column.default = sample_default(state, column)
    column.shorthand = False


def change_foreign_key(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is not None and table.foreign_keys:
        fk = one_of(draw, table.foreign_keys)
        fk.on_delete = draw(st.sampled_from([a for a in ON_DELETE if a != fk.on_delete]))


def change_index(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None or not table.indexes:
        return
    index = one_of(draw, table.indexes)
    if draw(st.booleans()) and index.method == "btree":
        index.unique = not index.unique
    else:
        index.where = None if index.where else draw_predicate(draw, state, table)


def change_view(draw: Draw, state: State) -> None:
    view = choose(draw, sorted(state.views.values(), key=lambda v: v.key))
    if view is None:
        return
    table = state.tables[view.table]
    if draw(st.booleans()):
        view.where = None if view.where else draw_predicate(draw, state, table)
    else:
        view.columns = [column.key for column in pick_columns(draw, table, None, state, most=3)]


def add_enum_value(draw: Draw, state: State) -> None:
    enum = choose(draw, sorted(state.enums.values(), key=lambda e: e.key))
    if enum is None:
        return
    free = [value for value in ENUM_VALUES if value not in enum.values]
    if free:
        position = draw(st.integers(0, len(enum.values)))
        enum.values.insert(position, one_of(draw, free))


def rename_enum_value(draw: Draw, state: State) -> None:
    enum = choose(draw, sorted((e for e in state.enums.values() if e.in_a), key=lambda e: e.key))
    if enum is None:
        return
    a_values = {enum.renamed_values.get(value, value) for value in enum.values}
    candidates = [v for v in enum.values if v in a_values or v in enum.renamed_values]
    old = choose(draw, candidates)
    if old is None:
        return
    taken = set(enum.values) | a_values
    new = fresh_name(draw, ENUM_VALUES, taken, "value")
    enum.values[enum.values.index(old)] = new
    origin = enum.renamed_values.pop(old, old)
    if new != origin:
        enum.renamed_values[new] = origin
    replace_enum_default(state, enum, old, new)


def replace_enum_default(state: State, enum: Enum, old: str, new: str) -> None:
    """Defaults name enum values: they follow a renamed or removed value."""
    for table in state.tables.values():
        for column in table.columns:
            if column.enum == enum.key and column.default == literal(old):
                column.default = literal(new)


def change_comment(draw: Draw, state: State) -> None:
    picked = pick_column(draw, state)
    if picked is None:
        return
    table, column = picked
    if draw(st.booleans()):
        table.comment = None if table.comment else "Changed"
    else:
        column.comment = None if column.comment else "A note"
        column.shorthand = False


# --- renames (B) --------------------------------------------------------------------------


def rename_table(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    if table is None:
        return
    taken = state.relation_names(table.schema) | state.a_names_in("relation", table.schema)
    table.name = fresh_name(draw, TABLE_NAMES, taken, "renamed")


def rename_column(draw: Draw, state: State) -> None:
    picked = pick_column(draw, state)
    if picked is None:
        return
    table, column = picked
    taken = {c.name for c in table.columns} | state.a_names_in("column", str(table.key))
    column.name = fresh_name(draw, COLUMN_NAMES, taken, "renamed")
    column.shorthand = False


def rename_index(draw: Draw, state: State) -> None:
    table = pick_table(draw, state)
    index = choose(draw, [index for index in table.indexes if index.name]) if table else None
    if table and index:
        index.name = generated_name(state, table, "renamed_ix")


def rename_constraint(draw: Draw, state: State) -> None:
    """A new name on a named constraint, or a name on one PostgreSQL named."""
    table = pick_table(draw, state)
    if table is None:
        return
    constraint = choose(draw, [*table.keys, *table.foreign_keys, *table.checks])
    if constraint is not None:
        constraint.name = generated_name(state, table, "renamed_c")


def add_second_schema(draw: Draw, state: State) -> None:
    if len(state.schemas) == 1:
        state.schemas.append(draw(st.sampled_from(SECOND_SCHEMAS)))


def drop_second_schema(draw: Draw, state: State) -> None:
    if len(state.schemas) == 2:
        schema = state.schemas.pop()
        state.tables = {k: t for k, t in state.tables.items() if t.schema != schema}
        state.views = {k: v for k, v in state.views.items() if v.schema != schema}
        state.enums = {k: e for k, e in state.enums.items() if e.schema != schema}


EDITS = (
    add_column_edit, drop_column, change_type, change_nullable, change_default, rename_column,
    add_index, drop_constraint, add_unique, add_check, add_foreign_key, change_foreign_key,
    add_primary_key, change_identity, change_index, rename_table, add_table, drop_table,
    add_enum_value, add_view, change_view, drop_view, rename_index, rename_constraint,
    rename_enum_value, change_primary_key,
    change_comment, add_enum, drop_enum, add_second_schema, drop_second_schema,
)  # fmt: skip


def remember_a_names(state: State) -> None:
    for table in state.tables.values():
        state.a_names[("relation", table.schema, table.name)] = table.key
        for column in table.columns:
            state.a_names[("column", str(table.key), column.name)] = column.key
    for view in state.views.values():
        state.a_names[("relation", view.schema, view.name)] = view.key
    for enum in state.enums.values():
        state.a_names[("type", enum.schema, enum.name)] = enum.key
    state.a_view_uses = state.view_uses()


# --- the pair -----------------------------------------------------------------------------

# Scenarios the edits can steer around while a planner bug found here is open (each named
# where the edit checks `state.avoid`). None today: the seven found so far are fixed, each
# kept as a tests/cases regression case.
KNOWN_PLANNER_BUGS: frozenset[str] = frozenset()


@dataclass
class SchemaPair:
    before: State
    after: State
    insert_rows: bool

    def documents(self, side: str) -> dict[str, str]:
        return render_files(self.before if side == "before" else self.after)

    def __repr__(self) -> str:
        parts = []
        for side in ("before", "after"):
            for file_name, text in self.documents(side).items():
                parts.append(f"--- {side}/{file_name}\n{text}")
        return "\n".join(parts)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a failing example with this: the YAML files of both sides."""
        printer.text(f"SchemaPair(insert_rows={self.insert_rows}) with the files\n{self!r}")


@st.composite
def schema_pairs(draw: Draw, avoid: frozenset[str] = frozenset()) -> SchemaPair:
    """(A, B); `avoid` names known planner bugs (KNOWN_PLANNER_BUGS) to steer around."""
    unknown = avoid - KNOWN_PLANNER_BUGS
    assert not unknown, f"no such planner bug: {sorted(unknown)}"
    state = State(avoid=avoid)
    if draw(st.integers(0, 2)) == 0:
        add_second_schema(draw, state)
    for _ in range(draw(st.integers(0, 1))):
        add_enum(draw, state)
    for _ in range(draw(st.integers(1, 3))):
        add_table(draw, state)
    for _ in range(draw(st.integers(0, 8))):
        draw(st.sampled_from(CONSTRUCTIVE))(draw, state)
    before = copy.deepcopy(state)
    state.in_a = False
    remember_a_names(state)
    edits, attempts = draw(st.integers(1, 8)), 0
    while edits and attempts < 40:
        # Count only the edits that change the declarations (many find nothing to edit).
        attempts += 1
        text = render_files(state)
        draw(st.sampled_from(EDITS))(draw, state)
        edits -= render_files(state) != text
    return SchemaPair(before, state, draw(st.booleans()))


# --- rendering ----------------------------------------------------------------------------


def render_files(state: State) -> dict[str, str]:
    files = {}
    for schema in state.schemas:
        document = render_schema(state, schema)
        text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        files[f"{_stem(schema)}.yaml"] = text
    return files


def render_schema(state: State, schema: str) -> dict[str, Any]:
    document: dict[str, Any] = {} if schema == "public" else {"schema": schema}
    enums = sorted((e for e in state.enums.values() if e.schema == schema), key=lambda e: e.key)
    if enums:
        document["enums"] = {enum.name: render_enum(enum) for enum in enums}
    tables = sorted(state.tables_in(schema), key=lambda table: table.key)
    document["tables"] = {table.name: render_table(state, table) for table in tables}
    views = sorted((v for v in state.views.values() if v.schema == schema), key=lambda v: v.key)
    if views:
        document["views"] = {view.name: {"query": view_query(state, view)} for view in views}
    return document


class _Flow(list[Any]):
    """A list written inline: [a, b]."""


class _FlowDict(dict[str, Any]):
    """A mapping written inline: {type: text, nullable: false}."""


def _flow(value: list[Any]) -> _Flow:
    return _Flow(value)


def _flow_map(value: dict[str, Any]) -> _FlowDict:
    return _FlowDict(value)


class _Dumper(yaml.SafeDumper):
    """Block style, with the generator's inline lists and mappings."""


def _represent_flow_list(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_flow_dict(dumper: yaml.SafeDumper, value: _FlowDict) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Double quotes around SQL text with single quotes: "'open'" rather than '''open'''."""
    style = '"' if "'" in value and value.isprintable() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow_list)
_Dumper.add_representer(_FlowDict, _represent_flow_dict)


def render_enum(enum: Enum) -> list[Any]:
    return _flow(
        [
            _flow_map({"value": value, "renamed_from": enum.renamed_values[value]})
            if value in enum.renamed_values
            else value
            for value in enum.values
        ]
    )


def render_table(state: State, table: Table) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if table.renamed_from():
        spec["renamed_from"] = table.renamed_from()
    if table.comment:
        spec["comment"] = table.comment
    spec["columns"] = {column.name: render_column(state, column) for column in table.columns}
    names = {column.key: column.name for column in table.columns}
    for key in table.keys:
        rendered = _constraint({"columns": _flow([names[k] for k in key.columns])}, key)
        if key.primary:
            spec["primary_key"] = rendered if len(rendered) > 1 else rendered["columns"]
        else:
            spec.setdefault("unique", []).append(rendered)
    if table.foreign_keys:
        spec["foreign_keys"] = [render_foreign_key(state, table, fk) for fk in table.foreign_keys]
    if table.checks:
        spec["checks"] = [render_check(table, check) for check in table.checks]
    if table.indexes:
        spec["indexes"] = [render_index(state, table, index) for index in table.indexes]
    return spec


def _constraint(spec: dict[str, Any], item: Item) -> dict[str, Any]:
    named = {"name": item.name} if item.name else {}
    hint = {"renamed_from": item.renamed_from()} if item.renamed_from() else {}
    return _flow_map({**named, **spec, **hint})


def render_column(state: State, column: Column) -> Any:
    spec: dict[str, Any] = {"type": state.type_text(column)}
    if not column.nullable:
        spec["nullable"] = False
    if column.default is not None:
        spec["default"] = column.default
    if column.identity:
        spec["identity"] = column.identity
    if column.comment:
        spec["comment"] = column.comment
    if column.renamed_from():
        spec["renamed_from"] = column.renamed_from()
    if len(spec) == 1 and column.shorthand:
        return spec["type"]
    return _flow_map(spec)


def render_foreign_key(state: State, table: Table, fk: ForeignKey) -> dict[str, Any]:
    target = state.tables[fk.target]
    references: dict[str, Any] = {"table": target.name}
    if fk.name_target_columns:
        references["columns"] = _flow([target.column(k).name for k in fk.target_columns])
    spec: dict[str, Any] = {
        "columns": _flow([table.column(k).name for k in fk.columns]),
        "references": _flow_map(references),
    }
    if fk.on_delete != "no action":
        spec["on_delete"] = fk.on_delete
    return _constraint(spec, fk)


def render_predicate(table: Table, predicate: Predicate) -> str:
    return predicate.template.format(*(ident(table.column(k).name) for k in predicate.columns))


def render_check(table: Table, check: Check) -> Any:
    expression = render_predicate(table, check.predicate)
    if check.name is None:
        return expression
    return _constraint({"expression": expression}, check)


def render_index(state: State, table: Table, index: Index) -> dict[str, Any]:
    elements: list[Any] = []
    for element in index.elements:
        name = table.column(element.column).name
        if element.lower:
            elements.append(_flow_map({"expression": f"lower({ident(name)})"}))
        elif element.descending:
            elements.append(_flow_map({"column": name, "order": "desc"}))
        else:
            elements.append(name)
    spec: dict[str, Any] = {"columns": _flow(elements)}
    if index.unique:
        spec["unique"] = True
    if index.method != "btree":
        spec["method"] = index.method
    if index.where is not None:
        spec["where"] = render_predicate(table, index.where)
    return _constraint(spec, index)


def view_query(state: State, view: View) -> str:
    table = state.tables[view.table]
    columns = ", ".join(ident(table.column(key).name) for key in view.columns)
    source = table.sql_name() if view.qualify else ident(table.name)
    where = f" WHERE {render_predicate(table, view.where)}" if view.where else ""
    return f"SELECT {columns} FROM {source}{where}"


# --- data ---------------------------------------------------------------------------------


def sample_rows(state: State) -> Iterator[str]:
    """One INSERT per table: every column holds its type's sample value."""
    for table in sorted(state.tables.values(), key=lambda table: table.key):
        names = ", ".join(ident(column.name) for column in table.columns)
        values = ", ".join(sample_literal(state, column) for column in table.columns)
        yield (
            f"INSERT INTO {table.sql_name()} ({names}) OVERRIDING SYSTEM VALUE VALUES ({values})"
        )
