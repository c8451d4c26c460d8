"""Our peers' test suites run through the planner: migra's fixtures, pg-schema-diff's cases.

Each case is a pair of schemas. OLD is built in database A and NEW in database B; B is dumped
to declarations, the plan A → declarations is rendered and applied with Alembic, and then A
must dump (`pg_dump --schema-only`) exactly as B does and a re-plan of A must be empty.

    python -m tests.peerkit regenerate REPORT.json   # rewrite KNOWN_LIMITATIONS from a report
    python -m tests.peerkit hazards                  # pg-schema-diff's expected hazard types

A report is written by the test run when `PEER_REPORT=REPORT.json` is set (see
`record_outcome`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fcntl
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors, sql

from planner import guard, migrations, workflow
from planner.canonical import plan_for
from planner.diff_recreate import ColumnOrder
from planner.dump import write_declarations
from planner.introspect import introspect
from planner.model import Catalog, QualifiedName
from planner.render.describe import describe
from tests.conftest import CORPUS

MIGRA_FIXTURES = CORPUS / "data" / "migra-fixtures"
MIGRA_SCRIPT = CORPUS / "cases" / "migra_fixture.sh"
PGSD_CASES = CORPUS / "data" / "pg-schema-diff" / "cases.json"
TEST_FILE = Path(__file__).with_name("test_peer_suites.py")
REPORT_ENVIRONMENT_VARIABLE = "PEER_REPORT"

MAX_ID_NAME_LENGTH = 60
MAX_REASON_LENGTH = 300
REASON_PIECE_LENGTH = 80
PEER_REFUSES = "pg-schema-diff refuses this change too"
DOES_NOT_BUILD = "does not build on PostgreSQL"
PEER_ENDS_ELSEWHERE = "pg-schema-diff ends in another state than NEW too (expectedDBSchemaDDL)"
NOT_READ = "planner does not read:"
DUMP_DIFFERS = "dump differs in"
# Both peers' loaders run this way (PGOPTIONS as in the corpus scripts).
_PSQL_ENVIRONMENT = {"PGOPTIONS": "--client-min-messages=warning"}
_SUITE_FILE_SUFFIX = "_cases_test.go"


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerCase:
    """One schema pair of a peer suite. For migra the sides are files the script loads."""

    id: str
    suite: str  # "migra" or "pgsd"
    key: str  # the fixture name, or pg-schema-diff's "<file>:<name>"
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    expected_hazards: tuple[str, ...] = ()
    # What pg-schema-diff itself answers instead of a plan (expectedPlanErrorIs/Contains).
    peer_refuses: str | None = None
    # pg-schema-diff's own end state when it differs from NEW (expectedDBSchemaDDL).
    peer_end_state: tuple[str, ...] = ()


def corpus_available() -> bool:
    return MIGRA_FIXTURES.is_dir() and PGSD_CASES.is_file()


def all_cases() -> list[PeerCase]:
    if not corpus_available():
        return []
    return migra_cases() + pgsd_cases()


def migra_cases() -> list[PeerCase]:
    fixtures = sorted(path.name for path in MIGRA_FIXTURES.iterdir() if (path / "a.sql").is_file())
    return [PeerCase(id=f"migra:{name}", suite="migra", key=name) for name in fixtures]


def pgsd_cases() -> list[PeerCase]:
    cases: list[PeerCase] = []
    used: set[str] = set()
    for raw in json.loads(PGSD_CASES.read_text()):
        case_id = _unique(pgsd_case_id(raw["file"], raw["name"]), used)
        cases.append(
            PeerCase(
                id=case_id,
                suite="pgsd",
                key=f"{raw['file']}:{raw['name']}",
                old=tuple(raw.get("oldSchemaDDL") or ()),
                new=tuple(raw.get("newSchemaDDL") or ()),
                roles=tuple(raw.get("roles") or ()),
                expected_hazards=tuple(raw.get("expectedHazardTypes") or ()),
                peer_refuses=raw.get("expectedPlanErrorIs") or raw.get("expectedPlanErrorContains"),
                peer_end_state=tuple(raw.get("expectedDBSchemaDDL") or ()),
            )
        )
    return cases


def pgsd_case_id(file: str, name: str) -> str:
    """`pgsd:<file>:<name>`: the file without `_cases_test.go`, the name in [a-z0-9_]."""
    stem = file.removesuffix(".go").removesuffix(_SUITE_FILE_SUFFIX.removesuffix(".go"))
    return f"pgsd:{sanitise(stem)}:{sanitise(name)[:MAX_ID_NAME_LENGTH].rstrip('_')}"


def sanitise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "_"


def _unique(candidate: str, used: set[str]) -> str:
    result, counter = candidate, 2
    while result in used:
        result = f"{candidate}_{counter}"
        counter += 1
    used.add(result)
    return result


# --- pg-schema-diff's hazard names ------------------------------------------------------------

# pg-schema-diff's Go constant → the string it reports (pkg/diff/plan.go); not every value
# follows the name (ExtensionVersionUpgrade is UPGRADING_EXTENSION_VERSION).
PGSD_HAZARD_NAMES = {
    "MigrationHazardTypeAcquiresAccessExclusiveLock": "ACQUIRES_ACCESS_EXCLUSIVE_LOCK",
    "MigrationHazardTypeAcquiresShareLock": "ACQUIRES_SHARE_LOCK",
    "MigrationHazardTypeAcquiresShareRowExclusiveLock": "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK",
    "MigrationHazardTypeCorrectness": "CORRECTNESS",
    "MigrationHazardTypeDeletesData": "DELETES_DATA",
    "MigrationHazardTypeHasUntrackableDependencies": "HAS_UNTRACKABLE_DEPENDENCIES",
    "MigrationHazardTypeIndexBuild": "INDEX_BUILD",
    "MigrationHazardTypeIndexDropped": "INDEX_DROPPED",
    "MigrationHazardTypeImpactsDatabasePerformance": "IMPACTS_DATABASE_PERFORMANCE",
    "MigrationHazardTypeIsUserGenerated": "IS_USER_GENERATED",
    "MigrationHazardTypeExtensionVersionUpgrade": "UPGRADING_EXTENSION_VERSION",
    "MigrationHazardTypeAuthzUpdate": "AUTHZ_UPDATE",
}


def expected_hazards(case: PeerCase) -> list[str]:
    """pg-schema-diff's expected hazards of a case as the names it reports, sorted, distinct."""
    return sorted({PGSD_HAZARD_NAMES[name] for name in case.expected_hazards})


