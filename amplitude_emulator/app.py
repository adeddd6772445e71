"""HTTP routes: `POST /groupidentify` as Amplitude serves it, and the control API under `/__emulator/`."""

import asyncio

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .store import AmplitudeStore, Fault
from .validate import WireError, check_request, group_values, identification_count, parse_form


def create_app(store: AmplitudeStore) -> Starlette:
    """The ASGI app over one store (a store per app: tests may run several stand-ins in one process)."""

    async def group_identify(request: Request) -> Response:
        body, size = await _read_limited(request, store.max_body_bytes)
        fields: dict[str, str] = {}
        identifications: list[dict] = []
        try:
            if body is not None:
                fields = parse_form(body, dict(request.query_params))
            fault = store.take_fault(group_values(fields) if store.targets_groups else set())
            if fault is not None:
                if fault.delay_seconds:
                    await asyncio.sleep(fault.delay_seconds)
                raise WireError(fault.status, fault.body["error"])
            if body is None:
                raise WireError(413, "Payload too large")
            identifications = check_request(fields, store.api_keys)
        except WireError as e:
            text = fields.get("identification")
            count = identification_count(text) if text else 0
            store.record(size=size, identifications=count, status=e.status, error=e.body["error"], body=text)
            return JSONResponse(e.body, status_code=e.status)
        store.apply(identifications)
        store.record(
            size=size,
            identifications=len(identifications),
            status=200,
            error=None,
            body=fields["identification"],
        )
        return PlainTextResponse("success")

    async def groups(request: Request) -> Response:
        found = store.groups(request.query_params.get("group_type"), request.query_params.get("group_value"))
        return _large_json({"count": len(found), "groups": found})

    async def requests_log(request: Request) -> Response:
        bodies = request.query_params.get("bodies", "1") not in ("0", "false")
        entries = store.requests(bodies=bodies)
        return _large_json({"count": len(entries), "requests": entries})

    async def reset(request: Request) -> Response:
        store.reset()
        return JSONResponse({"reset": True})

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            store.clear_faults()
        elif request.method == "POST":
            spec = await _json_object(request)
            try:
                store.add_fault(Fault(**spec))
            except (TypeError, ValueError) as e:
                return JSONResponse({"code": 400, "error": f"bad fault {spec}: {e}"}, status_code=400)
        return JSONResponse({"faults": store.faults()})

    async def api_keys(request: Request) -> Response:
        if request.method == "POST":
            spec = await _json_object(request)
            keys = spec.get("api_keys")
            if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
                return JSONResponse(
                    {"code": 400, "error": "api_keys must be a list of strings"}, status_code=400
                )
            try:
                store.add_api_keys(keys, replace=bool(spec.get("replace", False)))
            except ValueError as e:
                return JSONResponse({"code": 400, "error": str(e)}, status_code=400)
        return JSONResponse({"api_keys": store.api_keys})

    return Starlette(
        routes=[
            Route("/groupidentify", group_identify, methods=["POST"]),
            Route("/__emulator/groups", groups, methods=["GET"]),
            Route("/__emulator/requests", requests_log, methods=["GET"]),
            Route("/__emulator/reset", reset, methods=["POST"]),
            Route("/__emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
            Route("/__emulator/api_keys", api_keys, methods=["GET", "POST"]),
        ]
    )


async def _read_limited(request: Request, limit: int) -> tuple[bytes | None, int]:
    """(body, size), body None when over `limit`: the rest is read and discarded, not kept.

    Reading to the end matters: answering 413 while the client is still sending would reset the
    connection, and the client would see a network error instead of the 413.
    """
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        else:
            chunks.clear()
    return (b"".join(chunks) if size <= limit else None), size


def _large_json(value: dict) -> Response:
    # orjson: 100k groups serialise in a fraction of the time Starlette's json.dumps takes.
    return Response(orjson.dumps(value), media_type="application/json")


async def _json_object(request: Request) -> dict:
    try:
        value = await request.json()
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {}
