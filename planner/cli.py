"""The `schema` command: parse options, call the workflow, print, choose the exit code.

Exit codes are a contract: 0 success / in sync / no changes, 1 changes or drift found
(`check`, `plan --exit-code`), 2 any error.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from planner import config, migrations, workflow
from planner import lint as linting
from planner.collector import without_full_collections
from planner.console import Progress, paint, paint_plan
from planner.diff_recreate import ColumnOrder
from planner.errors import PlannerError
from planner.filters import Scope
from planner.hazards import HazardKind
from planner.render.check import render_check_json, render_check_text
from planner.render.markdown import render_markdown
from planner.render.report import NO_CHANGES, render_json, render_sql, render_text
from planner.render.timeouts import Timeouts
from planner.urls import mask_password

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_ERROR = 2

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, hint: str | None, secrets: list[str]) -> NoReturn:
    error = paint("error:", "drift", sys.stderr)
    click.echo(f"{error} {mask_password(message, secrets)}", err=True)
    if hint:
        click.echo(
            f"{paint('hint:', 'muted', sys.stderr)} {mask_password(hint, secrets)}", err=True
        )
    sys.exit(EXIT_ERROR)


def _reports_errors(function: F) -> F:
    """Turn every failure into one line and exit code 2; never a traceback for bad input."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        secrets = [kwargs.get("database_url") or "", kwargs.get("to_database_url") or ""]
        try:
            return function(*args, **kwargs)
        except PlannerError as error:
            _fail(str(error), error.hint, secrets)
        except KeyboardInterrupt:
            _fail("interrupted", None, secrets)
        except Exception as error:  # a bug: still one line, the details on request
            if kwargs.get("verbose"):
                traceback.print_exc()
            _fail(
                f"internal error: {type(error).__name__}: {error}",
                "run again with --verbose for the traceback, and report it",
                secrets,
            )

    return wrapper  # type: ignore[return-value]


