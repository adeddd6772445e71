"""REST routes under `/services/data`, and in-process dispatch for `composite` subrequests."""

from urllib.parse import parse_qs, urlsplit

from starlette.responses import Response
from starlette.routing import Match

from ..http.endpoint import Req, json_response, route
from ..store.errors import SalesforceError, not_found
from . import composite, limits, query, sobjects

API_VERSIONS = [f"{major}.0" for major in range(20, 67)]
_RELEASES = {59: "Winter '24", 60: "Spring '24", 61: "Summer '24", 62: "Winter '25", 63: "Spring '25"}
V = "/services/data/v{version}"


def versions(req: Req) -> Response:
    return json_response(
        [
            {"label": _RELEASES.get(int(float(v)), f"API {v}"), "url": f"/services/data/v{v}", "version": v}
            for v in API_VERSIONS
        ]
    )


def resources(req: Req) -> Response:
    if req.api_version not in API_VERSIONS:
        raise not_found()
    base = f"/services/data/v{req.api_version}"
    names = ["sobjects", "query", "queryAll", "limits", "composite", "jobs", "search", "tooling", "recent"]
    return json_response({name: f"{base}/{name}" for name in names})


ROUTES = [
    route("/services/data", versions, ["GET"], authenticated=False),
    route(V, resources, ["GET"]),
    route(V + "/sobjects", sobjects.describe_global, ["GET"]),
    route(V + "/sobjects/{sobject}", sobjects.sobject_metadata, ["GET"]),
    route(V + "/sobjects/{sobject}", sobjects.create, ["POST"]),
    route(V + "/sobjects/{sobject}/describe", sobjects.describe_sobject, ["GET"]),
    route(V + "/sobjects/{sobject}/updated", sobjects.updated, ["GET"]),
    route(V + "/sobjects/{sobject}/deleted", sobjects.deleted, ["GET"]),
    route(V + "/sobjects/{sobject}/{record_id}", sobjects.retrieve, ["GET"]),
    route(V + "/sobjects/{sobject}/{record_id}", sobjects.update, ["PATCH"]),
    route(V + "/sobjects/{sobject}/{record_id}", sobjects.delete, ["DELETE"]),
    route(V + "/sobjects/{sobject}/{field}/{value:path}", sobjects.retrieve_by_external_id, ["GET"]),
    route(V + "/sobjects/{sobject}/{field}/{value:path}", sobjects.upsert, ["PATCH"]),
    route(V + "/sobjects/{sobject}/{field}/{value:path}", sobjects.delete_by_external_id, ["DELETE"]),
    route(V + "/query", query.query, ["GET"]),
    route(V + "/queryAll", query.query_all, ["GET"]),
    route(V + "/query/{locator}", query.query_more, ["GET"]),
    route(V + "/queryAll/{locator}", query.query_more, ["GET"]),
    route(V + "/limits", limits.limits, ["GET"]),
    route(V + "/limits/recordCount", limits.record_count, ["GET"]),
    route(V + "/composite", composite.composite, ["POST"]),
    route(V + "/composite/sobjects", composite.collection_create, ["POST"]),
    route(V + "/composite/sobjects", composite.collection_update, ["PATCH"]),
    route(V + "/composite/sobjects", composite.collection_delete, ["DELETE"]),
    route(V + "/composite/sobjects/{sobject}", composite.collection_retrieve, ["GET"]),
    route(V + "/composite/sobjects/{sobject}/{field}", composite.collection_upsert, ["PATCH"]),
]


def dispatch(parent: Req, method: str, url: str, body: bytes) -> Response:
    """Serve one `composite` subrequest with the parent's session, without another HTTP round trip."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    scope = {"type": "http", "path": path, "method": method}
    for candidate in ROUTES:
        match, child = candidate.matches(scope)
        if match == Match.FULL:
            sub = Req(
                method=method,
                path=path,
                params=dict(child["path_params"]),
                query=parse_qs(parts.query, keep_blank_values=True),
                headers=parent.headers,
                body=body,
                registry=parent.registry,
                base_url=parent.base_url,
                org=parent.org,
                session=parent.session,
            )
            return candidate.sync_handler(sub)
    raise SalesforceError(404, "NOT_FOUND", f"The requested resource does not exist: {url}")
