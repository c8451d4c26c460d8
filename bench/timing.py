"""Repeating a measurement: several runs, the median, and fewer runs for very slow ones."""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any


def repeat(function: Callable[[], Any], runs: int, slow_seconds: float) -> list[float]:
    """Wall-clock seconds of up to `runs` calls; stop early once one call took `slow_seconds`."""
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
        if times[-1] >= slow_seconds:
            break
    return times


def summary(times: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(times), "runs": [round(t, 4) for t in times]}


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measurement_arguments(doc: str) -> argparse.ArgumentParser:
    """The arguments every measuring script takes: the two databases and how often to run."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("current_url")
    parser.add_argument("desired_url")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow", type=float, default=float("inf"), help="seconds: stop early")
    return parser
