"""Sync one collection for one window: read changed rows, upsert them, mark hard deletes.

Plain Python over the Salesforce client and the warehouse; the asset wraps it in Dagster.
"""

import codecs
import csv
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..lib.batches import Batch, CsvBatch
from ..lib.catalog import ObjectSpec
from ..lib.soql import DEFAULT_OVERLAP, Window, count_query, ids_query, window_query
from ..salesforce import SalesforceRequestFailed

log = logging.getLogger(__name__)

# Bulk API 2.0 jobs take seconds to start; below this many rows paging REST is faster and cheaper.
BULK_THRESHOLD_ROWS = 10_000


@dataclass
class SyncResult:
    """What one run did to one collection: the figures that become materialization metadata."""

    window: Window
    api: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    hard_deleted: int = 0
    reconciled: bool = False
    table_rows: int = 0
    api_calls: int = 0
    seconds: float = 0.0
    schema_changes: dict = field(default_factory=dict)


def choose_api(expected_rows: int, spec: ObjectSpec) -> str:
    return "bulk" if expected_rows >= BULK_THRESHOLD_ROWS and spec.bulk_compatible else "rest"


def open_reads(client, spec: ObjectSpec, soql: str, window: Window) -> tuple[str, Iterator[Batch]]:  # noqa: ANN001
    """REST or Bulk for the window's query, and its pages (none read yet but a REST first page).

    A window from the beginning of history (a first sync) is usually big: a `COUNT()` decides
    before any page is read. A later window is usually small: its query goes to REST at once and
    the first page's `totalSize` decides, which saves the count call on most runs; a big one drops
    that page and moves to Bulk.
    """
    if window.start is None:
        api = choose_api(client.count(count_query(spec.sobject, spec.cursor_field, window)), spec)
        return api, client.query_batches(soql, include_deleted=True, api=api)
    first = client.rest_query(soql, include_deleted=True)
    api = choose_api(first.total_size, spec)
    if api == "rest":
        return api, first.batches()
    return api, client.query_batches(soql, include_deleted=True, api="bulk")


def ids_in(batch: Batch) -> Iterator[str]:
    """The Ids of a `SELECT Id` page, whichever wire format it came in."""
    if isinstance(batch, CsvBatch):
        for row in csv.reader(codecs.iterdecode(batch.open(), "utf-8")):
            if row:
                yield row[0]
    else:
        for record in batch.records:
            yield record["Id"]


def sync_collection(
    client,  # noqa: ANN001 - sf_assets.salesforce.SalesforceClient
    warehouse,  # noqa: ANN001 - sf_assets.warehouse.Warehouse
    *,
    schema: str,
    spec: ObjectSpec,
    window: Window,
    run_id: str,
    overlap: timedelta = DEFAULT_OVERLAP,
    now: datetime | None = None,
    instance: str = "",
) -> SyncResult:
    """Upsert every row of `spec` changed in `window` (plus `overlap`), then mark hard deletes.

    All of it lands in one warehouse transaction: a failure leaves the table as it was. The org's
    API budget is checked before the first read and after every page (`ApiBudgetExhausted`), so a
    sync that reaches the floor stops before its load commits.
    """
    began = time.perf_counter()
    calls_before = client.api_calls
    now = now or datetime.now(UTC)
    fields = [f.sf_name for f in spec.fields]
    read_window = window.widened(overlap)
    client.ensure_budget(instance)
    soql = window_query(spec.sobject, fields, spec.cursor_field, read_window)
    api, batches = open_reads(client, spec, soql, read_window)
    result = SyncResult(window=window, api=api)
    columns = [f.column for f in spec.fields]
    with warehouse.load(
        schema, spec.table, columns, cursor_column=spec.cursor_column, run_id=run_id, received_at=now
    ) as load:
        for batch in batches:
            load.add(batch)
            result.rows_read += batch.rows
            client.ensure_budget(instance)
        result.reconciled = _find_hard_deletes(client, load, spec, window, now)
    stats = load.stats
    result.inserted, result.updated, result.unchanged = stats.inserted, stats.updated, stats.unchanged
    result.hard_deleted = stats.marked_deleted
    result.table_rows = stats.table_rows
    result.schema_changes = load.schema_changes
    result.api_calls = client.api_calls - calls_before
    result.seconds = time.perf_counter() - began
    return result


def _find_hard_deletes(client, load, spec: ObjectSpec, window: Window, now: datetime) -> bool:  # noqa: ANN001
    """Records purged in Salesforce: the `deleted` resource when it still covers the window, else an Id check.

    Salesforce decides what it still covers (about 15 days): its answer, not our clock, picks the
    path. Returns True when the Id reconciliation ran.
    """
    if window.start is not None and spec.replicateable:
        try:
            deleted = client.deleted(spec.sobject, window.start, window.end)
        except SalesforceRequestFailed as error:  # e.g. INVALID_REPLICATION_DATE: older than the retention
            log.info(
                "%s: the deleted resource cannot cover %s (%s); reconciling Ids",
                spec.sobject,
                window.label,
                error,
            )
        else:
            if deleted.earliest_available is None or deleted.earliest_available <= window.start:
                load.mark_deleted(deleted.ids_with_times)
                return False
    if not load.target_has_rows:
        return False
    # One Bulk job reads every Id of even a huge table in a handful of calls.
    live_ids = (
        record_id
        for batch in client.query_batches(ids_query(spec.sobject), include_deleted=True, api="bulk")
        for record_id in ids_in(batch)
    )
    load.reconcile(live_ids, now)
    return True
