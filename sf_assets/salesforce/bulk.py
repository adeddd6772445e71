"""Bulk API 2.0 query jobs with our own requests: create, poll, stream result pages, delete.

simple-salesforce's bulk2 sleeps at least 5 s before polling and parses every row; here polls
start at a fraction of a second and each page stays the CSV the warehouse COPYs, spooled to a
temporary file as it downloads: a page of 50,000 wide rows is 20-30 MB, and holding it (plus the
previous one, still referenced while the next downloads) made peak memory grow with table size.
"""

import csv
import logging
import tempfile
import time
import weakref
from collections.abc import Iterator
from functools import partial
from typing import BinaryIO

from ..lib.batches import CsvBatch
from .errors import (
    BulkJobFailed,
    BulkJobTimedOut,
    FunctionalityNotEnabled,
    InsufficientPrivileges,
    InvalidQuery,
    ObjectNotQueryable,
    SalesforceApiError,
    SalesforceRequestFailed,
    SalesforceUnavailable,
    classify,
)
from .transport import Transport

log = logging.getLogger(__name__)

JOBS = "jobs/query"
_CHUNK_BYTES = 1 << 18
_RUNNING = ("UploadComplete", "InProgress")
# Job failures that say what is wrong with the query itself keep their own exception class.
_QUERY_FAILURES = (InvalidQuery, ObjectNotQueryable, FunctionalityNotEnabled, InsufficientPrivileges)


def bulk_query(
    transport: Transport, soql: str, *, include_deleted: bool, max_records: int
) -> Iterator[CsvBatch]:
    """One CsvBatch per result page of at most `max_records` rows; the job is deleted afterwards.

    Pages are read one at a time, and spooled to a file past `ClientSettings.bulk_spool_bytes`, so
    memory holds a few MB whatever the page or result size; a page's file goes with its batch. Empty pages are not
    yielded. Closing the iterator early aborts and deletes the job too.
    """
    body = {
        "operation": "queryAll" if include_deleted else "query",
        "query": soql,
        "contentType": "CSV",
        "columnDelimiter": "COMMA",
        "lineEnding": "LF",
    }
    # A retried create can leave an orphan job if the first answer was lost; Salesforce expires those.
    job = transport.run(lambda: transport.send("POST", JOBS, json=body).json(), "create Bulk query job")
    job_id = job["id"]
    log.debug("Bulk query job %s created", job_id)
    finished = False
    try:
        state, reason = _wait(transport, job_id)
        finished = True
        if state != "JobComplete":
            raise _job_failure(job_id, state, reason)
        locator: str | None = None
        while True:
            batch, locator = transport.run(
                partial(_result_page, transport, job_id, max_records, locator), f"Bulk job {job_id} results"
            )
            if batch.rows:
                yield batch
            if locator is None:
                return
    finally:
        _discard(transport, job_id, abort=not finished)


def _wait(transport: Transport, job_id: str) -> tuple[str, str]:
    """Poll until the job ends: (final state, Salesforce's reason when it failed)."""
    settings = transport.settings
    delay = settings.bulk_poll_initial_seconds
    deadline = time.monotonic() + settings.bulk_timeout_seconds
    while True:
        info = transport.run(
            lambda: transport.send("GET", f"{JOBS}/{job_id}").json(), f"Bulk job {job_id} status"
        )
        state = str(info.get("state"))
        if state not in _RUNNING:
            return state, info.get("errorMessage") or ""
        if time.monotonic() + delay > deadline:
            raise BulkJobTimedOut(
                f"Bulk job {job_id} still {state} after {settings.bulk_timeout_seconds:g} s",
                code="bulk_timeout",
            )
        time.sleep(delay)
        delay = min(delay * 2, settings.bulk_poll_max_seconds)


def _job_failure(job_id: str, state: str, message: str) -> SalesforceApiError:
    """Salesforce words a failed job's reason `CODE : message`; query problems keep their class."""
    code, separator, text = message.partition(" : ")
    if separator and code.isupper():
        error = classify(code, text, None)
        if isinstance(error, _QUERY_FAILURES):
            return type(error)(f"Bulk job {job_id} {state}: {text}", code=code)
    return BulkJobFailed(
        f"Bulk job {job_id} {state}: {message or 'no reason given'}", code=f"bulk_job_{state}"
    )


def _result_page(
    transport: Transport, job_id: str, max_records: int, locator: str | None
) -> tuple[CsvBatch, str | None]:
    params: dict[str, str | int] = {"maxRecords": max_records}
    if locator:
        params["locator"] = locator
    with transport.send(
        "GET", f"{JOBS}/{job_id}/results", params=params, stream=True, headers={"Accept": "text/csv"}
    ) as response:
        count = response.headers.get("Sforce-NumberOfRecords")
        following = response.headers.get("Sforce-Locator")
        if count is None or not count.isdigit():
            raise SalesforceRequestFailed(
                f"Bulk job {job_id} results came without Sforce-NumberOfRecords", code="unexpected_response"
            )
        spool = tempfile.SpooledTemporaryFile(max_size=transport.settings.bulk_spool_bytes)  # noqa: SIM115
        try:
            fields, last = _spool_rows(response.iter_content(_CHUNK_BYTES), spool)
            # A page cut short still parses as CSV; its missing last line ending gives it away.
            if int(count) and last != b"\n":
                raise SalesforceUnavailable(
                    f"Bulk job {job_id} results page was cut short", code="truncated_body"
                )
        except BaseException:
            spool.close()
            raise
    batch = CsvBatch(fields=fields, body=spool, rows=int(count))
    # Closed (and, being unlinked already, gone from disk) once the consumer drops the page.
    weakref.finalize(batch, spool.close)
    next_locator = None if following in (None, "", "null") else following
    return batch, next_locator


def _spool_rows(chunks: Iterator[bytes], spool: BinaryIO) -> tuple[tuple[str, ...], bytes]:
    """Write the body after its header line to `spool`: (field names, the body's last byte)."""
    head = b""
    for chunk in chunks:
        head += chunk
        if b"\n" in head:
            break
    header, _, first = head.partition(b"\n")
    spool.write(first)
    last = first[-1:]
    for chunk in chunks:
        spool.write(chunk)
        last = chunk[-1:] or last
    names = next(csv.reader([header.rstrip(b"\r").decode("utf-8")]), []) if header else []
    return tuple(names), last


def _discard(transport: Transport, job_id: str, *, abort: bool) -> None:
    """Abort (if it may still run) and delete the job; failures are logged, never raised over the real error."""
    if abort:
        try:
            transport.run(
                lambda: transport.send("PATCH", f"{JOBS}/{job_id}", json={"state": "Aborted"}).close(),
                f"abort Bulk job {job_id}",
                retry_transient=False,
            )
        except SalesforceApiError as error:  # a job that already failed cannot be aborted
            log.debug("Bulk job %s not aborted: %s", job_id, error)
    try:
        transport.run(
            lambda: transport.send("DELETE", f"{JOBS}/{job_id}").close(), f"delete Bulk job {job_id}"
        )
    except SalesforceApiError as error:
        log.warning("could not delete Bulk job %s: %s", job_id, error)
