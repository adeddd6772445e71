"""Bulk API 1.0 under `/services/async/{version}/job`: JSON jobs, and XML/CSV for CSV jobs.

Job endpoints answer in the request's format (XML when its Content-Type says so); batch endpoints
answer by the job's contentType (clients such as tap-salesforce send `application/json` on every
request of a CSV job and parse XML back).
"""

from collections.abc import Callable

import orjson
from starlette.responses import Response
from starlette.routing import Route

from ..bulk2.ingest import OPERATIONS
from ..bulk2.jobs import find_job, new_job_id
from ..http.endpoint import Req, route
from ..store.errors import SalesforceError
from ..store.org import Org
from . import jobs, xml
from .jobs import Batch, Bulk1Job

JSON_TYPE = "application/json"
_CONTENT_TYPES = ("JSON", "CSV")
_CONCURRENCY = {"0": "Parallel", "1": "Serial", "Parallel": "Parallel", "Serial": "Serial"}


def _error(code: str, message: str) -> SalesforceError:
    return SalesforceError(400, code, message)


def _request_is_xml(req: Req) -> bool:
    return "xml" in req.headers.get("content-type", "").lower()


def _negotiate(req: Req, job: Bulk1Job, *, batch_level: bool) -> None:
    if batch_level:
        xml_wanted = job.content_type != "JSON"
    else:
        content_type = req.headers.get("content-type", "").lower()
        xml_wanted = "xml" in content_type or ("json" not in content_type and job.content_type != "JSON")
    req.extra["bulk1_xml"] = xml_wanted


def _answer(req: Req, data: object, status: int = 200) -> Response:
    if req.extra.get("bulk1_xml"):
        return Response(data.encode() if isinstance(data, str) else data, status, media_type=xml.XML_TYPE)
    return Response(orjson.dumps(data), status, media_type=JSON_TYPE)


def _handler(function: Callable[[Req], Response]) -> Callable[[Req], Response]:
    """Errors as `{"exceptionCode","exceptionMessage"}`, or as an XML `<error>` when talking XML."""

    def handle(req: Req) -> Response:
        req.extra.setdefault("bulk1_xml", _request_is_xml(req))
        try:
            return function(req)
        except SalesforceError as error:
            if req.extra["bulk1_xml"]:
                body = xml.error(error.error_code, error.message).encode()
                return Response(body, error.status, media_type=xml.XML_TYPE)
            body = orjson.dumps({"exceptionCode": error.error_code, "exceptionMessage": error.message})
            return Response(body, error.status, media_type=JSON_TYPE)

    handle.__name__ = function.__name__
    return handle


def _body_fields(req: Req) -> dict:
    if _request_is_xml(req):
        return xml.parse_job_info(req.body)
    try:
        body = orjson.loads(req.body) if req.body else {}
    except orjson.JSONDecodeError as error:
        raise _error("InvalidJob", f"Unable to parse JSON: {error}") from None
    if not isinstance(body, dict):
        raise _error("InvalidJob", "The job must be a JSON object")
    return body


def _job(req: Req, *, batch_level: bool) -> tuple[Org, Bulk1Job]:
    org = req.require_org()
    job = find_job(org, req.params["job_id"], Bulk1Job)
    if job is None:
        raise _error("InvalidJob", f"Invalid job id: {req.params['job_id']}")
    _negotiate(req, job, batch_level=batch_level)
    return org, job


def _batch(req: Req) -> tuple[Org, Bulk1Job, Batch]:
    org, job = _job(req, batch_level=True)
    batch_id = req.params["batch_id"]
    batch = job.batches.get(batch_id) or next(
        (b for i, b in job.batches.items() if i[:15] == batch_id[:15]), None
    )
    if batch is None:
        raise _error("InvalidBatch", f"Invalid batch id: {batch_id}")
    return org, job, batch


# --- jobs ------------------------------------------------------------------------------------------
def create_job(req: Req) -> Response:
    org = req.require_org()
    fields = _body_fields(req)
    operation = fields.get("operation")
    if operation not in (*OPERATIONS, "query", "queryAll"):
        raise _error("InvalidJob", f"Invalid operation: {operation}")
    name = fields.get("object")
    obj = org.schema.get(name) if isinstance(name, str) else None
    if obj is None:
        raise _error("InvalidJob", f"Unable to find object: {name}")
    content_type = fields.get("contentType") or "XML"
    if content_type not in _CONTENT_TYPES:
        raise _error(
            "InvalidJob", f"contentType {content_type} is not supported by the emulator (JSON or CSV)"
        )
    concurrency = _CONCURRENCY.get(str(fields.get("concurrencyMode", "Parallel")))
    if concurrency is None:
        raise _error("InvalidJob", f"Invalid concurrencyMode: {fields.get('concurrencyMode')}")
    ext_name = fields.get("externalIdFieldName") or None
    if operation == "upsert":
        if not ext_name:
            raise _error(
                "InvalidJob",
                f"External ID was blank for {obj.name}. An External ID must be specified for upsert.",
            )
        ext = obj.field(str(ext_name))
        if ext is None or not (ext.external_id or ext.id_lookup or ext.name == "Id"):
            raise _error(
                "InvalidJob",
                f"The External ID field name provided, {ext_name}, does not match an External ID, "
                f"Salesforce Id, or indexed field for {obj.name}",
            )
        ext_name = ext.name
    now = org.now_ms()
    job = Bulk1Job(
        id=new_job_id(org),
        operation=str(operation),
        object=obj.name,
        created_by=req.session.user_id if req.session else org.user_id,
        created_ms=now,
        api_version=req.api_version,
        content_type=content_type,
        concurrency_mode=concurrency,
        external_id_field=ext_name if operation == "upsert" else None,
        modstamp_ms=now,
    )
    with org.lock:
        org.bulk_jobs[job.id] = job
        return _job_info(req, job, 201)