def _target_options(function: F) -> F:
    decorators = [
        click.option(
            "--database-url",
            envvar="DATABASE_URL",
            help="Target database (SQLAlchemy or libpq URL, or conninfo). Default: $DATABASE_URL; "
            "without one, an embedded server replays the migrations directory.",
        ),
        click.option(
            "--schema-dir",
            type=click.Path(path_type=Path, file_okay=False),
            default=Path("schema"),
            show_default=True,
            help="Directory of YAML declarations.",
        ),
        click.option(
            "--migrations-dir",
            type=click.Path(path_type=Path, file_okay=False),
            default=Path("generated_migrations"),
            show_default=True,
            help="Alembic script directory.",
        ),
        click.option(
            "--pg-bindir",
            envvar="PG_BINDIR",
            help="PostgreSQL binaries for the embedded server (default: found automatically).",
        ),
        click.option(
            "--allow-hazard",
            "allowed_hazards",
            multiple=True,
            type=click.Choice([kind.value for kind in HazardKind] + ["all"]),
            help="Let a plan with this hazard through (repeatable; 'all' allows every kind). "
            "deletes-data is refused unless allowed here or acknowledged in the declarations.",
        ),
        click.option(
            "--online/--no-online",
            default=True,
            show_default=True,
            help="Online DDL: concurrent index builds, NOT VALID + VALIDATE, proven NOT NULL.",
        ),
        click.option(
            "--column-order",
            type=click.Choice([order.value for order in ColumnOrder]),
            default=ColumnOrder.APPEND.value,
            show_default=True,
            help="When a table's columns cannot get the declared order by appending: 'append' "
            "adds them last and takes the order as no difference; 'rebuild' recreates the table "
            "in the declared order, copying its rows (a rewrite under an ACCESS EXCLUSIVE lock).",
        ),
        click.option("--lock-timeout", default="3s", show_default=True),
        click.option("--statement-timeout", default="1min", show_default=True),
        click.option(
            "--long-statement-timeout",
            default="4h",
            show_default=True,
            help="For statements that block nobody but take time (index builds, validations).",
        ),
        click.option(
            "--include-schema", "include_schemas", multiple=True, help="Glob; repeatable."
        ),
        click.option(
            "--exclude-schema", "exclude_schemas", multiple=True, help="Glob; repeatable."
        ),
        click.option(
            "--include-table",
            "include_tables",
            multiple=True,
            help="Glob on table or schema.table; repeatable.",
        ),
        click.option("--exclude-table", "exclude_tables", multiple=True, help="Glob; repeatable."),
        click.option("--quiet", "-q", is_flag=True, help="No progress line on the terminal."),
        click.option("--verbose", is_flag=True, help="Show tracebacks of internal errors."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _options(kwargs: dict[str, Any]) -> workflow.Options:
    return workflow.Options(
        schema_dir=kwargs["schema_dir"],
        migrations_dir=kwargs["migrations_dir"],
        database_url=kwargs["database_url"] or None,
        pg_bindir=kwargs["pg_bindir"],
        allowed_hazards=tuple(kwargs.get("allowed_hazards", ())),
        online=kwargs.get("online", True),
        column_order=ColumnOrder(kwargs.get("column_order", ColumnOrder.APPEND.value)),
        timeouts=Timeouts(
            kwargs.get("lock_timeout", "3s"),
            kwargs.get("statement_timeout", "1min"),
            kwargs.get("long_statement_timeout", "4h"),
        ),
        scope=Scope(
            tuple(kwargs.get("include_schemas", ())),
            tuple(kwargs.get("exclude_schemas", ())),
            tuple(kwargs.get("include_tables", ())),
            tuple(kwargs.get("exclude_tables", ())),
        ),
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="schema-planner")
@click.pass_context
def main(context: click.Context) -> None:
    """Schema-as-code for PostgreSQL: declare tables in YAML, review plans, let Alembic apply them.

    \b
    Typical loop:
      schema plan                      # what would the next migration be?
      schema render -m "add wallets"   # write it into the migrations directory
      alembic -c generated_migrations/alembic.ini upgrade head

    Defaults can be set in pyproject.toml under [tool.schema]; flags override them.
    """
    try:
        context.default_map = config.default_map(config.load_settings())
    except PlannerError as error:
        _fail(str(error), error.hint, [])


@main.command()
@_target_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "sql", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (0 when none).")
@click.option(
    "--verify",
    is_flag=True,
    help="Prove the plan on a scratch copy of the target first (render always does).",
)
@click.option(
    "--to-database-url",
    help="Plan towards this database instead of the declarations (both are only read).",
)
@_reports_errors
def plan(
    output_format: str, exit_code: bool, verify: bool, to_database_url: str | None, **kwargs: Any
) -> None:
    """Print the plan that brings the target to the declarations.

    \b
    Examples:
      DATABASE_URL=postgresql://app@db/app schema plan --format sql
      schema plan --database-url postgresql://db/staging --to-database-url postgresql://db/dev
    """
    options = _options(kwargs)
    if to_database_url:
        if not options.database_url:
            raise PlannerError("--to-database-url needs --database-url (the database to change)")
        result = workflow.plan_between(
            options.database_url,
            to_database_url,
            online=options.online,
            column_order=options.column_order,
        )
    else:
        with Progress(quiet=kwargs["quiet"]).running() as progress:
            result = workflow.compute_plan(
                options, verify=verify, enforce_guard=True, progress=progress
            )
    if output_format == "json":
        click.echo(render_json(result.plan, result.target), nl=False)
    elif output_format == "sql":
        click.echo(render_sql(result.plan, options.timeouts), nl=False)
    elif output_format == "markdown":
        report = render_markdown(result.plan, result.current, result.desired, result.target)
        click.echo(report, nl=False)
    else:
        click.echo(paint_plan(render_text(result.plan, result.target)), nl=False)
    if exit_code and not result.plan.is_empty:
        sys.exit(EXIT_CHANGES)


@main.command()
@click.option("-m", "--message", required=True, help="The revision's message.")
@_target_options
@_reports_errors
def render(message: str, **kwargs: Any) -> None:
    """Write the next Alembic revision into the migrations directory and print its path.

    \b
    Example:
      schema render -m "index pending jobs"
    """
    with Progress(quiet=kwargs["quiet"]).running() as progress:
        result = workflow.render(_options(kwargs), message, progress=progress)
    if result.path is None:
        click.echo("No changes; nothing written.")
        return
    click.echo(str(result.path))


@main.command()
@_target_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--history",
    is_flag=True,
    help="With a database URL, also check the migration history (replayed) in the same run.",
)
@_reports_errors
def check(output_format: str, history: bool, **kwargs: Any) -> None:
    """Drift check for CI: exit 0 when in sync, 1 on drift (differences printed), 2 on error.

    It also fails (exit 1) when the migrations directory has several heads, a broken
    down_revision chain, or a revision added, removed or edited since `render` (schema.sum).

    \b
    Examples:
      schema check                                          # migration history vs declarations
      DATABASE_URL=postgresql://ro@prod/app schema check    # live database vs declarations
      DATABASE_URL=postgresql://ro@prod/app schema check --history   # both
    """
    options = _options(kwargs)
    with Progress(quiet=kwargs["quiet"]).running() as progress:
        results = [workflow.compute_plan(options, progress=progress)]
        if options.database_url and history:
            history_options = dataclasses.replace(options, database_url=None)
            results.append(workflow.compute_plan(history_options, progress=progress))
    problems = migrations.directory_problems(options.migrations_dir)
    if output_format == "json":
        click.echo(render_check_json(results, problems), nl=False)
    else:
        in_sync = not problems and all(result.plan.is_empty for result in results)
        click.echo(
            paint(render_check_text(results, problems), "ok" if in_sync else "drift"), nl=False
        )
    if problems or any(not result.plan.is_empty for result in results):
        sys.exit(EXIT_CHANGES)


@main.command()
@click.option(
    "--migrations-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("generated_migrations"),
    show_default=True,
)
@click.option("--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@_reports_errors
def rehash(migrations_dir: Path, verbose: bool) -> None:
    """Record the current revision files in schema.sum after a deliberate hand edit.

    \b
    Example:
      schema rehash --migrations-dir generated_migrations
    """
    click.echo(f"Wrote {migrations.rehash(migrations_dir)}")


@main.command()
@click.option("--database-url", envvar="DATABASE_URL", required=True, help="Database to read.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--schema", "schemas", multiple=True, help="Only this schema (repeatable).")
@click.option("--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@_reports_errors
def dump(database_url: str, out: Path, schemas: tuple[str, ...], verbose: bool) -> None:
    """Write declarations for an existing database.

    \b
    Example:
      schema dump --database-url postgresql://app@db/app --out schema/
    """
    from planner.dump import dump_database

    written = dump_database(database_url, out, list(schemas) or None)
    click.echo(f"Wrote {len(written)} file{'s' if len(written) != 1 else ''} to {out}")


@main.command("lint")
@click.option(
    "--schema-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("schema"),
    show_default=True,
    help="Directory of YAML declarations.",
)
@click.option(
    "--pg-bindir",
    envvar="PG_BINDIR",
    help="PostgreSQL binaries for the embedded server (default: found automatically).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    type=click.Choice(linting.RULE_IDS),
    help="Skip this rule for every object (repeatable).",
)
@click.option("--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@_reports_errors
def lint_command(
    schema_dir: Path,
    pg_bindir: str | None,
    output_format: str,
    ignore: tuple[str, ...],
    verbose: bool,
) -> None:
    """Advise on the declarations: exit 0 when there is no advice, 1 when there is, 2 on error.

    Each advisory names its file and line, the rule and the object. Silence a rule for one
    table or column with `lint_ignore: [RULE]` in its declaration.

    \b
    Example:
      schema lint --ignore name-too-long
    """
    from planner.declare import load_declarations

    declarations = load_declarations(schema_dir)
    options = workflow.Options(
        schema_dir=schema_dir, migrations_dir=Path("generated_migrations"), pg_bindir=pg_bindir
    )
    with workflow.embedded_server(options) as server:
        desired = workflow.desired_catalog(declarations, server)
    advisories = linting.lint(desired, declarations.lint_ignores, ignore)
    located = linting.locate(advisories, declarations)
    if output_format == "json":
        click.echo(linting.render_json(located), nl=False)
    else:
        click.echo(linting.render_text(located), nl=False)
    if located:
        sys.exit(EXIT_CHANGES)


def run() -> None:
    """The `schema` command: one plan (or check, or render) per process."""
    without_full_collections()
    main()


__all__ = ["NO_CHANGES", "main", "run"]
