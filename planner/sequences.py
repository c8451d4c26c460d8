"""PostgreSQL's implied sequence options, so that only options that differ are kept."""

from __future__ import annotations

from planner.model import SequenceOptions

_TYPE_RANGES = {
    "smallint": (-32768, 32767),
    "integer": (-2147483648, 2147483647),
    "bigint": (-9223372036854775808, 9223372036854775807),
}


def implied_options(data_type: str, increment: int) -> tuple[int, int, int]:
    """(start, minimum, maximum) PostgreSQL picks when CREATE SEQUENCE leaves them out."""
    low, high = _TYPE_RANGES.get(data_type, _TYPE_RANGES["bigint"])
    if increment > 0:
        return 1, 1, high
    return -1, low, -1


def minimal_options(
    *,
    column_type: str,
    data_type: str,
    start: int,
    increment: int,
    minimum: int,
    maximum: int,
    cache: int,
    cycle: bool,
) -> SequenceOptions:
    """Keep only the options that differ from what PostgreSQL would choose by itself."""
    _, implied_minimum, implied_maximum = implied_options(data_type, increment)
    # PostgreSQL starts at the minimum (ascending) or maximum (descending) unless told.
    implied_start = minimum if increment > 0 else maximum
    return SequenceOptions(
        data_type=None if data_type == column_type else data_type,
        start=None if start == implied_start else start,
        increment=None if increment == 1 else increment,
        minimum=None if minimum == implied_minimum else minimum,
        maximum=None if maximum == implied_maximum else maximum,
        cache=None if cache == 1 else cache,
        cycle=cycle,
    )
