"""The corpus round trip: build a real schema, dump it to declarations, re-create it through
the planner and Alembic, and compare what PostgreSQL holds on both sides.

Each step of a case runs once, when a test first needs it, and its outcome is remembered:
every step is its own test, and a step whose prerequisite failed is blocked (skipped) instead
of failing again for the same reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import yaml
from psycopg import sql

from planner import migrations, workflow
from planner.declare import load_declarations
from planner.dump import write_declarations
from planner.errors import PlannerError
from planner.filters import exclude_tables
from planner.introspect import introspect
from planner.model import Catalog
from planner.render.report import render_sql

# First runs of the packaged cases install pinned packages into the corpus cache.
BUILD_TIMEOUT_SECONDS = 1800
PG_DUMP_TIMEOUT_SECONDS = 300
DIFF_LINES_SHOWN = 150
PLAN_CHARACTERS_SHOWN = 4000
MAX_IDENTIFIER_BYTES = 63
# Alembic's bookkeeping table: the planner never manages it (planner/filters.py), and the copy
# gets its own from our revisions, so both sides are compared without it.
ALEMBIC_TABLE_PATTERN = "*.alembic_version"


@dataclass(frozen=True)
class CorpusCase:
    id: str
    script: str
    arguments: tuple[str, ...] = ()
    slow: bool = False


CASES = (
    CorpusCase("pagila", "pagila.sh"),
    CorpusCase("chinook_plain", "chinook.sh", ("plain",)),
    CorpusCase("chinook_serialpks", "chinook.sh", ("serialpks",)),
    CorpusCase("chinook_autoincrementpks", "chinook.sh", ("autoincrementpks",)),
    CorpusCase("django_contrib", "django_contrib.sh"),
    CorpusCase("mlflow", "mlflow.sh", slow=True),
    CorpusCase("prefect", "prefect.sh", slow=True),
    CorpusCase("procrastinate", "procrastinate.sh"),
    CorpusCase("graphile_worker", "graphile_worker.sh"),
    CorpusCase("zabbix", "zabbix.sh", slow=True),
    CorpusCase("mediawiki", "mediawiki.sh"),
    CorpusCase("pdns", "pdns.sh"),
)


def corpus_missing_reason(corpus: Path) -> str | None:
    scripts = corpus / "cases"
    if not scripts.is_dir():
        return (
            f"the schema corpus is not at {corpus} (expected <repo>/../shared/corpus with "
            "cases/*.sh); these tests need it, CI always has it"
        )
    return None


# ---------------------------------------------------------------------------------------------
# Outcomes


class Blocked(Exception):
    """A step could not run: a step it needs did not pass, or the case offers nothing to edit."""


@dataclass(frozen=True)
class Outcome:
    status: str  # "passed", "failed" or "blocked"
    message: str = ""
    seconds: float = 0.0

    @property
    def first_line(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


def describe_failure(error: BaseException) -> str:
    if isinstance(error, AssertionError):
        return str(error) or "AssertionError (no message)"
    if isinstance(error, PlannerError):
        return f"{type(error).__name__}: {error}"
    # Anything else is unexpected: keep where it came from.
    trace = "".join(traceback.format_exception(error)[-12:])
    return f"{type(error).__name__}: {error}\n\n{trace}"


# ---------------------------------------------------------------------------------------------
# Databases and pg_dump


def extra_cases(directory: Path) -> tuple[CorpusCase, ...]:
    """Cases of one's own: every `*.sql` file (run by psql) or `*.sh` script (given the URL) in
    DIRECTORY, named `extra_<file stem>`."""
    files = sorted(
        path for path in directory.iterdir() if path.suffix in (".sql", ".sh") and path.is_file()
    )
    return tuple(CorpusCase(f"extra_{path.stem}", str(path.resolve())) for path in files)


def run_case_script(corpus: Path, case: CorpusCase, url: str) -> None:
    # An absolute script (an extra case) stays as it is: joining keeps the right-hand side.
    script = corpus / "cases" / case.script
    command = [str(script), url, *case.arguments]
    if script.suffix == ".sql":
        command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script), url]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"{script.name} {' '.join(case.arguments)} ran longer than {BUILD_TIMEOUT_SECONDS} s"
        ) from None
    if completed.returncode != 0:
        raise AssertionError(
            f"{script.name} {' '.join(case.arguments)} exited {completed.returncode}:\n"
            + tail(completed.stderr or completed.stdout, 30)
        )


def tail(text: str, lines: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def schema_only_dump(url: str) -> str:
    completed = subprocess.run(
        [
            "pg_dump",
            "--schema-only",
            "--no-password",
            f"--exclude-table={ALEMBIC_TABLE_PATTERN}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=PG_DUMP_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"pg_dump failed ({completed.returncode}): {tail(completed.stderr, 5)}"
        )
    return completed.stdout


def clone_database(server: Any, template: str) -> str:
    """A new database copied from `template` (which must have no open connections)."""
    name = f"corpus_{secrets.token_hex(6)}"
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template)
    )
    for attempt in range(5):
        try:
            with psycopg.connect(server.conninfo(), autocommit=True) as connection:
                connection.execute(statement)
            return name
        except psycopg.errors.ObjectInUse:
            # A connection that was just closed may still be leaving the template.
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def read_catalog(server: Any, database: str) -> Catalog:
    with psycopg.connect(server.conninfo(database), autocommit=True) as connection:
        return exclude_tables(introspect(connection))


# ---------------------------------------------------------------------------------------------
# Comparing two schema-only dumps

_HEADER = re.compile(
    r"^-- Name: (?P<name>.*); Type: (?P<kind>[^;]*); Schema: (?P<schema>[^;]*); Owner: ?.*$"
)
_ENTRY_START = re.compile(r"(?m)^--\n(?=-- Name: )")
_TRAILER_START = re.compile(r"(?m)^--\n(?=-- PostgreSQL database dump complete)")
# pg_dump 15.14+ guards the script with a random key, different on every run.
_RESTRICT_LINE = re.compile(r"(?m)^\\(?:un)?restrict \S+\n")
# Session settings pg_dump emits once, before the first object that needs them: where they
# land depends on the order of entries, not on the schema. Non-default values stay.
_DEFAULT_SETTING_LINE = re.compile(
    r"(?m)^SET default_(?:tablespace = ''|table_access_method = heap);\n\n?"
)


@dataclass(frozen=True)
class DumpEntry:
    kind: str
    schema: str
    name: str
    text: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.schema, self.name)

    @property
    def label(self) -> str:
        where = "" if self.schema == "-" else f"{self.schema}."
        return f"{self.kind} {where}{self.name}"


@dataclass(frozen=True)
class NormalisedDump:
    preamble: str
    entries: tuple[DumpEntry, ...]

    @property
    def text(self) -> str:
        return "\n\n".join([self.preamble, *(entry.text for entry in self.entries)]) + "\n"


def normalise_dump(text: str) -> NormalisedDump:
    """The dump's entries, sorted: pg_dump orders them by a dependency sort whose ties follow
    OIDs (creation order), which says nothing about the schema itself."""
    text = _DEFAULT_SETTING_LINE.sub("", _RESTRICT_LINE.sub("", text))
    text = _TRAILER_START.split(text, maxsplit=1)[0]
    preamble, *chunks = _ENTRY_START.split(text)
    entries = []
    for chunk in chunks:
        header = _HEADER.match(chunk.splitlines()[0])
        assert header is not None, f"unexpected pg_dump entry: {chunk[:200]!r}"
        entries.append(
            DumpEntry(
                header["kind"], header["schema"], header["name"], "--\n" + chunk.rstrip() + "\n"
            )
        )
    ordered = sorted(entries, key=lambda entry: (entry.key, entry.text))
    return NormalisedDump(preamble.strip() + "\n", tuple(ordered))


@dataclass(frozen=True)
class DumpComparison:
    left: NormalisedDump
    right: NormalisedDump
    left_name: str
    right_name: str

    @property
    def equal(self) -> bool:
        return self.left.text == self.right.text

    def differing(self) -> tuple[list[DumpEntry], list[DumpEntry], list[DumpEntry]]:
        """(only on the left, only on the right, on both sides but different)."""
        left = {entry.key: entry for entry in self.left.entries}
        right = {entry.key: entry for entry in self.right.entries}
        only_left = [entry for key, entry in left.items() if key not in right]
        only_right = [entry for key, entry in right.items() if key not in left]
        changed = [
            entry for key, entry in left.items() if key in right and right[key].text != entry.text
        ]
        return only_left, only_right, changed

    def summary(self) -> str:
        only_left, only_right, changed = self.differing()
        parts = [
            f"only in {self.left_name}: {_count_kinds(only_left)}",
            f"only in {self.right_name}: {_count_kinds(only_right)}",
            f"different: {_count_kinds(changed)}",
        ]
        if self.left.preamble != self.right.preamble:
            parts.append("preambles differ")
        return "; ".join(parts)

    def report(self, artifacts: str = "") -> str:
        only_left, only_right, changed = self.differing()
        lines = [f"pg_dump --schema-only differs: {self.summary()}", ""]
        for title, entries in (
            (f"only in {self.left_name}", only_left),
            (f"only in {self.right_name}", only_right),
            ("different", changed),
        ):
            if entries:
                shown = ", ".join(entry.label for entry in entries[:25])
                more = f", … {len(entries) - 25} more" if len(entries) > 25 else ""
                lines.append(f"{title} ({len(entries)}): {shown}{more}")
        diff = list(
            difflib.unified_diff(
                self.left.text.splitlines(),
                self.right.text.splitlines(),
                self.left_name,
                self.right_name,
                lineterm="",
                n=2,
            )
        )
        lines.append("")
        lines.extend(diff[:DIFF_LINES_SHOWN])
        if len(diff) > DIFF_LINES_SHOWN:
            lines.append(f"… {len(diff) - DIFF_LINES_SHOWN} more diff lines")
        if artifacts:
            lines.append(artifacts)
        return "\n".join(lines)


def _count_kinds(entries: list[DumpEntry]) -> str:
    if not entries:
        return "nothing"
    counts = Counter(entry.kind for entry in entries)
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))


def compare_dumps(left: str, right: str, left_name: str, right_name: str) -> DumpComparison:
    return DumpComparison(normalise_dump(left), normalise_dump(right), left_name, right_name)


def catalog_differences(actual: Catalog, expected: Catalog) -> list[str]:
    """Fields of the catalog that differ, each with what `actual` has beyond `expected`."""
    problems = []
    for field in dataclasses.fields(Catalog):
        if field.name.startswith("_"):  # derived from the other fields
            continue
        left, right = getattr(actual, field.name), getattr(expected, field.name)
        if left == right:
            continue
        if isinstance(left, tuple) and isinstance(right, tuple):
            extra = [_object_name(item) for item in left if item not in right]
            missing = [_object_name(item) for item in right if item not in left]
            problems.append(f"{field.name}: left over {extra or '-'}, missing {missing or '-'}")
        else:
            problems.append(f"{field.name}: {left!r} instead of {right!r}")
    return problems


def _object_name(item: Any) -> str:
    return str(getattr(item, "name", item))


# ---------------------------------------------------------------------------------------------
# Editing dumped declarations


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def identifier(*parts: str) -> str:
    """A name made of parts, shortened (with a hash, to stay unique) to PostgreSQL's limit."""
    name = "_".join(parts)
    if len(name.encode()) <= MAX_IDENTIFIER_BYTES:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return name.encode()[: MAX_IDENTIFIER_BYTES - 9].decode(errors="ignore") + "_" + digest


