"""The one requests session, its timeouts and trust, API-usage bookkeeping, and retry delays."""

import random
import re
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

_API_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
# Salesforce's data APIs; logins (SOAP, OAuth) are not API calls and are not counted.
_API_PATHS = ("/services/data/", "/services/async/")


@dataclass(frozen=True)
class ClientSettings:
    """Transport and pacing settings; the defaults suit production, tests shrink the delays.

    `ca_bundle`: PEM file of CAs to trust instead of the system's (and instead of
    REQUESTS_CA_BUNDLE). `max_attempts` counts the first try. Bulk polls start at
    `bulk_poll_initial_seconds` and double up to `bulk_poll_max_seconds`. A Bulk result page
    larger than `bulk_spool_bytes` is written to an unlinked temporary file (in TMPDIR) as it
    downloads, so memory holds a slice of a page whatever `bulk_max_records`.
    """

    ca_bundle: str | None = None
    api_budget_fraction: float = 0.8  # syncs stop when this share of the daily API requests is used
    timeout_seconds: float = 120.0
    connect_timeout_seconds: float = 10.0
    max_attempts: int = 5
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 60.0
    rest_batch_size: int = 2000
    bulk_max_records: int = 50_000
    bulk_spool_bytes: int = 4 << 20
    bulk_poll_initial_seconds: float = 0.2
    bulk_poll_max_seconds: float = 2.0
    bulk_timeout_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.timeout_seconds <= 0 or self.connect_timeout_seconds <= 0:
            raise ValueError("timeouts must be positive")
        if self.bulk_spool_bytes < 1:
            raise ValueError(f"bulk_spool_bytes must be at least 1, got {self.bulk_spool_bytes}")
        if not 200 <= self.rest_batch_size <= 2000:
            raise ValueError(
                f"rest_batch_size must be within 200..2000 (Salesforce's range), got {self.rest_batch_size}"
            )

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read): read is the longest silence allowed between bytes, not the whole call."""
        return (min(self.connect_timeout_seconds, self.timeout_seconds), self.timeout_seconds)

    def backoff_seconds(self, attempt: int) -> float:
        """Delay before try `attempt + 1`: exponential, with jitter so parallel runs do not retry in step."""
        ceiling = min(self.retry_max_seconds, self.retry_base_seconds * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)


class _TimeoutAdapter(HTTPAdapter):
    """Gives every request the client's timeouts unless the caller chose its own.

    simple-salesforce sends requests without a timeout; without this, a stalled socket hangs forever.
    """

    def __init__(self, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class ApiMeter:
    """Counts the data-API responses of one session and keeps the last `Sforce-Limit-Info` usage."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls = 0
        self.usage: tuple[int, int] | None = None

    def observe(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        if not urlsplit(response.url).path.startswith(_API_PATHS):
            return
        match = _API_USAGE.search(response.headers.get("Sforce-Limit-Info", ""))
        with self._lock:
            self.calls += 1
            if match:
                self.usage = (int(match.group(1)), int(match.group(2)))


def make_session(settings: ClientSettings, meter: ApiMeter) -> requests.Session:
    """The client's one session: explicit trust, default timeouts, every API response metered."""
    session = requests.Session()
    if settings.ca_bundle:
        session.verify = settings.ca_bundle
        # requests lets REQUESTS_CA_BUNDLE (set on these machines) override `verify` unless this is off.
        session.trust_env = False
    adapter = _TimeoutAdapter(settings.timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.hooks["response"].append(meter.observe)
    return session
