"""Worker: our plan between two databases, and the catalog-query floor, in a fresh process.

Run by bench/run.py in its own interpreter so that its peak memory (ru_maxrss of this
process, read at the end) is ours alone. Prints one JSON object on stdout.

    python bench/measure_ours.py CURRENT_URL DESIRED_URL --runs 3 [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import sysconfig
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
from timing import measurement_arguments, peak_rss_mb, repeat, summary

import planner
from planner.canonical import plan_for
from planner.collector import without_full_collections
from planner.filters import exclude_tables
from planner.fingerprint import fingerprint_query
from planner.introspect import (
    QUERY_NAMES,
    SESSION_SETTINGS,
    introspect,
    query_text,
    run_catalog_queries,
)
from planner.render.report import render_sql
from planner.urls import parse_database_url
from planner.workflow import connect, plan_between

PROFILE_LINES = 15


def our_plan(current_url: str, desired_url: str) -> tuple[int, int]:
    """Introspect both, diff, order, render: the plan's step count and SQL length."""
    result = plan_between(current_url, desired_url)
    return len(result.plan.steps), len(render_sql(result.plan))


def serial_plan(current_url: str, desired_url: str) -> None:
    """our_plan with the two databases read one after the other (cProfile sees one thread)."""
    catalogs = []
    for url in (current_url, desired_url):
        with connect(parse_database_url(url)) as connection:
            catalogs.append(exclude_tables(introspect(connection)))
    render_sql(plan_for(catalogs[0], catalogs[1], online=True))


def catalog_floor(current_url: str, desired_url: str) -> None:
    """Only our catalog queries on both databases: rows fetched, no model built.

    Both databases are queried at once, as plan_between reads them.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        for finished in [pool.submit(_queries_only, url) for url in (current_url, desired_url)]:
            finished.result()


def _queries_only(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        run_catalog_queries(connection, None)


def query_seconds(url: str) -> dict[str, float]:
    """Each catalog query alone, in a transaction set up as run_catalog_queries sets it up."""
    parameters: dict[str, None] | None = {"schemas": None}
    queries = [(name, query_text(name), parameters) for name in QUERY_NAMES]
    queries.append(("fingerprint", fingerprint_query(), None))
    seconds: dict[str, float] = {}
    with psycopg.connect(url, autocommit=True) as connection, connection.transaction():
        connection.execute(b"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        connection.execute(SESSION_SETTINGS)
        for name, text, arguments in queries:
            start = time.perf_counter()
            connection.execute(text.encode(), arguments).fetchall()
            seconds[name] = time.perf_counter() - start
    return seconds


def query_section(current_url: str, desired_url: str) -> str:
    current, desired = query_seconds(current_url), query_seconds(desired_url)
    names = sorted(current, key=lambda name: current[name] + desired[name], reverse=True)
    lines = [
        "=== catalog queries, each timed alone ===",
        f"{'query':<16} {'A (s)':>8} {'B (s)':>8}",
    ]
    lines += [f"{name:<16} {current[name]:8.3f} {desired[name]:8.3f}" for name in names]
    total_a, total_b = (sum(times[name] for name in QUERY_NAMES) for times in (current, desired))
    lines.append(f"{'total':<16} {total_a:8.3f} {total_b:8.3f}")
    lines.append("(fingerprint: read only when a revision is written, not by plan_between,")
    lines.append(" and left out of the total)")
    return "\n".join(lines)


def write_profile(current_url: str, desired_url: str, path: Path, label: str) -> None:
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(serial_plan, current_url, desired_url)
    elapsed = time.perf_counter() - start
    sections = [
        f"cProfile of plan_between + render_sql with the two databases read one after the "
        f"other (plan_between reads them at once), {label}; {elapsed:.2f} s under the profiler\n"
    ]
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time (tottime)")):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(PROFILE_LINES)
        sections.append(f"=== top {PROFILE_LINES} by {title} ===\n{_shortened(stream.getvalue())}")
    sections.append(query_section(current_url, desired_url) + "\n")
    path.write_text("\n".join(sections))


def _shortened(text: str) -> str:
    """Paths relative to the repository or site-packages, blank lines dropped."""
    for directory in sorted(_code_roots(), key=len, reverse=True):
        text = text.replace(directory.rstrip("/") + "/", "")
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def _code_roots() -> list[str]:
    roots = [str(Path(planner.__file__).resolve().parent.parent)]
    roots += [path for path in sys.path if path.endswith("-packages")]
    return [*roots, sysconfig.get_paths()["stdlib"], sys.prefix]


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    current, desired = arguments.current_url, arguments.desired_url
    baseline = peak_rss_mb()
    floor = repeat(lambda: catalog_floor(current, desired), arguments.runs, arguments.slow)
    floor_peak = peak_rss_mb()
    outcomes: list[tuple[int, int]] = []
    ours = repeat(
        lambda: outcomes.append(our_plan(current, desired)), arguments.runs, arguments.slow
    )
    steps, sql_length = outcomes[-1]
    result = {
        "ours": summary(ours),
        "floor": summary(floor),
        "plan_steps": steps,
        "sql_characters": sql_length,
        "baseline_rss_mb": round(baseline, 1),
        "floor_peak_rss_mb": round(floor_peak, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if arguments.profile:
        write_profile(current, desired, Path(arguments.profile), arguments.label)
    return result


def main() -> None:
    # The collector set as the `schema` command sets it (planner.cli.run).
    without_full_collections()
    parser = measurement_arguments(__doc__ or "")
    parser.add_argument("--profile", help="also write a cProfile summary to this file")
    parser.add_argument("--label", default="", help="describes the databases in the profile")
    print(json.dumps(measure(parser.parse_args())))


if __name__ == "__main__":
    main()
