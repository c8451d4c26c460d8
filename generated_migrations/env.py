"""Alembic environment written by schema-planner.

The database URL comes from the DATABASE_URL environment variable (postgresql://,
postgresql+psycopg:// and postgresql+asyncpg:// forms are accepted) or, failing that, from
sqlalchemy.url in alembic.ini.
"""

import os
import re

from alembic import context
from sqlalchemy import create_engine, pool

_SSL_TO_SSLMODE = {"true": "require", "false": "disable"}


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("DATABASE_URL is not set (and alembic.ini has no sqlalchemy.url)")
    # Any driver named in the URL is replaced by psycopg 3, which alembic runs synchronously.
    url = re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql+psycopg://", url)
    # asyncpg spells sslmode as "ssl"; libpq (and so psycopg) only knows sslmode.
    return re.sub(
        r"([?&])ssl=([^&]*)",
        lambda m: f"{m.group(1)}sslmode={_SSL_TO_SSLMODE.get(m.group(2).lower(), m.group(2))}",
        url,
    )


def run_migrations_offline() -> None:
    context.configure(url=database_url(), literal_binds=True, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
