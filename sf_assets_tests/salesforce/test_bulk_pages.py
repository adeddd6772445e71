"""Bulk result pages spooled to disk: same rows as in memory, and the file goes with its page."""

import csv
import gc
import io

import pytest

from sf_assets.lib.batches import CsvBatch
from sf_assets.salesforce import ClientSettings, SalesforceAuth, SalesforceClient

SOQL = "SELECT Id, Name FROM Account"


def make_client(emulator, org, **settings: object) -> SalesforceClient:  # noqa: ANN001
    auth = SalesforceAuth(
        "password",
        login_url=org.login_url,
        username=org.username,
        password=org.password,
        security_token=org.security_token,
    )
    fast = {"retry_base_seconds": 0.001, "bulk_poll_initial_seconds": 0.001, "bulk_poll_max_seconds": 0.005}
    return SalesforceClient(auth, ClientSettings(ca_bundle=emulator.ca_bundle, **fast, **settings))


def seed_accounts(sf, count: int) -> None:  # noqa: ANN001 - simple_salesforce.Salesforce
    records = [
        {"attributes": {"type": "Account"}, "Name": f'Acct {i:03d}, "quoted"\nline'} for i in range(count)
    ]
    sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": records})


def rows(batch: CsvBatch) -> list[list[str]]:
    return list(csv.reader(io.TextIOWrapper(io.BytesIO(batch.data), encoding="utf-8", newline="")))


def test_pages_over_the_spool_size_are_files_with_the_same_rows(emulator, org, sf) -> None:  # noqa: ANN001
    seed_accounts(sf, 120)
    in_memory = make_client(emulator, org)
    on_disk = make_client(emulator, org, bulk_spool_bytes=256)

    kept = list(in_memory.query_batches(SOQL, api="bulk", max_records=50))
    spooled = list(on_disk.query_batches(SOQL, api="bulk", max_records=50))

    assert [b.rows for b in spooled] == [b.rows for b in kept] == [50, 50, 20]
    assert all(b.fields == ("Id", "Name") for b in spooled)
    assert [rows(b) for b in spooled] == [rows(b) for b in kept]
    assert all(len(rows(b)) == b.rows for b in spooled)


def test_a_spooled_page_can_be_read_again_from_its_first_row(emulator, org, sf) -> None:  # noqa: ANN001
    seed_accounts(sf, 10)
    (batch,) = make_client(emulator, org, bulk_spool_bytes=64).query_batches(SOQL, api="bulk")

    first = batch.open().read()

    assert batch.open().read() == first
    assert first.count(b"\n") > batch.rows == 10  # the names' own line breaks stay quoted inside


def test_a_spooled_page_file_is_closed_when_the_page_is_dropped(emulator, org, sf) -> None:  # noqa: ANN001
    seed_accounts(sf, 10)
    (batch,) = make_client(emulator, org, bulk_spool_bytes=64).query_batches(SOQL, api="bulk")
    stream = batch.open()

    del batch
    gc.collect()

    assert stream.closed


def test_the_spool_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="bulk_spool_bytes must be at least 1, got 0"):
        ClientSettings(bulk_spool_bytes=0)
