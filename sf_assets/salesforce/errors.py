"""Salesforce failures as exceptions named for the condition, and the one function that maps them.

Every error carries the wire code (`errorCode`, OAuth `error`, SOAP `exceptionCode`, or one of ours
in lower case for transport failures), the HTTP status when there was a response, and what the
operator should do. Transient errors (`SalesforceUnavailable` and its subclasses) are retried
inside the client; everything else propagates at once.
"""

import json
from collections.abc import Sequence
from xml.etree import ElementTree

import requests
from simple_salesforce.exceptions import SalesforceError as SimpleSalesforceError


class SalesforceApiError(Exception):
    """Base of every failure the client raises: `code`, `status` (None without a response), `action`."""

    retryable = False
    default_action = "See the Salesforce error code in the message."

    def __init__(
        self, message: str, *, code: str, status: int | None = None, action: str | None = None
    ) -> None:
        self.code = code
        self.status = status
        self.action = action or self.default_action
        self.detail = message
        wire = code if status is None else f"{code}, HTTP {status}"
        super().__init__(f"{message} ({wire}). {self.action}")


class SalesforceConfigError(ValueError):
    """A setting is missing or unusable before any call is made; `setting` names it."""

    def __init__(self, message: str, *, setting: str) -> None:
        self.setting = setting
        super().__init__(message)


class SalesforceAuthError(SalesforceApiError):
    """Login refused (INVALID_LOGIN, invalid_grant, invalid_client_id, …); `settings` are the ones to fix."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int | None = None,
        settings: Sequence[str] = (),
        action: str | None = None,
    ) -> None:
        self.settings = tuple(settings)
        named = ", ".join(f"`{s}`" for s in self.settings)
        default = f"Check the {named} setting(s) of this Salesforce instance." if named else None
        super().__init__(message, code=code, status=status, action=action or default)


class SessionExpired(SalesforceAuthError):
    """401 INVALID_SESSION_ID that the client could not renew (auth mode `session` never logs in)."""


class TlsVerificationFailed(SalesforceApiError):
    default_action = (
        "The server's certificate is not trusted: point `ca_bundle` at a PEM file holding its CA "
        "(for the emulator, its `ca_bundle`), or leave it unset to use the system's CAs."
    )


class RequestLimitExceeded(SalesforceApiError):
    """403 REQUEST_LIMIT_EXCEEDED: the org's rolling 24-hour API quota is spent; `used`/`max` when known."""

    def __init__(self, message: str, *, code: str, status: int | None, usage: tuple[int, int] | None) -> None:
        self.used, self.max = usage if usage is not None else (None, None)
        counted = f" (api-usage {self.used}/{self.max})" if usage is not None else ""
        super().__init__(
            message + counted,
            code=code,
            status=status,
            action="Wait for the 24-hour window to free calls, raise the org's limit, or sync less often.",
        )


class ApiBudgetExhausted(SalesforceApiError):
    """The org's daily API usage reached the configured floor; nothing was written, retry later."""

    default_action = "Nothing was written; the partition is retried later."

    def __init__(self, message: str, *, used: int, maximum: int) -> None:
        super().__init__(message, code="API_BUDGET_FLOOR")
        self.used = used
        self.maximum = maximum


class SalesforceUnavailable(SalesforceApiError):
    """Transient trouble: 5xx, SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, dropped connections, cut bodies."""

    retryable = True
    default_action = "Salesforce or the network failed transiently; the run can be retried."


class TooManyConcurrentRequests(SalesforceUnavailable):
    """REQUEST_LIMIT_EXCEEDED for ConcurrentPerOrgLongTxn: too many calls over 20 s in flight; it passes."""

    default_action = "Lower the `salesforce_api` pool's concurrency if this repeats."


class InvalidQuery(SalesforceApiError):
    default_action = "Fix the SOQL, or refresh the catalog if a field or object was removed from the org."


class ObjectNotQueryable(SalesforceApiError):
    default_action = (
        "Exclude this object from the instance's `objects`; Salesforce does not allow queries on it."
    )


class InsufficientPrivileges(SalesforceApiError):
    default_action = "Grant the integration user read access to this object and its fields."


class FunctionalityNotEnabled(SalesforceApiError):
    default_action = "Read this object through REST (api='rest'); the Bulk API refuses it."


class BulkJobFailed(SalesforceApiError):
    default_action = "See the job's error message; the job id is in the message."


class BulkJobTimedOut(SalesforceApiError):
    default_action = "Raise the client's bulk timeout, or read smaller windows."


class SalesforceRequestFailed(SalesforceApiError):
    """Any other error response."""


_QUERY_CODES = {
    "MALFORMED_QUERY",
    "INVALID_FIELD",
    "INVALID_TYPE",
    "INVALID_QUERY_FILTER_OPERATOR",
    "INVALID_QUERY_LOCATOR",
    "NUMBER_OUTSIDE_VALID_RANGE",
    "INVALIDJOB",
}
_TRANSIENT_CODES = {"SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW", "UNKNOWN_EXCEPTION", "QUERY_TIMEOUT"}
_PRIVILEGE_CODES = {"INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "API_DISABLED_FOR_ORG"}
_AUTH_CODES = {
    "INVALID_LOGIN",
    "LOGIN_MUST_USE_SECURITY_TOKEN",
    "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
    "invalid_grant",
    "invalid_client_id",
    "invalid_client",
    "unsupported_grant_type",
    "inactive_user",
    "inactive_org",
}
# Which settings an operator fixes for each refusal; "*" applies to every auth mode.
_AUTH_SETTINGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("password", "INVALID_LOGIN"): ("username", "password", "security_token"),
    ("password", "LOGIN_MUST_USE_SECURITY_TOKEN"): ("security_token",),
    ("password", "INVALID_OPERATION_WITH_EXPIRED_PASSWORD"): ("password",),
    ("refresh_token", "invalid_grant"): ("refresh_token",),
    ("jwt", "invalid_grant"): ("private_key", "username"),
    ("client_credentials", "invalid_grant"): ("consumer_key", "login_url"),
    ("*", "invalid_client_id"): ("consumer_key",),
    ("*", "invalid_client"): ("consumer_secret",),
    ("*", "unsupported_grant_type"): ("auth_mode",),
    ("*", "inactive_user"): ("username",),
}


