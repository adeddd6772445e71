"""Running Bulk API 2.0 jobs: completion after N polls, query snapshots, ingest row by row."""

import logging
import time
from collections.abc import Iterator

from ..store.errors import SalesforceError
from ..store.org import Org
from ..store.shape import Shape, csv_header
from ..store.soql import CompiledQuery, parse
from .csv_io import DELIMITERS, LINE_ENDINGS, CsvInputError, parse_upload, quote_row
from .ingest import error_text, map_header, row_to_record, save_all
from .jobs import Bulk2Job, bulk_settings

log = logging.getLogger(__name__)
# Rows per piece of a results page: big enough that per-piece costs vanish, small enough that a
# page of millions of rows is never held whole and that making a piece overlaps sending the last.
CHUNK_ROWS = 5_000


def unsupported_in_bulk(compiled: CompiledQuery, *, grouped: bool) -> SalesforceError | None:
    """What the Bulk APIs refuse in a query that REST would run (Bulk 2.0 documents the list)."""
    reasons = [
        (grouped, "GROUP BY is not supported by the Bulk API"),
        (
            compiled.is_count_only or compiled.is_aggregate,
            "Aggregate queries are not supported by the Bulk API",
        ),
        (compiled.offset is not None, "OFFSET is not supported by the Bulk API"),
        (compiled.has_compound, "Selecting compound data not supported in Bulk Query"),
    ]
    for present, message in reasons:
        if present:
            return SalesforceError(400, "FUNCTIONALITY_NOT_ENABLED", message)
    return None


def compile_bulk_query(org: Org, soql: str, *, include_deleted: bool) -> CompiledQuery:
    """Compile `soql` as a Bulk query: SOQL errors first, then the Bulk restrictions."""
    compiled = org.compile(soql, include_deleted=include_deleted)
    grouped = (compiled.is_aggregate or compiled.is_count_only) and bool(parse(soql).group_by)
    error = unsupported_in_bulk(compiled, grouped=grouped)
    if error is not None:
        raise error
    return compiled


def start(org: Org, job: Bulk2Job) -> dict:
    """`UploadComplete`: the short job info to answer with, then completion if no polls are due."""
    with org.lock:
        job.state = "UploadComplete"
        job.modstamp_ms = org.now_ms()
        job.polls_left = bulk_settings(org).polls_until_complete
        info = job.info(full=False)
        if job.polls_left == 0:
            _complete(org, job)
        return info


def poll(org: Org, job: Bulk2Job) -> None:
    """One status poll: `InProgress` while polls are due, then the job runs to its end state."""
    with org.lock:
        if job.state not in ("UploadComplete", "InProgress"):
            return
        if job.polls_left > 0:
            job.polls_left -= 1
            job.state = "InProgress"
            job.modstamp_ms = org.now_ms()
            return
        _complete(org, job)


def _complete(org: Org, job: Bulk2Job) -> None:
    began = time.perf_counter()
    try:
        if job.is_query:
            shape = Shape("csv", job.api_version, DELIMITERS[job.column_delimiter])
            job.result_set = org.open_result_set(
                job.query or "", include_deleted=job.operation == "queryAll", shape=shape, pinned=True
            )
        else:
            _run_ingest(org, job)
        job.state = "JobComplete"
    except (SalesforceError, CsvInputError) as error:
        job.state = "Failed"
        job.error_message = (
            str(error) if isinstance(error, CsvInputError) else f"{error.error_code} : {error.message}"
        )
    except Exception as error:  # a job must end; a stuck InProgress would hang clients for 24 h
        log.exception("bulk job %s failed", job.id)
        job.state = "Failed"
        job.error_message = f"InternalServerError : {error}"
    job.processing_ms = int((time.perf_counter() - began) * 1000)
    job.modstamp_ms = org.now_ms()


def read_uploads(org: Org, job: Bulk2Job) -> None:
    """Parse the uploaded files into (header, row) pairs; CsvInputError fails the whole job."""
    obj = org.schema.require(job.object)
    for data in job.uploads:
        header, rows = parse_upload(data, job.column_delimiter, job.line_ending)
        map_header(obj, header, job.operation)
        if job.header is None:
            job.header = header
        job.rows.extend((header, row) for row in rows)
    job.uploads.clear()


def _run_ingest(org: Org, job: Bulk2Job) -> None:
    read_uploads(org, job)
    obj = org.schema.require(job.object)
    columns_by_header: dict[tuple[str, ...], list] = {}

    def records() -> Iterator:
        for header, row in job.rows:
            key = tuple(header)
            columns = columns_by_header.get(key)
            if columns is None:
                columns = columns_by_header[key] = map_header(obj, header, job.operation)
            try:
                yield row_to_record(columns, row)
            except SalesforceError as error:
                yield error

    job.outcomes = save_all(org, obj, job.operation, job.external_id_field, records())


def _original(job: Bulk2Job, header: list[str], row: list[str]) -> list[str]:
    """The row's values under the job's first header (later uploads may order columns differently)."""
    first = job.header or header
    if header == first:
        return row + [""] * (len(first) - len(row))
    by_name = dict(zip(header, row, strict=False))
    return [by_name.get(name, "") for name in first]


def ingest_results(job: Bulk2Job, kind: str) -> str:
    """`successfulResults`, `failedResults` or `unprocessedRecords` as CSV text."""
    delimiter = DELIMITERS[job.column_delimiter]
    ending = LINE_ENDINGS[job.line_ending]
    original = job.header or []
    if kind == "successfulResults":
        lines = [quote_row(["sf__Id", "sf__Created", *original], delimiter, ending)]
        for (header, row), outcome in zip(job.rows, job.outcomes, strict=False):
            if outcome.error is None:
                values = [outcome.record_id or "", "true" if outcome.created else "false"]
                lines.append(quote_row([*values, *_original(job, header, row)], delimiter, ending))
    elif kind == "failedResults":
        lines = [quote_row(["sf__Id", "sf__Error", *original], delimiter, ending)]
        for (header, row), outcome in zip(job.rows, job.outcomes, strict=False):
            if outcome.error is not None:
                values = [outcome.record_id or "", error_text(outcome.error)]
                lines.append(quote_row([*values, *_original(job, header, row)], delimiter, ending))
    else:
        lines = [quote_row(original, delimiter, ending)] if original else []
        for header, row in job.rows[len(job.outcomes) :]:
            lines.append(quote_row(_original(job, header, row), delimiter, ending))
    return "".join(lines)


def query_page(org: Org, job: Bulk2Job, offset: int, count: int) -> Iterator[bytes]:
    """One results page as CSV pieces: the header row, then the rows in chunks (memory stays bounded)."""
    result = job.result_set
    assert result is not None
    ending = LINE_ENDINGS[job.line_ending]
    yield quote_row(csv_header(result.compiled.columns), result.shape.delimiter, ending).encode()
    terminator = ending.encode()
    for start in range(offset, offset + count, CHUNK_ROWS):
        text = org.result_text(result, start, min(CHUNK_ROWS, offset + count - start), ending)
        if not text:
            break
        yield text + terminator