def _job_info(req: Req, job: Bulk1Job, status: int = 200) -> Response:
    if req.extra.get("bulk1_xml"):
        return _answer(req, xml.job_info(job.info(xml=True)), status)
    return _answer(req, job.info(xml=False), status)


def get_job(req: Req) -> Response:
    org, job = _job(req, batch_level=False)
    with org.lock:
        return _job_info(req, job)


def update_job(req: Req) -> Response:
    """Close (`{"state":"Closed"}`) or abort (`Aborted`) a job."""
    org, job = _job(req, batch_level=False)
    state = _body_fields(req).get("state")
    if state not in ("Closed", "Aborted"):
        raise _error("InvalidJobState", f"Invalid state: {state}")
    with org.lock:
        if job.state != "Open":
            raise _error("InvalidJobState", f"Job is {job.state}; only an Open job can be closed or aborted")
        job.state = state
        job.modstamp_ms = org.now_ms()
        if state == "Aborted":
            for batch in job.batches.values():
                if batch.state in ("Queued", "InProgress"):
                    batch.state = "NotProcessed"
        return _job_info(req, job)


# --- batches ---------------------------------------------------------------------------------------
def _batch_info(req: Req, batch: Batch, status: int = 200) -> Response:
    if req.extra.get("bulk1_xml"):
        return _answer(req, xml.batch_info(batch.info(xml=True)), status)
    return _answer(req, batch.info(xml=False), status)


def add_batch(req: Req) -> Response:
    org, job = _job(req, batch_level=True)
    if job.state != "Open":
        raise _error("InvalidJobState", f"Job {job.id} is not open")
    if not req.body:
        raise _error("InvalidBatch", "The batch is empty")
    return _batch_info(req, jobs.add_batch(org, job, req.body), 201)


def list_batches(req: Req) -> Response:
    org, job = _job(req, batch_level=True)
    for batch in list(job.batches.values()):
        jobs.poll(org, job, batch)
    with org.lock:
        if req.extra.get("bulk1_xml"):
            return _answer(req, xml.batch_info_list([b.info(xml=True) for b in job.batches.values()]))
        return _answer(req, {"batchInfo": [b.info(xml=False) for b in job.batches.values()]})


def get_batch(req: Req) -> Response:
    org, job, batch = _batch(req)
    jobs.poll(org, job, batch)
    with org.lock:
        return _batch_info(req, batch)


def get_request(req: Req) -> Response:
    _, job, batch = _batch(req)
    media_type = JSON_TYPE if job.content_type == "JSON" and not job.is_query else "text/csv"
    return Response(batch.request, media_type=media_type)


def _completed(batch: Batch) -> None:
    if batch.state != "Completed":
        raise _error("InvalidBatch", "Batch not completed")


def get_results(req: Req) -> Response:
    org, job, batch = _batch(req)
    with org.lock:
        _completed(batch)
        if job.is_query:
            ids = list(batch.results)
            return _answer(req, xml.result_list(ids) if req.extra["bulk1_xml"] else ids)
        results = jobs.dml_results(job, batch)
    if isinstance(results, str):
        return Response(results.encode(), media_type="text/csv")
    return _answer(req, results)


def get_result(req: Req) -> Response:
    org, job, batch = _batch(req)
    result_id = req.params["result_id"]
    _completed(batch)
    if not job.is_query or result_id not in batch.results:
        raise _error("InvalidBatch", f"Invalid result id: {result_id}")
    data = jobs.query_result(org, job, batch, result_id)
    return Response(data, media_type=JSON_TYPE if job.content_type == "JSON" else "text/csv")


A = "/services/async/{version}/job"


def _route(path: str, handler: Callable[[Req], Response], methods: list[str]) -> Route:
    return route(path, _handler(handler), methods, family="bulk1")


ROUTES = [
    _route(A, create_job, ["POST"]),
    _route(A + "/{job_id}", get_job, ["GET"]),
    _route(A + "/{job_id}", update_job, ["POST"]),
    _route(A + "/{job_id}/batch", add_batch, ["POST"]),
    _route(A + "/{job_id}/batch", list_batches, ["GET"]),
    _route(A + "/{job_id}/batch/{batch_id}", get_batch, ["GET"]),
    _route(A + "/{job_id}/batch/{batch_id}/request", get_request, ["GET"]),
    _route(A + "/{job_id}/batch/{batch_id}/result", get_results, ["GET"]),
    _route(A + "/{job_id}/batch/{batch_id}/result/{result_id}", get_result, ["GET"]),
]
