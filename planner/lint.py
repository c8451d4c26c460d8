"""Advisories on the declarations: PostgreSQL practices a schema follows or knowingly skips.

The rules read the *canonical* desired catalog, PostgreSQL's own form of the declarations:
`varchar(32)` is `character varying(32)`, `serial` is an `integer` with a `nextval(…)` default
and an owned sequence, and unnamed keys carry the names PostgreSQL chose for them. Each rule
has a stable id and a one-line why. An advisory is silenced for one object by `lint_ignore`
in the declarations (a table's list also covers its columns, keys and indexes), or for every
object by passing the rule id in `disabled`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from planner.errors import PlannerError
from planner.model import Catalog, Column, Constraint, ConstraintKind, Index, QualifiedName, Table
from planner.quoting import quote_identifier

if TYPE_CHECKING:
    from planner.declare import Declarations

MAX_IDENTIFIER_BYTES = 63
NEAR_LIMIT_BYTES = 60


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    why: str


FK_WITHOUT_INDEX = Rule(
    "fk-without-index",
    "PostgreSQL indexes only the referenced side: without an index on the referencing columns, "
    "every delete or key update of a referenced row scans this table.",
)
TABLE_WITHOUT_PRIMARY_KEY = Rule(
    "table-without-primary-key",
    "Without a primary key rows have no stable identity: logical replication cannot apply "
    "updates and deletes, and tools cannot address one row.",
)
TIMESTAMP_WITHOUT_TIME_ZONE = Rule(
    "timestamp-without-time-zone",
    "timestamp without time zone stores a wall-clock reading with no zone, ambiguous across "
    "zones and DST changes; timestamptz stores an instant.",
)
SERIAL_INSTEAD_OF_IDENTITY = Rule(
    "serial-instead-of-identity",
    "serial is a default plus a separately owned sequence (its own grants, a default anyone can "
    "change); an identity column is standard SQL and keeps the sequence part of the column.",
)
VARCHAR_LENGTH_AS_CHECK = Rule(
    "varchar-length-as-check",
    "Lowering n in varchar(n) rewrites the table under an ACCESS EXCLUSIVE lock; a CHECK on "
    "char_length can be replaced NOT VALID and validated without blocking writes.",
)
MONEY_TYPE = Rule(
    "money-type",
    "money's scale and formatting follow the lc_monetary setting, so a value can change "
    "meaning between servers; numeric with an explicit scale does not.",
)
CHAR_N = Rule(
    "char-n",
    "character(n) pads values with spaces, ignores trailing spaces in comparisons and is no "
    "faster or smaller than text in PostgreSQL.",
)
NULLABLE_FOREIGN_KEY_WITHOUT_REASON = Rule(
    "nullable-foreign-key-without-reason",
    "A nullable foreign key makes the relationship optional; the column's comment should say "
    "when it is NULL, or the column should be NOT NULL.",
)
NAME_TOO_LONG = Rule(
    "name-too-long",
    "PostgreSQL cuts identifiers to 63 bytes: a name near the limit leaves no room for the "
    "names derived from it, and a derived name that is cut no longer says what it is.",
)

RULES: tuple[Rule, ...] = (
    FK_WITHOUT_INDEX,
    TABLE_WITHOUT_PRIMARY_KEY,
    TIMESTAMP_WITHOUT_TIME_ZONE,
    SERIAL_INSTEAD_OF_IDENTITY,
    VARCHAR_LENGTH_AS_CHECK,
    MONEY_TYPE,
    CHAR_N,
    NULLABLE_FOREIGN_KEY_WITHOUT_REASON,
    NAME_TOO_LONG,
)
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)

NOTHING_IGNORED: Mapping[str, Collection[str]] = MappingProxyType({})


class UnknownRuleError(PlannerError):
    """A rule id that no rule has (in a silencing)."""


@dataclass(frozen=True, slots=True)
class Advisory:
    """One piece of advice on one object.

    `scopes` are the subjects whose `lint_ignore` silences it, the object itself first;
    `source_keys` are the keys of `Declarations.sources` that locate it, most precise first.
    """

    rule: str
    subject: str
    message: str
    why: str
    scopes: tuple[str, ...] = ()
    source_keys: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """An object as advisories name it, what silences it and where it is declared."""

    subject: str
    scopes: tuple[str, ...]
    source_keys: tuple[tuple[str, ...], ...]


def table_subject(table: QualifiedName) -> str:
    return f"table {table}"


def column_subject(table: QualifiedName, column: str) -> str:
    return f"column {table}.{column}"


def lint(
    catalog: Catalog,
    ignored: Mapping[str, Collection[str]] = NOTHING_IGNORED,
    disabled: Collection[str] = (),
) -> list[Advisory]:
    """The advisories on a canonical catalog, minus those silenced per object (`ignored`,
    keyed by subject) or everywhere (`disabled`), sorted by subject and rule."""
    _require_known(disabled)
    for rule_ids in ignored.values():
        _require_known(rule_ids)
    advisories = {
        advisory
        for check in _CHECKS
        for advisory in check(catalog)
        if advisory.rule not in disabled and not _silenced(advisory, ignored)
    }
    return sorted(advisories, key=lambda a: (a.subject, a.rule, a.message))


def _require_known(rule_ids: Iterable[str]) -> None:
    unknown = sorted(set(rule_ids) - set(RULE_IDS))
    if unknown:
        raise UnknownRuleError(
            f"unknown lint rule {unknown[0]!r}", hint=f"the rules are: {', '.join(RULE_IDS)}"
        )


def _silenced(advisory: Advisory, ignored: Mapping[str, Collection[str]]) -> bool:
    return any(advisory.rule in ignored.get(scope, ()) for scope in advisory.scopes)


# --- places ---------------------------------------------------------------------------------


def _table_place(table: QualifiedName) -> Place:
    return Place(table_subject(table), (table_subject(table),), (("table", str(table)),))


def _column_place(table: QualifiedName, column: str) -> Place:
    subject = column_subject(table, column)
    return Place(
        subject,
        (subject, table_subject(table)),
        (("column", str(table), column), ("table", str(table))),
    )


def _constraint_place(table: QualifiedName, name: str) -> Place:
    subject = f"constraint {table}.{name}"
    return Place(
        subject,
        (subject, table_subject(table)),
        (("constraint", str(table), name), ("table", str(table))),
    )


def _index_place(table: QualifiedName, name: str) -> Place:
    subject = f"index {table.schema}.{name}"
    return Place(
        subject,
        (subject, table_subject(table)),
        (("index", table.schema, name), ("table", str(table))),
    )


def _relation_place(kind: str, name: QualifiedName) -> Place:
    subject = f"{kind} {name}"
    return Place(subject, (subject,), (("relation", str(name)),))


def _advise(rule: Rule, place: Place, message: str) -> Advisory:
    return Advisory(rule.id, place.subject, message, rule.why, place.scopes, place.source_keys)


def _own_tables(catalog: Catalog) -> Iterator[Table]:
    """Tables whose columns and keys are their own: a partition's come from its parent."""
    return (table for table in catalog.tables if table.partition_of is None)


