"""The asset checks: live rows against Salesforce's count, and column-schema changes."""

import dagster as dg

from sf_assets.extract.checks import build_row_count_check
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


def test_row_count_check_warns_when_the_table_falls_behind(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    sf.Account.create({"Name": "Synced"})
    project = make_project({"sfdc_prod": org})
    emulator.control.set_clock(org.org_id, "2026-03-12T05:00:00Z")  # after the synced window
    sf.Account.create({"Name": "Not synced yet"})
    evaluation = _evaluate(project, _row_count_check(project))
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert (evaluation.metadata["salesforce_rows"].value, evaluation.metadata["warehouse_rows"].value) == (2, 1)


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
