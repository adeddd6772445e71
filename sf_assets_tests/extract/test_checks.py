"""The asset checks: live rows against Salesforce's count, and column-schema changes."""

from datetime import UTC, datetime

import dagster as dg
import pytest
import sqlalchemy as sa

from sf_assets.extract.checks import build_row_count_check, row_counts_agree
from sf_assets.extract.definitions import collection_sources


def _row_count_check(project) -> dg.AssetChecksDefinition:  # noqa: ANN001
    source = next(s for s in collection_sources(project.settings, "sqlite") if s.spec.table == "accounts")
    return build_row_count_check(source, dg.AssetKey(["sfdc_prod", "accounts"]))


def _evaluate(project, check) -> dg.AssetCheckEvaluation:  # noqa: ANN001
    result = dg.materialize(
        [project.asset("sfdc_prod", "accounts"), check],
        instance=project.instance,
        resources=project.defs.resources,
        partition_key="2026-03-10-00:00",
    )
    return result.get_asset_check_evaluations()[0]


def test_row_count_check_passes_after_a_sync(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    for name in ("A", "B", "C"):
        sf.Account.create({"Name": name})
    project = make_project({"sfdc_prod": org})
    evaluation = _evaluate(project, _row_count_check(project))
    assert evaluation.passed
    assert evaluation.metadata["salesforce_rows"].value == evaluation.metadata["warehouse_rows"].value == 3


def test_row_count_check_allows_for_changes_the_next_sync_reads(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    sf.Account.create({"Name": "Synced"})
    project = make_project({"sfdc_prod": org})
    emulator.control.set_clock(org.org_id, "2026-03-12T05:00:00Z")  # after the synced window
    sf.Account.create({"Name": "Not synced yet"})
    evaluation = _evaluate(project, _row_count_check(project))
    assert evaluation.passed
    facts = {name: value.value for name, value in evaluation.metadata.items()}
    assert (facts["salesforce_rows"], facts["warehouse_rows"], facts["changed_since_sync"]) == (2, 1, 1)
    assert facts["synced_through"] == datetime(2026, 3, 10, 5, tzinfo=UTC).timestamp()


def test_row_count_check_counts_only_live_rows_in_salesforce(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    ids = [sf.Account.create({"Name": name})["id"] for name in ("Kept", "Deleted")]
    sf.Account.delete(ids[1])  # in the recycle bin: `queryAll` would still count it
    project = make_project({"sfdc_prod": org})
    evaluation = _evaluate(project, _row_count_check(project))
    assert evaluation.passed
    facts = {name: value.value for name, value in evaluation.metadata.items()}
    assert (facts["salesforce_rows"], facts["warehouse_rows"]) == (1, 1)
    assert "changed_since_sync" not in facts  # equal counts need no second query


def test_row_count_check_warns_when_synced_rows_go_missing(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    for name in ("A", "B", "C"):
        sf.Account.create({"Name": name})
    project = make_project({"sfdc_prod": org})
    check = _row_count_check(project)
    _evaluate(project, check)
    warehouse = project.defs.resources["warehouse"].get_warehouse()
    with warehouse.connect("sfdc_prod") as conn:  # a row lost outside the sync, e.g. a bad manual delete
        conn.execute(
            sa.text("DELETE FROM " + warehouse.dialect.table("sfdc_prod", "accounts") + " WHERE name = 'B'")
        )
        conn.commit()
    evaluation = dg.materialize(  # the check alone: no sync in between to repair the table
        [project.asset("sfdc_prod", "accounts"), check],
        instance=project.instance,
        resources=project.defs.resources,
        selection=dg.AssetSelection.all_asset_checks(),
    ).get_asset_check_evaluations()[0]
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    facts = {name: value.value for name, value in evaluation.metadata.items()}
    assert (facts["salesforce_rows"], facts["warehouse_rows"], facts["changed_since_sync"]) == (3, 2, 0)


@pytest.mark.parametrize(
    ("in_salesforce", "in_warehouse", "changed", "agree"),
    [
        (3, 3, 0, True),
        (3, 2, 0, False),
        (3, 2, 1, True),  # one row created after the newest synced one
        (3, 5, 1, False),  # one change cannot explain two extra rows
        (10_000, 9_990, 0, True),  # 0.1% drift on a busy org
        (10_000, 9_989, 0, False),
    ],
)
def test_row_counts_agree(in_salesforce, in_warehouse, changed, agree):
    assert row_counts_agree(in_salesforce, in_warehouse, changed) is agree


def test_every_collection_has_a_row_count_and_a_schema_change_check(org, make_project):
    project = make_project({"sfdc_prod": org})
    names = {key.name for check in project.defs.asset_checks for key in check.check_keys}
    assert "row_count_matches_salesforce" in names
    assert any("column_schema_change" in name for name in names)
    per_asset = {}
    for check in project.defs.asset_checks:
        for key in check.check_keys:
            per_asset.setdefault(key.asset_key, set()).add(key.name)
    assert len(per_asset) == 48
    assert all(len(names) == 2 for names in per_asset.values())
