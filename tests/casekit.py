"""Running a before/after declaration case through render → Alembic → re-plan, both ways."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner import migrations, workflow
from planner.diff_recreate import ColumnOrder
from planner.render.report import render_sql

CASES_DIR = Path(__file__).parent / "cases"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@dataclass
class CaseRun:
    server: Any
    database: str
    migrations_dir: Path
    column_order: ColumnOrder = ColumnOrder.APPEND

    def options(
        self, schema_dir: Path, column_order: ColumnOrder | None = None
    ) -> workflow.Options:
        return workflow.Options(
            schema_dir=schema_dir,
            migrations_dir=self.migrations_dir,
            database_url=self.server.url(self.database),
            # Cases exercise every change, the destructive ones included.
            allowed_hazards=("all",),
            column_order=column_order or self.column_order,
        )

    def render(self, schema_dir: Path, message: str) -> workflow.RenderResult:
        return workflow.render(self.options(schema_dir), message, server=self.server)

    def upgrade(self) -> None:
        migrations.upgrade(self.migrations_dir, self.server.url(self.database))

    def downgrade(self, target: str = "-1") -> None:
        migrations.downgrade(self.migrations_dir, self.server.url(self.database), target)

    def replan_sql(self, schema_dir: Path, column_order: ColumnOrder | None = None) -> str:
        """The plan still to make; `column_order` overrides the run's (a downgrade adds
        dropped columns back last)."""
        options = self.options(schema_dir, column_order)
        result = workflow.compute_plan(options, server=self.server)
        return "" if result.plan.is_empty else render_sql(result.plan)


def schema_dir_of(case: Path, side: str, empty: Path) -> Path:
    directory = case / side
    return directory if directory.is_dir() else empty


# The reviewed plans were recorded with PostgreSQL 15; other majors print some expressions
# differently (e.g. view queries), so there only convergence is checked.
GOLDEN_MAJOR = 15


def check_golden(path: Path, actual: str, major: int = GOLDEN_MAJOR) -> None:
    if major != GOLDEN_MAJOR:
        return
    if UPDATE_GOLDEN or not path.exists():
        path.write_text(actual)
        if not UPDATE_GOLDEN:
            raise AssertionError(f"{path} did not exist; written now, review it and run again")
    expected = path.read_text()
    assert actual == expected, f"plan differs from {path} (UPDATE_GOLDEN=1 rewrites it)"