def _foreign_keys(table: Table) -> Iterator[Constraint]:
    return (c for c in table.constraints if c.kind is ConstraintKind.FOREIGN_KEY)


# --- keys and indexes -----------------------------------------------------------------------


def _fk_without_index(catalog: Catalog) -> Iterator[Advisory]:
    for table in _own_tables(catalog):
        for foreign_key in _foreign_keys(table):
            if _has_leading_index(table, foreign_key.columns):
                continue
            columns = ", ".join(foreign_key.columns)
            assert foreign_key.references is not None
            yield _advise(
                FK_WITHOUT_INDEX,
                _constraint_place(table.name, foreign_key.name or ""),
                f"no index of {table.name} leads with ({columns}), the columns referencing "
                f"{foreign_key.references.table}; add one",
            )


def _has_leading_index(table: Table, columns: tuple[str, ...]) -> bool:
    keys = (
        c.columns
        for c in table.constraints
        if c.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE)
    )
    if any(_leads_with(key, columns) for key in keys):
        return True
    return any(_index_serves(index, columns) for index in table.indexes)


def _leads_with(keys: tuple[str, ...], columns: tuple[str, ...]) -> bool:
    """Equality on `columns` uses an index whose first keys are those columns, in any order."""
    return len(keys) >= len(columns) and set(keys[: len(columns)]) == set(columns)


