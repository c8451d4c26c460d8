"""SQL for partition indexes attached under their own names (planner/diff_partitions.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from planner.hazards import HazardKind, Lock, hazard, lock
from planner.model import QualifiedName
from planner.operations import AttachedPartition
from planner.quoting import quote_qualified
from planner.render.statements import Statement


def detach(parent: QualifiedName, partitions: Sequence[AttachedPartition]) -> Iterator[Statement]:
    """An index attached to a partitioned table's index cannot be detached, and PostgreSQL
    drops it along with that index (or refuses, for a key's): its partition is detached for
    the while the partitioned table's index or key is dropped, then attached again."""
    for partition in partitions:
        yield Statement(
            f"ALTER TABLE {quote_qualified(parent)} DETACH PARTITION "
            f"{quote_qualified(partition.table)}",
            hazards=lock(Lock.ACCESS_EXCLUSIVE, str(parent)),
        )


def reattach(parent: QualifiedName, partitions: Sequence[AttachedPartition]) -> Iterator[Statement]:
    for partition in partitions:
        checks = hazard(HazardKind.SCANS_TABLE, f"checks every row of {partition.table}")
        yield Statement(
            f"ALTER TABLE {quote_qualified(parent)} ATTACH PARTITION "
            f"{quote_qualified(partition.table)} {partition.bound}",
            hazards=lock(Lock.SHARE_UPDATE_EXCLUSIVE, str(parent)) + checks,
        )


def attach_indexes(
    index: QualifiedName, partitions: Sequence[AttachedPartition]
) -> Iterator[Statement]:
    """The partitions' indexes attached to a partitioned table's index made ON ONLY it."""
    for partition in partitions:
        for name in partition.indexes:
            child = QualifiedName(partition.table.schema, name)
            yield Statement(
                f"ALTER INDEX {quote_qualified(index)} ATTACH PARTITION {quote_qualified(child)}"
            )
