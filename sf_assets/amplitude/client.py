"""`AmplitudeClient`: group properties to Amplitude's Group Identify API, within its limits, retried.

One POST per planned request (`sf_assets.lib.amplitude_batches`), form-encoded. What each answer
does (Amplitude's HTTP V2 guidance applied to this endpoint):

- 2xx: accepted; the body is not parsed (`success`, empty or JSON all count).
- 429: wait at least `rate_limit_seconds` (with jitter), then send the same body again.
- 5xx, timeouts, connection errors: exponential backoff with jitter, then again. A group property
  `$set` is idempotent, so a request Amplitude may already have applied is safe to repeat.
- 400 / 413 on several identifications: split in half and send each half; one identification
  still refused alone becomes a `Rejected` and the rest go on.
- 400 "Invalid API key": `AmplitudeAuthError`, at once.
- anything else: `AmplitudeRequestError`.

Retries past `max_attempts` raise `AmplitudeUnavailable` (`AmplitudeRateLimited` for 429s).
The API key is never logged nor put in a message.
"""

import logging
import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import requests

from ..lib.amplitude_batches import InvalidIdentification, PlannedRequest, plan_requests
from .errors import (
    AmplitudeAuthError,
    AmplitudeConfigError,
    AmplitudeRateLimited,
    AmplitudeRequestError,
    AmplitudeUnavailable,
)
from .report import DeliveryReport, Rejected

log = logging.getLogger(__name__)

REGIONS = {"us": "https://api2.amplitude.com", "eu": "https://api.eu.amplitude.com"}
_CONNECT_TIMEOUT = 10.0
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class _Refused:
    status: int
    error: str


class AmplitudeClient:
    """Sends Group Identify identifications (`group_type`, `group_value`, `group_properties`)."""

    def __init__(
        self,
        api_key: str,
        *,
        region: str = "us",
        base_url: str | None = None,
        timeout: float = 30.0,
        max_attempts: int = 6,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 60.0,
        rate_limit_seconds: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise AmplitudeConfigError("the Amplitude API key is empty", setting="api_key")
        if base_url is None and region not in REGIONS:
            raise AmplitudeConfigError(
                f"unknown Amplitude region {region!r}; expected one of {sorted(REGIONS)}", setting="region"
            )
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            raise AmplitudeConfigError(
                f"base_url must start with http:// or https://: {base_url!r}", setting="base_url"
            )
        if max_attempts < 1:
            raise AmplitudeConfigError(
                f"max_attempts must be at least 1, got {max_attempts}", setting="max_attempts"
            )
        if timeout <= 0:
            raise AmplitudeConfigError(f"timeout must be positive, got {timeout}", setting="timeout_seconds")
        self._api_key = api_key.strip()
        self.base_url = (base_url or REGIONS[region]).rstrip("/")
        self.url = self.base_url + "/groupidentify"
        self.timeout = (min(_CONNECT_TIMEOUT, timeout), timeout)
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.rate_limit_seconds = rate_limit_seconds
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"AmplitudeClient(url={self.url!r})"

    def send(
        self,
        identifications: Iterable[dict],
        *,
        on_batch: Callable[[DeliveryReport], None] | None = None,
    ) -> DeliveryReport:
        """Deliver every identification; returns what was accepted and what was rejected.

        `on_batch` gets what happened since its previous call (a `DeliveryReport` delta) after each
        accepted request, and once more at the end if rejections are left unreported: the deltas
        add up to the returned report, so a caller can persist progress as it goes. Errors raised
        here carry `.report`, the totals up to the failure.
        """
        report = DeliveryReport()
        step = DeliveryReport()

        def reject(rejected: Rejected) -> None:
            log.warning(
                "Amplitude rejected group %r/%r (HTTP %s): %s",
                rejected.identification.get("group_type"),
                rejected.identification.get("group_value"),
                rejected.status,
                rejected.error,
            )
            report.rejected.append(rejected)
            step.rejected.append(rejected)

        def refused_locally(error: InvalidIdentification) -> None:
            reject(Rejected(error.identification, error.status, f"not sent: {error}"))

        for planned in plan_requests(identifications, api_key=self._api_key, on_reject=refused_locally):
            pending = deque([planned])
            while pending:
                request = pending.popleft()
                refused = self._post(request, report, step)
                if refused is None:
                    report.sent.extend(request.identifications)
                    step.sent.extend(request.identifications)
                    if on_batch is not None:
                        on_batch(step)
                    step = DeliveryReport()
                elif len(request) > 1:
                    # Bisect: the refusal may come from one bad identification; the others still go.
                    pending.extendleft(reversed(request.halves()))
                else:
                    reject(Rejected(request.identifications[0], refused.status, refused.error))
        if on_batch is not None and step.rejected:
            on_batch(step)
        return report

    def _post(self, request: PlannedRequest, report: DeliveryReport, step: DeliveryReport) -> _Refused | None:
        """POST one request, retrying transient failures; None when accepted, else the 400/413 refusal."""
        body = request.body(self._api_key)
        last = ""
        throttled = False
        for attempt in range(1, self.max_attempts + 1):
            for counts in (report, step):
                counts.requests += 1
                counts.bytes_sent += len(body)
                counts.retries += int(attempt > 1)
            try:
                response = self._session.post(self.url, data=body, headers=_FORM, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as e:
                last, throttled = f"{type(e).__name__}: {self._redact(str(e))}", False
                delay = self._backoff(attempt)
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return None
                error = self._error_text(response)
                if status == 400 and _is_invalid_key(error):
                    raise AmplitudeAuthError(
                        f"Amplitude refused the API key: {error}", status=400, report=report
                    )
                if status in (400, 413):
                    return _Refused(status, error)
                if status == 429:
                    last, throttled = f"HTTP 429: {error}", True
                    delay = self._rate_limit_delay(response)
                elif status >= 500 or status == 408:
                    last, throttled = f"HTTP {status}: {error}", False
                    delay = self._backoff(attempt)
                else:
                    raise AmplitudeRequestError(
                        f"Amplitude answered {status} at {self.url}: {error}", status=status, report=report
                    )
            if attempt < self.max_attempts:
                log.warning(
                    "Amplitude request of %d identifications failed (%s); attempt %d of %d in %.2f s",
                    len(request),
                    last,
                    attempt + 1,
                    self.max_attempts,
                    delay,
                )
                time.sleep(delay)
        error_class = AmplitudeRateLimited if throttled else AmplitudeUnavailable
        raise error_class(
            f"Amplitude request of {len(request)} identifications failed {self.max_attempts} times; last: {last}",
            report=report,
        )

    def _backoff(self, attempt: int) -> float:
        # Jitter keeps parallel runs (one per relation) from retrying in step.
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    def _rate_limit_delay(self, response: requests.Response) -> float:
        retry_after = response.headers.get("Retry-After", "")
        wait = max(self.rate_limit_seconds, float(retry_after) if retry_after.isdigit() else 0.0)
        return wait * random.uniform(1.0, 1.2)

    def _error_text(self, response: requests.Response) -> str:
        """Amplitude's error message (JSON `error` plus details, or the text), without the API key."""
        try:
            data = response.json()
        except ValueError:
            text = response.text.strip()[:500]
        else:
            if isinstance(data, dict):
                details = {k: v for k, v in data.items() if k not in ("code", "error")}
                text = str(data.get("error", "")) + (f" {details}" if details else "")
            else:
                text = str(data)[:500]
        return self._redact(text or response.reason or "")

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***")


def _is_invalid_key(error: str) -> bool:
    lowered = error.lower()
    return "invalid api key" in lowered or "invalid_api_key" in lowered
