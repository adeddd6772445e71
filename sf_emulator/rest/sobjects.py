"""sObject resources: describe, rows by Id or external id, create/update/upsert/delete, updated/deleted."""

from starlette.responses import Response

from ..http.endpoint import Req, json_response
from ..store.describe import global_describe, global_entry, sobject_describe
from ..store.errors import SalesforceError
from .timestamps import parse_param_datetime, rest_datetime


def describe_global(req: Req) -> Response:
    return json_response(global_describe(req.require_org().schema, req.api_version))


def describe_sobject(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    return json_response(sobject_describe(org.schema, obj, req.api_version))


def sobject_metadata(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    return json_response({"objectDescribe": global_entry(obj, req.api_version), "recentItems": []})


def _body_dict(req: Req) -> dict:
    body = req.json()
    if not isinstance(body, dict):
        raise SalesforceError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object")
    return body


def create(req: Req) -> Response:
    org = req.require_org()
    record_id = org.create(req.params["sobject"], _body_dict(req))
    return json_response({"id": record_id, "success": True, "errors": []}, 201)


def retrieve(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    fields = req.arg("fields")
    names = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    return json_response(org.retrieve(obj, req.params["record_id"], names, req.api_version))


def update(req: Req) -> Response:
    org = req.require_org()
    org.update(req.params["sobject"], req.params["record_id"], _body_dict(req))
    return Response(status_code=204)


def delete(req: Req) -> Response:
    org = req.require_org()
    org.delete(req.params["sobject"], req.params["record_id"])
    return Response(status_code=204)


def retrieve_by_external_id(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    return json_response(
        org.retrieve_by_external_id(obj, req.params["field"], req.params["value"], req.api_version)
    )


def upsert(req: Req) -> Response:
    org = req.require_org()
    record_id, created = org.upsert(
        req.params["sobject"], req.params["field"], req.params["value"], _body_dict(req)
    )
    body = {"id": record_id, "success": True, "errors": [], "created": created}
    return json_response(body, 201 if created else 200)


def delete_by_external_id(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    org.delete(obj, org.external_id_match(obj, req.params["field"], req.params["value"]))
    return Response(status_code=204)


def updated(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    start = parse_param_datetime("start", req.arg("start"))
    end = parse_param_datetime("end", req.arg("end"))
    result = org.updated(obj, start, end)
    return json_response({"ids": result["ids"], "latestDateCovered": rest_datetime(result["latest_ms"])})


def deleted(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    start = parse_param_datetime("start", req.arg("start"))
    end = parse_param_datetime("end", req.arg("end"))
    result = org.deleted(obj, start, end)
    return json_response(
        {
            "deletedRecords": [{"id": i, "deletedDate": rest_datetime(ms)} for i, ms in result["records"]],
            "earliestDateAvailable": rest_datetime(result["earliest_ms"]),
            "latestDateCovered": rest_datetime(result["latest_ms"]),
        }
    )
