"""The benchmark's verdicts: the table, how time grows with N, and which targets are met."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

Result = dict[str, Any]

TARGET_SECONDS_AT_5000 = 1.5
TARGET_FLOOR_RATIO = 2.0
TARGET_MIGRA_RATIO = 10.0
TARGET_ALEMBIC_RATIO = 3.0
TARGET_PEAK_MB = 300.0
TARGET_WARM_START_SECONDS = 1.0
# Between two sizes, time ∝ N^k; up to this k we call the growth linear.
LINEAR_EXPONENT = 1.15

COLUMNS = (
    "tables",
    "ours (s)",
    "floor (s)",
    "ours ÷ floor",
    "migra (s)",
    "migra ÷ ours",
    "alembic (s)",
    "alembic ÷ ours",
    "our peak (MB)",
    "server start (s)",
    "ours CLI (s)",
    "migra ÷ ours CLI",
)


def median(result: Result, name: str) -> float | None:
    measured = result.get(name) or {}
    return measured.get("median")


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def ratios(result: Result) -> dict[str, float | None]:
    """migra's time is its CLI's; "migra ÷ ours" divides it by our in-process time (as the
    targets are stated), "migra ÷ ours CLI" by our CLI's (both pay start-up and imports)."""
    ours = median(result, "ours")
    return {
        "ours_over_floor": ratio(ours, median(result, "floor")),
        "migra_over_ours_cli": ratio(median(result, "migra"), median(result, "ours_cli")),
        "migra_over_ours": ratio(median(result, "migra"), ours),
        "alembic_over_ours": ratio(median(result, "alembic"), ours),
    }


def table_markdown(sizes: list[Result], warm_start: float | None) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---:" for _ in COLUMNS) + "|",
    ]
    for result in sizes:
        lines.append("| " + " | ".join(_row(result, warm_start)) + " |")
    return "\n".join(lines)


def _row(result: Result, warm_start: float | None) -> list[str]:
    derived = ratios(result)
    return [
        f"{result['tables']:,}",
        _seconds(result, "ours"),
        _seconds(result, "floor"),
        _times(derived["ours_over_floor"]),
        _seconds(result, "migra"),
        _times(derived["migra_over_ours"]),
        _seconds(result, "alembic"),
        _times(derived["alembic_over_ours"]),
        _number(result.get("peak_rss_mb"), "{:.0f}"),
        _number(warm_start, "{:.2f}"),
        _seconds(result, "ours_cli"),
        _times(derived["migra_over_ours_cli"]),
    ]


def _seconds(result: Result, name: str) -> str:
    measured = result.get(name) or {}
    if "error" in measured:
        return "failed"
    value = measured.get("median")
    if value is None:
        return "-"
    runs = len(measured.get("runs", []))
    return f"{value:.2f}" + ("" if runs != 1 else " (1 run)")


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _number(value: float | None, template: str) -> str:
    return "-" if value is None else template.format(value)


def start_up_line(start_up: dict[str, Result]) -> str:
    parts = [f"{name} {_seconds(start_up, name)} s" for name in sorted(start_up)]
    return f"CLI start-up (interpreter + imports, included in the CLI columns): {', '.join(parts)}"


def failures(sizes: list[Result]) -> list[str]:
    lines = []
    for result in sizes:
        for name in ("ours", "floor", "ours_cli", "migra", "alembic"):
            error = (result.get(name) or {}).get("error")
            if error:
                lines.append(f"{name} at {result['tables']:,} tables: {error}")
    return lines


# --- growth -----------------------------------------------------------------------------------


def growth(sizes: list[Result], name: str = "ours") -> dict[str, Any]:
    """Per-table cost at each size and the exponent k of time ∝ N^k between neighbours."""
    measured = [(r["tables"], median(r, name)) for r in sizes]
    points = [(n, t) for n, t in measured if t]
    per_table = {str(n): 1000 * t / n for n, t in points}
    exponents = {
        f"{n1}-{n2}": math.log(t2 / t1) / math.log(n2 / n1)
        for (n1, t1), (n2, t2) in itertools.pairwise(points)
        if n2 != n1
    }
    return {"ms_per_table": per_table, "exponents": exponents}


