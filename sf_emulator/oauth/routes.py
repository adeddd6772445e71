"""`POST /services/oauth2/token` and the identity URL it hands out."""

import base64
import hashlib
import hmac
import time
from urllib.parse import parse_qs

import jwt
from starlette.responses import Response

from ..http.endpoint import Req, json_response, route
from ..http.hosts import instance_url
from ..store.auth import (
    AuthError,
    basic_auth_client,
    check_client,
    check_password,
    verify_jwt_assertion,
)
from ..store.org import Org

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _org_by_client(req: Req, client_id: str | None) -> Org:
    for org in req.registry.orgs():
        if org.credentials.consumer_key == client_id:
            return org
    raise AuthError("invalid_client_id", "client identifier invalid")


def _password_grant(req: Req, form: dict[str, str]) -> tuple[Org, bool]:
    org = req.registry.by_username(form.get("username", ""))
    if org is None:
        raise AuthError("invalid_grant", "authentication failure")
    check_client(org.credentials, form.get("client_id"), form.get("client_secret"))
    try:
        check_password(
            org.credentials,
            form.get("username", ""),
            form.get("password", ""),
            token_required=org.credentials.oauth_password_requires_token,
        )
    except AuthError:
        raise AuthError("invalid_grant", "authentication failure") from None
    return org, False


def _refresh_grant(req: Req, form: dict[str, str]) -> tuple[Org, bool]:
    org = _org_by_client(req, form.get("client_id"))
    check_client(org.credentials, form.get("client_id"), form.get("client_secret"))
    if org.sessions.user_for_refresh_token(form.get("refresh_token", "")) is None:
        raise AuthError("invalid_grant", "expired access/refresh token")
    return org, False


def _client_credentials_grant(req: Req, form: dict[str, str]) -> tuple[Org, bool]:
    if "client_id" in form:
        client_id, secret = form["client_id"], form.get("client_secret", "")
    else:
        client_id, secret = basic_auth_client(req.headers.get("authorization"))
    org = _org_by_client(req, client_id)
    check_client(org.credentials, client_id, secret)
    return org, False


def _jwt_grant(req: Req, form: dict[str, str]) -> tuple[Org, bool]:
    assertion = form.get("assertion", "")
    try:
        issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        raise AuthError("invalid_grant", "invalid assertion") from None
    org = _org_by_client(req, issuer)
    # The client stamps `exp` from its own wall clock, so it is checked against real time.
    verify_jwt_assertion(org.credentials, assertion, int(time.time() * 1000))
    return org, False


GRANTS = {
    "password": _password_grant,
    "refresh_token": _refresh_grant,
    "client_credentials": _client_credentials_grant,
    JWT_GRANT: _jwt_grant,
}


def token(req: Req) -> Response:
    form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8"), keep_blank_values=True).items()}
    grant = GRANTS.get(form.get("grant_type", ""))
    try:
        if grant is None:
            raise AuthError("unsupported_grant_type", "grant type not supported")
        org, _ = grant(req, form)
    except AuthError as error:
        status = 401 if error.code == "invalid_client" else 400
        return json_response({"error": error.code, "error_description": error.description}, status)
    session = org.sessions.mint(org.user_id)
    issued_at = str(org.now_ms())
    identity = f"https://login.salesforce.com/id/{org.org_id}/{org.user_id}"
    signature = base64.b64encode(
        hmac.new(org.credentials.consumer_secret.encode(), (identity + issued_at).encode(), hashlib.sha256).digest()
    ).decode()
    body = {
        "access_token": session.token,
        "instance_url": instance_url(req.base_url),
        "id": identity,
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": signature,
        "scope": "api refresh_token",
    }
    if form.get("grant_type") == "refresh_token":
        body["refresh_token"] = form["refresh_token"]
    return json_response(body)


ROUTES = [route("/services/oauth2/token", token, ["POST"], authenticated=False)]
