"""Daily API request quota over a rolling 24 hours of the org's clock."""

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass

from .errors import SalesforceError

DAY_MS = 86_400_000
_BUCKET_MS = 60_000


@dataclass
class LimitSettings:
    daily_api_requests: int = 100_000
    max_concurrent_long_requests: int = 25
    long_request_ms: int = 20_000


class ApiUsage:
    """Counts requests in one-minute buckets; usage is the sum over the last 24 h."""

    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        self._buckets: deque[list[int]] = deque()
        self._total = 0

    def _evict(self, now_ms: int) -> None:
        cutoff = (now_ms - DAY_MS) // _BUCKET_MS
        while self._buckets and self._buckets[0][0] <= cutoff:
            self._total -= self._buckets.popleft()[1]

    def used(self, now_ms: int) -> int:
        self._evict(now_ms)
        return self._total

    def consume(self, now_ms: int) -> int:
        """Count one request, or raise REQUEST_LIMIT_EXCEEDED when the quota is spent."""
        if self.used(now_ms) >= self.settings.daily_api_requests:
            raise SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        bucket = now_ms // _BUCKET_MS
        if self._buckets and self._buckets[-1][0] == bucket:
            self._buckets[-1][1] += 1
        else:
            self._buckets.append([bucket, 1])
        self._total += 1
        return self._total

    def set_used(self, now_ms: int, used: int) -> None:
        self._buckets.clear()
        self._buckets.append([now_ms // _BUCKET_MS, used])
        self._total = used

    def header(self, now_ms: int) -> str:
        return f"api-usage={self.used(now_ms)}/{self.settings.daily_api_requests}"


class LongRunningRequests:
    """Salesforce refuses new calls while too many of an org's calls have run longer than 20 s.

    Durations are wall-clock: a request's run time is real even when the org clock is frozen.
    """

    def __init__(self, settings: LimitSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._started: dict[int, float] = {}
        self._ids = itertools.count()

    def enter(self) -> int:
        now = time.monotonic()
        threshold = self.settings.long_request_ms / 1000
        with self._lock:
            long_running = sum(1 for started in self._started.values() if now - started >= threshold)
            if long_running >= self.settings.max_concurrent_long_requests:
                raise SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")
            ticket = next(self._ids)
            self._started[ticket] = now
            return ticket

    def exit(self, ticket: int) -> None:
        with self._lock:
            self._started.pop(ticket, None)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._started)