def _index_serves(index: Index, columns: tuple[str, ...]) -> bool:
    if index.method not in ("btree", "hash"):
        return False
    leading = index.elements[: len(columns)]
    if any(element.is_expression for element in leading):
        return False
    keys = tuple(element.key for element in leading)
    return _leads_with(keys, columns) and _only_not_null(index.where, columns)


def _only_not_null(predicate: str | None, columns: tuple[str, ...]) -> bool:
    """A partial index still serves the foreign key's lookups when its predicate only asks
    the key columns to be NOT NULL: a lookup by equality implies it."""
    if predicate is None:
        return True
    allowed = {f"{quote_identifier(column)} IS NOT NULL" for column in columns}
    terms = predicate.replace("(", "").replace(")", "").split(" AND ")
    return all(term.strip() in allowed for term in terms)


def _table_without_primary_key(catalog: Catalog) -> Iterator[Advisory]:
    for table in _own_tables(catalog):
        if not any(c.kind is ConstraintKind.PRIMARY_KEY for c in table.constraints):
            yield _advise(TABLE_WITHOUT_PRIMARY_KEY, _table_place(table.name), "no primary key")


# --- column types ---------------------------------------------------------------------------

_ARRAY = r"((?:\[\])*)"
_TIMESTAMP = re.compile(rf"^timestamp(?:\(\d+\))? without time zone{_ARRAY}$")
_VARCHAR = re.compile(rf"^character varying\((\d+)\){_ARRAY}$")
_CHAR = re.compile(rf"^character\((\d+)\){_ARRAY}$")
_MONEY = re.compile(rf"^money{_ARRAY}$")


def _columns(catalog: Catalog) -> Iterator[tuple[Table, Column]]:
    return ((table, column) for table in _own_tables(catalog) for column in table.columns)


def _type_rules(catalog: Catalog) -> Iterator[Advisory]:
    for table, column in _columns(catalog):
        place = _column_place(table.name, column.name)
        type_name = column.type
        if timestamp := _TIMESTAMP.match(type_name):
            advice = f"use timestamp with time zone (timestamptz{timestamp[1]})"
            yield _advise(TIMESTAMP_WITHOUT_TIME_ZONE, place, f"{type_name}: {advice}")
        if varchar := _VARCHAR.match(type_name):
            yield _advise(VARCHAR_LENGTH_AS_CHECK, place, _varchar_advice(column, varchar))
        if money := _MONEY.match(type_name):
            advice = f"use numeric with a scale, e.g. numeric(12,2){money[1]}"
            yield _advise(MONEY_TYPE, place, f"{type_name}: {advice}")
        if char := _CHAR.match(type_name):
            advice = f"use text{char[2]}" if char[2] else "use text (with a CHECK on char_length)"
            yield _advise(CHAR_N, place, f"{type_name}: {advice}")


def _varchar_advice(column: Column, match: re.Match[str]) -> str:
    if match[2]:
        return f"{column.type}: use text{match[2]}"
    check = f"CHECK (char_length({quote_identifier(column.name)}) <= {match[1]})"
    return f"{column.type}: use text with {check}"


def _serial_instead_of_identity(catalog: Catalog) -> Iterator[Advisory]:
    owned = {sequence.owned_by: sequence.name for sequence in catalog.sequences}
    for table, column in _columns(catalog):
        sequence = owned.get((table.name, column.name))
        if sequence is None or column.identity is not None:
            continue
        if column.default is not None and column.default.startswith("nextval("):
            yield _advise(
                SERIAL_INSTEAD_OF_IDENTITY,
                _column_place(table.name, column.name),
                f"its default draws from the owned sequence {sequence}; declare it "
                "`identity: always` (or `by default`) instead",
            )


