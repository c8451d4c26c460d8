"""The use cases behind the CLI: plan, render, check, dump — composed from the pipeline."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import psycopg

from planner import canonical_cache, guard, migrations
from planner.alembic_project import locate
from planner.canonical import canonicalize, plan_for
from planner.declare import Declarations, load_declarations
from planner.diff_recreate import ColumnOrder
from planner.errors import PlannerError
from planner.filters import Scope, exclude_tables
from planner.fingerprint import schema_fingerprint
from planner.hazards import Acknowledgement
from planner.introspect import introspect
from planner.model import Catalog
from planner.plan import Plan
from planner.render.alembic import RevisionInfo, render_revision
from planner.render.timeouts import Timeouts
from planner.server import Binaries, EmbeddedServer, find_binaries
from planner.urls import ConnectionTarget, mask_password, parse_database_url
from planner.verify import verify_plan

CONNECT_TIMEOUT_SECONDS = 10


class ConnectionFailed(PlannerError):
    """The target database could not be reached or read."""


@dataclass(frozen=True)
class Options:
    schema_dir: Path
    migrations_dir: Path
    database_url: str | None = None
    pg_bindir: str | None = None
    allowed_hazards: tuple[str, ...] = ()
    online: bool = True
    column_order: ColumnOrder = ColumnOrder.APPEND
    timeouts: Timeouts = field(default_factory=Timeouts)
    scope: Scope = field(default_factory=Scope)


class DatabaseServer(Protocol):
    """What the workflow needs of a server for scratch databases and history replays."""

    @property
    def major(self) -> int: ...
    def create_database(self, name: str | None = None) -> str: ...
    def drop_database(self, name: str) -> None: ...
    def conninfo(self, dbname: str = "postgres") -> str: ...
    def url(self, dbname: str = "postgres") -> str: ...


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    current: Catalog
    desired: Catalog
    target: str
    acknowledgements: tuple[Acknowledgement, ...] = ()
    fingerprint: str = ""

    def enforce_guard(self, allowed: tuple[str, ...]) -> None:
        guard.enforce(self.plan, allowed, self.acknowledgements)


def connect(target: ConnectionTarget, *, read_only: bool = True) -> psycopg.Connection[Any]:
    try:
        connection = psycopg.connect(
            target.conninfo,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            autocommit=True,
            application_name="schema-planner",
        )
    except psycopg.Error as error:
        message = mask_password(str(error).strip().splitlines()[0] if str(error) else "", ())
        raise ConnectionFailed(
            f"cannot connect to {target.display}: {mask_password(message, [target.conninfo])}"
        ) from None
    if read_only:
        connection.execute("SET default_transaction_read_only = on")
    return connection


@contextlib.contextmanager
def embedded_server(
    options: Options, prefer_major: int | None = None, running: DatabaseServer | None = None
) -> Iterator[DatabaseServer]:
    """The server for scratch work: the one given (tests share one), else a new embedded one."""
    if running is not None:
        yield running
        return
    binaries: Binaries = find_binaries(options.pg_bindir, prefer_major=prefer_major)
    with EmbeddedServer(binaries) as server:
        yield server


@contextlib.contextmanager
def scratch_database(server: DatabaseServer) -> Iterator[psycopg.Connection[Any]]:
    name = server.create_database()
    try:
        with psycopg.connect(server.conninfo(name), autocommit=True) as connection:
            yield connection
    finally:
        server.drop_database(name)


def desired_catalog(declarations: Declarations, server: DatabaseServer) -> Catalog:
    """The declarations in PostgreSQL's canonical form (cached per declarations and server)."""
    with psycopg.connect(server.conninfo(), autocommit=True) as connection:
        version = connection.info.server_version
    cached = canonical_cache.load(declarations.digest, version)
    if cached is not None:
        return cached
    with scratch_database(server) as scratch:
        catalog = canonicalize(declarations, scratch)
    canonical_cache.store(declarations.digest, version, catalog)
    return catalog


@dataclass(frozen=True)
class Snapshot:
    """The target's catalog and the fingerprint a revision checks before it runs."""

    catalog: Catalog
    fingerprint: str


def read_snapshot(
    connection: psycopg.Connection[Any], scope: Scope | None = None, *, fingerprint: bool = False
) -> Snapshot:
    """The catalog; and, for a revision about to be written, the schema's fingerprint."""
    catalog = exclude_tables(introspect(connection), scope)
    return Snapshot(catalog, schema_fingerprint(connection) if fingerprint else "")


def _snapshot_and_close(
    connection: psycopg.Connection[Any], scope: Scope, *, fingerprint: bool
) -> Snapshot:
    with connection:
        return read_snapshot(connection, scope, fingerprint=fingerprint)


