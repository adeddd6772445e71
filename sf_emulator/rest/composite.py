"""sObject Collections (≤200 records, allOrNone) and `composite` (≤25 subrequests with references)."""

import re
from collections.abc import Callable

import orjson
from starlette.responses import Response

from ..http.endpoint import Req, json_response
from ..store.errors import SalesforceError
from ..store.ids import to_18
from ..store.org import Org

MAX_COLLECTION = 200
MAX_SUBREQUESTS = 25
_ROLLED_BACK = SalesforceError(
    400,
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using AllOrNone header",
)


class _RollBack(Exception):
    """Raised inside the outer transaction to undo every row of an allOrNone request."""


def _save_results(org: Org, items: list, all_or_none: bool, write: Callable[[object], dict]) -> list[dict]:
    """Run `write` per item, each in its own savepoint; with allOrNone one failure undoes them all."""
    if len(items) > MAX_COLLECTION:
        raise SalesforceError(400, "EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_COLLECTION} records into this call")
    results: list[dict] = []
    try:
        with org.transaction():
            for item in items:
                try:
                    with org.transaction():
                        results.append({**write(item), "success": True, "errors": []})
                except SalesforceError as error:
                    results.append({"success": False, "errors": [error.as_save_error()]})
            if all_or_none and any(not r["success"] for r in results):
                raise _RollBack
    except _RollBack:
        return [r if not r["success"] else {"success": False, "errors": [_ROLLED_BACK.as_save_error()]} for r in results]
    return results


def _ordered(result: dict) -> dict:
    """SaveResult key order as recorded: id, success, errors, then created."""
    order = ["id", "success", "errors", "created"]
    return {k: result[k] for k in order if k in result}


def _collection_body(req: Req) -> tuple[list, bool]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise SalesforceError(400, "JSON_PARSER_ERROR", "The request body must have a 'records' list")
    return body["records"], bool(body.get("allOrNone", False))


def _record_type(record: object) -> str:
    if not isinstance(record, dict) or not isinstance(record.get("attributes"), dict) or "type" not in record["attributes"]:
        raise SalesforceError(400, "INVALID_TYPE", "Must send a concrete entity type.")
    return record["attributes"]["type"]


def collection_create(req: Req) -> Response:
    org = req.require_org()
    records, all_or_none = _collection_body(req)

    def write(record: object) -> dict:
        if isinstance(record, dict) and record.get("Id"):
            raise SalesforceError(400, "INVALID_FIELD", "cannot specify Id in an insert call", ["Id"])
        return {"id": org.create(_record_type(record), record)}

    return json_response([_ordered(r) for r in _save_results(org, records, all_or_none, write)])


def collection_update(req: Req) -> Response:
    org = req.require_org()
    records, all_or_none = _collection_body(req)

    def write(record: object) -> dict:
        sobject = _record_type(record)
        record_id = record.get("Id") if isinstance(record, dict) else None
        if not record_id:
            raise SalesforceError(400, "MISSING_ARGUMENT", "Id not specified in an update call", ["Id"])
        org.update(sobject, record_id, {k: v for k, v in record.items() if k != "Id"})
        return {"id": to_18(record_id)}

    return json_response([_ordered(r) for r in _save_results(org, records, all_or_none, write)])


def collection_upsert(req: Req) -> Response:
    org = req.require_org()
    records, all_or_none = _collection_body(req)
    sobject, field = req.params["sobject"], req.params["field"]

    def write(record: object) -> dict:
        if not isinstance(record, dict) or record.get(field) in (None, ""):
            raise SalesforceError(400, "MISSING_ARGUMENT", f"{field} not specified", [field])
        value = str(record[field])
        record_id, created = org.upsert(sobject, field, value, {k: v for k, v in record.items() if k != field})
        return {"id": record_id, "created": created}

    return json_response([_ordered(r) for r in _save_results(org, records, all_or_none, write)])


