"""Where an Alembic project keeps things: its alembic.ini, versions directory and file names.

A migrations directory the planner created has its own alembic.ini inside it; an existing
project usually keeps alembic.ini one level up (`backend/alembic.ini` with
`script_location = alembic`). Either way its settings are read, never rewritten.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_SLUG_LENGTH = 40


@dataclass(frozen=True, slots=True)
class AlembicProject:
    script_directory: Path
    ini_path: Path | None
    versions_directory: Path
    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = DEFAULT_SLUG_LENGTH

    def revision_path(self, revision: str, message: str, created: datetime) -> Path:
        """The file name the project's `file_template` gives a new revision."""
        values = {
            "rev": revision,
            "slug": slug(message, self.truncate_slug_length),
            "epoch": int(created.timestamp()),
            "year": created.year,
            "month": created.month,
            "day": created.day,
            "hour": created.hour,
            "minute": created.minute,
            "second": created.second,
        }
        return self.versions_directory / f"{self.file_template % values}.py"


def slug(message: str, length: int = DEFAULT_SLUG_LENGTH) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", message.lower()).split()
    text = ""
    for word in words:
        candidate = f"{text}_{word}" if text else word
        if len(candidate) > length and text:
            break
        text = candidate[:length]
    return text or "revision"


def locate(directory: Path) -> AlembicProject:
    """The project whose script directory is `directory` (its alembic.ini found if any)."""
    ini_path = _find_ini(directory)
    if ini_path is None:
        return AlembicProject(directory, None, directory / "versions")
    section = _alembic_section(ini_path)
    versions = directory / "versions"
    locations = section.get("version_locations")
    if locations:
        first = re.split(r"[\s,;:]+", locations.strip())[0]
        versions = (
            (ini_path.parent / first).resolve() if not Path(first).is_absolute() else Path(first)
        )
    return AlembicProject(
        script_directory=directory,
        ini_path=ini_path,
        versions_directory=versions,
        file_template=section.get("file_template", DEFAULT_FILE_TEMPLATE),
        truncate_slug_length=int(section.get("truncate_slug_length", DEFAULT_SLUG_LENGTH)),
    )


def _find_ini(directory: Path) -> Path | None:
    own = directory / "alembic.ini"
    if own.exists():
        return own
    parent = directory.parent / "alembic.ini"
    if parent.exists():
        location = _alembic_section(parent).get("script_location", "")
        if location and _same_place(parent.parent, location, directory):
            return parent
    return None


def _same_place(base: Path, location: str, directory: Path) -> bool:
    target = Path(location) if Path(location).is_absolute() else base / location
    return target.resolve() == directory.resolve()


def _alembic_section(ini_path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(defaults={"here": str(ini_path.parent.resolve())})
    parser.read(ini_path)
    if not parser.has_section("alembic"):
        return {}
    return {key: parser.get("alembic", key) for key in parser.options("alembic")}