def migration_history_snapshot(
    options: Options, server: DatabaseServer, *, fingerprint: bool = False
) -> Snapshot:
    """The schema the migrations directory builds, replayed by Alembic on a fresh database."""
    name = server.create_database()
    try:
        if migrations.heads(options.migrations_dir):
            migrations.upgrade(options.migrations_dir, server.url(name))
        with psycopg.connect(server.conninfo(name), autocommit=True) as connection:
            return read_snapshot(connection, options.scope, fingerprint=fingerprint)
    finally:
        server.drop_database(name)


def compute_plan(
    options: Options,
    server: DatabaseServer | None = None,
    *,
    verify: bool = False,
    enforce_guard: bool = False,
    fingerprint: bool = False,
    progress: Callable[[str], None] = lambda stage: None,
) -> PlanResult:
    """The plan from the target to the declarations; with `enforce_guard`, refused hazards
    stop it, and with `verify` it is proven on a scratch copy first (guard before proof)."""
    progress("reading the declarations")
    declarations = load_declarations(options.schema_dir)
    major = None
    description = f"migration history in {options.migrations_dir}"
    with contextlib.ExitStack() as stack:
        target_read = None
        if options.database_url:
            target = parse_database_url(options.database_url)
            progress(f"reading {target.display}")
            connection = connect(target)
            major = connection.info.server_version // 10000
            description = target.display
            # The target is read while the embedded server starts and the declarations are
            # created on it: both mostly wait on a server (psycopg releases the GIL).
            pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))
            target_read = pool.submit(
                _snapshot_and_close, connection, options.scope, fingerprint=fingerprint
            )
        progress("starting the embedded PostgreSQL")
        with embedded_server(options, major, server) as scratch_server:
            progress("creating the declarations on a scratch database")
            desired = exclude_tables(desired_catalog(declarations, scratch_server), options.scope)
            if target_read is not None:
                snapshot = target_read.result()
            else:
                progress("replaying the migration history")
                snapshot = migration_history_snapshot(
                    options, scratch_server, fingerprint=fingerprint
                )
            current = snapshot.catalog
            plan = plan_for(
                current,
                desired,
                online=options.online,
                renames=declarations.renames,
                column_order=options.column_order,
            )
            if enforce_guard:
                guard.enforce(plan, options.allowed_hazards, declarations.acknowledgements)
            if verify and not plan.is_empty:
                progress("verifying the plan on a scratch copy")
                with scratch_database(scratch_server) as scratch:
                    verify_plan(
                        plan,
                        current,
                        desired,
                        scratch,
                        declarations.renames,
                        options.column_order,
                    )
    return PlanResult(
        plan, current, desired, description, declarations.acknowledgements, snapshot.fingerprint
    )


def _read_catalog(target: ConnectionTarget) -> Catalog:
    with connect(target) as connection:
        return exclude_tables(introspect(connection))


def plan_between(
    current_url: str,
    desired_url: str,
    *,
    online: bool = True,
    column_order: ColumnOrder = ColumnOrder.APPEND,
) -> PlanResult:
    """The plan that makes one live database look like another (both only read)."""
    current_target = parse_database_url(current_url)
    desired_target = parse_database_url(desired_url)
    # Both databases are read at once: each read spends most of its time waiting for its
    # server (psycopg releases the GIL meanwhile), so one model is built while the other
    # database still answers.
    with ThreadPoolExecutor(max_workers=1) as pool:
        desired_read = pool.submit(_read_catalog, desired_target)
        with connect(current_target) as connection:
            current = read_snapshot(connection)
        desired = desired_read.result()
    plan = plan_for(current.catalog, desired, online=online, column_order=column_order)
    return PlanResult(
        plan, current.catalog, desired, current_target.display, (), current.fingerprint
    )


@dataclass(frozen=True)
class RenderResult:
    path: Path | None
    plan: Plan


def render(
    options: Options,
    message: str,
    *,
    revision: str | None = None,
    create_date: datetime | None = None,
    server: DatabaseServer | None = None,
    verify: bool = True,
    progress: Callable[[str], None] = lambda stage: None,
) -> RenderResult:
    with migrations.render_lock(options.migrations_dir):
        down_revision = migrations.single_head(options.migrations_dir)
        result = compute_plan(
            options, server, verify=verify, enforce_guard=True, fingerprint=True, progress=progress
        )
        if result.plan.is_empty:
            return RenderResult(None, result.plan)
        migrations.ensure_script_directory(options.migrations_dir)
        revision = revision or migrations.new_revision_id()
        created = create_date or datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        info = RevisionInfo(
            revision=revision,
            down_revision=down_revision,
            message=message,
            create_date=created,
            starting_fingerprint=result.fingerprint,
        )
        text = render_revision(result.plan, info, options.timeouts)
        path = locate(options.migrations_dir).revision_path(revision, message, created)
        migrations.write_atomically(path, text)
        migrations.rehash(options.migrations_dir)
        return RenderResult(path, result.plan)