def hazard_counts(cases: list[PeerCase] | None = None) -> Counter[str]:
    """How many cases expect each hazard."""
    counts: Counter[str] = Counter()
    for case in pgsd_cases() if cases is None else cases:
        counts.update(expected_hazards(case))
    return counts


# --- building one side ------------------------------------------------------------------------


class BuildFailed(Exception):
    """A side of a case does not load on this server."""


def build_side(case: PeerCase, side: str, url: str) -> None:
    """Load OLD ("old") or NEW ("new") of a case into the empty database at `url`."""
    if case.suite == "migra":
        _run([str(MIGRA_SCRIPT), url, case.key, {"old": "a", "new": "b"}[side]])
        return
    _create_roles(case.roles, url)
    statements = case.old if side == "old" else case.new
    if statements:
        # One psql for all statements: psql runs each in autocommit, as the corpus script
        # does with one psql per statement (no statement leaves a transaction or SET behind).
        script = "".join(f"{statement}\n;\n" for statement in statements)
        _run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", "-"], script)


def _create_roles(roles: tuple[str, ...], url: str) -> None:
    if not roles:
        return
    with psycopg.connect(url, autocommit=True) as connection:
        for role in roles:
            # The case names each role as SQL writes it (quoted where it must be).
            with contextlib.suppress(errors.DuplicateObject):
                connection.execute(sql.SQL("CREATE ROLE ") + sql.SQL(role))


def _run(command: list[str], stdin: str | None = None) -> None:
    result = subprocess.run(
        command,
        input=stdin,
        text=True,
        capture_output=True,
        env={**os.environ, **_PSQL_ENVIRONMENT},
        check=False,
    )
    if result.returncode != 0:
        raise BuildFailed(_first_line(result.stderr) or f"exit code {result.returncode}")


# --- running one case ---------------------------------------------------------------------------


@dataclass
class Outcome:
    case_id: str
    passed: bool
    reason: str = ""
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


class CaseFailed(Exception):
    """The case does not converge; the message is the reason, one line."""


class _Stopwatch:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = round(time.perf_counter() - started, 3)


