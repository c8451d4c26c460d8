"""Worker: Alembic's comparison of two databases, in a fresh process.

Database B is reflected into a MetaData (SQLAlchemy 2's bulk reflection), schema by schema,
and compared with database A by `alembic.autogenerate.compare_metadata` over all schemas
(`include_schemas`); both steps are timed together.
Prints one JSON object on stdout.

    python bench/measure_alembic.py CURRENT_URL DESIRED_URL --runs 3
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, create_engine, inspect
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
            desired = reflect_all_schemas(desired_engine)
            with current_engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"include_schemas": True})
                return len(compare_metadata(context, desired))
    finally:
        current_engine.dispose()
        desired_engine.dispose()


def reflect_all_schemas(engine: Engine) -> MetaData:
    """Every user schema: reflect() alone reads the default schema only."""
    inspector = inspect(engine)
    default = inspector.default_schema_name
    metadata = MetaData()
    for schema in inspector.get_schema_names():
        if schema == "information_schema" or schema.startswith("pg_"):
            continue
        metadata.reflect(engine, schema=None if schema == default else schema)
    return metadata


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
