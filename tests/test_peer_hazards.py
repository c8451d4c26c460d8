"""pg-schema-diff records the hazards it expects for each change; we raise at least those kinds.

Its names map onto ours below. Where our plan is safer than its plan (an online form takes a
weaker lock than the one it reports), the case is listed with the reason; nothing is dropped
silently.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from planner import guard, workflow
from planner.dump import write_declarations
from planner.hazards import HazardKind
from planner.plan import Plan
from tests import peerkit

# pg-schema-diff's hazard → the kinds of ours of which at least one must be raised.
MAPPING: dict[str, set[HazardKind]] = {
    "ACQUIRES_ACCESS_EXCLUSIVE_LOCK": {HazardKind.BLOCKS_READS},
    "ACQUIRES_SHARE_LOCK": {HazardKind.BLOCKS_WRITES},
    "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK": {HazardKind.BLOCKS_WRITES},
    "DELETES_DATA": {HazardKind.DELETES_DATA},
    "INDEX_BUILD": {HazardKind.BUILDS_INDEX},
    "INDEX_DROPPED": {HazardKind.DROPS_INDEX},
    "AUTHZ_UPDATE": {HazardKind.CHANGES_AUTHORIZATION},
    "HAS_UNTRACKABLE_DEPENDENCIES": {HazardKind.UNTRACKED_DEPENDENCIES},
    "IMPACTS_DATABASE_PERFORMANCE": {
        HazardKind.BUILDS_INDEX,
        HazardKind.SCANS_TABLE,
        HazardKind.REWRITES_TABLE,
        HazardKind.DROPS_INDEX,
    },
    "CORRECTNESS": {
        HazardKind.NOT_REVERSIBLE,
        HazardKind.DELETES_DATA,
        HazardKind.CHANGES_AUTHORIZATION,
        HazardKind.UNTRACKED_DEPENDENCIES,
    },
    "UPGRADING_EXTENSION_VERSION": {HazardKind.NOT_REVERSIBLE},
}

# Cases where our plan does not raise a kind pg-schema-diff expects, and why that is right
# (or what is missing). Strict xfails: a case that starts matching leaves this list.
EXCEPTIONS: dict[str, str] = {
    "pgsd:index_no_concurrent:add": (
        "our plan builds the index CONCURRENTLY (builds-index, no SHARE lock); pg-schema-diff "
        "was told not to"
    ),
    "pgsd:column:modify_data_type_varchar_text_with_compatible_default": (
        "varchar to text is binary-compatible: no rewrite and only a brief lock, so nothing "
        "to report as a performance impact"
    ),
    "pgsd:database_schema_source:dir_src_happy_path": (
        "the only index is on a table the same plan creates: building it blocks nobody"
    ),
    "pgsd:sequence:add_sequence": (
        "a new sequence cannot be used by anything yet; untracked dependencies matter when a "
        "sequence is dropped (which we flag)"
    ),
    "pgsd:table:alter_replica_identity": (
        "CORRECTNESS (what logical replication sends changes) has no counterpart among our "
        "hazard kinds; we report the ACCESS EXCLUSIVE lock it takes"
    ),
    "pgsd:table:alter_replica_identity_to_index_replica_identity": (
        "CORRECTNESS (logical replication) has no counterpart among our hazard kinds"
    ),
    "pgsd:partitioned_table:alter_replica_identity_of_parent_and_children": (
        "CORRECTNESS (logical replication) has no counterpart among our hazard kinds"
    ),
    "pgsd:privilege:grant_on_partitioned_parent_table": (
        "known gap: privileges granted on a partitioned table's partitions are not planned "
        "(see the peer suites' known limitations)"
    ),
}

CASES = [case for case in peerkit.pgsd_cases() if case.expected_hazards]


def raised(plan: Plan) -> set[HazardKind]:
    return {hazard.kind for statement in plan.statements for hazard in statement.hazards}


def missing(expected: Iterable[str], ours: set[HazardKind]) -> list[str]:
    return sorted(name for name in expected if not MAPPING[name] & ours)


def plan_case(case: peerkit.PeerCase, server: Any, workdir: Path) -> Plan:
    old, new = server.create_database(), server.create_database()
    try:
        peerkit.build_side(case, "old", server.url(old))
        peerkit.build_side(case, "new", server.url(new))
        _, catalog = peerkit.read_database(server.conninfo(new))
        write_declarations(catalog, workdir / "schema")
        (workdir / "schema").mkdir(exist_ok=True)
        options = workflow.Options(
            workdir / "schema",
            workdir / "migrations",
            database_url=server.url(old),
            allowed_hazards=(guard.ALL,),
        )
        return workflow.compute_plan(options, server=server).plan
    finally:
        server.drop_database(old)
        server.drop_database(new)


def test_every_expected_hazard_name_is_mapped() -> None:
    names = {name for case in CASES for name in peerkit.expected_hazards(case)}
    assert names <= set(MAPPING), names - set(MAPPING)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_we_raise_at_least_the_hazards_pg_schema_diff_expects(
    case: peerkit.PeerCase, pg_server: Any
) -> None:
    if case.id in EXCEPTIONS:
        pytest.xfail(EXCEPTIONS[case.id])
    with tempfile.TemporaryDirectory() as directory:
        try:
            plan = plan_case(case, pg_server, Path(directory))
        except Exception as error:  # a case that cannot even be planned is reported, not hidden
            pytest.fail(f"planning failed: {type(error).__name__}: {error}")
    assert not missing(peerkit.expected_hazards(case), raised(plan)), (
        missing(peerkit.expected_hazards(case), raised(plan)),
        sorted(kind.value for kind in raised(plan)),
    )
