"""Whatever text it is given, the declarations loader returns Declarations or refuses it
with a DeclarationError whose message is one line starting with the file name.

Hypothesis feeds `load_declaration_text` arbitrary text, random YAML documents built from the
format's own keys, and mutations of a declaration file that loads (keys dropped, values of
the wrong type, hostile strings in names, types and expressions, huge numbers, anchors and
aliases, edits of the text itself). Loading never touches a database. A longer run:

    LOADER_FUZZ_EXAMPLES=5000 pytest tests/test_loader_fuzz.py

LOADER_FUZZ_KNOWN_BUGS=1 makes the errors of KNOWN_LOADER_BUGS fail the tests again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.declare import Declarations, declaration_json_schema, load_declaration_text
from planner.errors import DeclarationError
from tests.random_schemas import schema_pairs

FILE_NAME = "fuzz.yaml"
EXAMPLES = int(os.environ.get("LOADER_FUZZ_EXAMPLES", "300"))

# Loader bugs these tests found are fixed and kept as regression tests at the end of this file
# (a reader error on two lines, line breaks of names in messages, YAML dates that json.dumps
# could not print, a ValueError for storage parameter names, RecursionError on deep or recursive
# documents). A newly found bug may be listed here while it is open, to keep the run green.
KNOWN_LOADER_BUGS: dict[str, Callable[[Exception], bool]] = {}
TOLERATED = {} if os.environ.get("LOADER_FUZZ_KNOWN_BUGS") == "1" else KNOWN_LOADER_BUGS

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Uses every part of the format once, so that mutations reach every part of the loader.
VALID_DECLARATION = """\
schema: billing
schema_comment: Money matters
schema_grants: {PUBLIC: [usage]}
extensions:
  pgcrypto: {schema: public, version: "1.3"}
  citext:
enums:
  state: [open, {value: paid, renamed_from: settled}, void]
  currency: {values: [EUR, USD], comment: ISO 4217, grants: {reader: [usage]}}
sequences:
  numbers: {type: bigint, start: 1000, increment: 1, cache: 10, cycle: false,
            owned_by: {table: invoices, column: number}}
  plain:
domains:
  amount: {type: "numeric(12,2)", nullable: false, default: 0,
           checks: [VALUE >= 0, {name: amount_small, expression: VALUE < 1000000}]}
composite_types:
  pair: {attributes: {left: integer, right: {type: text, collation: C}}, comment: two}
functions:
  - definition: >-
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RETURN NEW; END $$
    comment: trigger body
  - definition: CREATE PROCEDURE tidy(x integer) LANGUAGE sql AS $$ SELECT 1 $$
    grants: {reader: [execute]}
views:
  open_invoices:
    query: SELECT id, total FROM billing.invoices WHERE state = 'open'
    columns: {total: {comment: the amount}}
    check_option: local
  totals:
    materialized: true
    query: SELECT customer_id, sum(total) AS total FROM billing.invoices GROUP BY customer_id
    with: {fillfactor: 70}
    indexes: [{name: totals_customer_key, columns: [customer_id], unique: true}]
