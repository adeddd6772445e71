"""Logging in to Salesforce with our own small calls, so the login URL and TLS trust stay ours.

simple-salesforce builds login URLs as `https://{domain}.salesforce.com`, which cannot reach a
custom host (the emulator, a proxy); each mode here is one POST to `login_url`.
"""

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import jwt
import requests

from .errors import SalesforceAuthError, SalesforceConfigError, to_error

PRODUCTION_LOGIN_URL = "https://login.salesforce.com"
SANDBOX_LOGIN_URL = "https://test.salesforce.com"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Salesforce accepts JWT assertions that expire within a few minutes of issue.
JWT_LIFETIME_SECONDS = 180

# Settings each auth mode needs. The security token may be omitted when the org trusts the
# caller's IP range; `client_credentials` needs the org's My Domain (login.salesforce.com refuses it).
REQUIRED_SETTINGS: dict[str, tuple[str, ...]] = {
    "password": ("username", "password"),
    "refresh_token": ("consumer_key", "consumer_secret", "refresh_token"),
    "client_credentials": ("consumer_key", "consumer_secret", "login_url"),
    "jwt": ("consumer_key", "username", "private_key"),
    "session": ("session_id", "instance_url"),
}
AUTH_MODES = tuple(REQUIRED_SETTINGS)


@dataclass(frozen=True)
class SalesforceAuth:
    """How to log in to one org. Secrets are left out of `repr` and never put in messages."""

    mode: str
    login_url: str | None = None
    instance_url: str | None = None
    sandbox: bool = False
    api_version: str = "59.0"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)
    consumer_key: str | None = field(default=None, repr=False)
    consumer_secret: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)
    session_id: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in REQUIRED_SETTINGS:
            raise SalesforceConfigError(
                f"auth_mode must be one of {', '.join(AUTH_MODES)}; got {self.mode!r}", setting="auth_mode"
            )
        for name in REQUIRED_SETTINGS[self.mode]:
            if not getattr(self, name):
                raise SalesforceConfigError(
                    f"auth_mode {self.mode!r} needs `{name}` (set the environment variable named in sf_assets.yaml)"
                    if name not in ("login_url", "instance_url")
                    else f"auth_mode {self.mode!r} needs `{name}`: the org's base URL, e.g. https://acme.my.salesforce.com",
                    setting=name,
                )
        for name in ("login_url", "instance_url"):
            url = getattr(self, name)
            if url is not None and (
                urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname
            ):
                raise SalesforceConfigError(
                    f"`{name}` must be a URL such as https://acme.my.salesforce.com; got {url!r}",
                    setting=name,
                )

    @property
    def renewable(self) -> bool:
        """Whether an expired session can be replaced by logging in again."""
        return self.mode != "session"

    @property
    def effective_login_url(self) -> str:
        default = SANDBOX_LOGIN_URL if self.sandbox else PRODUCTION_LOGIN_URL
        return (self.login_url or default).rstrip("/")


@dataclass(frozen=True)
class LoginResult:
    instance_url: str
    session_id: str = field(repr=False)
    # OAuth servers may rotate refresh tokens; the newest one must be used for the next login.
    refresh_token: str | None = field(default=None, repr=False)


def login(http: requests.Session, auth: SalesforceAuth) -> LoginResult:
    """One login call for `auth.mode`; raises SalesforceAuthError naming the settings to fix."""
    if auth.mode == "session":
        return LoginResult(instance_url=_origin(auth.instance_url or ""), session_id=auth.session_id or "")
    if auth.mode == "password":
        return _soap_login(http, auth)
    return _oauth_login(http, auth)


