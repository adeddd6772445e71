"""Session, login, renewal and retries: every call of the client goes through `Transport.run`.

Retries: a transient error (`SalesforceUnavailable`) is tried again up to `max_attempts` in all,
after exponential, jittered delays. Renewal: a 401 INVALID_SESSION_ID drops the session; the next
try logs in again (once per call) unless the auth mode is `session`, which cannot log in.
Everything else propagates at once.
"""

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from simple_salesforce import Salesforce

from .auth import LoginResult, SalesforceAuth, login
from .errors import SalesforceUnavailable, SessionExpired, to_error
from .http import ApiMeter, ClientSettings, make_session

log = logging.getLogger(__name__)
T = TypeVar("T")


class Transport:
    """One org's HTTP session and login state; `send` is one try, `run` adds retries and renewal."""

    def __init__(self, auth: SalesforceAuth, settings: ClientSettings) -> None:
        self.auth = auth
        self.settings = settings
        self._meter = ApiMeter()
        self.http = make_session(settings, self._meter)
        self._lock = threading.Lock()
        self._login: LoginResult | None = None
        self._salesforce: Salesforce | None = None
        self._refresh_token = auth.refresh_token

    def __repr__(self) -> str:
        return f"Transport({self.describe_target()})"

    def describe_target(self) -> str:
        """Mode and where it logs in (or the instance, for `session`): safe for logs, no secrets."""
        if self.auth.mode == "session":
            return f"auth_mode='session', instance_url={self.auth.instance_url!r}"
        return f"auth_mode={self.auth.mode!r}, login_url={self.auth.effective_login_url!r}"

    @property
    def api_calls(self) -> int:
        return self._meter.calls

    @property
    def api_usage(self) -> tuple[int, int] | None:
        return self._meter.usage

    def session(self) -> LoginResult:
        """The current login, logging in first if there is none (lazily: construction makes no call)."""
        with self._lock:
            if self._login is None:
                auth = dataclasses.replace(self.auth, refresh_token=self._refresh_token)
                result = login(self.http, auth)
                if result.refresh_token:
                    self._refresh_token = result.refresh_token
                if self.auth.mode != "session":
                    log.info("logged in to Salesforce (%s) at %s", self.auth.mode, result.instance_url)
                self._login = result
                self._salesforce = None
            return self._login

    def salesforce(self) -> Salesforce:
        """simple-salesforce on the current session, sharing this transport's HTTP session.

        Rebuilt after each login: callers should not keep it across calls.
        """
        current = self.session()
        with self._lock:
            if self._salesforce is None:
                client = Salesforce(
                    instance_url=current.instance_url,
                    session_id=current.session_id,
                    session=self.http,
                    version=self.auth.api_version,
                    # None keeps json's C decoder; simple-salesforce's default builds OrderedDicts.
                    object_pairs_hook=None,  # type: ignore[arg-type]
                )
                # Pretty-printed JSON is larger on the wire for nothing.
                client.headers.pop("X-PrettyPrint", None)
                self._salesforce = client
            return self._salesforce

    def _expire(self) -> None:
        with self._lock:
            self._login = None
            self._salesforce = None

    def data_url(self, path: str) -> str:
        """`path` under the REST base (`/services/data/vNN.N/`), or as is when it starts with `/`."""
        base = self.session().instance_url
        if path.startswith("/"):
            return base + path
        return f"{base}/services/data/v{self.auth.api_version}/{path}"

    def send(self, method: str, path: str, *, stream: bool = False, **kwargs: Any) -> requests.Response:
        """One request with the session's bearer token; an error status raises its typed error."""
        current = self.session()
        headers = {"Authorization": f"Bearer {current.session_id}", **kwargs.pop("headers", {})}
        response = self.http.request(
            method,
            self.data_url(path),
            headers=headers,
            stream=stream,
            timeout=self.settings.timeout,
            **kwargs,
        )
        if response.status_code >= 300:
            try:
                raise to_error(response, usage=self.api_usage) or SalesforceUnavailable(
                    f"HTTP {response.status_code}", code=f"http_{response.status_code}"
                )
            finally:
                response.close()
        return response

    def rest(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json: object = None,
        headers: dict[str, str] | None = None,
        retry_transient: bool | None = None,
    ) -> Any:
        """A REST call through simple-salesforce, parsed JSON back (None for 204).

        `path` is relative to `/services/data/vNN.N/`, or a root-relative URL under it such as a
        `nextRecordsUrl`. Transient failures are retried for every method but POST, which may have
        taken effect.
        """
        retry = method.upper() != "POST" if retry_transient is None else retry_transient
        path = path.removeprefix(f"/services/data/v{self.auth.api_version}/")
        return self.run(
            lambda: self.salesforce().restful(
                path,
                params=params,
                method=method,
                json=json,
                headers=headers or {},
                timeout=self.settings.timeout,
            ),
            f"{method} {path}",
            retry_transient=retry,
        )

    def run(self, operation: Callable[[], T], what: str, *, retry_transient: bool = True) -> T:
        """`operation()` with transient failures retried and an expired session renewed once."""
        attempt, renewed = 1, False
        while True:
            try:
                return operation()
            except Exception as raw:  # mapped below; anything unmapped (a bug) is re-raised as is
                error = to_error(raw, usage=self.api_usage)
                if error is None:
                    raise
                cause = raw
            if isinstance(error, SessionExpired):
                if not self.auth.renewable:
                    raise SessionExpired(
                        f"{what}: the Salesforce session expired and auth_mode 'session' cannot log in again; "
                        "configure a renewable auth_mode (password, refresh_token, client_credentials or jwt) "
                        "or a fresh `session_id`",
                        code=error.code,
                        status=error.status,
                        settings=("auth_mode", "session_id"),
                    ) from cause
                if renewed:
                    raise error from cause
                log.info("Salesforce session expired during %s; logging in again", what)
                self._expire()
                renewed = True
                continue
            if error.retryable and retry_transient and attempt < self.settings.max_attempts:
                delay = self.settings.backoff_seconds(attempt)
                log.warning(
                    "%s failed transiently (%s, attempt %d of %d); retrying in %.2f s",
                    what, error.code, attempt, self.settings.max_attempts, delay,
                )  # fmt: skip
                time.sleep(delay)
                attempt += 1
                continue
            if error.retryable and attempt > 1:
                error = type(error)(
                    f"{what} failed after {attempt} attempts: {error.detail}",
                    code=error.code,
                    status=error.status,
                )
            if error is cause:
                raise error
            raise error from cause
