"""Reads against the emulator: REST and Bulk pages, deleted rows, replication, metadata, API usage."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from sf_assets.lib.batches import CsvBatch, RecordBatch
from sf_assets.salesforce import BulkJobTimedOut, ClientSettings, SalesforceAuth, SalesforceClient

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def client(emulator, org) -> SalesforceClient:  # noqa: ANN001
    return make_client(emulator, org)


def make_client(emulator, org, **settings: object) -> SalesforceClient:  # noqa: ANN001
    auth = SalesforceAuth(
        "password",
        login_url=org.login_url,
        username=org.username,
        password=org.password,
        security_token=org.security_token,
    )
    fast = {"retry_base_seconds": 0.001, "bulk_poll_initial_seconds": 0.001, "bulk_poll_max_seconds": 0.005}
    return SalesforceClient(auth, ClientSettings(ca_bundle=emulator.ca_bundle, **{**fast, **settings}))


def seed_accounts(sf, count: int) -> list[str]:  # noqa: ANN001 - simple_salesforce.Salesforce
    ids: list[str] = []
    for first in range(0, count, 200):  # sObject Collections take at most 200 records
        records = [
            {"attributes": {"type": "Account"}, "Name": f"Acct {i:05d}"}
            for i in range(first, min(count, first + 200))
        ]
        results = sf.restful(
            "composite/sobjects", method="POST", json={"allOrNone": True, "records": records}
        )
        ids.extend(r["id"] for r in results)
    return ids


def csv_rows(batch: CsvBatch) -> list[dict]:
    return list(csv.DictReader(io.StringIO(batch.data.decode("utf-8")), fieldnames=batch.fields))


# --- REST ----------------------------------------------------------------------------------------------
def test_rest_pages_hold_at_most_2000_rows_and_every_row_once(sf, client) -> None:
    ids = seed_accounts(sf, 2150)

    batches = list(client.query_batches("SELECT Id, Name FROM Account", api="rest"))

    assert all(isinstance(b, RecordBatch) for b in batches)
    assert [b.rows for b in batches] == [2000, 150]
    seen = [r["Id"] for b in batches for r in b.records]
    assert sorted(seen) == sorted(ids)


def test_rest_records_follow_the_select_order_without_attributes(sf, client) -> None:
    seed_accounts(sf, 1)

    (batch,) = client.query_batches("SELECT Name, Id, IsDeleted FROM Account")

    assert batch.fields == ("Name", "Id", "IsDeleted")
    assert list(batch.records[0]) == ["Name", "Id", "IsDeleted"]


@pytest.mark.parametrize("api", ["rest", "bulk"])
def test_include_deleted_brings_soft_deleted_rows(emulator, org, sf, client, api: str) -> None:
    kept, deleted = seed_accounts(sf, 2)
    emulator.control.mutate(org.org_id, "soft_delete", ids=[deleted])
    soql = "SELECT Id, IsDeleted FROM Account"

    def rows(include_deleted: bool) -> dict[str, str]:
        found = {}
        for batch in client.query_batches(soql, include_deleted=include_deleted, api=api):
            records = csv_rows(batch) if isinstance(batch, CsvBatch) else batch.records
            found.update({r["Id"]: str(r["IsDeleted"]).lower() for r in records})
        return found

    assert rows(include_deleted=True) == {kept: "false", deleted: "true"}
    assert rows(include_deleted=False) == {kept: "false"}


def test_empty_result_yields_no_batch(client) -> None:
    assert list(client.query_batches("SELECT Id FROM Account")) == []
    assert list(client.query_batches("SELECT Id FROM Account", api="bulk")) == []


# --- Bulk API 2.0 --------------------------------------------------------------------------------------
def test_bulk_pages_cover_every_row_once_as_csv_bytes(sf, client) -> None:
    ids = seed_accounts(sf, 230)

    batches = list(client.query_batches("SELECT Id, Name FROM Account", api="bulk", max_records=100))

    assert all(isinstance(b, CsvBatch) for b in batches)
    assert [b.rows for b in batches] == [100, 100, 30]
    assert all(b.fields == ("Id", "Name") for b in batches)
    rows = [row for b in batches for row in csv_rows(b)]
    assert sorted(r["Id"] for r in rows) == sorted(ids)
    assert all(len(csv_rows(b)) == b.rows for b in batches)
    assert not batches[0].data.startswith(b'"Id"')


def test_bulk_job_is_deleted_afterwards_even_when_the_reader_stops_early(sf, client) -> None:
    seed_accounts(sf, 30)

    list(client.query_batches("SELECT Id FROM Account", api="bulk"))
    pages = client.query_batches("SELECT Id FROM Account", api="bulk", max_records=10)
    next(pages)
    pages.close()

    assert client.transport.rest("GET", "jobs/query")["records"] == []


def test_bulk_polls_until_the_job_completes(emulator, org, sf, client) -> None:
    seed_accounts(sf, 3)
    emulator.control.set_bulk(org.org_id, polls_until_complete=3)
    emulator.control.reset_requests(org.org_id)

    (batch,) = client.query_batches("SELECT Id FROM Account", api="bulk")

    assert batch.rows == 3
    status_polls = emulator.control.requests(org.org_id)["by_endpoint"][
        "GET /services/data/v{version}/jobs/query/{job_id}"
    ]
    assert status_polls == 4


def test_bulk_job_that_outlives_the_timeout_is_aborted_and_deleted(emulator, org, sf) -> None:
    seed_accounts(sf, 3)
    emulator.control.set_bulk(org.org_id, polls_until_complete=1000)
    client = make_client(emulator, org, bulk_timeout_seconds=0.02)

    with pytest.raises(BulkJobTimedOut, match="still InProgress"):
        list(client.query_batches("SELECT Id FROM Account", api="bulk"))

    assert client.transport.rest("GET", "jobs/query")["records"] == []


def test_bulk_download_survives_a_session_expiring_between_pages(emulator, org, sf, client) -> None:
    ids = seed_accounts(sf, 25)
    pages = client.query_batches("SELECT Id FROM Account", api="bulk", max_records=10)

    first = next(pages)
    emulator.control.expire_sessions(org.org_id)
    rest = list(pages)

    assert sorted(r["Id"] for b in [first, *rest] for r in csv_rows(b)) == sorted(ids)


# --- counts, replication, metadata -----------------------------------------------------------------------
def test_count_includes_deleted_rows_unless_asked_not_to(emulator, org, sf, client) -> None:
    ids = seed_accounts(sf, 3)
    emulator.control.mutate(org.org_id, "soft_delete", ids=ids[:1])

    assert client.count("SELECT COUNT() FROM Account") == 3
    assert client.count("FROM Account WHERE IsDeleted = false") == 2
    assert client.count("SELECT COUNT() FROM Account", include_deleted=False) == 2


def test_deleted_lists_a_purged_record_with_its_time(emulator, org, sf, client) -> None:
    emulator.control.set_clock(org.org_id, NOW.isoformat())
    kept, purged = seed_accounts(sf, 2)
    emulator.control.mutate(org.org_id, "purge", ids=[purged])

    deleted = client.deleted("Account", NOW - timedelta(hours=1), NOW + timedelta(hours=1))

    assert deleted.ids_with_times == ((purged, NOW),)
    assert deleted.earliest_available is not None and deleted.earliest_available < NOW
    assert deleted.latest_covered == NOW


def test_updated_lists_records_changed_in_the_window(emulator, org, sf, client) -> None:
    emulator.control.set_clock(org.org_id, NOW.isoformat())
    ids = seed_accounts(sf, 2)

    updated = client.updated("Account", NOW - timedelta(hours=1), NOW + timedelta(hours=1))

    assert sorted(updated.ids) == sorted(ids)


def test_describe_global_describe_and_limits(client) -> None:
    assert "Account" in {s["name"] for s in client.describe_global()["sobjects"]}
    assert client.describe("Account")["name"] == "Account"
    assert client.limits()["DailyApiRequests"]["Max"] > 0


def test_rest_query_knows_its_size_from_the_first_page(emulator, org, sf, client) -> None:
    ids = seed_accounts(sf, 2150)
    emulator.control.reset_requests(org.org_id)

    query = client.rest_query("SELECT Id FROM Account")

    assert query.total_size == 2150
    assert client.api_calls == 1  # the first page only, until the pages are read
    assert sorted(r["Id"] for b in query.batches() for r in b.records) == sorted(ids)
    assert client.api_calls == 2
    with pytest.raises(RuntimeError, match="already been read"):
        next(query.batches())


def test_api_calls_equal_the_emulators_request_count(emulator, org, sf, client) -> None:
    seed_accounts(sf, 30)
    emulator.control.reset_requests(org.org_id)
    emulator.control.add_fault(org.org_id, r"/sobjects$", status=503, error_code="SERVER_UNAVAILABLE")

    client.describe_global()
    client.count("SELECT COUNT() FROM Account")
    list(client.query_batches("SELECT Id FROM Account", api="bulk", max_records=10))
    list(client.query_batches("SELECT Id FROM Account", api="rest"))
    client.deleted("Account", datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC))

    served = emulator.control.requests(org.org_id)
    assert client.api_calls == served["total"]
    assert client.api_usage == (served["api_usage"], 100_000)