def collection_delete(req: Req) -> Response:
    org = req.require_org()
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    all_or_none = (req.arg("allOrNone") or "false").lower() == "true"

    def write(record_id: object) -> dict:
        obj = org.object_for_id(str(record_id))
        org.delete(obj, str(record_id))
        return {"id": str(record_id)}

    return json_response([_ordered(r) for r in _save_results(org, ids, all_or_none, write)])


def collection_retrieve(req: Req) -> Response:
    org = req.require_org()
    obj = org.sobject(req.params["sobject"])
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    fields = [f for f in (req.arg("fields") or "").split(",") if f]
    if len(ids) > MAX_COLLECTION:
        raise SalesforceError(400, "EXCEEDED_ID_LIMIT", f"cannot retrieve more than {MAX_COLLECTION} records")
    records = []
    for record_id in ids:
        try:
            records.append(org.retrieve(obj, record_id, fields or None, req.api_version))
        except SalesforceError:
            records.append(None)
    return json_response(records)


# --- composite -------------------------------------------------------------------------------------
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.([^}]+)\}")


def _resolve_path(results: dict[str, object], path: str) -> object:
    value = results
    for part in re.findall(r"[^.\[\]]+", path):
        value = value[int(part)] if isinstance(value, list) else value[part]  # type: ignore[index]
    return value


def _substitute(text: str, results: dict[str, object]) -> str:
    def replace(match: re.Match) -> str:
        ref, path = match.group(1), match.group(2)
        if ref not in results:
            raise SalesforceError(400, "INVALID_REFERENCE", f"Invalid reference specified. No value for {ref}.{path} found in {ref}.")
        try:
            return str(_resolve_path(results[ref], path))  # type: ignore[arg-type]
        except (KeyError, IndexError, TypeError, ValueError):
            raise SalesforceError(400, "INVALID_REFERENCE", f"Invalid reference specified. No value for {ref}.{path} found in {ref}.") from None

    return _REFERENCE.sub(replace, text)


def composite(req: Req) -> Response:
    """Run subrequests in order through the REST handlers; references read earlier bodies."""
    from .routes import dispatch

    org = req.require_org()
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("compositeRequest"), list):
        raise SalesforceError(400, "JSON_PARSER_ERROR", "The request body must have a 'compositeRequest' list")
    subrequests = body["compositeRequest"]
    if len(subrequests) > MAX_SUBREQUESTS:
        raise SalesforceError(400, "LIMIT_EXCEEDED", f"Limit exceeded: cannot have more than {MAX_SUBREQUESTS} subrequests")
    all_or_none = bool(body.get("allOrNone", False))
    results: dict[str, object] = {}
    responses: list[dict] = []
    try:
        with org.transaction():
            failed = False
            for sub in subrequests:
                ref = sub.get("referenceId", "")
                if failed and all_or_none:
                    responses.append(_processing_halted(ref))
                    continue
                try:
                    url = _substitute(sub.get("url", ""), results)
                    raw = orjson.dumps(sub["body"]) if "body" in sub else b""
                    raw = _substitute(raw.decode(), results).encode() if raw else raw
                    with org.transaction():
                        response = dispatch(req, sub.get("method", "GET").upper(), url, raw)
                        if response.status_code >= 400:
                            raise _SubrequestFailed(response)
                except _SubrequestFailed as failure:
                    response = failure.response
                except SalesforceError as error:
                    response = json_response([error.as_rest()], error.status)
                parsed = orjson.loads(response.body) if response.body else None
                if response.status_code < 400:
                    results[ref] = parsed
                else:
                    failed = True
                responses.append({"body": parsed, "httpHeaders": {}, "httpStatusCode": response.status_code, "referenceId": ref})
            if failed and all_or_none:
                raise _RollBack
    except _RollBack:
        responses = [r if r["httpStatusCode"] >= 400 else _processing_halted(r["referenceId"]) for r in responses]
    return json_response({"compositeResponse": responses})


class _SubrequestFailed(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _processing_halted(ref: str) -> dict:
    return {
        "body": [{"errorCode": "PROCESSING_HALTED", "message": "The transaction was rolled back since another operation in the same transaction failed."}],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": ref,
    }