def growth_line(sizes: list[Result]) -> str:
    ours, floor = growth(sizes, "ours"), growth(sizes, "floor")
    costs = ", ".join(f"{float(ms):.2f} ms at {int(n):,}" for n, ms in ours["ms_per_table"].items())
    if not ours["exponents"]:
        return f"Growth: per-table cost {costs} (one size only: no verdict)."
    pair, exponent = list(ours["exponents"].items())[-1]
    verdict = "linear" if exponent <= LINEAR_EXPONENT else "NOT linear"
    floor_exponent = floor["exponents"].get(pair)
    floor_text = "" if floor_exponent is None else f"; the floor grows as N^{floor_exponent:.2f}"
    low, high = (f"{int(n):,}" for n in pair.split("-"))
    return (
        f"Growth: ours costs {costs} per table; from {low} to {high} tables time grows as "
        f"N^{exponent:.2f}: {verdict}{floor_text}."
    )


# --- targets ----------------------------------------------------------------------------------


def targets(sizes: list[Result], warm_start: float | None) -> list[dict[str, Any]]:
    at_5000 = next((r for r in sizes if r["tables"] == 5000), None)
    checks = [
        _single(
            f"ours ≤ {TARGET_SECONDS_AT_5000} s at 5,000 tables",
            median(at_5000, "ours") if at_5000 else None,
            lambda v: v <= TARGET_SECONDS_AT_5000,
            "{:.2f} s",
        ),
        _per_size(
            f"ours ≤ {TARGET_FLOOR_RATIO:g}x the floor",
            sizes,
            lambda r: ratios(r)["ours_over_floor"],
            lambda v: v <= TARGET_FLOOR_RATIO,
            "{:.1f}x",
        ),
        _per_size(
            f"≥ {TARGET_MIGRA_RATIO:g}x faster than migra",
            sizes,
            lambda r: ratios(r)["migra_over_ours"],
            lambda v: v >= TARGET_MIGRA_RATIO,
            "{:.1f}x",
        ),
        _per_size(
            f"≥ {TARGET_ALEMBIC_RATIO:g}x faster than Alembic's comparison",
            sizes,
            lambda r: ratios(r)["alembic_over_ours"],
            lambda v: v >= TARGET_ALEMBIC_RATIO,
            "{:.1f}x",
        ),
        _per_size(
            f"peak memory ≤ {TARGET_PEAK_MB:g} MB",
            sizes,
            lambda r: r.get("peak_rss_mb"),
            lambda v: v <= TARGET_PEAK_MB,
            "{:.0f} MB",
        ),
        _single(
            f"warm server start ≤ {TARGET_WARM_START_SECONDS:g} s",
            warm_start,
            lambda v: v <= TARGET_WARM_START_SECONDS,
            "{:.2f} s",
        ),
    ]
    return checks


def _single(
    name: str, value: float | None, ok: Callable[[float], bool], template: str
) -> dict[str, Any]:
    if value is None:
        return {"target": name, "met": None, "detail": "not measured"}
    return {"target": name, "met": ok(value), "detail": template.format(value)}


def _per_size(
    name: str,
    sizes: list[Result],
    value_of: Callable[[Result], float | None],
    ok: Callable[[float], bool],
    template: str,
) -> dict[str, Any]:
    values = [(r["tables"], value_of(r)) for r in sizes]
    measured = [(n, v) for n, v in values if v is not None]
    if not measured:
        return {"target": name, "met": None, "detail": "not measured"}
    detail = ", ".join(f"{template.format(v)} at {n:,}" for n, v in measured)
    return {"target": name, "met": all(ok(v) for _, v in measured), "detail": detail}


def target_lines(checks: list[dict[str, Any]]) -> list[str]:
    labels = {True: "met   ", False: "MISSED", None: "n/a   "}
    return [f"  [{labels[c['met']]}] {c['target']}: {c['detail']}" for c in checks]