def run_case(case: PeerCase, server: Any, workdir: Path) -> Outcome:
    started = time.perf_counter()
    watch = _Stopwatch()
    old_database = server.create_database()
    new_database = server.create_database()
    try:
        _converge(case, server, old_database, new_database, workdir, watch)
        reason = ""
    except CaseFailed as failure:
        reason = _clean(str(failure), (str(workdir), old_database, new_database))
        if case.peer_refuses:
            reason = f"{PEER_REFUSES} ({case.peer_refuses}); ours: {reason}"
        elif case.peer_end_state:
            reason = f"{PEER_ENDS_ELSEWHERE}; ours: {reason}"
    finally:
        server.drop_database(old_database)
        server.drop_database(new_database)
    seconds = round(time.perf_counter() - started, 3)
    return Outcome(case.id, not reason, _shorten(reason), seconds, watch.stages)


def _converge(
    case: PeerCase, server: Any, old: str, new: str, workdir: Path, watch: _Stopwatch
) -> None:
    schema_dir, migrations_dir = workdir / "schema", workdir / "migrations"
    with watch.stage("build"):
        for side, database in (("old", old), ("new", new)):
            try:
                build_side(case, side, server.url(database))
            except BuildFailed as error:
                raise CaseFailed(f"{side.upper()} {DOES_NOT_BUILD}: {error}") from None
    with watch.stage("declare"):
        old_kinds, _ = read_database(server.conninfo(old))
        new_kinds, new_catalog = read_database(server.conninfo(new))
        unread = sorted(set(old_kinds) | set(new_kinds))
        with _failing_as("dumping NEW to declarations", unread):
            # The declarations of a database without tables are an empty directory.
            schema_dir.mkdir(parents=True)
            write_declarations(new_catalog, schema_dir)
    # Every hazard is allowed: the peers' cases drop data on purpose, and convergence is the test.
    # The column order is part of NEW: tables are rebuilt when appending cannot give it.
    options = workflow.Options(
        schema_dir,
        migrations_dir,
        database_url=server.url(old),
        allowed_hazards=(guard.ALL,),
        column_order=ColumnOrder.REBUILD,
    )
    with watch.stage("render"), _failing_as("render", unread):
        rendered = workflow.render(options, "peer case", server=server)
    if rendered.path is not None:
        with watch.stage("upgrade"), _failing_as("alembic upgrade", unread):
            migrations.upgrade(migrations_dir, server.url(old))
    with watch.stage("replan"), _failing_as("re-plan", unread):
        replanned = workflow.compute_plan(options, server=server)
    with watch.stage("dump"):
        difference = dump_difference(server.url(new), server.url(old))
    problems = [difference] if difference else []
    if not replanned.plan.is_empty:
        first = describe(replanned.plan.steps[0].operation)
        problems.append(f"re-plan not empty ({len(replanned.plan.steps)} steps, first: {first})")
    elif difference:
        problems.append(_why_unseen(new_catalog, replanned))
    if problems:
        raise CaseFailed(_with_unread(unread, "; ".join(problems)))


def _why_unseen(new_catalog: Catalog, replanned: workflow.PlanResult) -> str:
    """Where the difference the dump shows is lost, when the re-plan is empty."""
    current, desired = replanned.current, replanned.desired
    if current == new_catalog:
        return "re-plan empty: the planner's catalogs of A and B are equal"
    try:
        if plan_for(current, new_catalog).is_empty:
            ignored = catalog_difference(new_catalog, current)
            return f"re-plan empty: the planner's diff ignores how A and B differ ({ignored})"
        lost = plan_for(desired, new_catalog)
    except Exception as error:
        return f"re-plan empty; planning A → B's catalog fails: {_first_line(error)}"
    if lost.is_empty:
        return "re-plan empty, but a plan from A to B's catalog is not"
    return (
        f"re-plan empty: declarations dumped from B lose it ({describe(lost.steps[0].operation)})"
    )


def catalog_difference(expected: Catalog, actual: Catalog) -> str:
    """The first object (and its fields) where two catalogs differ: `tables public.t: columns`."""
    for catalog_field in dataclasses.fields(Catalog):
        if not catalog_field.compare:
            continue
        want, got = getattr(expected, catalog_field.name), getattr(actual, catalog_field.name)
        if want == got:
            continue
        wanted = {_object_name(item): item for item in want}
        found = {_object_name(item): item for item in got}
        for name in sorted(set(wanted) | set(found)):
            if name not in found:
                return f"{catalog_field.name} {name}: missing"
            if name not in wanted:
                return f"{catalog_field.name} {name}: extra"
            if wanted[name] != found[name]:
                return (
                    f"{catalog_field.name} {name}: {_differing_fields(wanted[name], found[name])}"
                )
        return f"{catalog_field.name}: order"
    return "equal"


