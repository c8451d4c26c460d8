"""A cache of canonical catalogs: unchanged declarations are not created again.

Creating thousands of tables on the scratch server dominates a plan; the canonical form
depends only on the declaration files, the PostgreSQL version that judged them and the
planner's own code, so those three make the key. SCHEMA_PLANNER_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from importlib import resources
from pathlib import Path

from planner.migrations import write_atomically_bytes
from planner.model import Catalog
from planner.server import default_cache_dir


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    package = resources.files("planner")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.suffix in (".py", ".sql", ".json", ".j2") and path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _path(declarations_digest: str, server_version: int) -> Path:
    key = f"{declarations_digest}-{server_version}-{_code_digest()}"
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return default_cache_dir() / "canonical" / f"{name}.pickle"


def enabled() -> bool:
    return os.environ.get("SCHEMA_PLANNER_NO_CACHE") != "1"


def load(declarations_digest: str, server_version: int) -> Catalog | None:
    if not enabled() or not declarations_digest:
        return None
    path = _path(declarations_digest, server_version)
    try:
        catalog = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None
    return catalog if isinstance(catalog, Catalog) else None


def store(declarations_digest: str, server_version: int, catalog: Catalog) -> None:
    if not enabled() or not declarations_digest:
        return
    path = _path(declarations_digest, server_version)
    try:
        write_atomically_bytes(path, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return  # a cache that cannot be written is only slower