_SERIAL_TYPES = {"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}
_INDEXABLE_TYPE = re.compile(
    r"^(integer|bigint|smallint|serial|bigserial|smallserial|text|varchar|character|char|"
    r"numeric|timestamp|timestamptz|date|boolean|uuid|double precision|real)\b"
)


@dataclass
class TableDeclaration:
    """One table of a dumped declaration file, edited in place."""

    path: Path
    schema: str
    name: str
    spec: dict[str, Any]

    @property
    def columns(self) -> dict[str, Any]:
        columns: dict[str, Any] = self.spec.setdefault("columns", {})
        return columns

    def column_type(self, column: str) -> str:
        spec = self.columns[column]
        return str(spec if isinstance(spec, str) else spec["type"])

    def primary_key(self) -> list[str]:
        key = self.spec.get("primary_key")
        if isinstance(key, dict):
            return list(key["columns"])
        return list(key or [])

    def new_column_name(self, base: str) -> str:
        name, counter = base, 2
        while name in self.columns:
            name, counter = f"{base}_{counter}", counter + 1
        return name

    def text_outside(self, column: str) -> str:
        """Everything the table declares except that column's own definition, as text."""
        rest = {key: value for key, value in self.spec.items() if key != "columns"}
        others = {name: spec for name, spec in self.columns.items() if name != column}
        return json.dumps([rest, others])


class DeclarationFiles:
    """The YAML files of a dumped schema directory, loaded for editing and written back."""

    def __init__(self, directory: Path) -> None:
        self.documents = {
            path: yaml.safe_load(path.read_text()) or {}
            for path in sorted(directory.rglob("*.yaml"))
        }

    def tables(self) -> list[TableDeclaration]:
        found = []
        for path, document in self.documents.items():
            schema = document.get("schema", "public")
            for name, spec in (document.get("tables") or {}).items():
                found.append(TableDeclaration(path, schema, name, spec))
        return sorted(found, key=lambda table: (table.schema, table.name))

    def tables_with_primary_key(self) -> list[TableDeclaration]:
        tables = [table for table in self.tables() if table.primary_key()]
        if not tables:
            raise Blocked("the case declares no table with a primary key to edit")
        return tables

    def referenced_columns(self) -> set[tuple[str, str, str]]:
        found = set()
        for table in self.tables():
            for key in table.spec.get("foreign_keys") or []:
                target = key["references"]
                for column in target["columns"]:
                    found.add((target.get("schema", table.schema), target["table"], column))
        return found

    def save(self) -> None:
        for path, document in self.documents.items():
            path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def add_column_with_default(files: DeclarationFiles) -> str:
    table = files.tables_with_primary_key()[0]
    column = table.new_column_name("corpus_state")
    table.columns[column] = {"type": "text", "nullable": False, "default": "'new'"}
    return f"add column {column} text NOT NULL DEFAULT 'new' to {table.schema}.{table.name}"


def add_index(files: DeclarationFiles) -> str:
    table = files.tables_with_primary_key()[0]
    key = table.primary_key()
    leading = {_leading_column(index) for index in table.spec.get("indexes") or []}
    candidates = [
        name
        for name in table.columns
        if name not in key and _INDEXABLE_TYPE.match(table.column_type(name))
    ]
    fresh = [name for name in candidates if name not in leading]
    column = (fresh or candidates or key)[0]
    name = identifier(table.name, column, "corpus_idx")
    table.spec.setdefault("indexes", []).append({"name": name, "columns": [column]})
    return f"add index {name} on {table.schema}.{table.name} ({column})"


def _leading_column(index: dict[str, Any]) -> str | None:
    first = index["columns"][0]
    return first if isinstance(first, str) else first.get("column")


def change_check(files: DeclarationFiles) -> str:
    """Tighten the first check constraint; a case without one gets a new check instead."""
    for table in files.tables():
        checks = table.spec.get("checks") or []
        # A partition's columns are its parent's: its YAML names none to use here.
        if checks and table.columns:
            first_column = quoted(next(iter(table.columns)))
            check = checks[0]
            if isinstance(check, str):
                checks[0] = f"({check}) AND {first_column} IS NOT NULL"
                return f"change an unnamed check of {table.schema}.{table.name}"
            check["expression"] = f"({check['expression']}) AND {first_column} IS NOT NULL"
            return f"change check {check['name']} of {table.schema}.{table.name}"
    table = files.tables_with_primary_key()[0]
    name = identifier(table.name, "corpus_check")
    expression = f"{quoted(table.primary_key()[0])} IS NOT NULL"
    table.spec.setdefault("checks", []).append({"name": name, "expression": expression})
    return f"(no check in the case) add check {name} to {table.schema}.{table.name}"


def add_foreign_key(files: DeclarationFiles) -> str:
    tables = files.tables_with_primary_key()
    single = [table for table in tables if len(table.primary_key()) == 1]
    if not single:
        raise Blocked("the case has no table with a one-column primary key to reference")
    target = single[0]
    source = next((table for table in tables if table is not target), target)
    target_column = target.primary_key()[0]
    column_type = target.column_type(target_column)
    column_type = _SERIAL_TYPES.get(column_type, column_type)
    column = source.new_column_name(identifier("corpus", target.name, "id"))
    source.columns[column] = {"type": column_type}
    reference: dict[str, Any] = {"table": target.name, "columns": [target_column]}
    if target.schema != source.schema:
        reference = {"schema": target.schema, **reference}
    name = identifier(source.name, column, "fkey")
    source.spec.setdefault("foreign_keys", []).append(
        {"name": name, "columns": [column], "references": reference, "on_delete": "set null"}
    )
    return (
        f"add column {column} {column_type} to {source.schema}.{source.name} with foreign key "
        f"{name} to {target.schema}.{target.name} ({target_column})"
    )


_VARCHAR = re.compile(r"^varchar\((\d+)\)$")


def change_column_type(files: DeclarationFiles) -> str:
    """Widen a plain column nothing else mentions: integer → bigint, else varchar(n) → 2n."""
    referenced = files.referenced_columns()
    candidates = []
    for table in files.tables():
        for name, spec in table.columns.items():
            if isinstance(spec, dict) and {"identity", "generated"} & set(spec):
                continue
            mentioned = re.search(rf"\b{re.escape(name)}\b", table.text_outside(name))
            if mentioned or (table.schema, table.name, name) in referenced:
                continue
            candidates.append((table, name, table.column_type(name)))
    for wanted in ("integer", "varchar"):
        for table, name, old in candidates:
            new = _widened(old) if old.startswith(wanted) else None
            if new is not None:
                spec = table.columns[name]
                if isinstance(spec, dict):
                    spec["type"] = new
                else:
                    table.columns[name] = new
                return f"change {table.schema}.{table.name}.{name} from {old} to {new}"
    raise Blocked("no integer or varchar(n) column free of keys, indexes and checks")


def _widened(type_name: str) -> str | None:
    if type_name == "integer":
        return "bigint"
    match = _VARCHAR.match(type_name)
    return f"varchar({int(match.group(1)) * 2})" if match else None


EDITS: dict[str, Callable[[DeclarationFiles], str]] = {
    "edit_add_column": add_column_with_default,
    "edit_add_index": add_index,
    "edit_change_check": change_check,
    "edit_add_foreign_key": add_foreign_key,
    "edit_change_column_type": change_column_type,
}


# ---------------------------------------------------------------------------------------------
# One case's run


class CorpusRun:
    """The steps of one case against databases on the test server, each run at most once."""

    def __init__(self, case: CorpusCase, corpus: Path, server: Any, workdir: Path) -> None:
        self.case = case
        self.corpus = corpus
        self.server = server
        self.workdir = workdir
        self.schema_dir = workdir / "schema"
        self.migrations_dir = workdir / "migrations"
        self.outcomes: dict[str, Outcome] = {}
        self.databases: list[str] = []
        self.original = ""
        self.copy = ""

    # The steps, in order, with what each needs.
    REQUIRES: Mapping[str, tuple[str, ...]] = {
        "build": (),
        "dump": ("build",),
        "plan_original_empty": ("dump",),
        "migrate": ("dump",),
        "schema_equal": ("migrate",),
        "replan_empty": ("migrate",),
        "downgrade_empty": ("migrate",),
        **{edit: ("migrate",) for edit in EDITS},
    }

    def outcome(self, step: str) -> Outcome:
        if step not in self.outcomes:
            started = time.monotonic()
            try:
                for needed in self.REQUIRES[step]:
                    before = self.outcome(needed)
                    if before.status == "blocked":
                        raise Blocked(before.message)
                    if before.status == "failed":
                        raise Blocked(f"needs {needed}, which failed: {before.first_line}")
                outcome = Outcome("passed", self._run(step) or "")
            except Blocked as blocked:
                outcome = Outcome("blocked", str(blocked))
            except Exception as error:
                outcome = Outcome("failed", describe_failure(error))
            self.outcomes[step] = dataclasses.replace(
                outcome, seconds=round(time.monotonic() - started, 2)
            )
        return self.outcomes[step]

    def _run(self, step: str) -> str | None:
        """Run a step; what it returns describes what it did (the edit made)."""
        if step in EDITS:
            return self.edit(step)
        getattr(self, step)()
        return None

    def new_database(self) -> str:
        name: str = self.server.create_database()
        self.databases.append(name)
        return name

    def options(self, schema_dir: Path, migrations_dir: Path, database: str) -> workflow.Options:
        return workflow.Options(schema_dir, migrations_dir, database_url=self.server.url(database))

    def close(self) -> None:
        for name in self.databases:
            with contextlib.suppress(Exception):
                self.server.drop_database(name)

    # -- the steps ---------------------------------------------------------------------------

    def build(self) -> None:
        self.original = self.new_database()
        run_case_script(self.corpus, self.case, self.server.url(self.original))

    def dump(self) -> None:
        write_declarations(read_catalog(self.server, self.original), self.schema_dir)
        # The dump must load as it was written.
        load_declarations(self.schema_dir)

    def plan_original_empty(self) -> None:
        """The declarations dumped from a database describe that database: nothing to do."""
        options = self.options(self.schema_dir, self.workdir / "unused", self.original)
        result = workflow.compute_plan(options, server=self.server)
        assert result.plan.is_empty, plan_report(
            "planning ORIGINAL against its own dump is not empty", result.plan
        )

    def migrate(self) -> None:
        self.copy = self.new_database()
        options = self.options(self.schema_dir, self.migrations_dir, self.copy)
        rendered = workflow.render(options, "corpus round trip", server=self.server)
        assert rendered.path is not None, "the dump rendered no revision"
        migrations.upgrade(self.migrations_dir, self.server.url(self.copy))

    def schema_equal(self) -> None:
        original = schema_only_dump(self.server.url(self.original))
        copy = schema_only_dump(self.server.url(self.copy))
        comparison = compare_dumps(original, copy, "ORIGINAL", "COPY")
        if not comparison.equal:
            (self.workdir / "original.sql").write_text(comparison.left.text)
            (self.workdir / "copy.sql").write_text(comparison.right.text)
            artifacts = f"normalised dumps: {self.workdir}/original.sql, copy.sql"
            raise AssertionError(comparison.report(artifacts))

    def replan_empty(self) -> None:
        options = self.options(self.schema_dir, self.migrations_dir, self.copy)
        result = workflow.compute_plan(options, server=self.server)
        assert result.plan.is_empty, plan_report("re-planning COPY is not empty", result.plan)

    def downgrade_empty(self) -> None:
        downgraded = clone_database(self.server, self.copy)
        self.databases.append(downgraded)
        fresh = self.new_database()
        migrations.downgrade(self.migrations_dir, self.server.url(downgraded), "base")
        problems = catalog_differences(
            read_catalog(self.server, downgraded), read_catalog(self.server, fresh)
        )
        comparison = compare_dumps(
            schema_only_dump(self.server.url(downgraded)),
            schema_only_dump(self.server.url(fresh)),
            "DOWNGRADED",
            "FRESH",
        )
        if problems or not comparison.equal:
            details = "\n".join(problems)
            raise AssertionError(
                f"downgrade to base left objects behind: {comparison.summary()}\n{details}\n\n"
                + comparison.report()
            )
        for name in (downgraded, fresh):
            self.server.drop_database(name)

    def edit(self, step: str) -> str:
        """One realistic change of the dumped declarations, planned, applied and re-planned."""
        directory = self.workdir / step
        shutil.rmtree(directory, ignore_errors=True)
        schema_dir, migrations_dir = directory / "schema", directory / "migrations"
        shutil.copytree(self.schema_dir, schema_dir)
        shutil.copytree(self.migrations_dir, migrations_dir)
        files = DeclarationFiles(schema_dir)
        change = EDITS[step](files)
        files.save()
        database = clone_database(self.server, self.copy)
        self.databases.append(database)
        options = self.options(schema_dir, migrations_dir, database)
        rendered = workflow.render(options, step, server=self.server)
        assert rendered.path is not None, f"{change}: the planner planned nothing"
        try:
            migrations.upgrade(migrations_dir, self.server.url(database))
        except PlannerError as error:
            raise AssertionError(
                plan_report(f"{change}: alembic upgrade failed: {error}", rendered.plan)
            ) from error
        result = workflow.compute_plan(options, server=self.server)
        assert result.plan.is_empty, plan_report(
            f"{change}: re-planning after the upgrade is not empty", result.plan
        )
        self.server.drop_database(database)
        return change


def plan_report(title: str, plan: Any) -> str:
    text = render_sql(plan)
    if len(text) > PLAN_CHARACTERS_SHOWN:
        text = text[:PLAN_CHARACTERS_SHOWN] + f"\n… {len(text) - PLAN_CHARACTERS_SHOWN} more"
    steps = len(plan.steps)
    return f"{title} ({steps} step{'s' if steps != 1 else ''}):\n{text}"


STEPS = tuple(CorpusRun.REQUIRES)


class CorpusRuns:
    """The runs of every case of a test session, made when first asked for."""

    def __init__(self, corpus: Path, server: Any, workdir: Callable[[str], Path]) -> None:
        self.corpus = corpus
        self.server = server
        self.workdir = workdir
        self.runs: dict[str, CorpusRun] = {}

    def get(self, case: CorpusCase) -> CorpusRun:
        if case.id not in self.runs:
            self.runs[case.id] = CorpusRun(case, self.corpus, self.server, self.workdir(case.id))
        return self.runs[case.id]

    def close(self) -> None:
        for run in self.runs.values():
            run.close()

    def step_summaries(self, known_limitations: Mapping[str, str]) -> dict[str, Any]:
        """case → step → status, first line of the reason (or what was done), seconds."""
        report: dict[str, Any] = {}
        for case_id, run in self.runs.items():
            steps = report[case_id] = {}
            for step, outcome in run.outcomes.items():
                steps[step] = {"status": outcome.status, "seconds": outcome.seconds}
                if outcome.first_line:
                    key = "detail" if outcome.status == "passed" else "reason"
                    steps[step][key] = outcome.first_line
                known = known_limitations.get(f"{case_id}-{step}")
                if known:
                    steps[step]["known_limitation"] = known
        return report


def case_summary(steps: Mapping[str, Any]) -> dict[str, Any]:
    """A case is failed when one of its steps failed; the reason is the first such step's."""
    ordered = {step: steps[step] for step in STEPS if step in steps}
    failures = [
        f"{step}: {summary.get('reason', '')}"
        for step, summary in ordered.items()
        if summary["status"] == "failed"
    ]
    return {
        "status": "failed" if failures else "passed",
        "reason": failures[0] if failures else "",
        "steps": ordered,
    }


def write_report(path: str, runs: CorpusRuns, known_limitations: Mapping[str, str]) -> None:
    """Write the JSON summary. pytest-xdist workers of one run merge theirs under a lock."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    with open(target.with_name(f".{target.name}.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        same_run = bool(run_id) and lock.read() == run_id
        report: dict[str, Any] = {}
        if same_run and target.exists():
            with contextlib.suppress(ValueError):
                report = json.loads(target.read_text())
        # Workers may share a case (each runs the steps it needs): merge step by step.
        for case_id, steps in runs.step_summaries(known_limitations).items():
            earlier = report.get(case_id, {}).get("steps", {})
            report[case_id] = case_summary({**earlier, **steps})
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(dict(sorted(report.items())), indent=2) + "\n")
        os.replace(temporary, target)
        lock.seek(0)
        lock.truncate()
        lock.write(run_id)
