"""Real schemas from the shared corpus, round-tripped through the planner.

For every case: build it in ORIGINAL with the corpus script, dump ORIGINAL to declarations,
plan ORIGINAL against them (nothing to do), render them against the empty COPY and let Alembic
apply the revision, then compare `pg_dump --schema-only` of both, re-plan COPY (nothing to do),
downgrade a clone of COPY to base (an empty database again), and apply a few realistic edits
of the dumped YAML to further clones (each plans, applies and re-plans empty).

Each (case, step) is its own test; a step whose prerequisite failed is skipped with that reason.

    pytest tests/test_corpus.py -k pagila              # one case
    pytest tests/test_corpus.py -m "not slow"          # without the large cases
    CORPUS_REPORT=corpus.json pytest tests/test_corpus.py   # + a JSON summary per case
    EXTRA_CORPUS=dir pytest tests/test_corpus.py -k extra_  # your own: dir/*.sql, dir/*.sh
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS
from tests.corpuskit import (
    CASES,
    STEPS,
    CorpusCase,
    CorpusRuns,
    corpus_missing_reason,
    extra_cases,
)
from tests.corpuskit import write_report as write_corpus_report

# "<case>-<step>" → why it fails today. Each is a strict xfail: when the planner learns the
# missing piece, the test passes, pytest reports XPASS(strict) as a failure, and the entry
# goes. Reasons name the object kinds missing from COPY (pg_dump diff) or the bug.
KNOWN_LIMITATIONS: dict[str, str] = {
    # Every case passes every step at the commit that added this file. An entry looks like
    # "pagila-schema_equal": "COPY lacks the 7 views and the materialized view (views)",
}


REPORT_PATH = os.environ.get("CORPUS_REPORT")
EXTRA_CASES = (
    extra_cases(Path(os.environ["EXTRA_CORPUS"])) if os.environ.get("EXTRA_CORPUS") else ()
)


def _parameters() -> list[Any]:
    parameters = []
    for case in CASES + EXTRA_CASES:
        for step in STEPS:
            test_id = f"{case.id}-{step}"
            marks: list[pytest.MarkDecorator] = []
            if case.slow:
                marks.append(pytest.mark.slow)
            if test_id in KNOWN_LIMITATIONS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_LIMITATIONS[test_id]))
            parameters.append(pytest.param(case, step, id=test_id, marks=marks))
    return parameters


@pytest.fixture(scope="module")
def corpus_runs(pg_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusRuns]:
    missing = corpus_missing_reason(CORPUS)
    if missing:
        pytest.skip(missing)
    runs = CorpusRuns(CORPUS, pg_server, lambda case_id: tmp_path_factory.mktemp(case_id))
    try:
        yield runs
    finally:
        runs.close()


@pytest.mark.parametrize(("case", "step"), _parameters())
def test_corpus(case: CorpusCase, step: str, corpus_runs: CorpusRuns) -> None:
    run = corpus_runs.get(case)
    outcome = run.outcome(step)
    if REPORT_PATH:
        write_corpus_report(REPORT_PATH, corpus_runs, KNOWN_LIMITATIONS)
    if outcome.status == "blocked":
        pytest.skip(outcome.message)
    if outcome.status == "failed":
        pytest.fail(f"{case.id} {step} (work files: {run.workdir})\n{outcome.message}", False)


def test_known_limitations_name_real_tests() -> None:
    test_ids = {f"{case.id}-{step}" for case in CASES for step in STEPS}
    assert sorted(set(KNOWN_LIMITATIONS) - test_ids) == []


def test_corpus_location_is_reported_plainly(tmp_path: Path) -> None:
    reason = corpus_missing_reason(tmp_path / "nowhere")
    assert reason is not None and str(tmp_path / "nowhere") in reason


def test_extra_cases_are_the_sql_files_and_scripts_of_the_directory(tmp_path: Path) -> None:
    for name in ("b.sql", "a.sh", "notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "sub.sql").mkdir()
    cases = extra_cases(tmp_path)
    assert [case.id for case in cases] == ["extra_a", "extra_b"]
    assert all(Path(case.script).is_absolute() for case in cases)
