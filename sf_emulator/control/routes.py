"""`/__emulator/…`: orgs, clock, sessions, faults, mutations, schema drift, request counts."""

from starlette.responses import Response

from ..http.endpoint import Req, json_response, route
from ..http.hosts import instance_url
from ..store.errors import SalesforceError
from ..store.faults import FaultRule
from ..store.org import Org
from ..store.seed import seed_base_records
from ..store.values import parse_datetime_ms
from . import mutations


def _body(req: Req) -> dict:
    body = req.json()
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise SalesforceError(400, "JSON_PARSER_ERROR", "The control API takes a JSON object")
    return body


def _org(req: Req) -> Org:
    return req.registry.get(req.params["org_id"])


def org_info(org: Org, base_url: str, *, with_secrets: bool) -> dict:
    info: dict = {"org_id": org.org_id, "username": org.credentials.username, "sandbox": org.sandbox}
    if with_secrets:
        url = instance_url(base_url)
        info.update(
            {
                "password": org.credentials.password,
                "security_token": org.credentials.security_token,
                "consumer_key": org.credentials.consumer_key,
                "consumer_secret": org.credentials.consumer_secret,
                "jwt_private_key": org.credentials.jwt_private_key_pem,
                "instance_url": url,
                "login_url": url,
                "session_id": org.sessions.mint(org.user_id).token,
                "refresh_token": org.sessions.mint_refresh_token(org.user_id),
                "user_id": org.user_id,
            }
        )
    return info


def health(req: Req) -> Response:
    return json_response({"status": "ok", "orgs": len(req.registry.orgs())})


def create_org(req: Req) -> Response:
    body = _body(req)
    org = req.registry.create_org(
        org_definition=body.get("org_definition"),
        username=body.get("username"),
        sandbox=bool(body.get("sandbox", False)),
        daily_api_requests=body.get("daily_api_requests"),
    )
    if body.get("scale"):
        from ..generator import generate_org_data

        generate_org_data(org, scale=int(body["scale"]), seed=int(body.get("seed", 0)))
    return json_response(org_info(org, req.base_url, with_secrets=True), 201)


def list_orgs(req: Req) -> Response:
    return json_response([org_info(o, req.base_url, with_secrets=False) for o in req.registry.orgs()])


def get_org(req: Req) -> Response:
    return json_response(org_info(_org(req), req.base_url, with_secrets=True))


def drop_org(req: Req) -> Response:
    req.registry.drop_org(req.params["org_id"])
    return Response(status_code=204)


def reset(req: Req) -> Response:
    """Empty the org back to its base records (admin user, profile, role, price book), keeping logins."""
    org = _org(req)
    org.wipe()
    seed_base_records(org)
    org.save_meta()
    return json_response(org_info(org, req.base_url, with_secrets=False))


def seed(req: Req) -> Response:
    from ..generator import generate_org_data

    body = _body(req)
    counts = generate_org_data(_org(req), scale=int(body.get("scale", 1)), seed=int(body.get("seed", 0)))
    return json_response({"records": counts})


def clock(req: Req) -> Response:
    """GET reads; POST takes `set` (ISO datetime) with `frozen`, `advance_seconds`, or `unfreeze`."""
    org = _org(req)
    if req.method == "POST":
        body = _body(req)
        if "set" in body:
            when = parse_datetime_ms(str(body["set"]))
            if when is None:
                raise SalesforceError(400, "INVALID_CLOCK", f"cannot parse datetime {body['set']!r}")
            org.clock.set(when, frozen=bool(body.get("frozen", True)))
        if "advance_seconds" in body:
            org.clock.advance(int(float(body["advance_seconds"]) * 1000))
        if body.get("unfreeze"):
            org.clock.unfreeze()
        org.expire_recycle_bin()
    return json_response({"now_ms": org.now_ms(), "frozen": org.clock.frozen})


def expire_sessions(req: Req) -> Response:
    org = _org(req)
    body = _body(req)
    if body.get("refresh_tokens"):
        org.sessions.revoke_refresh_tokens()
    return json_response({"expired": org.sessions.expire_all()})


def mint_session(req: Req) -> Response:
    org = _org(req)
    return json_response({"session_id": org.sessions.mint(org.user_id).token, "instance_url": instance_url(req.base_url)})


def faults(req: Req) -> Response:
    org = _org(req)
    if req.method == "DELETE":
        org.faults.clear()
    elif req.method == "POST":
        try:
            org.faults.add(FaultRule(**_body(req)))
        except (TypeError, ValueError) as error:
            raise SalesforceError(400, "INVALID_FAULT", str(error)) from None
    return json_response({"pending": org.faults.pending()})


def mutate(req: Req) -> Response:
    return json_response(mutations.mutate(_org(req), _body(req)))


def add_field(req: Req) -> Response:
    body = _body(req)
    mutations.add_custom_field(_org(req), body.get("sobject", ""), body.get("field") or {})
    return json_response({"ok": True}, 201)


def add_object(req: Req) -> Response:
    mutations.add_custom_object(_org(req), _body(req))
    return json_response({"ok": True}, 201)


def requests_log(req: Req) -> Response:
    org = _org(req)
    with org.lock:
        if req.method == "DELETE":
            org.request_counts.clear()
        counts = dict(org.request_counts)
    return json_response(
        {
            "total": sum(counts.values()),
            "by_endpoint": counts,
            "api_usage": org.usage.used(org.now_ms()),
            "in_flight": org.long_requests.in_flight(),
        }
    )


def set_limits(req: Req) -> Response:
    org = _org(req)
    body = _body(req)
    if "daily_api_requests" in body:
        org.usage.settings.daily_api_requests = int(body["daily_api_requests"])
    if "used" in body:
        org.usage.set_used(org.now_ms(), int(body["used"]))
    for name in ("max_concurrent_long_requests", "long_request_ms"):
        if name in body:
            setattr(org.usage.settings, name, int(body[name]))
    org.save_meta()
    return json_response({"used": org.usage.used(org.now_ms()), **vars(org.usage.settings)})


CONTROL = "/__emulator"
ORG = CONTROL + "/orgs/{org_id}"


def _control(path: str, handler, methods: list[str]):  # noqa: ANN001, ANN202
    return route(path, handler, methods, authenticated=False, counted=False)


ROUTES = [
    _control(CONTROL + "/health", health, ["GET"]),
    _control(CONTROL + "/orgs", create_org, ["POST"]),
    _control(CONTROL + "/orgs", list_orgs, ["GET"]),
    _control(ORG, get_org, ["GET"]),
    _control(ORG, drop_org, ["DELETE"]),
    _control(ORG + "/reset", reset, ["POST"]),
    _control(ORG + "/seed", seed, ["POST"]),
    _control(ORG + "/clock", clock, ["GET", "POST"]),
    _control(ORG + "/sessions/expire", expire_sessions, ["POST"]),
    _control(ORG + "/sessions", mint_session, ["POST"]),
    _control(ORG + "/faults", faults, ["GET", "POST", "DELETE"]),
    _control(ORG + "/mutations", mutate, ["POST"]),
    _control(ORG + "/schema/fields", add_field, ["POST"]),
    _control(ORG + "/schema/objects", add_object, ["POST"]),
    _control(ORG + "/requests", requests_log, ["GET", "DELETE"]),
    _control(ORG + "/limits", set_limits, ["POST"]),
]