def _object_name(item: Any) -> str:
    name = getattr(item, "name", item)
    if isinstance(name, QualifiedName):
        return f"{name.schema}.{name.name}"
    arguments = getattr(item, "arguments", None)
    return f"{name}({arguments})" if arguments is not None else str(name)


def _differing_fields(want: Any, got: Any) -> str:
    if not dataclasses.is_dataclass(want):
        return "differs"
    names = [
        field.name
        for field in dataclasses.fields(want)
        if field.compare and getattr(want, field.name) != getattr(got, field.name)
    ]
    return ", ".join(names)


@contextlib.contextmanager
def _failing_as(stage: str, unread: list[str]) -> Iterator[None]:
    try:
        yield
    except Exception as error:
        detail = f"{stage} failed: {_error_name(error)}: {_first_line(error)}"
        raise CaseFailed(_with_unread(unread, detail)) from error


def _error_name(error: BaseException) -> str:
    """The PostgreSQL error class where there is one (Alembic wraps it), else the type."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, psycopg.Error):
            return type(cause).__name__
        cause = getattr(cause, "orig", None) or cause.__cause__
    return type(error).__name__


def _with_unread(unread: list[str], detail: str) -> str:
    return f"{NOT_READ} {', '.join(unread)} | {detail}" if unread else detail


def _first_line(error: BaseException | str) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else ""


def _clean(reason: str, secrets: tuple[str, ...]) -> str:
    """One stable line: no temporary paths or database names."""
    for secret, placeholder in zip(secrets, ("<tmp>", "<A>", "<B>"), strict=True):
        reason = reason.replace(secret, placeholder)
    reason = re.sub(r"planner_[0-9a-f]{12}", "<scratch>", reason)
    reason = re.sub(r"(?:<tmp>|/tmp/)\S*?/(?:schema|migrations)/(\S+)", r"\1", reason)
    reason = re.sub(r"alembic upgrade head failed in \S+: \(psycopg\.errors\.\w+\) ", "", reason)
    return " ".join(reason.split())


def _shorten(reason: str) -> str:
    if len(reason) <= MAX_REASON_LENGTH:
        return reason
    return reason[: MAX_REASON_LENGTH - 1] + "…"


# --- what the planner does not read ----------------------------------------------------------

# Objects of each kind in the user's schemas, as pg_catalog counts them (extension members
# and objects PostgreSQL makes by itself left out).
_CATALOG_COUNTS = """
WITH ns AS (
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'
),
members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
rel AS (
    SELECT c.* FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
    WHERE NOT EXISTS (SELECT 1 FROM members m
                      WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
),
proc AS (
    SELECT p.* FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM members m
                      WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
),
typ AS (
    SELECT t.* FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
    WHERE NOT EXISTS (SELECT 1 FROM members m
                      WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
)
SELECT 'view', count(*) FROM rel WHERE relkind = 'v'
UNION ALL SELECT 'materialized view', count(*) FROM rel WHERE relkind = 'm'
UNION ALL SELECT 'partitioned table', count(*) FROM rel WHERE relkind = 'p'
UNION ALL SELECT 'partition', count(*) FROM rel WHERE relispartition AND relkind IN ('r', 'p')
UNION ALL SELECT 'table inheritance', count(*) FROM rel
    WHERE NOT relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = rel.oid)
UNION ALL SELECT 'function', count(*) FROM proc WHERE prokind IN ('f', 'w')
UNION ALL SELECT 'procedure', count(*) FROM proc WHERE prokind = 'p'
UNION ALL SELECT 'aggregate', count(*) FROM proc WHERE prokind = 'a'
UNION ALL SELECT 'trigger', count(*) FROM pg_trigger t JOIN rel ON rel.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL SELECT 'policy', count(*) FROM pg_policy p JOIN rel ON rel.oid = p.polrelid
UNION ALL SELECT 'domain', count(*) FROM typ WHERE typtype = 'd'
UNION ALL SELECT 'composite type', count(*) FROM typ
    WHERE typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = typrelid) = 'c'