tables:
  customers:
    columns:
      id: {type: bigint, identity: by default}
      name: {type: text, nullable: false, collation: C, statistics: 100}
    primary_key: [id]
    lint_ignore: [table-without-primary-key]
  invoices:
    renamed_from: bills
    comment: One invoice per order
    columns:
      id: {type: bigint, identity: {kind: always, start: 100, increment: 1, cache: 1,
                                     type: bigint, sequence_name: invoices_id}}
      number: {type: bigint, nullable: false, default: "nextval('billing.numbers')"}
      customer_id: {type: bigint, nullable: false, renamed_from: client_id}
      state: {type: state, nullable: false, default: "'open'"}
      total: {type: "numeric(12,2)", nullable: false, default: 0, storage: main}
      tags: "text[]"
      code: {type: text, comment: printed, compression: pglz, grants: {reader: [update]},
             lint_ignore: [char-n]}
      cents: {type: bigint, generated: (total * 100)::bigint}
      during: tstzrange
      created_at: {type: timestamptz, nullable: false, default: now()}
    primary_key: {name: invoices_pk, columns: [id], include: [number], with: {fillfactor: 90}}
    unique:
      - {columns: [number]}
      - {name: invoices_code_key, columns: [code], nulls_not_distinct: true, deferrable: true,
         initially_deferred: true, renamed_from: bills_code_key}
    foreign_keys:
      - name: invoices_customer_fkey
        columns: [customer_id]
        references: {schema: billing, table: customers, columns: [id]}
        on_delete: set null
        on_delete_set_columns: [customer_id]
        on_update: cascade
        match: full
        not_valid: true
    checks:
      - total >= 0
      - {name: invoices_code_upper, expression: code = upper(code), no_inherit: true}
    exclude:
      - {name: invoices_no_overlap, definition: "EXCLUDE USING gist (during WITH &&)"}
    indexes:
      - name: invoices_open_idx
        columns: [customer_id, {column: created_at, order: desc, nulls: last}]
        where: state = 'open'
        include: [total]
      - {name: invoices_code_lower, unique: true,
         columns: [{expression: lower(code), opclass: text_pattern_ops, collation: C}]}
      - {name: invoices_created_brin, method: brin, columns: [created_at],
         with: {pages_per_range: 32}, renamed_from: old_brin}
    with: {fillfactor: 90, autovacuum_enabled: false}
    row_level_security: true
    force_row_level_security: false
    replica_identity: full
    grants: {reader: [select], writer: {privileges: [insert], with_grant_option: true}}
    triggers:
      - definition: >-
          CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices
          FOR EACH ROW EXECUTE FUNCTION touch()
        enabled: always
    policies:
      own_rows: {command: select, roles: [reader], using: customer_id > 0, permissive: true}
  events:
    partition_by: RANGE (happened_at)
    columns:
      happened_at: {type: timestamptz, nullable: false}
  events_2025:
    partition_of: {table: events, bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"}
  archived_invoices:
    inherits: [{table: invoices}]
    unlogged: true
acknowledge:
  - {hazard: deletes-data, object: table billing.bills}
"""


def loads_or_refuses(text: str) -> None:
    """The property: a Declarations, or a DeclarationError of one line naming the file."""
    try:
        result = load_declaration_text(text, FILE_NAME)
    except Exception as error:
        if any(matches(error) for matches in TOLERATED.values()):
            return
        if not isinstance(error, DeclarationError):
            raise
        message = str(error)
        assert message.startswith(FILE_NAME), message
        assert "\n" not in message and "\r" not in message, f"more than one line: {message!r}"
    else:
        assert isinstance(result, Declarations)


def test_the_valid_declaration_loads() -> None:
    declarations = load_declaration_text(VALID_DECLARATION, FILE_NAME)
    assert len(declarations.catalog.tables) == 5


# --- arbitrary text -----------------------------------------------------------------------

YAML_ALPHABET = st.sampled_from(
    [*":-?[]{},&*!|>'\"%@`#\n\t ", "\x00", "\ufeff", "\u2028", "é", "a", "b", "1", "."]
)


@FUZZ_SETTINGS
@given(text=st.one_of(st.text(), st.text(YAML_ALPHABET)))
def test_arbitrary_text(text: str) -> None:
    loads_or_refuses(text)


# --- random YAML documents from the format's own keys ---------------------------------------


def _property_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        yield from node.get("properties", {})
        for value in node.values():
            yield from _property_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _property_names(value)


FORMAT_KEYS = sorted(set(_property_names(declaration_json_schema())))
HOSTILE_STRINGS = (
    "", " ", "a\nb", "a\rb", "\x00", "nul\x00inside", "x" * 64, "é" * 32, "\u2028", "💥",
    "'", '"', "(", ")", "a); DROP TABLE t; --", "/* c */", "-- c", "$$", "$x$ y", "E'\\''",
    "lower(", "int[", "numeric(1,", "1e999", "NaN", "always", "by default", "bigint",
    "varchar(64)", "now()", "tables", "public", "PUBLIC", "Order", '"user"',
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from((10**100, -(2**63), 2**63, 2**31)),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=20),
)
KEYS = st.one_of(st.sampled_from(FORMAT_KEYS), st.sampled_from(HOSTILE_STRINGS), st.text())
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=30,
)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ_SETTINGS
@given(document=st.dictionaries(st.sampled_from(FORMAT_KEYS), DOCUMENTS, max_size=5))
def test_random_documents(document: dict[str, Any]) -> None:
    loads_or_refuses(dump(document))


@FUZZ_SETTINGS
@given(document=DOCUMENTS)
def test_random_values(document: Any) -> None:
    loads_or_refuses(dump(document))


# --- mutations of declarations that load ----------------------------------------------------


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for position, value in enumerate(data):
            yield from _paths(value, (*prefix, position))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutated(draw: Any, text: str) -> Any:
    """The document with a few of its values removed, replaced or shared (aliases)."""
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 4))):
        paths = [path for path in _paths(data) if path]
        if not paths:
            return draw(DOCUMENTS)
        path = draw(st.sampled_from(paths))
        parent = _at(data, path[:-1])
        kind = draw(st.sampled_from(("drop", "replace", "scalar", "share", "rename")))
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "replace":
            parent[path[-1]] = draw(DOCUMENTS)
        elif kind == "scalar":
            parent[path[-1]] = draw(SCALARS)
        elif kind == "share":
            # The same object twice: the dump writes an anchor and an alias. (Never an
            # ancestor of the slot: recursive aliases have a test of their own.)
            sources = [p for p in paths if len(p) >= len(path) or path[: len(p)] != p]
            parent[path[-1]] = _at(data, draw(st.sampled_from(sources)))
        elif isinstance(parent, dict):
            parent[draw(KEYS)] = parent.pop(path[-1])
    return data


@st.composite
def edited_text(draw: Any, text: str) -> str:
    """The text with a line repeated, cut short, or a few characters inserted."""
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(("repeat line", "truncate", "insert")))
    position = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "repeat line" and lines:
        lines.insert(position, lines[position])
        return "".join(lines)
    cut = draw(st.integers(0, len(text)))
    if kind == "truncate":
        return text[:cut]
    inserted: str = draw(st.text(YAML_ALPHABET, min_size=1, max_size=4))
    return text[:cut] + inserted + text[cut:]


@FUZZ_SETTINGS
@given(data=mutated(VALID_DECLARATION))
def test_mutated_declaration(data: Any) -> None:
    loads_or_refuses(dump(data))


@FUZZ_SETTINGS
@given(text=edited_text(VALID_DECLARATION))
def test_edited_declaration_text(text: str) -> None:
    loads_or_refuses(text)


@FUZZ_SETTINGS
@given(pair=schema_pairs(), data=st.data())
def test_mutated_generated_declarations(pair: Any, data: st.DataObject) -> None:
    for text in pair.documents("after").values():
        loads_or_refuses(text)
        loads_or_refuses(dump(data.draw(mutated(text))))


NAMES = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(min_size=1))
BROKEN_COLUMNS = st.sampled_from(
    (
        {"type": "not a type!"},
        {"type": "bigint", "default": "1)"},
        {"type": "bigint", "generated": "-- c"},
        {"type": "text", "collation": 'C"'},
        {"type": "bigint", "identity": "sometimes"},
        "int[",
    )
)


@FUZZ_SETTINGS
@given(schema=NAMES, table=NAMES, column=NAMES, spec=BROKEN_COLUMNS)
def test_hostile_names_in_messages(schema: str, table: str, column: str, spec: Any) -> None:
    """Names end up in messages: a name with a line break must not break the line."""
    document = {"schema": schema, "tables": {table: {"columns": {column: spec}}}}
    loads_or_refuses(dump(document))
    index = {"name": column, "columns": ["id"], "where": "("}
    document = {
        "schema": schema,
        "tables": {table: {"columns": {"id": "bigint"}, "indexes": [index]}},
    }
    loads_or_refuses(dump(document))


@FUZZ_SETTINGS
@given(
    merge=st.sampled_from(("<<: *base", "<<: [*base]", "*base: x", "? [a]\n  : b")),
    tag=st.sampled_from(("!!binary aGk=", "!!set {a}", "!!timestamp 2024-01-01", "!!omap []")),
)
def test_anchors_merge_keys_and_tags(merge: str, tag: str) -> None:
    text = f"tables:\n  base: &base\n    columns: {{id: bigint}}\n  other:\n    {merge}\n"
    loads_or_refuses(text)
    loads_or_refuses(f"tables:\n  t:\n    columns:\n      id: {{type: {tag}}}\n")
    loads_or_refuses(f"tables:\n  t:\n    columns:\n      id: {{type: bigint, default: {tag}}}\n")


DEEP = 3000


@pytest.mark.parametrize(
    "text",
    [
        "tables: &tables {t: *tables}\n",
        "tables:\n  t: &t\n    columns: {id: [*t]}\n",
        "tables: " + "[" * DEEP + "]" * DEEP + "\n",
        "tables: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n",
        "tables:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, DEEP)),
    ],
    ids=["recursive alias", "recursive alias in a table", "deep lists", "deep maps", "deep block"],
)
def test_recursive_and_deep_documents(text: str) -> None:
    loads_or_refuses(text)


@pytest.mark.parametrize(
    "text",
    [
        "tables:\n  a:\x00\n",
        'tables:\n  "a\\nb":\n    columns: {id: {type: int}}\n    primary_key: [nope]\n',
        "tables:\n  a:\n    columns: {id: {type: 2024-01-01}}\n",
        "tables:\n  a:\n    columns: {id: {type: int}}\n    with: {'fill factor': 70}\n",
        "tables: &a [*a]\n",
        "tables: " + "[" * 5000 + "]" * 5000 + "\n",
    ],
    ids=["nul-byte", "line-break-in-name", "yaml-date", "storage-parameter", "recursive", "deep"],
)
def test_found_loader_bugs_stay_fixed(text: str) -> None:
    with pytest.raises(DeclarationError) as caught:
        load_declaration_text(text, FILE_NAME)
    message = str(caught.value)
    assert message.startswith(FILE_NAME) and "\n" not in message and "\r" not in message