def _nullable_foreign_key_without_reason(catalog: Catalog) -> Iterator[Advisory]:
    for table in _own_tables(catalog):
        for foreign_key in _foreign_keys(table):
            assert foreign_key.references is not None
            for name in foreign_key.columns:
                column = table.column(name)
                if column is None or column.not_null or column.comment:
                    continue
                yield _advise(
                    NULLABLE_FOREIGN_KEY_WITHOUT_REASON,
                    _column_place(table.name, name),
                    f"nullable column of the foreign key to {foreign_key.references.table}; "
                    "say in its comment when it is NULL, or make it NOT NULL",
                )


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Derivation:
    """How PostgreSQL derives a name it chooses: `<name1>_<name2>_<label>`, cut to fit."""

    name1: str
    name2: str | None
    label: str

    @property
    def full(self) -> str:
        return "_".join(part for part in (self.name1, self.name2, self.label) if part)


def _name_too_long(catalog: Catalog) -> Iterator[Advisory]:
    for name, place, derivations in _named_objects(catalog):
        size = _byte_length(name)
        if size < NEAR_LIMIT_BYTES:
            continue
        derived = _derived_from(name, derivations)
        if derived is not None:
            message = (
                f"PostgreSQL derived this name from {derived!r} ({_byte_length(derived)} bytes) "
                f"and cut it to {size}; declare a shorter name"
            )
        else:
            message = f"the name is {size} bytes long, close to PostgreSQL's limit of 63"
        yield _advise(NAME_TOO_LONG, place, message)


def _named_objects(catalog: Catalog) -> Iterator[tuple[str, Place, tuple[Derivation, ...]]]:
    for schema in catalog.schemas:
        yield schema.name, Place(f"schema {schema.name}", (f"schema {schema.name}",), ()), ()
    type_names = [
        *(enum.name for enum in catalog.enums),
        *(domain.name for domain in catalog.domains),
        *(composite.name for composite in catalog.composite_types),
    ]
    for type_name in type_names:
        subject = f"type {type_name}"
        yield type_name.name, Place(subject, (subject,), (("type", str(type_name)),)), ()
    for view in catalog.views:
        yield view.name.name, _relation_place("view", view.name), ()
    for sequence in catalog.sequences:
        yield from _sequence_name(sequence.name, sequence.owned_by)
    for table in catalog.tables:
        yield from _table_names(table)


def _sequence_name(
    name: QualifiedName, owned_by: tuple[QualifiedName, str] | None
) -> Iterator[tuple[str, Place, tuple[Derivation, ...]]]:
    if owned_by is None:
        yield name.name, _relation_place("sequence", name), ()
        return
    table, column = owned_by
    owner = _column_place(table, column)
    place = Place(f"sequence {name}", (f"sequence {name}", *owner.scopes), owner.source_keys)
    yield name.name, place, (Derivation(table.name, column, "seq"),)


def _table_names(table: Table) -> Iterator[tuple[str, Place, tuple[Derivation, ...]]]:
    yield table.name.name, _table_place(table.name), ()
    for column in table.columns:
        yield column.name, _column_place(table.name, column.name), ()
        if column.identity is not None and column.identity.sequence is not None:
            yield from _sequence_name(column.identity.sequence, (table.name, column.name))
    for constraint in table.constraints:
        if constraint.name is not None:
            place = _constraint_place(table.name, constraint.name)
            yield constraint.name, place, _constraint_derivations(table, constraint)
    for index in table.indexes:
        if index.name is not None:
            derivation = Derivation(
                table.name.name,
                _name_addition(e.key if not e.is_expression else "expr" for e in index.elements),
                "key" if index.unique else "idx",
            )
            yield index.name, _index_place(table.name, index.name), (derivation,)


def _constraint_derivations(table: Table, constraint: Constraint) -> tuple[Derivation, ...]:
    name = table.name.name
    if constraint.kind is ConstraintKind.PRIMARY_KEY:
        return (Derivation(name, None, "pkey"),)
    if constraint.kind is ConstraintKind.UNIQUE:
        return (Derivation(name, _name_addition(constraint.columns), "key"),)
    if constraint.kind is ConstraintKind.FOREIGN_KEY:
        return (Derivation(name, _name_addition(constraint.columns), "fkey"),)
    if constraint.kind is ConstraintKind.EXCLUDE:
        keys = (element.key for element in constraint.exclusion_elements)
        return (Derivation(name, _name_addition(keys), "excl"),)
    # A check names the one column it uses, if it uses one; the catalog does not say which.
    columns = (Derivation(name, column.name, "check") for column in table.columns)
    return (Derivation(name, None, "check"), *columns)


