"""How runs behave: ranged backfills, reruns, failures, and the deleted/reconciliation paths."""

import dagster as dg
import pytest

from sf_assets.extract.assets import build_collection_asset
from sf_assets.extract.definitions import collection_sources
from sf_assets.extract.translator import SalesforceTranslator
from sf_assets.resources.salesforce import SalesforceResource

ACCOUNTS = [("sfdc_prod", "accounts")]


def _accounts_on(emulator, org, sf, when: str, names: list[str]) -> list[str]:
    emulator.control.set_clock(org.org_id, when)
    return [sf.Account.create({"Name": name})["id"] for name in names]


def test_ranged_backfill_is_one_run_over_every_partition(emulator, org, sf, make_project):
    _accounts_on(emulator, org, sf, "2026-03-10T05:00:00Z", ["A"])
    _accounts_on(emulator, org, sf, "2026-03-12T05:00:00Z", ["B"])
    project = make_project({"sfdc_prod": org})
    tags = {"dagster/asset_partition_range_start": "2026-03-10-00:00", "dagster/asset_partition_range_end": "2026-03-12-00:00"}
    result = project.materialize(ACCOUNTS, tags=tags)
    assert result.success
    assert len(project.instance.get_runs()) == 1
    key = dg.AssetKey(["sfdc_prod", "accounts"])
    assert project.instance.get_materialized_partitions(key) == {"2026-03-10-00:00", "2026-03-11-00:00", "2026-03-12-00:00"}
    assert project.warehouse().row_count("sfdc_prod", "accounts") == 2
    metadata = result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata
    assert metadata["window"].value == "[beginning, 2026-03-13T00:00:00.000Z)"


def test_rerunning_a_partition_changes_nothing(emulator, org, sf, make_project):
    _accounts_on(emulator, org, sf, "2026-03-10T05:00:00Z", ["A", "B"])
    project = make_project({"sfdc_prod": org})
    assert project.materialize(ACCOUNTS, partition="2026-03-10-00:00").success
    before = project.warehouse().fetch_all("sfdc_prod", "accounts")
    rerun = project.materialize(ACCOUNTS, partition="2026-03-10-00:00")
    assert project.warehouse().fetch_all("sfdc_prod", "accounts") == before
    metadata = rerun.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata
    assert (metadata["rows_upserted"].value, metadata["rows_unchanged"].value) == (0, 2)


def test_a_run_failing_mid_load_leaves_the_table_as_it_was(emulator, org, sf, make_project):
    _accounts_on(emulator, org, sf, "2026-03-10T05:00:00Z", ["Kept"])
    project = make_project({"sfdc_prod": org})
    assert project.materialize(ACCOUNTS, partition="2026-03-10-00:00").success
    before = project.warehouse().fetch_all("sfdc_prod", "accounts")
    emulator.control.set_clock(org.org_id, "2026-03-11T05:00:00Z")
    sf.Account.update(before[0]["id"], {"Name": "Changed, never half-loaded"})
    sf.Account.create({"Name": "New, never half-loaded"})
    # The `deleted` call comes after every changed row was staged: the load must roll them all back.
    emulator.control.add_fault(org.org_id, r"/deleted", status=503, remaining=50)
    fragile = SalesforceResource(
        **project.settings.instance("sfdc_prod").connection_options(),
        username=org.username, password=org.password, security_token=org.security_token,
        ca_bundle=emulator.ca_bundle, max_attempts=2, retry_base_seconds=0.01,
    )
    source = next(s for s in collection_sources(project.settings, "sqlite") if s.spec.table == "accounts")
    without_retries = build_collection_asset(source, SalesforceTranslator(), retry_policy=None)
    result = dg.materialize(
        [without_retries],
        instance=project.instance,
        resources={**project.defs.resources, "salesforce_sfdc_prod": fragile},
        partition_key="2026-03-11-00:00",
        raise_on_error=False,
    )
    assert not result.success
    assert project.warehouse().fetch_all("sfdc_prod", "accounts") == before


def test_purges_older_than_the_deleted_window_are_found_by_reconciliation(emulator, org, sf, make_project):
    ids = _accounts_on(emulator, org, sf, "2026-03-10T05:00:00Z", ["Stays", "Purged"])
    project = make_project({"sfdc_prod": org}, start="2026-03-10")
    assert project.materialize(ACCOUNTS, partition="2026-03-10-00:00").success
    emulator.control.mutate(org.org_id, "purge", ids=[ids[1]])
    emulator.control.advance_clock(org.org_id, 40 * 86400)  # the purge falls out of the 15-day window
    project = make_project({"sfdc_prod": org}, start="2026-03-10")
    result = project.materialize(ACCOUNTS, partition="2026-03-11-00:00")
    rows = {r["id"]: r for r in project.warehouse().fetch_all("sfdc_prod", "accounts")}
    assert rows[ids[1]]["is_deleted"] is True and rows[ids[1]]["deleted_at"] is not None
    assert rows[ids[0]]["is_deleted"] is False
    assert result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata["id_reconciliation"].value is True


@pytest.mark.parametrize("instances", [("sfdc_prod", "sfdc_sandbox")])
def test_definitions_hold_one_asset_per_collection_per_instance(instances, emulator, make_project):
    orgs = {name: emulator.control.create_org() for name in instances}
    try:
        project = make_project(orgs)
        dg.Definitions.validate_loadable(project.defs)
        keys = {a.key for a in project.defs.assets}
        for name in instances:
            tables = {k.path[1] for k in keys if k.path[0] == name}
            assert {"accounts", "_group", "opportunity_product", "price_books", "role", "subscription_c"} <= tables
            assert "names" not in tables  # Name is not queryable: skipped with a reason
            assert len(tables) == 48
        asset = project.asset("sfdc_sandbox", "accounts")
        spec = asset.specs_by_key[asset.key]
        assert (spec.group_name, spec.tags["sf/cadence"], spec.tags["sf/instance"]) == ("sfdc_sandbox", "daily", "sfdc_sandbox")
        assert asset.backfill_policy == dg.BackfillPolicy.single_run()
    finally:
        for created in orgs.values():
            emulator.control.drop_org(created.org_id)
