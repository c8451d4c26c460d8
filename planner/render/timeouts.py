"""lock_timeout and statement_timeout around every planned statement.

A migration should wait briefly for a lock and give up, rather than queue all traffic behind
it; and a statement should not run unbounded. Long statements that block nobody (concurrent
index builds, validations) get their own, longer limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.errors import PlannerError

_DURATION = re.compile(r"^\d+\s*(ms|s|min|h|d)?$")


@dataclass(frozen=True, slots=True)
class Timeouts:
    lock: str = "3s"
    statement: str = "1min"
    long_statement: str = "4h"

    def __post_init__(self) -> None:
        for name, value in (
            ("lock timeout", self.lock),
            ("statement timeout", self.statement),
            ("long statement timeout", self.long_statement),
        ):
            if not _DURATION.match(value):
                raise PlannerError(
                    f"{name} {value!r} is not a duration (like 3s, 500ms, 1min, 4h, or 0 for none)"
                )
