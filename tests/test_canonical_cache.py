"""Unchanged declarations are not created on the scratch server again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner import workflow
from planner.declare import load_declarations

TABLE = "tables:\n  t:\n    columns: {id: bigint, label: text}\n    primary_key: [id]\n"


def test_second_canonicalisation_comes_from_the_cache(
    tmp_path: Path, pg_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "t.yaml").write_text(TABLE)
    calls: list[int] = []
    real = workflow.canonicalize

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(workflow, "canonicalize", counting)
    first = workflow.desired_catalog(load_declarations(tmp_path / "schema"), pg_server)
    second = workflow.desired_catalog(load_declarations(tmp_path / "schema"), pg_server)
    assert first == second and len(calls) == 1

    (tmp_path / "schema" / "t.yaml").write_text(TABLE.replace("label: text", "label: varchar"))
    changed = workflow.desired_catalog(load_declarations(tmp_path / "schema"), pg_server)
    assert len(calls) == 2 and changed != first

    monkeypatch.setenv("SCHEMA_PLANNER_NO_CACHE", "1")
    workflow.desired_catalog(load_declarations(tmp_path / "schema"), pg_server)
    assert len(calls) == 3