def _soap_login(http: requests.Session, auth: SalesforceAuth) -> LoginResult:
    # The partner API takes the security token appended to the password.
    secret = (auth.password or "") + (auth.security_token or "")
    envelope = (
        '<?xml version="1.0" encoding="utf-8" ?>'
        '<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">'
        "<env:Header><urn:CallOptions><urn:client>sf_assets</urn:client></urn:CallOptions></env:Header>"
        '<env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com">'
        f"<n1:username>{escape(auth.username or '')}</n1:username>"
        f"<n1:password>{escape(secret)}</n1:password>"
        "</n1:login></env:Body></env:Envelope>"
    )
    response = http.post(
        f"{auth.effective_login_url}/services/Soap/u/{auth.api_version}",
        data=envelope.encode("utf-8"),
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "login"},
    )
    if response.status_code != 200:
        raise _refused(response, auth)
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        raise _unexpected(auth, "the SOAP login answer is not XML") from None
    session_id = root.findtext(".//{*}sessionId")
    server_url = root.findtext(".//{*}serverUrl")
    if not session_id or not server_url:
        raise _unexpected(auth, "the SOAP login answer has no sessionId/serverUrl")
    return LoginResult(instance_url=_origin(server_url), session_id=session_id)


def _oauth_login(http: requests.Session, auth: SalesforceAuth) -> LoginResult:
    form: dict[str, str]
    basic: tuple[str, str] | None = None
    if auth.mode == "refresh_token":
        form = {
            "grant_type": "refresh_token",
            "client_id": auth.consumer_key or "",
            "client_secret": auth.consumer_secret or "",
            "refresh_token": auth.refresh_token or "",
        }
    elif auth.mode == "client_credentials":
        form = {"grant_type": "client_credentials"}
        basic = (auth.consumer_key or "", auth.consumer_secret or "")
    else:
        form = {"grant_type": JWT_BEARER_GRANT, "assertion": jwt_assertion(auth)}
    response = http.post(
        f"{auth.effective_login_url}/services/oauth2/token",
        data=form,
        auth=basic,
        headers={"Accept": "application/json"},
    )
    if response.status_code != 200:
        raise _refused(response, auth)
    try:
        body = response.json()
        return LoginResult(
            instance_url=_origin(body["instance_url"]),
            session_id=body["access_token"],
            refresh_token=body.get("refresh_token"),
        )
    except (ValueError, KeyError, TypeError):
        raise _unexpected(auth, "the OAuth token answer is not the JSON Salesforce sends") from None


def jwt_assertion(auth: SalesforceAuth, *, now: float | None = None) -> str:
    """An RS256 JWT-bearer assertion: iss = consumer key, sub = username, aud = the login server."""
    issued = time.time() if now is None else now
    claims = {
        "iss": auth.consumer_key,
        "sub": auth.username,
        "aud": jwt_audience(auth),
        "exp": int(issued) + JWT_LIFETIME_SECONDS,
    }
    try:
        return jwt.encode(claims, auth.private_key or "", algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError) as error:
        raise SalesforceConfigError(
            f"auth_mode 'jwt' needs `private_key` to be an RSA private key in PEM text ({type(error).__name__})",
            setting="private_key",
        ) from None


def jwt_audience(auth: SalesforceAuth) -> str:
    """Salesforce expects its own login host as `aud`; a custom login URL (My Domain, emulator) is its origin."""
    if auth.login_url and _origin(auth.login_url) not in (PRODUCTION_LOGIN_URL, SANDBOX_LOGIN_URL):
        return _origin(auth.login_url)
    return SANDBOX_LOGIN_URL if auth.sandbox else PRODUCTION_LOGIN_URL


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _refused(response: requests.Response, auth: SalesforceAuth) -> Exception:
    error = to_error(response, auth_mode=auth.mode)
    if isinstance(error, SalesforceAuthError):
        return SalesforceAuthError(
            f"{error.detail} (login URL {auth.effective_login_url})",
            code=error.code,
            status=error.status,
            settings=error.settings,
        )
    return error or _unexpected(auth, f"HTTP {response.status_code}")


def _unexpected(auth: SalesforceAuth, what: str) -> SalesforceAuthError:
    return SalesforceAuthError(
        f"auth_mode {auth.mode!r} login at {auth.effective_login_url} failed: {what}",
        code="unexpected_login_response",
        settings=("login_url",),
    )
