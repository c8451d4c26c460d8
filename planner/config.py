"""`[tool.schema]` in pyproject.toml: the project's defaults, which command-line flags override."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

KNOWN_KEYS = {
    "schema_dir": str,
    "migrations_dir": str,
    "database_url_env": str,
    "include_schemas": list,
    "exclude_schemas": list,
    "include_tables": list,
    "exclude_tables": list,
    "lock_timeout": str,
    "statement_timeout": str,
    "long_statement_timeout": str,
    "allow_hazards": list,
    "online": bool,
    "column_order": str,
    "lint_ignore": list,
}
_CHOICES = {"column_order": ("append", "rebuild")}
# Options every command that plans takes; the values come from the keys of the same name.
_PLANNING_COMMANDS = ("plan", "render", "check", "lint")


def find_pyproject(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.exists():
            return candidate
    return None


def load_settings(start: Path | None = None) -> dict[str, Any]:
    """The `[tool.schema]` table of the nearest pyproject.toml (empty when none)."""
    path = find_pyproject(start or Path.cwd())
    if path is None:
        return {}
    try:
        document = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise PlannerError(f"{path}: {error}") from None
    settings = document.get("tool", {}).get("schema", {})
    for key, value in settings.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            raise PlannerError(
                f"{path}: [tool.schema] has an unknown key {key!r}",
                hint=f"known keys: {', '.join(sorted(KNOWN_KEYS))}",
            )
        if not isinstance(value, expected):
            raise PlannerError(f"{path}: [tool.schema] {key} must be a {expected.__name__}")
        choices = _CHOICES.get(key)
        if choices is not None and value not in choices:
            raise PlannerError(
                f"{path}: [tool.schema] {key} must be one of {', '.join(choices)}, not {value!r}"
            )
    return dict(settings)


def default_map(settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Click defaults per command from the settings (flags given on the command win)."""
    defaults: dict[str, Any] = {}
    for key in (
        "schema_dir",
        "migrations_dir",
        "lock_timeout",
        "statement_timeout",
        "long_statement_timeout",
        "online",
        "column_order",
    ):
        if key in settings:
            defaults[key] = settings[key]
    for key in ("include_schemas", "exclude_schemas", "include_tables", "exclude_tables"):
        if key in settings:
            defaults[key] = tuple(settings[key])
    if "allow_hazards" in settings:
        defaults["allowed_hazards"] = tuple(settings["allow_hazards"])
    url_variable = settings.get("database_url_env")
    if url_variable and os.environ.get(url_variable):
        defaults["database_url"] = os.environ[url_variable]
    commands = {command: dict(defaults) for command in _PLANNING_COMMANDS}
    if "lint_ignore" in settings:
        commands["lint"]["ignore"] = tuple(settings["lint_ignore"])
    if "migrations_dir" in settings:
        commands["rehash"] = {"migrations_dir": settings["migrations_dir"]}
    return commands
