"""Benchmark: our plan between two live databases of N tables, against migra and Alembic.

    pip install -e .            # once, in the virtual environment that runs the planner
    python bench/run.py         # sizes 100, 1,000 and 5,000; --help for the options

For each size it loads a generated schema into database A, copies A into B and changes
~5 % of B's tables, then times (median of --runs runs, on the same databases):
ours (plan_between + render_sql, in a fresh process that also reports its peak RSS), the
floor (our catalog queries alone), our CLI, migra's CLI (in its own cached venv) and
Alembic's reflect + compare_metadata. Prints a table and the targets met, and writes
bench/results/latest.json; the largest size is also profiled into bench/results/profile.txt.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import databases
import migra_env
import report
import schemagen
from timing import repeat, summary

from planner.server import Binaries, EmbeddedServer, default_cache_dir, find_binaries

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
WORKER_TIMEOUT_SECONDS = 3600
OUR_CLI = ("-c", "from planner.cli import run; run()")
# migra exits 2 when it found differences.
MIGRA_SUCCESS_CODES = (0, 2)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="table counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--slow-seconds",
        type=float,
        default=60.0,
        help="a measurement whose run takes this long is not repeated (default 60)",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--schemas",
        type=int,
        default=1,
        help="spread the tables over this many schemas (default 1: all in public)",
    )
    parser.add_argument("--skip", default="", help="comma-separated: migra, alembic, cli")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument(
        "--jit-off",
        action="store_true",
        help="ALTER DATABASE … SET jit = off on A and B (every tool's sessions run without JIT)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--profile-output", type=Path, default=RESULTS_DIR / "profile.txt")
    parser.add_argument(
        "--cache-dir", type=Path, default=migra_env.default_cache_dir(), help="for migra's venv"
    )
    arguments = parser.parse_args()
    arguments.sizes = sorted({int(size.replace("_", "")) for size in arguments.sizes.split(",")})
    arguments.skip = {name.strip() for name in arguments.skip.split(",") if name.strip()}
    return arguments


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the server ---------------------------------------------------------------------------


def warm_start_times(binaries: Binaries, runs: int) -> list[float]:
    """Start and stop extra servers from the cached cluster; each start timed."""
    times = []
    for _ in range(runs):
        server = EmbeddedServer(binaries)
        start = time.perf_counter()
        server.start()
        times.append(time.perf_counter() - start)
        server.stop()
    return times


def cluster_is_cached(binaries: Binaries) -> bool:
    return any(default_cache_dir().glob(f"pg{binaries.major}-*/data/PG_VERSION"))


# --- one size -------------------------------------------------------------------------------


def build_databases(
    server: EmbeddedServer, size: int, seed: int, *, jit: bool = True, schema_count: int = 1
) -> dict[str, Any]:
    schema = schemagen.generate_schema(size, seed, schema_count)
    names = {"a": f"bench_a_{size}", "b": f"bench_b_{size}"}
    for name in names.values():
        server.drop_database(name)
    start = time.perf_counter()
    databases.create_database(server, names["a"])
    databases.load(server, names["a"], schemagen.schema_statements(schema))
    loaded_a = time.perf_counter() - start
    start = time.perf_counter()
    databases.create_database(server, names["b"], template=names["a"])
    databases.load(server, names["b"], schemagen.change_statements(schema, seed))
    loaded_b = time.perf_counter() - start
    start = time.perf_counter()
    for name in names.values():
        databases.analyze(server, name)
        if not jit:
            databases.disable_jit(server, name)
    analyzed = time.perf_counter() - start
    return {
        **names,
        "tables_in_b": databases.table_count(server, names["b"]),
        "load_seconds": {
            "a": round(loaded_a, 2),
            "b_from_a": round(loaded_b, 2),
            "vacuum_analyze_both": round(analyzed, 2),
        },
    }


def run_worker(script: str, arguments: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(BENCH_DIR / script), *arguments]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return {"error": f"{script} took longer than {WORKER_TIMEOUT_SECONDS} s"}
    if completed.returncode != 0:
        return {"error": _last_line(completed.stderr) or f"{script} exited {completed.returncode}"}
    return dict(json.loads(completed.stdout))


def time_command(
    command: list[str], runs: int, slow_seconds: float, success: tuple[int, ...] = (0,)
) -> dict[str, Any]:
    """Wall-clock runs of a command; the size of its output is kept as a sanity check."""
    output: list[int] = []

    def run_once() -> None:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_SECONDS
        )
        if completed.returncode not in success:
            raise RuntimeError(_last_line(completed.stderr) or f"exit {completed.returncode}")
        output.append(len(completed.stdout))

    try:
        times = repeat(run_once, runs, slow_seconds)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        return {"error": str(error)}
    return {**summary(times), "output_characters": output[-1]}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def measure_size(
    server: EmbeddedServer,
    size: int,
    arguments: argparse.Namespace,
    migra: list[str] | str,
) -> dict[str, Any]:
    log(f"{size:,} tables: loading databases A and B")
    built = build_databases(
        server, size, arguments.seed, jit=not arguments.jit_off, schema_count=arguments.schemas
    )
    url_a, url_b = server.url(built["a"]), server.url(built["b"])
    log(f"{size:,} tables: loaded in {built['load_seconds']}; measuring ours and the floor")
    runs = ["--runs", str(arguments.runs), "--slow", str(arguments.slow_seconds)]
    profile = []
    if not arguments.no_profile and size == max(arguments.sizes):
        profile = ["--profile", str(arguments.profile_output), "--label", f"{size:,} tables"]
    ours = run_worker("measure_ours.py", [url_a, url_b, *runs, *profile])
    result: dict[str, Any] = {"tables": size, **_without_names(built)}
    result.update(_split_ours(ours))
    if "cli" not in arguments.skip:
        log(f"{size:,} tables: our CLI")
        command = [sys.executable, *OUR_CLI, "plan", "--database-url", url_a]
        command += ["--to-database-url", url_b, "--format", "sql"]
        result["ours_cli"] = time_command(command, arguments.runs, arguments.slow_seconds)
    if "migra" not in arguments.skip:
        log(f"{size:,} tables: migra")
        result["migra"] = _time_migra(migra, url_a, url_b, arguments)
    if "alembic" not in arguments.skip:
        log(f"{size:,} tables: alembic")
        result.update(_split_alembic(run_worker("measure_alembic.py", [url_a, url_b, *runs])))
    for name in (built["a"], built["b"]):
        server.drop_database(name)
    return result


def _without_names(built: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in built.items() if key not in ("a", "b")}


def _split_ours(ours: dict[str, Any]) -> dict[str, Any]:
    if "error" in ours:
        return {"ours": ours, "floor": ours}
    return ours


def _split_alembic(measured: dict[str, Any]) -> dict[str, Any]:
    if "error" in measured:
        return {"alembic": measured}
    return {
        "alembic": measured["alembic"],
        "alembic_differences": measured["differences"],
        "alembic_peak_rss_mb": measured["peak_rss_mb"],
    }


def _time_migra(
    migra: list[str] | str, url_a: str, url_b: str, arguments: argparse.Namespace
) -> dict[str, Any]:
    if isinstance(migra, str):
        return {"error": migra}
    command = [*migra, "--unsafe", url_a, url_b]
    return time_command(command, arguments.runs, arguments.slow_seconds, MIGRA_SUCCESS_CODES)


def cli_start_up(arguments: argparse.Namespace, migra: list[str] | str) -> dict[str, Any]:
    """Interpreter start-up plus imports, which every CLI run pays before any work."""
    commands = {"ours": [sys.executable, "-c", "import planner.cli"]}
    if isinstance(migra, list):
        commands["migra"] = [str(Path(migra[0]).with_name("python")), "-c", "import migra.command"]
    return {
        name: time_command(command, max(arguments.runs, 3), arguments.slow_seconds)
        for name, command in commands.items()
    }


def prepare_migra(arguments: argparse.Namespace) -> list[str] | str:
    """migra's command, or why it is unavailable."""
    if "migra" in arguments.skip:
        return "skipped"
    log(f"preparing migra in {arguments.cache_dir / 'migra-venv'}")
    try:
        return migra_env.migra_command(arguments.cache_dir)
    except migra_env.MigraUnavailable as error:
        log(f"migra unavailable: {error}")
        return f"unavailable: {error}"


