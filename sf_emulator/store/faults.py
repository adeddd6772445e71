"""Faults injected into the next N requests whose path matches, for retry and resilience tests."""

import re
import threading
from dataclasses import dataclass

FAULT_KINDS = ("error", "delay", "truncate")


@dataclass
class FaultRule:
    """`error`: answer `status` with `error_code`; `delay`: sleep then serve; `truncate`: cut the body."""

    path_regex: str
    kind: str = "error"
    remaining: int = 1
    method: str | None = None
    status: int = 503
    error_code: str = "SERVER_UNAVAILABLE"
    message: str = "Server unavailable, please retry"
    delay_ms: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {self.kind!r}")
        if self.remaining < 1:
            raise ValueError("fault 'remaining' must be at least 1: faults apply to the next N requests only")
        re.compile(self.path_regex)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first rule matching this request, counted down (and dropped when spent)."""
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if (rule.method is None or rule.method == method) and re.search(rule.path_regex, path):
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def pending(self) -> list[dict]:
        with self._lock:
            return [vars(rule).copy() for rule in self._rules]
