"""Declaration cases: each plans, applies with Alembic, re-plans empty, and downgrades back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.render.report import render_sql
from tests.casekit import CASES_DIR, CaseRun, check_golden, schema_dir_of

CASES = sorted(path for path in CASES_DIR.iterdir() if path.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_converges_both_ways(
    case: Path, pg_server: Any, database: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    before = schema_dir_of(case, "before", empty)
    after = schema_dir_of(case, "after", empty)
    run = CaseRun(pg_server, database, tmp_path / "migrations")

    if before is not empty:
        first = run.render(before, "before")
        assert first.path is not None, "the before side should create something"
        run.upgrade()
        assert run.replan_sql(before) == "", "before side did not converge"

    second = run.render(after, "after")
    assert second.path is not None, "the case should plan a change"
    check_golden(case / "expected.sql", render_sql(second.plan), pg_server.major)

    run.upgrade()
    assert run.replan_sql(after) == "", "upgrade did not converge on the after side"

    run.downgrade("-1")
    assert run.replan_sql(before) == "", "downgrade did not return to the before side"
