"""DATABASE_URL handling: every accepted form becomes one libpq conninfo; passwords are masked.

Accepted: SQLAlchemy-style URLs (`postgresql+asyncpg://`, `+psycopg`, `+psycopg2`, ...),
`postgres://` and `postgresql://` URLs, and libpq conninfo strings (`host=... dbname=...`).
libpq itself parses the URL once we have removed what it does not understand (the
`+driver` and asyncpg's `ssl=`), so the meaning of every other part is exactly libpq's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from planner.errors import PlannerError

MASK = "***"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# asyncpg spells sslmode as `ssl`, and also accepts booleans there.
_SSL_VALUES = {**{mode: mode for mode in SSL_MODES}, "true": "require", "false": "disable"}
_POSTGRES_SCHEMES = ("postgresql", "postgres")
_SQLALCHEMY_DRIVER = "postgresql+psycopg"

_URL_START = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9.-]*)(?:\+(?P<driver>[A-Za-z0-9_]+))?://")
# The password of a URL runs from the first ':' after the scheme to the last '@' of the word;
# a raw '@' or '/' in it is then masked too, and over-masking an error message is harmless.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s'\"]*:)[^\s'\"]*(?=@)")
# `password=...` in conninfo strings and URL queries, and PGPASSWORD=... in environment dumps.
_KEYWORD_PASSWORD = re.compile(r"(?P<head>password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s&'\"]+)", re.I)
# {'password': '...'} in the repr of connection keyword arguments.
_MAPPING_PASSWORD = re.compile(r"(?P<head>['\"]password['\"]\s*:\s*)(?P<quote>['\"]).*?(?P=quote)")


_HAS_PASSWORD = re.compile("password", re.I)
_QUOTED_FRAGMENT = re.compile(r'"[^"]*"')


class UrlError(PlannerError):
    """A DATABASE_URL that cannot be used; the message never contains its password."""


@dataclass(frozen=True)
class ConnectionTarget:
    """Where to connect: `conninfo` for psycopg.connect, `display` for messages and logs."""

    conninfo: str
    display: str


def parse_database_url(url: str) -> ConnectionTarget:
    """Turn any accepted DATABASE_URL form into a libpq conninfo string."""
    parameters = _connection_parameters(url)
    shown = {**parameters, "password": MASK} if "password" in parameters else parameters
    return ConnectionTarget(
        conninfo=make_conninfo("", **parameters), display=make_conninfo("", **shown)
    )


def sqlalchemy_url(url: str) -> str:
    """The same target as a URL for SQLAlchemy's psycopg (v3) dialect, e.g. for Alembic.

    Alembic's config file interpolates '%', so a caller putting this URL into an Alembic
    Config must double any '%' (percent-encoded characters) first.
    """
    # Imported here, as Alembic is: SQLAlchemy adds 0.15 s to every start of the CLI, and
    # only Alembic runs need it.
    from sqlalchemy.engine import URL

    parameters = _connection_parameters(url)
    user, password = parameters.pop("user", None), parameters.pop("password", None)
    database = parameters.pop("dbname", None)
    host, port = parameters.get("host"), parameters.get("port")
    # A single TCP host fits the URL's host:port; socket directories and host lists go in the
    # query, where SQLAlchemy's PostgreSQL dialects hand them to libpq unchanged.
    single_tcp_host = host is not None and not host.startswith("/") and "," not in host
    if single_tcp_host and (port is None or port.isdigit()):
        parameters.pop("host")
        parameters.pop("port", None)
    else:
        host = port = None
    rendered = URL.create(
        _SQLALCHEMY_DRIVER,
        username=user,
        password=password,
        host=host,
        port=int(port) if port else None,
        database=database,
        query=parameters,
    )
    return rendered.render_as_string(hide_password=False)


def mask_password(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace passwords in URLs, conninfo pieces and given literal secrets with ***."""
    for secret in sorted(_secret_spellings(secrets), key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(lambda match: match["head"] + MASK, text)
    text = _KEYWORD_PASSWORD.sub(lambda match: match["head"] + MASK, text)
    return _MAPPING_PASSWORD.sub(
        lambda match: f"{match['head']}{match['quote']}{MASK}{match['quote']}", text
    )


def _secret_spellings(secrets: Iterable[str]) -> set[str]:
    # A driver may echo a secret raw or percent-encoded, depending on where it came from.
    spellings = set()
    for secret in secrets:
        if secret:
            spellings |= {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    return spellings


# --- parsing ------------------------------------------------------------------------------


def _connection_parameters(url: str) -> dict[str, str]:
    text = url.strip()
    if not text:
        raise UrlError("the database URL is empty")
    start = _URL_START.match(text)
    if start is None:
        # libpq quotes the text it stumbled on, which may be a piece of an unquoted password.
        parameters = _libpq_parse(
            text, secrets=(), hide_quoted=_HAS_PASSWORD.search(text) is not None
        )
    else:
        libpq_url, password = _libpq_url(text, start)
        parameters = _libpq_parse(libpq_url, secrets=(password,), hide_quoted=False)
    _check_sslmode(parameters)
    return parameters


def _libpq_url(text: str, start: re.Match[str]) -> tuple[str, str]:
    """The URL rewritten for libpq, and its decoded password (to mask libpq's errors)."""
    scheme = start["scheme"].lower()
    if scheme not in _POSTGRES_SCHEMES:
        raise UrlError(
            f"unsupported database URL scheme {scheme!r}: expected postgresql://, "
            "postgresql+DRIVER://, postgres:// or a libpq 'host=... dbname=...' string"
        )
    head, _, query = text[start.end() :].partition("?")
    # Split user info at the *last* '@', so a password with an unencoded '@' or '/' still
    # parses; libpq would split at the first and send part of the password as the host name.
    userinfo, at, location = head.rpartition("@")
    user, colon, password = userinfo.partition(":")
    credentials = quote(unquote(user), safe="")
    if colon:
        credentials += ":" + quote(unquote(password), safe="")
    rewritten = f"postgresql://{credentials}{at}{location}"
    translated = _translated_query(query)
    return (f"{rewritten}?{translated}" if translated else rewritten), unquote(password)


def _translated_query(query: str) -> str:
    """The query with asyncpg's `ssl=` turned into libpq's `sslmode=`, all else kept."""
    pairs = [item.partition("=") for item in query.split("&") if item]
    parameters = {unquote(key): unquote(value) for key, _, value in pairs}
    if "ssl" in parameters:
        mode = _ssl_mode(parameters.pop("ssl"), "ssl")
        explicit = parameters.get("sslmode")
        if explicit is not None and _ssl_mode(explicit, "sslmode") != mode:
            raise UrlError(f"the database URL sets ssl={mode} but sslmode={explicit}")
        parameters["sslmode"] = mode
    return "&".join(
        f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in parameters.items()
    )


def _ssl_mode(value: str, key: str) -> str:
    mode = _SSL_VALUES.get(value.strip().lower())
    if mode is None:
        # Never guess: an unknown value must not quietly become a weaker mode.
        raise UrlError(
            f"unknown {key} value {value!r} in the database URL: expected one of "
            f"{', '.join(SSL_MODES)} (or for ssl: true, false)"
        )
    return mode


def _check_sslmode(parameters: dict[str, str]) -> None:
    if "sslmode" in parameters:
        parameters["sslmode"] = _ssl_mode(parameters["sslmode"], "sslmode")


def _libpq_parse(conninfo: str, secrets: Iterable[str], hide_quoted: bool) -> dict[str, str]:
    try:
        parsed = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as error:
        problem = " ".join(str(error).split())
        if hide_quoted:
            problem = _QUOTED_FRAGMENT.sub(_mask_quoted_fragment, problem)
        # `from None`: the original exception's text may hold the password.
        raise UrlError(f"invalid database URL: {mask_password(problem, secrets)}") from None
    return {key: str(value) for key, value in parsed.items() if value is not None}


def _mask_quoted_fragment(match: re.Match[str]) -> str:
    # '"="' is libpq naming the missing character, not a piece of the input.
    return match[0] if match[0] == '"="' else f'"{MASK}"'