# --- the whole run ---------------------------------------------------------------------------


def machine_description(binaries: Binaries) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": binaries.major,
        "postgresql_bindir": str(binaries.bindir),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


def planner_revision() -> dict[str, Any]:
    """The commit measured, and whether planner/ differed from it (others edit it too)."""

    def git(*arguments: str) -> str:
        completed = subprocess.run(
            ["git", *arguments], cwd=BENCH_DIR.parent, capture_output=True, text=True
        )
        return completed.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "planner_modified": bool(git("status", "--porcelain", "--", "planner")),
    }


def main() -> None:
    arguments = parse_arguments()
    binaries = find_binaries()
    migra = prepare_migra(arguments)
    document: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_description(binaries),
        "revision": planner_revision(),
        "settings": {
            "runs": arguments.runs,
            "seed": arguments.seed,
            "schemas": arguments.schemas,
            "jit": "off (ALTER DATABASE)" if arguments.jit_off else "server default (on)",
        },
        "migra": migra_env.version(arguments.cache_dir) if isinstance(migra, list) else migra,
    }
    document["cli_start_up"] = cli_start_up(arguments, migra)
    cached = cluster_is_cached(binaries)
    start = time.perf_counter()
    with EmbeddedServer(binaries) as server:
        first_start = time.perf_counter() - start
        warm = warm_start_times(binaries, max(arguments.runs, 3))
        document["server_start"] = {
            "first": round(first_start, 3),
            "first_was_warm": cached,
            "warm": summary(warm),
        }
        log(f"server started in {first_start:.2f} s; warm start {statistics.median(warm):.2f} s")
        document["sizes"] = [
            measure_size(server, size, arguments, migra) for size in arguments.sizes
        ]
    document["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finish(document, arguments)


def finish(document: dict[str, Any], arguments: argparse.Namespace) -> None:
    sizes = document["sizes"]
    warm_start = document["server_start"]["warm"]["median"]
    for result in sizes:
        result["ratios"] = report.ratios(result)
    document["growth"] = {"ours": report.growth(sizes), "floor": report.growth(sizes, "floor")}
    document["growth_verdict"] = report.growth_line(sizes)
    document["targets"] = report.targets(sizes, warm_start)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(report.table_markdown(sizes, warm_start))
    print()
    print(document["growth_verdict"])
    print("Targets:")
    print("\n".join(report.target_lines(document["targets"])))
    print(report.start_up_line(document["cli_start_up"]))
    for line in report.failures(sizes):
        print(f"Failed: {line}")
    machine, revision = document["machine"], document["revision"]
    modified = " (planner/ modified)" if revision["planner_modified"] else ""
    spread = f"tables in {arguments.schemas} schemas; " if arguments.schemas > 1 else ""
    print(
        f"{spread}Commit {revision['commit']}{modified}; {machine['cpus']} cores, PostgreSQL "
        f"{machine['postgresql']}, load average {machine['load_average_at_start'][0]} → "
        f"{machine['load_average_at_end'][0]}. Written to {arguments.output}"
    )


if __name__ == "__main__":
    main()
