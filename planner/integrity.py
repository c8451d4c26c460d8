"""The migrations directory's integrity: one head, an unbroken chain, revisions unedited.

`schema.sum` (beside the versions directory) records a SHA-256 of every revision file, like
Atlas's atlas.sum: `render` keeps it current, `check` reports revisions added, removed or
edited since, and `schema rehash` accepts a deliberate hand edit.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from planner.alembic_project import AlembicProject

SUM_FILE = "schema.sum"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def sum_path(project: AlembicProject) -> Path:
    return project.script_directory / SUM_FILE


def revision_files(project: AlembicProject) -> list[Path]:
    if not project.versions_directory.is_dir():
        return []
    return sorted(project.versions_directory.rglob("*.py"))


def _digest(data: bytes) -> str:
    return "h1:" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def expected_sums(project: AlembicProject) -> dict[str, str]:
    return {
        str(path.relative_to(project.versions_directory)): _digest(path.read_bytes())
        for path in revision_files(project)
    }


def render_sum_file(sums: dict[str, str]) -> str:
    lines = [f"{name} {digest}" for name, digest in sorted(sums.items())]
    total = _digest("\n".join(lines).encode())
    return "\n".join([total, *lines]) + "\n"


def read_sum_file(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    sums: dict[str, str] = {}
    for line in path.read_text().splitlines()[1:]:
        name, _, digest = line.rpartition(" ")
        if name:
            sums[name] = digest
    return sums


def sum_problems(project: AlembicProject) -> list[Problem]:
    recorded = read_sum_file(sum_path(project))
    actual = expected_sums(project)
    if recorded is None:
        if not actual:
            return []
        return [Problem("no checksum file", f"run `schema rehash` to create {SUM_FILE}")]
    problems = [Problem("revision added", name) for name in sorted(actual.keys() - recorded)]
    problems += [Problem("revision removed", name) for name in sorted(recorded.keys() - actual)]
    problems += [
        Problem("revision edited", name)
        for name in sorted(actual.keys() & recorded.keys())
        if actual[name] != recorded[name]
    ]
    return problems
