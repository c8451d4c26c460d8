"""DATABASE_URL forms, ssl translation, SQLAlchemy URLs and password masking."""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping
from typing import Any

import psycopg
import pytest
import sqlalchemy
from psycopg.conninfo import conninfo_to_dict

from planner.server import EmbeddedServer
from planner.urls import UrlError, mask_password, parse_database_url, sqlalchemy_url

SECRET = "s3cr:t/p@ss%"
ENCODED_SECRET = "s3cr%3At%2Fp%40ss%25"

FORMS: list[tuple[str, dict[str, str]]] = [
    (
        "postgresql+asyncpg://app:pw@db.example.com:6543/appdb?ssl=require",
        {"user": "app", "password": "pw", "host": "db.example.com", "port": "6543",
         "dbname": "appdb", "sslmode": "require"},
    ),
    (
        "postgresql+psycopg://app:pw@db/appdb?sslmode=verify-full&application_name=planner",
        {"user": "app", "password": "pw", "host": "db", "dbname": "appdb",
         "sslmode": "verify-full", "application_name": "planner"},
    ),
    (
        "postgresql+psycopg2://app@db:5432/appdb?connect_timeout=3",
        {"user": "app", "host": "db", "port": "5432", "dbname": "appdb", "connect_timeout": "3"},
    ),
    ("postgres://app@db/appdb", {"user": "app", "host": "db", "dbname": "appdb"}),
    ("postgresql://db/appdb", {"host": "db", "dbname": "appdb"}),
    (
        f"postgresql://us%20er:{ENCODED_SECRET}@db/app%2Fdb",
        {"user": "us er", "password": SECRET, "host": "db", "dbname": "app/db"},
    ),
    (
        "postgresql://app:p@ss/w:rd@db/appdb",
        {"user": "app", "password": "p@ss/w:rd", "host": "db", "dbname": "appdb"},
    ),
    (
        "postgresql://postgres@/appdb?host=/tmp/spg-x&port=5432",
        {"user": "postgres", "host": "/tmp/spg-x", "port": "5432", "dbname": "appdb"},
    ),
    (
        "postgresql://app@[::1]:5432,standby:5433/appdb?target_session_attrs=read-write",
        {"user": "app", "host": "::1,standby", "port": "5432,5433", "dbname": "appdb",
         "target_session_attrs": "read-write"},
    ),
    (
        "postgresql://app@db/appdb?options=-c%20search_path%3Dplanner%2Cpublic",
        {"user": "app", "host": "db", "dbname": "appdb",
         "options": "-c search_path=planner,public"},
    ),
    (
        "host=db port=5432 dbname=appdb user=app password='a b' sslmode=require",
        {"host": "db", "port": "5432", "dbname": "appdb", "user": "app", "password": "a b",
         "sslmode": "require"},
    ),
    ("  dbname=appdb  ", {"dbname": "appdb"}),
]  # fmt: skip


@pytest.mark.parametrize(("url", "expected"), FORMS)
def test_every_form_becomes_the_same_libpq_parameters(url: str, expected: dict[str, str]) -> None:
    target = parse_database_url(url)
    assert conninfo_to_dict(target.conninfo) == expected


@pytest.mark.parametrize(("url", "expected"), FORMS)
def test_sqlalchemy_url_carries_the_same_parameters(url: str, expected: dict[str, str]) -> None:
    rendered = sqlalchemy_url(url)
    assert rendered.startswith("postgresql+psycopg://")
    engine = sqlalchemy.create_engine(rendered)
    _, arguments = engine.dialect.create_connect_args(engine.url)
    assert _as_strings(arguments) == expected


def _as_strings(arguments: Mapping[str, Any]) -> dict[str, str]:
    # "context" is the dialect's own adapters map, not a connection parameter.
    return {key: str(value) for key, value in arguments.items() if key != "context"}


def test_display_masks_the_password() -> None:
    target = parse_database_url(f"postgresql+asyncpg://app:{ENCODED_SECRET}@db/appdb")
    assert "password=***" in target.display
    assert SECRET not in target.display
    assert ENCODED_SECRET not in target.display
    assert parse_database_url("host=db").display == "host=db"


@pytest.mark.parametrize(
    ("ssl", "sslmode"),
    [
        ("require", "require"),
        ("verify-ca", "verify-ca"),
        ("verify-full", "verify-full"),
        ("prefer", "prefer"),
        ("allow", "allow"),
        ("disable", "disable"),
        ("true", "require"),
        ("True", "require"),
        ("false", "disable"),
    ],
)
def test_asyncpg_ssl_becomes_sslmode(ssl: str, sslmode: str) -> None:
    target = parse_database_url(f"postgresql+asyncpg://app:pw@db/appdb?ssl={ssl}")
    parameters = conninfo_to_dict(target.conninfo)
    assert parameters["sslmode"] == sslmode
    assert "ssl" not in parameters
    assert f"sslmode={sslmode}" in sqlalchemy_url(f"postgresql+asyncpg://db/appdb?ssl={ssl}")


