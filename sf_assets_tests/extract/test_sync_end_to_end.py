"""Collections synced through real Dagster from an emulated org into SQLite and PostgreSQL."""

import pytest

from sf_assets.extract.sync import BULK_THRESHOLD_ROWS

from ..salesforce.test_query import seed_accounts
from .conftest import assert_table_equals_org

COLLECTIONS = [("sfdc_prod", "accounts"), ("sfdc_prod", "contacts"), ("sfdc_prod", "subscription_c")]
FIRST = "2026-03-10-00:00"  # the first partition: all history up to 2026-03-11
NEXT = "2026-03-11-00:00"


def _seed(emulator, org, sf) -> dict[str, list[str]]:
    emulator.control.set_clock(org.org_id, "2026-03-10T10:00:00Z")
    accounts = [
        sf.Account.create(
            {"Name": f"Account {i}", "Industry": "Energy", "AnnualRevenue": 1000.5 * i, "Active__c": "Yes"}
        )["id"]
        for i in range(6)
    ]
    contacts = [
        sf.Contact.create(
            {"LastName": f"Person {i}", "AccountId": accounts[i % 3], "Email": f"p{i}@example.com"}
        )["id"]
        for i in range(6)
    ]
    subscriptions = [
        sf.Subscription__c.create(
            {"Name": f"Sub {i}", "Account__c": accounts[i], "Plan__c": "Pro", "Status__c": "Active"}
        )["id"]
        for i in range(3)
    ]
    sf.Account.delete(accounts[4])  # in the recycle bin at the first sync, undeleted before the next
    return {"accounts": accounts, "contacts": contacts, "subscriptions": subscriptions}


@pytest.mark.parametrize("warehouse", ["sqlite", "postgres"])
def test_first_partition_loads_all_history_into_each_warehouse(
    warehouse, emulator, org, sf, make_project, request
):
    url = request.getfixturevalue("postgres_url") if warehouse == "postgres" else None
    _seed(emulator, org, sf)
    project = make_project({"sfdc_prod": org}, warehouse_url=url)
    result = project.materialize(COLLECTIONS, partition=FIRST)
    assert result.success
    for schema, table in COLLECTIONS:
        rows = assert_table_equals_org(project, schema, table, sf)
        assert rows
    metadata = result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata
    assert metadata["rows_inserted"].value == 6  # the soft-deleted one included, flagged is_deleted
    assert metadata["dagster/row_count"].value == 6
    assert metadata["window"].value == "[beginning, 2026-03-11T00:00:00.000Z)"


def test_next_partition_applies_every_kind_of_change(emulator, org, sf, make_project):
    ids = _seed(emulator, org, sf)
    project = make_project({"sfdc_prod": org})
    assert project.materialize(COLLECTIONS, partition=FIRST).success
    emulator.control.set_clock(org.org_id, "2026-03-11T09:00:00Z")
    sf.Account.update(ids["accounts"][0], {"Name": "Renamed", "AnnualRevenue": None})
    sf.Account.delete(ids["accounts"][5])
    emulator.control.mutate(org.org_id, "purge", ids=[ids["contacts"][5]])
    emulator.control.mutate(org.org_id, "merge", ids=[ids["accounts"][1], ids["accounts"][2]])
    emulator.control.add_field(
        org.org_id, "Account", {"name": "Health__c", "type": "double", "precision": 5, "scale": 2}
    )
    sf.Account.update(ids["accounts"][3], {"Health__c": 42.5})
    emulator.control.mutate(org.org_id, "undelete", ids=[ids["accounts"][4]])
    project = make_project({"sfdc_prod": org})  # the catalog refresh picks up Health__c
    result = project.materialize(COLLECTIONS, partition=NEXT)
    assert result.success
    accounts = {r["id"]: r for r in assert_table_equals_org(project, "sfdc_prod", "accounts", sf)}
    assert accounts[ids["accounts"][5]]["is_deleted"] is True
    assert accounts[ids["accounts"][4]]["is_deleted"] is False
    assert accounts[ids["accounts"][2]]["master_record_id"] == ids["accounts"][1]
    assert float(accounts[ids["accounts"][3]]["health_c"]) == 42.5
    contacts = {r["id"]: r for r in assert_table_equals_org(project, "sfdc_prod", "contacts", sf)}
    assert contacts[ids["contacts"][5]]["is_deleted"] is True
    assert contacts[ids["contacts"][5]]["deleted_at"] is not None
    changes = (
        result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata["schema_changes"].value
    )
    assert "health_c" in str(changes)


def _synced(project, emulator, org, partition: str):  # noqa: ANN001, ANN202
    """Sync accounts for one partition: its metadata and the requests Salesforce served."""
    emulator.control.reset_requests(org.org_id)
    result = project.materialize([("sfdc_prod", "accounts")], partition=partition)
    metadata = result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata
    served = {
        e.rsplit("/", 1)[-1]: n for e, n in emulator.control.requests(org.org_id)["by_endpoint"].items()
    }
    return {k: v.value for k, v in metadata.items()}, served


def test_rest_or_bulk_is_chosen_per_window_with_the_fewest_calls(emulator, org, sf, make_project):
    emulator.control.set_clock(org.org_id, "2026-03-10T10:00:00Z")
    for i in range(3):
        sf.Account.create({"Name": f"Small {i}"})
    project = make_project({"sfdc_prod": org})

    # All history: a COUNT() first (usually big), then the rows.
    metadata, served = _synced(project, emulator, org, FIRST)
    assert (metadata["api"], metadata["rows_read"]) == ("rest", 3)
    assert served == {"limits": 1, "queryAll": 2}

    # A later window: its first REST page says how many rows match, so no COUNT() is sent.
    emulator.control.set_clock(org.org_id, "2026-03-11T10:00:00Z")
    sf.Account.create({"Name": "Small 3"})
    metadata, served = _synced(project, emulator, org, NEXT)
    assert (metadata["api"], metadata["rows_read"]) == ("rest", 1)
    assert served == {"limits": 1, "queryAll": 1, "deleted": 1}
    assert metadata["api_calls"] == 3

    # A big later window drops that first page and moves to Bulk.
    emulator.control.set_clock(org.org_id, "2026-03-12T10:00:00Z")
    seed_accounts(sf, BULK_THRESHOLD_ROWS)
    metadata, served = _synced(project, emulator, org, "2026-03-12-00:00")
    assert (metadata["api"], metadata["rows_read"]) == ("bulk", BULK_THRESHOLD_ROWS)
    assert served["queryAll"] == 1 and served["query"] == 1  # the dropped REST page; the Bulk job
    assert_table_equals_org(project, "sfdc_prod", "accounts", sf)
