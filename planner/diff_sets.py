"""The set algebra every diff uses."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def differences(
    current: Iterable[T], desired: Iterable[T], key: Callable[[T], K]
) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """(added, removed, kept pairs) between two collections, in a stable, sorted order."""
    before = {key(item): item for item in current}
    after = {key(item): item for item in desired}
    added = [after[k] for k in sorted(after.keys() - before.keys(), key=str)]
    removed = [before[k] for k in sorted(before.keys() - after.keys(), key=str)]
    kept = [(before[k], after[k]) for k in sorted(before.keys() & after.keys(), key=str)]
    return added, removed, kept