def test_ssl_and_a_matching_sslmode_may_both_be_given() -> None:
    target = parse_database_url("postgresql://db/appdb?ssl=true&sslmode=require")
    assert conninfo_to_dict(target.conninfo)["sslmode"] == "require"
    with pytest.raises(UrlError, match="ssl=require but sslmode=disable"):
        parse_database_url("postgresql://db/appdb?ssl=require&sslmode=disable")


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+asyncpg://app:{ENCODED_SECRET}@db/appdb?ssl=on",
        f"postgresql://app:{ENCODED_SECRET}@db/appdb?sslmode=strict",
        f"host=db password={ENCODED_SECRET} sslmode=verify",
    ],
)
def test_unknown_ssl_values_are_refused_not_downgraded(url: str) -> None:
    with pytest.raises(UrlError, match=r"unknown ssl(mode)? value '(on|strict|verify)'") as raised:
        parse_database_url(url)
    _assert_no_secret(str(raised.value))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"mysql://app:{ENCODED_SECRET}@db/appdb", "unsupported database URL scheme 'mysql'"),
        (f"postgresql://app:{ENCODED_SECRET}@db/appdb?statement_cache=0", 'parameter: "statement_'),
        (f"host=db password={SECRET} extra", r'missing "=" after "\*\*\*"'),
        (f"host=db password={SECRET}x y z", r'missing "=" after "\*\*\*"'),
        ("   ", "empty"),
    ],
)
def test_invalid_urls_are_reported_without_the_password(url: str, message: str) -> None:
    with pytest.raises(UrlError, match=message) as raised:
        parse_database_url(url)
    # Nor in a logged traceback, which would show a chained libpq error with its own text.
    _assert_no_secret("".join(traceback.format_exception(raised.value)))


def _assert_no_secret(text: str) -> None:
    for piece in (SECRET, ENCODED_SECRET, "s3cr"):
        assert piece not in text


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "could not connect to postgresql+asyncpg://app:hunter2@db:5432/appdb now",
            "could not connect to postgresql+asyncpg://app:***@db:5432/appdb now",
        ),
        (
            "from 'postgres://a:one@h1/x' to \"postgresql://b:t%40wo@h2/y\"",
            "from 'postgres://a:***@h1/x' to \"postgresql://b:***@h2/y\"",
        ),
        ("url postgresql://app:p@ss@db/appdb", "url postgresql://app:***@db/appdb"),
        ("postgresql://app@db:5432/appdb", "postgresql://app@db:5432/appdb"),
        ("host=db password=hunter2 dbname=x", "host=db password=*** dbname=x"),
        ("host=db password = 'hunter 2\\' x' dbname=x", "host=db password = *** dbname=x"),
        ("postgresql://db/x?password=hunter2&sslmode=require", "postgresql://db/x?password=***&sslmode=require"),
        ("PGPASSWORD=hunter2 psql", "PGPASSWORD=*** psql"),
        ("{'host': 'db', 'password': 'hunter2'}", "{'host': 'db', 'password': '***'}"),
        ("nothing secret here", "nothing secret here"),
    ],
)  # fmt: skip
def test_mask_password_in_text(text: str, expected: str) -> None:
    assert mask_password(text) == expected


def test_mask_password_in_a_driver_error_message() -> None:
    message = (
        "(psycopg.OperationalError) connection failed: connection to server at "
        '"10.0.0.5", port 5432 failed: FATAL:  password authentication failed for user "app"\n'
        f"(Background on this error) [conninfo: host=db user=app password={SECRET} dbname=app]"
        f" [url: postgresql+psycopg://app:{ENCODED_SECRET}@db/app]"
    )
    masked = mask_password(message, secrets=[SECRET])
    _assert_no_secret(masked)
    assert 'password authentication failed for user "app"' in masked
    assert "postgresql+psycopg://app:***@db/app" in masked


def test_mask_password_masks_literal_secrets_in_every_spelling() -> None:
    secret = "pa ss/wörd"
    text = f"raw {secret}, in a path pa%20ss/w%C3%B6rd, in a form pa+ss%2Fw%C3%B6rd."
    masked = mask_password(text, secrets=[secret, ""])
    assert masked == "raw ***, in a path ***, in a form ***."


# --- against a real server ----------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def test_unix_socket_url_connects_through_psycopg_and_sqlalchemy(server: EmbeddedServer) -> None:
    url = server.url().replace("postgresql://", "postgresql+asyncpg://", 1) + "&ssl=disable"
    with psycopg.connect(parse_database_url(url).conninfo) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("postgres",)
    engine = sqlalchemy.create_engine(sqlalchemy_url(url))
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("SELECT 1")).scalar() == 1
    engine.dispose()