UNION ALL SELECT 'range type', count(*) FROM typ WHERE typtype = 'r'
UNION ALL SELECT 'collation', count(*) FROM pg_collation c JOIN ns ON ns.oid = c.collnamespace
UNION ALL SELECT 'rule', count(*) FROM pg_rewrite r JOIN rel ON rel.oid = r.ev_class
    WHERE r.rulename <> '_RETURN'
UNION ALL SELECT 'statistics object', count(*)
    FROM pg_statistic_ext s JOIN ns ON ns.oid = s.stxnamespace
UNION ALL SELECT 'event trigger', count(*) FROM pg_event_trigger
UNION ALL SELECT 'privilege', (SELECT count(*) FROM rel WHERE relacl IS NOT NULL)
    + (SELECT count(*) FROM proc WHERE proacl IS NOT NULL)
    + (SELECT count(*) FROM typ WHERE typacl IS NOT NULL)
    + (SELECT count(*) FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
       WHERE a.attacl IS NOT NULL)
    + (SELECT count(*) FROM pg_default_acl)
"""


def read_database(conninfo: str) -> tuple[list[str], Catalog]:
    """The planner's catalog of a database, and the kinds of objects it holds fewer of."""
    with _failing_as("introspection", []), psycopg.connect(conninfo, autocommit=True) as connection:
        present: dict[str, int] = dict(connection.execute(_CATALOG_COUNTS).fetchall())
        catalog = introspect(connection)
    read = read_counts(catalog)
    return [kind for kind, count in present.items() if count > read.get(kind, 0)], catalog


def read_counts(catalog: Catalog) -> dict[str, int]:
    """The same kinds counted in the planner's catalog; kinds it has no place for count 0."""
    tables, views = catalog.tables, catalog.views
    programs = Counter(function.kind for function in catalog.functions)
    return {
        "view": sum(not view.materialized for view in views),
        "materialized view": sum(view.materialized for view in views),
        "partitioned table": sum(table.partitioning is not None for table in tables),
        "partition": sum(table.partition_of is not None for table in tables),
        "table inheritance": sum(bool(table.inherits) for table in tables),
        "function": programs["function"],
        "procedure": programs["procedure"],
        "aggregate": programs["aggregate"],
        "trigger": sum(len(relation.triggers) for relation in (*tables, *views)),
        "policy": sum(len(table.policies) for table in tables),
        "rule": sum(len(relation.rules) for relation in (*tables, *views)),
        "domain": len(catalog.domains),
        "composite type": len(catalog.composite_types),
        "collation": len(catalog.collations),
    }


# --- comparing dumps ------------------------------------------------------------------------

_HEADER = re.compile(r"^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: (.*)$")
_SESSION_LINE = re.compile(r"^\\(?:un)?restrict ")
_VERSION_TABLE_PATTERN = "*.alembic_version"
# Lines pg_dump writes where the running order makes them due, not with one object: the
# default access method and tablespace are set before the first table, the trailer after
# the last object.
_POSITIONAL = frozenset(
    (
        "SET default_tablespace = '';",
        "SET default_table_access_method = heap;",
        "-- PostgreSQL database dump complete",
    )
)


@dataclass(frozen=True)
class DumpItem:
    """One object of a plain `pg_dump` (the text under one `-- Name: …; Type: …` header)."""

    kind: str
    label: str
    body: tuple[str, ...]


def schema_dump(url: str) -> str:
    result = subprocess.run(
        ["pg_dump", "--schema-only", f"--exclude-table={_VERSION_TABLE_PATTERN}", url],
        text=True,
        capture_output=True,
        env={**os.environ, **_PSQL_ENVIRONMENT},
        check=False,
    )
    if result.returncode != 0:
        raise CaseFailed(f"pg_dump failed: {_first_line(result.stderr)}")
    return result.stdout


def dump_items(text: str) -> list[DumpItem]:
    """The objects of a dump, sorted: pg_dump breaks ties between equal names by OID."""
    items: list[DumpItem] = []
    kind, label, body = "", "(preamble)", list[str]()
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header is not None:
            items.append(_item(kind, label, body))
            name, kind, schema, _owner = header.groups()
            label = name if schema == "-" else f"{schema}.{name}"
            body = []
        elif not _SESSION_LINE.match(line):
            body.append(line)
    items.append(_item(kind, label, body))
    return sorted(items, key=lambda item: (item.kind, item.label, item.body))


