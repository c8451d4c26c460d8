"""The ready-made integrations: the GitHub Actions example and the pre-commit hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "schema.yml"
# Steps that need GitHub or install software; everything else runs here as written.
NOT_LOCAL = ("pip install", "apt-get", "gh pr comment")


def example_project(root: Path) -> Path:
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    shutil.copytree(REPO_ROOT / "generated_migrations", root / "generated_migrations")
    return root


def test_workflow_commands_run_locally(tmp_path: Path, pg_server: Any, database: str) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["schema"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert any("schema check" in c for c in commands)
    assert any("--format markdown" in c for c in commands)
    project = example_project(tmp_path)
    env = dict(os.environ, DATABASE_URL=pg_server.url(database))
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    for command in commands:
        if any(marker in command for marker in NOT_LOCAL):
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", command], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])


@pytest.mark.slow
def test_pre_commit_hook_runs_in_a_repository(tmp_path: Path) -> None:
    project = example_project(tmp_path / "project")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "example"], cwd=project, check=True)
    pre_commit = Path(sys.executable).with_name("pre-commit")
    done = subprocess.run(
        [str(pre_commit), "try-repo", str(REPO_ROOT), "schema-check", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=dict(os.environ, DATABASE_URL=""),
        timeout=900,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    assert "schema-planner check" in done.stdout and "Passed" in done.stdout

    # An unrendered change makes the hook fail and say what differs.
    users = project / "schema" / "users.yaml"
    users.write_text(users.read_text().replace("      bio: {type: text}\n", ""))
    subprocess.run([*git, "commit", "-qam", "drop bio"], cwd=project, check=True)
    failed = subprocess.run(
        [str(pre_commit), "try-repo", str(REPO_ROOT), "schema-check", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=dict(os.environ, DATABASE_URL=""),
        timeout=900,
    )
    assert failed.returncode != 0
    assert "drop column public.users.bio" in failed.stdout
