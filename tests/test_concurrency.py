"""Two `schema render` runs at once cannot make two heads, and leave no half-written file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from planner import migrations

USERS = "tables:\n  users:\n    columns: {id: bigint, email: text}\n    primary_key: [id]\n"


def test_two_renders_at_once_make_one_revision(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "users.yaml").write_text(USERS)
    schema = Path(sys.executable).with_name("schema")
    command = [
        str(schema), "render", "-q", "-m", "users",
        "--schema-dir", str(tmp_path / "schema"), "--migrations-dir", str(tmp_path / "mig"),
    ]  # fmt: skip
    env = dict(os.environ, DATABASE_URL="")
    runs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(out.strip().startswith("No changes") for out, _ in outputs) == [False, True]
    revisions = list((tmp_path / "mig" / "versions").glob("*.py"))
    assert len(revisions) == 1
    assert len(migrations.heads(tmp_path / "mig")) == 1
    leftovers = [p.name for p in (tmp_path / "mig").rglob("*.tmp")]
    assert leftovers == []
    assert migrations.directory_problems(tmp_path / "mig") == []
