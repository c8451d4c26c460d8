"""Plan → an Alembic revision file (and the files of a new Alembic script directory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import jinja2

from planner.plan import Plan, Step
from planner.render.describe import describe
from planner.render.report import hazard_lines

INDENT = "    "


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: str
    down_revision: str | None
    message: str
    create_date: datetime


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("planner.render", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["pyrepr"] = python_literal
    return environment


def render_revision(plan: Plan, info: RevisionInfo) -> str:
    template = _environment().get_template("revision.py.j2")
    return template.render(
        message=_docstring_safe(info.message),
        revision=info.revision,
        down_revision=info.down_revision,
        create_date=info.create_date.isoformat(sep=" ", timespec="seconds"),
        upgrade=render_body(plan),
        downgrade=render_body(plan.reversed()),
    )


def render_environment_file(name: str, **values: str) -> str:
    return _environment().get_template(name).render(**values)


def render_body(plan: Plan) -> str:
    if plan.is_empty:
        return f"{INDENT}pass"
    return "\n".join(_body_lines(plan))


def _body_lines(plan: Plan) -> Iterator[str]:
    for setting in plan.session_settings:
        yield f"{INDENT}run({python_literal(setting.sql)})"
    if plan.session_settings:
        yield ""
    for position, step in enumerate(plan.steps):
        if position:
            yield ""
        yield f"{INDENT}# {_comment_safe(describe(step.operation))}"
        yield from _step_lines(step)


def _step_lines(step: Step) -> Iterator[str]:
    for statement in step.statements:
        for line in hazard_lines(statement):
            yield f"{INDENT}#   {_comment_safe(line)}"
        call = f"run({python_literal(statement.sql)})"
        if statement.transactional:
            yield f"{INDENT}{call}"
        else:
            # PostgreSQL refuses (or cannot use the result of) this inside a transaction block.
            yield f"{INDENT}with op.get_context().autocommit_block():"
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
