"""Plan → an Alembic revision file (and the files of a new Alembic script directory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import jinja2

from planner.fingerprint import fingerprint_query
from planner.plan import Plan
from planner.quoting import quote_qualified
from planner.render.describe import describe
from planner.render.report import hazard_lines
from planner.render.statements import Statement
from planner.render.timeouts import Timeouts

INDENT = "    "


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: str
    down_revision: str | None
    message: str
    create_date: datetime
    starting_fingerprint: str = ""


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("planner.render", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["pyrepr"] = python_literal
    return environment


DEFAULT_TIMEOUTS = Timeouts()


def render_revision(plan: Plan, info: RevisionInfo, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> str:
    template = _environment().get_template("revision.py.j2")
    downgrade = plan.reversed()
    statements = plan.statements + downgrade.statements
    return template.render(
        message=_docstring_safe(info.message),
        revision=info.revision,
        down_revision=info.down_revision,
        create_date=info.create_date.isoformat(sep=" ", timespec="seconds"),
        upgrade=render_body(plan, timeouts),
        downgrade=render_body(downgrade, timeouts),
        rebuilds_indexes=any(statement.rebuilds_invalid_index for statement in statements),
        starting_fingerprint=info.starting_fingerprint,
        fingerprint_query=fingerprint_query(),
    )


def render_environment_file(name: str, **values: str) -> str:
    return _environment().get_template(name).render(**values)


def render_body(plan: Plan, timeouts: Timeouts) -> str:
    if plan.is_empty:
        return f"{INDENT}pass"
    return "\n".join(_body_lines(plan, timeouts))


def _body_lines(plan: Plan, timeouts: Timeouts) -> Iterator[str]:
    for session_setting in plan.session_settings:
        yield f"{INDENT}run({python_literal(session_setting.sql)})"
    lock_setting = f"SET lock_timeout = '{timeouts.lock}'"
    yield f"{INDENT}run({python_literal(lock_setting)})"
    current: str | None = None
    for step in plan.steps:
        yield ""
        yield f"{INDENT}# {_comment_safe(describe(step.operation))}"
        for statement in step.statements:
            wanted = timeouts.long_statement if statement.long_running else timeouts.statement
            if wanted != current:
                setting = f"SET statement_timeout = '{wanted}'"
                yield f"{INDENT}run({python_literal(setting)})"
                current = wanted
            yield from _statement_lines(statement)


def _statement_lines(statement: Statement) -> Iterator[str]:
    for line in hazard_lines(statement):
        yield f"{INDENT}#   {_comment_safe(line)}"
    call = f"run({python_literal(statement.sql)})"
    if statement.transactional:
        yield f"{INDENT}{call}"
        return
    # PostgreSQL refuses (or cannot use the result of) this inside a transaction block.
    yield f"{INDENT}with op.get_context().autocommit_block():"
    if statement.rebuilds_invalid_index is not None:
        name = statement.rebuilds_invalid_index
        drop = f"DROP INDEX CONCURRENTLY IF EXISTS {quote_qualified(name)}"
        arguments = ", ".join(python_literal(value) for value in (name.schema, name.name, drop))
        yield f"{INDENT * 2}drop_index_if_invalid({arguments})"
    yield f"{INDENT * 2}{call}"


def python_literal(value: object) -> str:
    """A Python literal for a value; SQL text stays readable as a triple-quoted string."""
    if not isinstance(value, str):
        return repr(value)
    plain = not any(part in value for part in ('"""', "\\", "\r")) and not value.endswith('"')
    if plain and "\n" in value:
        # The added line breaks are whitespace to PostgreSQL.
        return f'"""\n{value}\n"""'
    if plain and "'" in value:
        return f'"""{value}"""'
    return repr(value)


def _comment_safe(text: str) -> str:
    return " ".join(text.split())


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
