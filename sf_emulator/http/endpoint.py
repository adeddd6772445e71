"""The one wrapper every route goes through: session, faults, API quota, request log, errors."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..store.auth import Session
from ..store.errors import MultipleMatches, SalesforceError

if TYPE_CHECKING:
    from ..registry import OrgRegistry
    from ..store.org import Org

JSON_TYPE = "application/json;charset=UTF-8"
log = logging.getLogger(__name__)


@dataclass
class Req:
    """What a handler sees: the request with its body already read and its session resolved."""

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    registry: "OrgRegistry"
    base_url: str
    org: "Org | None" = None
    session: Session | None = None
    extra: dict = field(default_factory=dict)

    @property
    def api_version(self) -> str:
        return self.params.get("version", "59.0")

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> object:
        try:
            return orjson.loads(self.body) if self.body else None
        except orjson.JSONDecodeError as error:
            raise SalesforceError(400, "JSON_PARSER_ERROR", f"Unexpected character: {error}") from None

    def require_org(self) -> "Org":
        if self.org is None:
            raise SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid")
        return self.org


def json_response(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type=JSON_TYPE, headers=headers)


def render_rest_error(error: SalesforceError, req: Req) -> Response:
    if isinstance(error, MultipleMatches):
        urls = [f"/services/data/v{req.api_version}/sobjects/{error.sobject}/{i}" for i in error.record_ids]
        return json_response(urls, 300)
    return json_response([error.as_rest()], error.status)


def render_bulk1_error(error: SalesforceError, req: Req) -> Response:
    code = "InvalidSessionId" if error.error_code == "INVALID_SESSION_ID" else error.error_code
    return json_response({"exceptionCode": code, "exceptionMessage": error.message}, 400 if error.status == 401 else error.status)


RENDERERS: dict[str, Callable[[SalesforceError, Req], Response]] = {
    "rest": render_rest_error,
    "bulk1": render_bulk1_error,
}


def _token(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    if auth[:6].lower() == "oauth ":
        return auth[6:].strip()
    return headers.get("x-sfdc-session")


def _apply_fault(org: "Org", req: Req) -> SalesforceError | None:
    rule = org.faults.take(req.method, req.path)
    if rule is None:
        return None
    if rule.kind == "delay":
        time.sleep(rule.delay_ms / 1000)
        return None
    if rule.kind == "truncate":
        req.extra["truncate"] = True
        return None
    return SalesforceError(rule.status, rule.error_code, rule.message)


def _respond(handler: Callable[[Req], Response], req: Req, *, counted: bool, family: str) -> Response:
    """Run the handler under the org's limits and faults; every error becomes that family's error body."""
    org = req.org
    ticket = None
    try:
        if org is not None:
            ticket = org.long_requests.enter()
            fault = _apply_fault(org, req)
            if fault is not None:
                raise fault
            if counted:
                org.usage.consume(org.now_ms())
        return handler(req)
    except SalesforceError as error:
        return RENDERERS[family](error, req)
    except Exception as error:  # a bug in the emulator: answer as Salesforce does, and log it
        log.exception("unhandled error serving %s %s", req.method, req.path)
        failure = SalesforceError(500, "UNKNOWN_EXCEPTION", f"An unexpected error occurred in the emulator: {error!r}")
        return RENDERERS[family](failure, req)
    finally:
        if ticket is not None:
            org.long_requests.exit(ticket)


def _serve(handler: Callable[[Req], Response], req: Req, *, counted: bool, template: str, family: str) -> Response:
    response = _respond(handler, req, counted=counted, family=family)
    org = req.org
    if org is not None:
        org.count_request(f"{req.method} {template}")
        if counted:
            response.headers["Sforce-Limit-Info"] = org.limit_header()
        if req.extra.get("truncate") and hasattr(response, "body"):  # streamed pages are never cut
            # A complete HTTP response whose JSON is cut short, as a proxy or a crashed worker can send.
            response.body = response.body[: max(1, len(response.body) // 2)]
            response.headers["content-length"] = str(len(response.body))
    return response


def route(
    path: str,
    handler: Callable[[Req], Response],
    methods: list[str],
    *,
    family: str = "rest",
    authenticated: bool = True,
    counted: bool = True,
) -> Route:
    """A Starlette route whose handler runs in the thread pool with a fully read `Req`."""

    async def endpoint(request: Request) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        registry = request.app.state.registry
        # parse_qs, not Starlette's parser: an unencoded '+' must decode to a space as on the real service.
        query = parse_qs(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        req = Req(
            method=request.method,
            path=request.url.path,
            params=dict(request.path_params),
            query=query,
            headers=headers,
            body=await request.body(),
            registry=registry,
            base_url=f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}",
        )
        if authenticated:
            token = _token(headers)
            try:
                req.org, req.session = registry.authenticate(token)
            except SalesforceError as error:
                return RENDERERS[family](error, req)
        return await run_in_threadpool(_serve, handler, req, counted=counted and authenticated, template=path, family=family)

    starlette_route = Route(path, endpoint, methods=methods)
    starlette_route.sync_handler = handler  # type: ignore[attr-defined]  # composite dispatches in-process
    return starlette_route