def wire_error(status: int | None, body: object) -> tuple[str, str]:
    """(code, message) from any Salesforce error body: REST list, Bulk or OAuth object, SOAP fault."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        text = body.strip()
        try:
            body = json.loads(text) if text[:1] in "[{" and text else text
        except ValueError:
            body = text
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if isinstance(body, dict):
        code = (
            body.get("errorCode") or body.get("error") or body.get("exceptionCode") or body.get("statusCode")
        )
        message = body.get("message") or body.get("error_description") or body.get("exceptionMessage") or ""
        if code:
            return str(code), str(message)
    if isinstance(body, str):
        fault = _soap_fault(body)
        return fault if fault is not None else (f"http_{status}", body[:200])
    return f"http_{status}", ""


def _soap_fault(text: str) -> tuple[str, str] | None:
    if not text.startswith("<"):
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    code = root.find(".//{*}exceptionCode")
    if code is None or not code.text:
        return None
    message = root.find(".//{*}exceptionMessage")
    return code.text, (message.text or "") if message is not None else ""


def classify(
    code: str,
    message: str,
    status: int | None,
    *,
    usage: tuple[int, int] | None = None,
    auth_mode: str | None = None,
) -> SalesforceApiError:
    """The exception for a wire code; `auth_mode` is given for login responses."""
    transient = code in _TRANSIENT_CODES or (status is not None and status >= 500 and code not in _AUTH_CODES)
    if auth_mode is not None and not transient:
        if code in _AUTH_CODES or status in (400, 401):
            settings = _AUTH_SETTINGS.get((auth_mode, code)) or _AUTH_SETTINGS.get(("*", code), ())
            text = f"auth_mode {auth_mode!r} login refused: {message or code}"
        else:  # a 404 or an HTML page: the URL does not lead to a Salesforce login
            settings, text = (
                ("login_url",),
                f"auth_mode {auth_mode!r} login got no Salesforce answer: {message}",
            )
        return SalesforceAuthError(text, code=code, status=status, settings=settings)
    if code == "INVALID_SESSION_ID":
        return SessionExpired(f"session expired or invalid: {message}", code=code, status=status)
    if code == "REQUEST_LIMIT_EXCEEDED":
        if "ConcurrentPerOrgLongTxn" in message:
            return TooManyConcurrentRequests(message, code=code, status=status)
        return RequestLimitExceeded(message, code=code, status=status, usage=usage)
    if transient:
        return SalesforceUnavailable(message or "server error", code=code, status=status)
    if code == "INVALID_TYPE_FOR_OPERATION" or "does not support query" in message:
        return ObjectNotQueryable(message, code=code, status=status)
    if code in _QUERY_CODES:
        return InvalidQuery(message, code=code, status=status)
    if code in _PRIVILEGE_CODES:
        return InsufficientPrivileges(message, code=code, status=status)
    if code == "FUNCTIONALITY_NOT_ENABLED":
        return FunctionalityNotEnabled(message, code=code, status=status)
    if code in _AUTH_CODES:
        return SalesforceAuthError(message or code, code=code, status=status)
    return SalesforceRequestFailed(message or "request failed", code=code, status=status)


def to_error(
    failure: requests.Response | BaseException,
    *,
    usage: tuple[int, int] | None = None,
    auth_mode: str | None = None,
) -> SalesforceApiError | None:
    """The typed error for an error response or a transport exception; None for anything else (a bug).

    `usage` is the last `Sforce-Limit-Info` seen, for REQUEST_LIMIT_EXCEEDED; `auth_mode` marks a
    login call, whose refusals become `SalesforceAuthError` naming the settings to fix.
    """
    if isinstance(failure, SalesforceApiError):
        return failure
    if isinstance(failure, requests.Response):
        code, message = wire_error(failure.status_code, failure.content)
        return classify(code, message, failure.status_code, usage=usage, auth_mode=auth_mode)
    if isinstance(failure, SimpleSalesforceError):
        code, message = wire_error(failure.status, failure.content)
        return classify(code, message, failure.status, usage=usage, auth_mode=auth_mode)
    if isinstance(failure, requests.exceptions.SSLError):
        return TlsVerificationFailed(f"TLS handshake failed: {failure}", code="tls_error")
    if isinstance(failure, requests.exceptions.JSONDecodeError | json.JSONDecodeError):
        return SalesforceUnavailable(
            f"response body is not valid JSON (cut short?): {failure}", code="invalid_body"
        )
    if isinstance(failure, requests.exceptions.Timeout):
        return SalesforceUnavailable(f"timed out: {failure}", code="timeout")
    if isinstance(
        failure,
        requests.exceptions.ConnectionError
        | requests.exceptions.ChunkedEncodingError
        | requests.exceptions.ContentDecodingError,
    ):
        return SalesforceUnavailable(f"connection failed: {failure}", code="connection_error")
    return None