def _item(kind: str, label: str, body: list[str]) -> DumpItem:
    lines = [line for line in body if line.strip() not in ("", "--") and line not in _POSITIONAL]
    if kind == "ACL":
        # GRANTs come out in the order they were made (aclitem order), not a defined order.
        lines.sort()
    return DumpItem(kind, label, tuple(lines))


def dump_difference(expected_url: str, actual_url: str) -> str:
    """'' when both databases dump alike, else what differs (B's objects vs A's)."""
    expected = dump_items(schema_dump(expected_url))
    actual = dump_items(schema_dump(actual_url))
    if expected == actual:
        return ""
    return describe_difference(expected, actual)


def describe_difference(expected: list[DumpItem], actual: list[DumpItem]) -> str:
    """`dump differs in KIND, …: missing …, changed … (want …; got …), extra …`."""
    expected_by_key = {(item.kind, item.label): item for item in expected}
    actual_by_key = {(item.kind, item.label): item for item in actual}
    kinds: set[str] = set()
    parts: list[str] = []
    for key, item in expected_by_key.items():
        other = actual_by_key.get(key)
        if other is None:
            parts.append(f"missing {item.kind} {item.label}")
        elif other.body != item.body:
            parts.append(f"changed {item.kind} {item.label} ({_first_change(item, other)})")
        else:
            continue
        kinds.add(item.kind)
    for kind, label in actual_by_key:
        if (kind, label) not in expected_by_key:
            parts.append(f"extra {kind} {label}")
            kinds.add(kind)
    if not parts:
        return "dump differs: the same objects, repeated"
    more = f" (+{len(parts) - 3} more)" if len(parts) > 3 else ""
    return f"{DUMP_DIFFERS} {', '.join(sorted(kinds))}: {', '.join(parts[:3])}{more}"


def _first_change(expected: DumpItem, actual: DumpItem) -> str:
    want, got = [], []
    for line in difflib.ndiff(expected.body, actual.body):
        if line.startswith("- "):
            want.append(line[2:].strip())
        elif line.startswith("+ "):
            got.append(line[2:].strip())
    return f"want {' | '.join(want[:2]) or '-'}; got {' | '.join(got[:2]) or '-'}"


# --- the report -------------------------------------------------------------------------------


def report_path() -> Path | None:
    value = os.environ.get(REPORT_ENVIRONMENT_VARIABLE)
    return Path(value) if value else None


def record_outcome(path: Path, outcome: Outcome) -> None:
    """Merge one outcome into the JSON report; safe with several pytest-xdist workers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        report = load_report(path) if path.exists() else {"cases": {}}
        report["cases"][outcome.case_id] = {
            "outcome": "passed" if outcome.passed else "failed",
            "reason": outcome.reason,
            "seconds": outcome.seconds,
            "stages": outcome.stages,
        }
        report["summary"] = summarise(report["cases"])
        migrations.write_atomically(path, json.dumps(report, indent=1, sort_keys=True) + "\n")


def load_report(path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(path.read_text())
    return report


def summarise(cases: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for suite in ("migra", "pgsd"):
        entries = [entry for case_id, entry in cases.items() if case_id.startswith(f"{suite}:")]
        passed = sum(entry["outcome"] == "passed" for entry in entries)
        seconds = sum(entry["seconds"] for entry in entries)
        summary[suite] = {
            "cases": len(entries),
            "passed": passed,
            "seconds": round(seconds, 1),
            "groups": dict(Counter(failure_group(e["reason"]) for e in entries if e["reason"])),
        }
    return summary


# --- KNOWN_LIMITATIONS from a report ---------------------------------------------------------

BEGIN_MARKER = "# BEGIN GENERATED by `python -m tests.peerkit regenerate REPORT.json`"
END_MARKER = "# END GENERATED"


def failure_group(reason: str) -> str:
    """The heading a failure is listed under, read off the reason's fixed prefixes."""
    if reason.startswith(PEER_REFUSES):
        return PEER_REFUSES
    reason = reason.removeprefix(f"{PEER_ENDS_ELSEWHERE}; ours: ")
    if DOES_NOT_BUILD in reason:
        return f"a side {DOES_NOT_BUILD}"
    if reason.startswith(NOT_READ):
        return reason.split(" | ", 1)[0]
    stage = re.match(r"(.*?) failed: (\w+): (.*)", reason)
    if stage is not None:
        name, error, message = stage.groups()
        return f"{name} fails: {error}: {_message_pattern(message)}"
    if reason.startswith(DUMP_DIFFERS):
        return reason.split(":", 1)[0]
    return reason.split(" (", 1)[0]


