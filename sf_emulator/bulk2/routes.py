"""Bulk API 2.0 under `/services/data/v{version}/jobs/`: query jobs and ingest jobs."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict

from starlette.responses import Response, StreamingResponse

from ..http.endpoint import Req, json_response, route
from ..rest.routes import API_VERSIONS
from ..store.errors import SalesforceError, not_found
from ..store.org import Org
from . import process
from .csv_io import CsvInputError, check_options
from .ingest import OPERATIONS
from .jobs import Bulk2Job, bulk_settings, decode_locator, encode_locator, find_job, new_job_id

_RESULT_KINDS = ("successfulResults", "failedResults", "unprocessedRecords")


def _invalid_job(message: str) -> SalesforceError:
    return SalesforceError(400, "INVALIDJOB", message)


def _job_state_error(message: str) -> SalesforceError:
    return SalesforceError(400, "INVALIDJOBSTATE", message)


def _org(req: Req) -> Org:
    if req.api_version not in API_VERSIONS:
        raise not_found()
    return req.require_org()


def _body(req: Req) -> dict:
    body = req.json()
    if not isinstance(body, dict):
        raise SalesforceError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object")
    return body


def _job(req: Req, *, query: bool) -> tuple[Org, Bulk2Job]:
    org = _org(req)
    job = find_job(org, req.params["job_id"], Bulk2Job)
    if job is None or job.is_query != query:
        raise not_found()
    return org, job


def _new_job(req: Req, org: Org, body: dict, *, operation: str, sobject: str) -> Bulk2Job:
    content_type = body.get("contentType") or "CSV"
    if content_type != "CSV":
        raise _invalid_job(f"Invalid contentType: {content_type}. Bulk API 2.0 supports CSV only")
    delimiter, ending = check_options(body.get("columnDelimiter"), body.get("lineEnding"))
    now = org.now_ms()
    return Bulk2Job(
        id=new_job_id(org),
        operation=operation,
        object=sobject,
        created_by=req.session.user_id if req.session else org.user_id,
        created_ms=now,
        modstamp_ms=now,
        api_version=req.api_version,
        column_delimiter=delimiter,
        line_ending=ending,
    )


def _list(req: Req, *, query: bool) -> Response:
    org = _org(req)
    with org.lock:
        jobs = [j for j in org.bulk_jobs.values() if isinstance(j, Bulk2Job) and j.is_query == query]
        records = [{**j.info(full=False), "jobType": j.job_type} for j in jobs]
    return json_response({"done": True, "records": records, "nextRecordsUrl": None})


def _abort(org: Org, job: Bulk2Job) -> dict:
    with org.lock:
        if job.finished:
            raise _job_state_error(f"Aborting already {job.state} Job not allowed")
        if not job.is_query:
            try:
                process.read_uploads(org, job)
            except CsvInputError:
                job.rows.clear()
        job.state = "Aborted"
        job.modstamp_ms = org.now_ms()
        return job.info(full=False)


def _delete(org: Org, job: Bulk2Job) -> Response:
    with org.lock:
        if job.state in ("Open", "InProgress"):
            raise _job_state_error(f"Deleting a job in state {job.state} is not allowed")
        org.bulk_jobs.pop(job.id, None)
        if job.result_set is not None:
            org.close_result_set(job.result_set.locator)
    return Response(status_code=204)


# --- query jobs ---------------------------------------------------------------------------------
def create_query_job(req: Req) -> Response:
    org = _org(req)
    body = _body(req)
    operation = body.get("operation") or "query"
    if operation not in ("query", "queryAll"):
        raise _invalid_job(f"Invalid operation for a query job: {operation}")
    soql = body.get("query")
    if not isinstance(soql, str) or not soql.strip():
        raise _invalid_job("A query is required for a query job")
    compiled = process.compile_bulk_query(org, soql, include_deleted=operation == "queryAll")
    job = _new_job(req, org, body, operation=operation, sobject=compiled.sobject.name)
    job.query = soql
    with org.lock:
        org.bulk_jobs[job.id] = job
    return json_response(process.start(org, job))


def list_query_jobs(req: Req) -> Response:
    return _list(req, query=True)


def get_query_job(req: Req) -> Response:
    org, job = _job(req, query=True)
    process.poll(org, job)
    return json_response(job.info(full=True))


def abort_query_job(req: Req) -> Response:
    org, job = _job(req, query=True)
    state = _body(req).get("state")
    if state != "Aborted":
        raise _job_state_error(f"Invalid state for a query job: {state}")
    return json_response(_abort(org, job))


def delete_query_job(req: Req) -> Response:
    return _delete(*_job(req, query=True))


def _max_records(req: Req) -> int | None:
    text = req.arg("maxRecords")
    if text in (None, ""):
        return None
    if not text.isdigit() or int(text) < 1:
        raise _invalid_job(f"Invalid maxRecords: {text}. It must be a positive integer")
    return int(text)


async def _read_ahead(pieces: Iterator[bytes]) -> AsyncIterator[bytes]:
    """The pieces, each made in a worker thread while the one before it is being sent."""
    loop = asyncio.get_running_loop()
    upcoming = loop.run_in_executor(None, next, pieces, None)
    while (piece := await upcoming) is not None:
        upcoming = loop.run_in_executor(None, next, pieces, None)
        yield piece


def query_results(req: Req) -> Response:
    org, job = _job(req, query=True)
    if job.state != "JobComplete" or job.result_set is None:
        raise _job_state_error(f"Results are available once the job is JobComplete; it is {job.state}")
    result = job.result_set
    org.result_set(result.locator)  # raises if the snapshot has been dropped
    locator = req.arg("locator")
    offset = decode_locator(locator) if locator and locator != "null" else 0
    if offset > result.total:
        raise SalesforceError(400, "INVALIDLOCATOR", f"Invalid locator: {locator}")
    limit = _max_records(req)
    count = result.total - offset if limit is None else min(limit, result.total - offset)
    following = offset + count
    headers = {
        "Sforce-NumberOfRecords": str(count),
        "Sforce-Locator": encode_locator(following) if following < result.total else "null",
    }
    pieces = process.query_page(org, job, offset, count)
    if count > process.CHUNK_ROWS:  # one chunk goes out whole, with its Content-Length
        return StreamingResponse(_read_ahead(pieces), media_type="text/csv", headers=headers)
    return Response(b"".join(pieces), media_type="text/csv", headers=headers)


# --- ingest jobs ---------------------------------------------------------------------------------
def create_ingest_job(req: Req) -> Response:
    org = _org(req)
    body = _body(req)
    operation = body.get("operation")
    if operation not in OPERATIONS:
        raise _invalid_job(f"Invalid operation: {operation}")
    name = body.get("object")
    obj = org.schema.get(name) if isinstance(name, str) else None
    if obj is None:
        raise _invalid_job(f"Unable to find object: {name}")
    job = _new_job(req, org, body, operation=operation, sobject=obj.name)
    if operation == "upsert":
        ext_name = body.get("externalIdFieldName")
        if not ext_name:
            raise _invalid_job(
                f"External ID was blank for {obj.name}. An External ID must be specified for upsert."
            )
        ext = obj.field(str(ext_name))
        if ext is None or not (ext.external_id or ext.id_lookup or ext.name == "Id"):
            raise _invalid_job(
                f"The External ID field name provided, {ext_name}, does not match an External ID, "
                f"Salesforce Id, or indexed field for {obj.name}"
            )
        job.external_id_field = ext.name
    with org.lock:
        org.bulk_jobs[job.id] = job
        return json_response(job.info(full=False))


def list_ingest_jobs(req: Req) -> Response:
    return _list(req, query=False)


def get_ingest_job(req: Req) -> Response:
    org, job = _job(req, query=False)
    process.poll(org, job)
    return json_response(job.info(full=True))


def upload(req: Req) -> Response:
    org, job = _job(req, query=False)
    with org.lock:
        if job.state != "Open":
            raise _job_state_error(f"Data can only be uploaded to an Open job; it is {job.state}")
        job.uploads.append(req.body)
    return Response(status_code=201)


def patch_ingest_job(req: Req) -> Response:
    org, job = _job(req, query=False)
    state = _body(req).get("state")
    if state == "Aborted":
        return json_response(_abort(org, job))
    if state != "UploadComplete":
        raise _job_state_error(f"Invalid state: {state}")
    with org.lock:
        if job.state != "Open":
            raise _job_state_error(f"Only an Open job can be closed; it is {job.state}")
        return json_response(process.start(org, job))


def delete_ingest_job(req: Req) -> Response:
    return _delete(*_job(req, query=False))


def ingest_results(req: Req) -> Response:
    kind = req.params["kind"]
    if kind not in _RESULT_KINDS:
        raise not_found()
    org, job = _job(req, query=False)
    with org.lock:
        text = process.ingest_results(job, kind)
    return Response(text.encode(), media_type="text/csv")


# --- emulator control ------------------------------------------------------------------------------
def settings(req: Req) -> Response:
    """GET or POST `{"polls_until_complete": N, "bulk1_result_rows": M}` for one org."""
    org = req.registry.get(req.params["org_id"])
    current = bulk_settings(org)
    if req.method == "POST":
        for key, value in _body(req).items():
            if (
                key not in ("polls_until_complete", "bulk1_result_rows")
                or not isinstance(value, int)
                or value < 0
            ):
                raise SalesforceError(
                    400, "INVALID_BULK_SETTING", f"Unknown or invalid setting {key}={value!r}"
                )
            setattr(current, key, value)
    return json_response(asdict(current))


V = "/services/data/v{version}/jobs"
ROUTES = [
    route(V + "/query", create_query_job, ["POST"]),
    route(V + "/query", list_query_jobs, ["GET"]),
    route(V + "/query/{job_id}", get_query_job, ["GET"]),
    route(V + "/query/{job_id}", abort_query_job, ["PATCH"]),
    route(V + "/query/{job_id}", delete_query_job, ["DELETE"]),
    route(V + "/query/{job_id}/results", query_results, ["GET"]),
    route(V + "/ingest", create_ingest_job, ["POST"]),
    route(V + "/ingest", list_ingest_jobs, ["GET"]),
    route(V + "/ingest/{job_id}", get_ingest_job, ["GET"]),
    route(V + "/ingest/{job_id}", patch_ingest_job, ["PATCH"]),
    route(V + "/ingest/{job_id}", delete_ingest_job, ["DELETE"]),
    route(V + "/ingest/{job_id}/batches", upload, ["PUT"]),
    route(V + "/ingest/{job_id}/{kind}", ingest_results, ["GET"]),
    route("/__emulator/orgs/{org_id}/bulk", settings, ["GET", "POST"], authenticated=False, counted=False),
]
