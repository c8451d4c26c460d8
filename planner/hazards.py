"""What a statement does to a live database, as data attached where the statement is made.

Lock levels follow PostgreSQL's documentation of ALTER TABLE, CREATE/DROP INDEX, CREATE
TRIGGER, CREATE POLICY and ALTER TYPE (unchanged from 13 to 17): ACCESS EXCLUSIVE blocks
reads and writes; SHARE, SHARE ROW EXCLUSIVE and EXCLUSIVE block writes; SHARE UPDATE
EXCLUSIVE and weaker block neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatchcase


class HazardKind(StrEnum):
    DELETES_DATA = "deletes-data"
    REWRITES_TABLE = "rewrites-table"
    BLOCKS_WRITES = "blocks-writes"
    BLOCKS_READS = "blocks-reads"
    SCANS_TABLE = "scans-table"
    BUILDS_INDEX = "builds-index"
    CHANGES_AUTHORIZATION = "changes-authorization"
    NOT_REVERSIBLE = "not-reversible"
    DROPS_INDEX = "drops-index"
    UNTRACKED_DEPENDENCIES = "untracked-dependencies"


@dataclass(frozen=True, slots=True, order=True)
class Hazard:
    kind: HazardKind
    reason: str


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A declared "yes, I mean it": `object` is a subject such as `column public.users.bio`."""

    hazard: HazardKind
    object: str

    def covers(self, kind: HazardKind, object_subject: str) -> bool:
        return kind is self.hazard and fnmatchcase(object_subject, self.object)


class Lock(StrEnum):
    ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
    EXCLUSIVE = "EXCLUSIVE"
    SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
    SHARE = "SHARE"
    SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"


_BLOCKS_WRITES = {Lock.ACCESS_EXCLUSIVE, Lock.EXCLUSIVE, Lock.SHARE_ROW_EXCLUSIVE, Lock.SHARE}


def lock(level: Lock, subject: str, *, brief: bool = True) -> tuple[Hazard, ...]:
    """Hazards of holding `level` on `subject`; `brief` when nothing long runs under it."""
    duration = "briefly" if brief else "for the whole statement"
    hazards = []
    if level is Lock.ACCESS_EXCLUSIVE:
        hazards.append(
            Hazard(HazardKind.BLOCKS_READS, f"ACCESS EXCLUSIVE lock on {subject}, {duration}")
        )
    if level in _BLOCKS_WRITES:
        hazards.append(Hazard(HazardKind.BLOCKS_WRITES, f"{level} lock on {subject}, {duration}"))
    return tuple(hazards)


def deletes(what: str) -> tuple[Hazard, ...]:
    return (
        Hazard(HazardKind.DELETES_DATA, f"drops {what} and the data in it"),
        Hazard(HazardKind.NOT_REVERSIBLE, f"a downgrade recreates {what} empty"),
    )


def hazard(kind: HazardKind, reason: str) -> tuple[Hazard, ...]:
    return (Hazard(kind, reason),)


# Functions whose value changes per row: a default using one makes ADD COLUMN fill every row.
_VOLATILE = re.compile(
    r"\b(nextval|random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v\w*|"
    r"statement_timestamp|setseed|txid_current)\s*\(",
    re.IGNORECASE,
)


def is_volatile(expression: str) -> bool:
    return _VOLATILE.search(expression) is not None


@dataclass(frozen=True, slots=True)
class TypeChange:
    rewrites: bool
    narrows: bool


_LENGTH = re.compile(r"^(character varying|character|bit varying|bit)\((\d+)\)$")
_NUMERIC = re.compile(r"^numeric\((\d+),(\d+)\)$")
_WIDENINGS = {
    ("smallint", "integer"),
    ("smallint", "bigint"),
    ("integer", "bigint"),
    ("real", "double precision"),
    ("smallint", "numeric"),
    ("integer", "numeric"),
    ("bigint", "numeric"),
    ("date", "timestamp without time zone"),
    ("date", "timestamp with time zone"),
    ("timestamp without time zone", "timestamp with time zone"),
}
_BINARY_COMPATIBLE = {
    ("character varying", "text"),
    ("text", "character varying"),
    ("cidr", "inet"),
    ("xml", "text"),
}


def classify_type_change(old: str, new: str) -> TypeChange:
    """Whether ALTER COLUMN TYPE rewrites the table and whether values may not fit."""
    if old == new:
        return TypeChange(rewrites=False, narrows=False)
    old_length, new_length = _LENGTH.match(old), _LENGTH.match(new)
    if old_length and new_length and old_length.group(1) == new_length.group(1):
        wider = int(new_length.group(2)) >= int(old_length.group(2))
        # A shorter length makes PostgreSQL check and rewrite every row.
        return TypeChange(rewrites=not wider, narrows=not wider)
    if (
        old_length
        and old_length.group(1) == "character varying"
        and new in ("text", "character varying")
    ):
        return TypeChange(rewrites=False, narrows=False)
    old_numeric, new_numeric = _NUMERIC.match(old), _NUMERIC.match(new)
    if old_numeric and new == "numeric":
        return TypeChange(rewrites=False, narrows=False)
    if old_numeric and new_numeric:
        old_precision, old_scale = int(old_numeric.group(1)), int(old_numeric.group(2))
        new_precision, new_scale = int(new_numeric.group(1)), int(new_numeric.group(2))
        narrows = new_scale < old_scale or new_precision - new_scale < old_precision - old_scale
        return TypeChange(rewrites=new_scale != old_scale, narrows=narrows)
    if (old, new) in _BINARY_COMPATIBLE:
        return TypeChange(rewrites=False, narrows=False)
    if (old, new) in _WIDENINGS:
        return TypeChange(rewrites=True, narrows=False)
    return TypeChange(rewrites=True, narrows=True)