def _message_pattern(message: str) -> str:
    """An error message with the names in it masked, so that like failures group together."""
    before, refused, detail = message.rpartition("PostgreSQL refused it: ")
    if refused:
        message = f"{before.split(':', 1)[0]}: {detail}"
    message = message.removesuffix("…")
    message = re.sub(r'"(?:[^"]|"")*"', "…", message)
    message = re.sub(r"\S*[._/0-9]\S*", "…", message)
    return message[:120]


def regenerate(report: dict[str, Any], test_file: Path = TEST_FILE) -> dict[str, str]:
    """Rewrite KNOWN_LIMITATIONS (and raise the pass floors) from a report.

    Cases the report passed leave the list, cases it failed enter with the reason it gives,
    cases it does not mention keep their entry.
    """
    namespace: dict[str, Any] = {}
    text = test_file.read_text()
    begin, end = text.index(BEGIN_MARKER), text.index(END_MARKER)
    exec(text[begin:end], namespace)
    limitations: dict[str, str] = dict(namespace["KNOWN_LIMITATIONS"])
    cases = {case.id: case for case in all_cases()}
    for case_id, entry in report["cases"].items():
        if case_id not in cases:
            continue
        if entry["outcome"] == "passed":
            limitations.pop(case_id, None)
        else:
            limitations[case_id] = entry["reason"]
    limitations = {key: value for key, value in limitations.items() if key in cases}
    floors = {
        suite: max(namespace["PASS_FLOORS"][suite], passing(suite, cases, limitations))
        for suite in ("migra", "pgsd")
    }
    block = render_block(limitations, floors)
    test_file.write_text(text[:begin] + block + text[end:])
    return limitations


def passing(suite: str, cases: dict[str, PeerCase], limitations: dict[str, str]) -> int:
    return sum(
        1 for case_id in cases if case_id.startswith(f"{suite}:") and case_id not in limitations
    )


def render_block(limitations: dict[str, str], floors: dict[str, int]) -> str:
    groups: dict[str, list[str]] = {}
    for case_id in sorted(limitations):
        groups.setdefault(failure_group(limitations[case_id]), []).append(case_id)
    lines = [
        BEGIN_MARKER,
        "# Cases that do not converge today, grouped by what fails; the reason is what the",
        "# run observed. Each is a strict xfail: a case that starts passing fails the run",
        "# until it leaves this list.",
        "KNOWN_LIMITATIONS: dict[str, str] = {",
    ]
    for group in sorted(groups, key=lambda name: (-len(groups[name]), name)):
        heading = textwrap.wrap(f"{group} ({len(groups[group])})", REASON_PIECE_LENGTH + 8)
        lines += [f"    # {heading[0]}", *(f"    #   {more}" for more in heading[1:])]
        for case_id in groups[group]:
            lines += _entry_lines(case_id, limitations[case_id])
    lines += [
        "}",
        "# Passing cases per suite: the pass-rate test fails below these (regenerate raises them).",
        f'PASS_FLOORS = {{"migra": {floors["migra"]}, "pgsd": {floors["pgsd"]}}}',
        "",
    ]
    return "\n".join(lines)


def _entry_lines(case_id: str, reason: str) -> list[str]:
    """`"id": (` and the reason in pieces short enough for the line length, joined exactly."""
    pieces = textwrap.wrap(
        reason, REASON_PIECE_LENGTH, drop_whitespace=False, break_on_hyphens=False
    )
    return [
        f"    {json.dumps(case_id)}: (",
        *(f"        {json.dumps(piece, ensure_ascii=False)}" for piece in pieces or [""]),
        "    ),",
    ]


def main(arguments: list[str]) -> int:
    if len(arguments) == 2 and arguments[0] == "regenerate":
        limitations = regenerate(load_report(Path(arguments[1])))
        print(f"{TEST_FILE}: {len(limitations)} known limitations")
        _format(TEST_FILE)
        return 0
    if arguments == ["hazards"]:
        for name, count in sorted(hazard_counts().items(), key=lambda item: (-item[1], item[0])):
            print(f"{count:4d}  {name}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


def _format(path: Path) -> None:
    """Let ruff lay the generated block out as the project's formatter would."""
    try:
        subprocess.run([sys.executable, "-m", "ruff", "format", str(path)], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"note: ruff format {path} did not run ({error}); run it yourself", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
