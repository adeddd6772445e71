"""Bulk API 1.0 jobs and batches, and running a batch: DML records or one query."""

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import orjson

from ..bulk2.csv_io import CsvInputError, parse_upload, quote_row
from ..bulk2.ingest import Outcome, error_text, map_header, row_to_record, save_all
from ..bulk2.jobs import bulk_settings
from ..bulk2.process import compile_bulk_query
from ..rest.timestamps import rest_datetime
from ..store.errors import SalesforceError
from ..store.org import Org
from ..store.results import ResultSet
from ..store.shape import Shape, csv_header

log = logging.getLogger(__name__)
BATCH_PREFIX = "751"
RESULT_PREFIX = "752"
MAX_BATCH_RECORDS = 10_000
NO_RECORDS = "Records not found for this query"


class BatchFailure(Exception):
    """The batch as a whole cannot be processed: it goes `Failed` with this `stateMessage`."""


def xml_datetime(ms: int) -> str:
    """`2022-10-20T16:46:32.000Z`, the XML form of the recorded jobInfo."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@dataclass
class Batch:
    id: str
    job_id: str
    created_ms: int
    request: bytes
    state: str = "Queued"
    state_message: str | None = None
    modstamp_ms: int = 0
    polls_left: int = 0
    processing_ms: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    result_set: ResultSet | None = None
    # query result id → (first row, row count)
    results: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        return self.result_set.total if self.result_set is not None else len(self.outcomes)

    @property
    def failed(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.error is not None)

    def info(self, *, xml: bool) -> dict:
        stamp = xml_datetime if xml else rest_datetime
        data = {
            "apexProcessingTime": 0,
            "apiActiveProcessingTime": self.processing_ms,
            "createdDate": stamp(self.created_ms),
            "id": self.id,
            "jobId": self.job_id,
            "numberRecordsFailed": self.failed,
            "numberRecordsProcessed": self.processed,
            "state": self.state,
            "stateMessage": self.state_message,
            "systemModstamp": stamp(self.modstamp_ms or self.created_ms),
            "totalProcessingTime": self.processing_ms,
        }
        return data


@dataclass
class Bulk1Job:
    """One `/services/async/{version}/job`. Mutated only under the org lock."""

    id: str
    operation: str
    object: str
    created_by: str
    created_ms: int
    api_version: str
    content_type: str
    concurrency_mode: str = "Parallel"
    external_id_field: str | None = None
    state: str = "Open"
    modstamp_ms: int = 0
    batches: dict[str, Batch] = field(default_factory=dict)

    @property
    def is_query(self) -> bool:
        return self.operation in ("query", "queryAll")

    def info(self, *, xml: bool) -> dict:
        stamp = xml_datetime if xml else rest_datetime
        states = [b.state for b in self.batches.values()]
        batches = self.batches.values()
        processing = sum(b.processing_ms for b in batches)
        return {
            "apexProcessingTime": 0,
            "apiActiveProcessingTime": processing,
            "apiVersion": self.api_version if xml else float(self.api_version),
            "assignmentRuleId": None,
            "concurrencyMode": self.concurrency_mode,
            "contentType": self.content_type,
            "createdById": self.created_by,
            "createdDate": stamp(self.created_ms),
            "externalIdFieldName": self.external_id_field,
            "fastPathEnabled": False,
            "id": self.id,
            "numberBatchesCompleted": states.count("Completed"),
            "numberBatchesFailed": states.count("Failed"),
            "numberBatchesInProgress": states.count("InProgress"),
            "numberBatchesQueued": states.count("Queued"),
            "numberBatchesTotal": len(states),
            "numberRecordsFailed": sum(b.failed for b in batches),
            "numberRecordsProcessed": sum(b.processed for b in batches),
            "numberRetries": 0,
            "object": self.object,
            "operation": self.operation,
            "state": self.state,
            "systemModstamp": stamp(self.modstamp_ms or self.created_ms),
            "totalProcessingTime": processing,
        }


def add_batch(org: Org, job: Bulk1Job, body: bytes) -> Batch:
    """A new `Queued` batch; processed at once unless the org asks for status polls first."""
    with org.lock:
        settings = bulk_settings(org)
        now = org.now_ms()
        batch = Batch(org.new_id(BATCH_PREFIX), job.id, now, body, modstamp_ms=now)
        batch.polls_left = settings.polls_until_complete
        settings.batches_created += 1
        job.batches[batch.id] = batch
        snapshot = replace(batch, outcomes=[], results={})
        if batch.polls_left == 0:
            _process(org, job, batch)
        return snapshot


def poll(org: Org, job: Bulk1Job, batch: Batch) -> None:
    with org.lock:
        if batch.state not in ("Queued", "InProgress"):
            return
        if batch.polls_left > 0:
            batch.polls_left -= 1
            batch.state = "InProgress"
            batch.modstamp_ms = org.now_ms()
            return
        _process(org, job, batch)


def _process(org: Org, job: Bulk1Job, batch: Batch) -> None:
    began = time.perf_counter()
    try:
        if job.is_query:
            _run_query(org, job, batch)
        else:
            _run_dml(org, job, batch)
        batch.state = "Completed"
    except BatchFailure as failure:
        batch.state = "Failed"
        batch.state_message = str(failure)
    except Exception as error:  # a batch must end; a stuck one would be polled forever
        log.exception("bulk batch %s failed", batch.id)
        batch.state = "Failed"
        batch.state_message = f"InternalServerError : {error}"
    batch.processing_ms = int((time.perf_counter() - began) * 1000)
    batch.modstamp_ms = org.now_ms()


def _records(org: Org, job: Bulk1Job, batch: Batch) -> list:
    obj = org.schema.require(job.object)
    if job.content_type == "JSON":
        try:
            records = orjson.loads(batch.request)
        except orjson.JSONDecodeError as error:
            raise BatchFailure(f"InvalidBatch : Failed to parse JSON: {error}") from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise BatchFailure("InvalidBatch : The batch must be a JSON array of records")
        return records
    try:
        header, rows = parse_upload(batch.request, "COMMA", None)
        columns = map_header(obj, header, job.operation)
    except CsvInputError as error:
        raise BatchFailure(str(error)) from None
    items: list = []
    for row in rows:
        try:
            items.append(row_to_record(columns, row))
        except SalesforceError as error:
            items.append(error)
    return items


def _run_dml(org: Org, job: Bulk1Job, batch: Batch) -> None:
    records = _records(org, job, batch)
    if len(records) > MAX_BATCH_RECORDS:
        raise BatchFailure(
            f"InvalidBatch : Records not processed: a batch holds at most {MAX_BATCH_RECORDS} records"
        )
    obj = org.schema.require(job.object)
    batch.outcomes = save_all(org, obj, job.operation, job.external_id_field, records)


def _run_query(org: Org, job: Bulk1Job, batch: Batch) -> None:
    soql = batch.request.decode("utf-8", errors="replace")
    include_deleted = job.operation == "queryAll"
    try:
        compile_bulk_query(org, soql, include_deleted=include_deleted)
    except SalesforceError as error:
        raise BatchFailure(
            f"InvalidBatch : Failed to process query: {error.error_code}: {error.message}"
        ) from None
    shape = Shape("bulk1" if job.content_type == "JSON" else "csv", job.api_version)
    result = org.open_result_set(soql, include_deleted=include_deleted, shape=shape, pinned=True)
    batch.result_set = result
    size = max(1, bulk_settings(org).bulk1_result_rows)
    for start in range(0, max(result.total, 1), size):
        batch.results[org.new_id(RESULT_PREFIX)[:15]] = (start, min(size, result.total - start))


def dml_results(job: Bulk1Job, batch: Batch) -> list[dict] | str:
    """SaveResults in input order: a JSON list for JSON jobs, CSV `Id,Success,Created,Error` otherwise."""
    if job.content_type == "JSON":
        return [
            {
                "success": o.error is None,
                "created": o.created,
                "id": o.record_id,
                "errors": [] if o.error is None else [o.error.as_save_error()],
            }
            for o in batch.outcomes
        ]
    lines = [quote_row(["Id", "Success", "Created", "Error"])]
    for o in batch.outcomes:
        values = [o.record_id or "", "true" if o.error is None else "false", "true" if o.created else "false"]
        lines.append(quote_row([*values, "" if o.error is None else error_text(o.error)]))
    return "".join(lines)


def query_result(org: Org, job: Bulk1Job, batch: Batch, result_id: str) -> bytes:
    """One result file: a JSON array of records (epoch-ms dates and datetimes) for JSON jobs, else CSV."""
    start, count = batch.results[result_id]
    result = batch.result_set
    assert result is not None
    org.result_set(result.locator)  # raises if the snapshot has been dropped
    if job.content_type == "JSON":
        return b"[" + org.result_text(result, start, count, ",") + b"]"
    if count == 0:
        return NO_RECORDS.encode()
    header = quote_row(csv_header(result.compiled.columns)).encode()
    return header + org.result_text(result, start, count, "\n") + b"\n"
