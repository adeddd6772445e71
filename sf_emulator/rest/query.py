"""`query`, `queryAll` and their locator pages."""

import re

from starlette.responses import Response

from ..http.endpoint import Req, json_response
from ..store.errors import SalesforceError

_BATCH = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)


def _batch_size(req: Req) -> int | None:
    match = _BATCH.search(req.headers.get("sforce-query-options", ""))
    return int(match.group(1)) if match else None


def _run(req: Req, *, include_deleted: bool) -> Response:
    soql = req.arg("q")
    if soql is None:
        raise SalesforceError(400, "MALFORMED_QUERY", "A query string has to be specified")
    org = req.require_org()
    return json_response(
        org.query(soql, include_deleted=include_deleted, batch_size=_batch_size(req), api_version=req.api_version)
    )


def query(req: Req) -> Response:
    return _run(req, include_deleted=False)


def query_all(req: Req) -> Response:
    return _run(req, include_deleted=True)


def query_more(req: Req) -> Response:
    locator, _, offset = req.params["locator"].partition("-")
    if not offset.isdigit():
        raise SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
    org = req.require_org()
    return json_response(
        org.query_more(locator, int(offset), batch_size=_batch_size(req), api_version=req.api_version)
    )