def _name_addition(columns: Iterable[str]) -> str:
    """The column part of a derived name: the names joined by `_`, PostgreSQL stopping once
    it has more than fits."""
    addition = ""
    for column in columns:
        addition = f"{addition}_{column}" if addition else column
        if _byte_length(addition) > MAX_IDENTIFIER_BYTES:
            break
    return addition


def _derived_from(name: str, derivations: tuple[Derivation, ...]) -> str | None:
    """The full name PostgreSQL cut to `name`, if `name` is one it derived and had to cut."""
    for derivation in derivations:
        if _byte_length(derivation.full) <= MAX_IDENTIFIER_BYTES:
            continue
        # On a clash PostgreSQL retries with a numbered label: key1, key2, …
        labels = (derivation.label, *(f"{derivation.label}{n}" for n in range(1, 10)))
        if any(name == _cut_name(derivation.name1, derivation.name2, label) for label in labels):
            return derivation.full
    return None


def _cut_name(name1: str, name2: str | None, label: str) -> str:
    """PostgreSQL's way of fitting a derived name in 63 bytes: shorten the longer part first."""
    first, second = name1.encode(), (name2 or "").encode()
    overhead = len(label.encode()) + 1 + (1 if name2 is not None else 0)
    available = MAX_IDENTIFIER_BYTES - overhead
    first_size, second_size = len(first), len(second)
    while first_size + second_size > available:
        if first_size > second_size:
            first_size -= 1
        else:
            second_size -= 1
    parts = [_clip(first, first_size)]
    if name2 is not None:
        parts.append(_clip(second, second_size))
    return "_".join([*parts, label])


def _clip(text: bytes, size: int) -> str:
    """The first `size` bytes, without a character cut in half."""
    return text[:size].decode("utf-8", errors="ignore")


def _byte_length(name: str) -> int:
    return len(name.encode("utf-8"))


_CHECKS = (
    _fk_without_index,
    _table_without_primary_key,
    _type_rules,
    _serial_instead_of_identity,
    _nullable_foreign_key_without_reason,
    _name_too_long,
)


# --- where the declarations say it ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Located:
    """An advisory and the file and line of the declaration it concerns (when known)."""

    advisory: Advisory
    path: str | None
    line: int | None

    @property
    def location(self) -> str:
        if self.path is None:
            return "<declarations>"
        return f"{self.path}:{self.line}" if self.line else self.path

    def text(self) -> str:
        advisory = self.advisory
        return f"{self.location}: {advisory.rule}: {advisory.subject}: {advisory.message}"


def locate(advisories: Iterable[Advisory], declarations: Declarations) -> list[Located]:
    """Each advisory with its declaration's file and line, in file and line order."""
    located = []
    for advisory in advisories:
        sources = (declarations.source(*key) for key in advisory.source_keys)
        source = next((s for s in sources if s is not None), None)
        located.append(
            Located(advisory, source.path if source else None, source.line if source else None)
        )
    return sorted(located, key=lambda a: (a.path or "", a.line or 0, a.advisory.rule))


def render_text(located: list[Located]) -> str:
    if not located:
        return "No advisories.\n"
    lines = [entry.text() for entry in located]
    count = len(located)
    lines += ["", f"{count} advisor{'y' if count == 1 else 'ies'}. Why:"]
    rules = sorted({entry.advisory.rule for entry in located}, key=RULE_IDS.index)
    lines += [f"  {rule.id}: {rule.why}" for rule in RULES if rule.id in rules]
    lines.append(
        "Silence one with `lint_ignore: [RULE]` on its table or column, "
        "or everywhere with --ignore RULE."
    )
    return "\n".join(lines) + "\n"


def render_json(located: list[Located]) -> str:
    document = {
        "advisories": [
            {
                "rule": entry.advisory.rule,
                "object": entry.advisory.subject,
                "message": entry.advisory.message,
                "why": entry.advisory.why,
                "file": entry.path,
                "line": entry.line,
            }
            for entry in located
        ]
    }
    return json.dumps(document, indent=2) + "\n"
