"""Worker: Alembic's comparison of two databases, in a fresh process.

Database B is reflected into a MetaData (SQLAlchemy 2's bulk reflection) and compared with
database A by `alembic.autogenerate.compare_metadata`; both steps are timed together.
Prints one JSON object on stdout.

    python bench/measure_alembic.py CURRENT_URL DESIRED_URL --runs 3
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine
from timing import measurement_arguments, peak_rss_mb, repeat, summary


def sqlalchemy_url(libpq_url: str) -> str:
    """postgresql://… → postgresql+psycopg://… (psycopg 3, as installed with the planner)."""
    scheme, rest = libpq_url.split("://", 1)
    return f"{scheme.split('+')[0]}+psycopg://{rest}"


def alembic_compare(current_url: str, desired_url: str) -> int:
    """Reflect B, compare A against it: the number of differences Alembic reports."""
    current_engine = create_engine(sqlalchemy_url(current_url))
    desired_engine = create_engine(sqlalchemy_url(desired_url))
    try:
        with warnings.catch_warnings():
            # Expression indexes and the like: SQLAlchemy warns that it skips them.
            warnings.simplefilter("ignore")
            desired = MetaData()
            desired.reflect(desired_engine)
            with current_engine.connect() as connection:
                context = MigrationContext.configure(connection)
                return len(compare_metadata(context, desired))
    finally:
        current_engine.dispose()
        desired_engine.dispose()


def main() -> None:
    parser = measurement_arguments(__doc__ or "")
    arguments = parser.parse_args()
    differences: list[int] = []
    times = repeat(
        lambda: differences.append(alembic_compare(arguments.current_url, arguments.desired_url)),
        arguments.runs,
        arguments.slow,
    )
    result: dict[str, Any] = {
        "alembic": summary(times),
        "differences": differences[-1],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
