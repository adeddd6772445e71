"""The stand-in's state: groups and their properties, the request log, queued faults, API keys.

No HTTP here. Memory stays modest at 100k groups: each group's properties are kept as one compact
JSON value (orjson) rather than a dict, and the request log keeps bodies only up to a byte budget.
"""

import datetime as dt
from collections import deque
from dataclasses import asdict, dataclass

import orjson

FAULT_STATUSES = (400, 413, 429, 500, 502, 503, 504)
_FAULT_ERRORS = {
    400: "Invalid identification (injected fault)",
    413: "Payload too large",
    429: "Too many requests for some devices and users",
    500: "Internal server error (injected fault)",
    502: "Bad gateway (injected fault)",
    503: "Service unavailable (injected fault)",
    504: "Gateway timeout (injected fault)",
}


@dataclass
class Fault:
    """Answer `status` to the next `times` requests (None: until cleared), or only to those with `group_value`."""

    status: int
    times: int | None = 1
    group_value: str | None = None
    error: str | None = None
    delay_seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in FAULT_STATUSES:
            raise ValueError(f"fault status must be one of {FAULT_STATUSES}, got {self.status}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or null: until cleared), got {self.times}")
        if not 0 <= self.delay_seconds <= 30:
            raise ValueError(f"delay_seconds must be within 0..30, got {self.delay_seconds}")

    @property
    def body(self) -> dict:
        return {"code": self.status, "error": self.error or _FAULT_ERRORS[self.status]}


class AmplitudeStore:
    """Everything one stand-in knows; `reset()` returns it to its starting state (API keys included)."""

    def __init__(
        self,
        api_keys: list[str],
        *,
        max_body_bytes: int = 1_000_000,
        max_logged_requests: int = 100_000,
        max_logged_body_bytes: int = 32 * 1024 * 1024,
        max_faults: int = 100,
    ) -> None:
        if not api_keys:
            raise ValueError("the stand-in needs at least one API key")
        self.max_body_bytes = max_body_bytes
        self.max_logged_body_bytes = max_logged_body_bytes
        self.max_faults = max_faults
        self._initial_keys = list(api_keys)
        self._max_logged_requests = max_logged_requests
        self.reset()

    def reset(self) -> None:
        self.api_keys: list[str] = list(self._initial_keys)
        self._groups: dict[tuple[str, str], str] = {}
        self._log: deque[dict] = deque(maxlen=self._max_logged_requests)
        self._bodies: deque[tuple[int, str]] = deque()  # (seq, identification text), oldest first
        self._body_bytes = 0
        self._seq = 0
        self._faults: list[Fault] = []

    # --- groups ------------------------------------------------------------------------------------
    def apply(self, identifications: list[dict]) -> None:
        """Apply validated identifications in order, as Amplitude does to its group properties."""
        for identification in identifications:
            key = (identification["group_type"], str(identification["group_value"]))
            stored = self._groups.get(key)
            properties = orjson.loads(stored) if stored else {}
            _apply_operations(properties, identification.get("group_properties") or {})
            # orjson's buffer is over-allocated (8 KB for 600 bytes); a str copy is exact.
            self._groups[key] = orjson.dumps(properties).decode()

    def groups(self, group_type: str | None = None, group_value: str | None = None) -> list[dict]:
        return [
            {"group_type": kind, "group_value": value, "properties": orjson.loads(raw)}
            for (kind, value), raw in self._groups.items()
            if (group_type is None or kind == group_type) and (group_value is None or value == group_value)
        ]

    # --- request log -------------------------------------------------------------------------------
    def record(
        self, *, size: int, identifications: int, status: int, error: str | None, body: str | None
    ) -> None:
        """Log one /groupidentify request; its identification text is kept within the byte budget."""
        self._seq += 1
        self._log.append(
            {
                "seq": self._seq,
                "time": dt.datetime.now(dt.UTC).isoformat(),
                "bytes": size,
                "identifications": identifications,
                "status": status,
                "error": error,
            }
        )
        if body is not None and len(body) <= self.max_logged_body_bytes:
            self._bodies.append((self._seq, body))
            self._body_bytes += len(body)
            while self._body_bytes > self.max_logged_body_bytes:
                _, dropped = self._bodies.popleft()
                self._body_bytes -= len(dropped)

    def requests(self, *, bodies: bool = True) -> list[dict]:
        """The log, oldest first; with `bodies`, each entry's `body` is its identifications (None if dropped)."""
        if not bodies:
            return [dict(entry) for entry in self._log]
        kept = dict(self._bodies)
        return [{**entry, "body": _decode_body(kept.get(entry["seq"]))} for entry in self._log]

    # --- faults ------------------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> None:
        if len(self._faults) >= self.max_faults:
            raise ValueError(f"at most {self.max_faults} faults may be queued; clear them first")
        self._faults.append(fault)

    def faults(self) -> list[dict]:
        return [asdict(fault) for fault in self._faults]

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def targets_groups(self) -> bool:
        """Whether a queued fault needs the request's group values to decide."""
        return any(fault.group_value is not None for fault in self._faults)

    def take_fault(self, group_values: set[str]) -> Fault | None:
        """The first queued fault this request triggers, used up by one if it counts down."""
        for index, fault in enumerate(self._faults):
            if fault.group_value is None or fault.group_value in group_values:
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        del self._faults[index]
                return fault
        return None

    # --- API keys ----------------------------------------------------------------------------------
    def accepts(self, api_key: str) -> bool:
        return api_key in self.api_keys

    def add_api_keys(self, keys: list[str], *, replace: bool = False) -> list[str]:
        if replace and not keys:
            raise ValueError("replacing the API keys needs at least one key")
        merged = list(keys) if replace else self.api_keys + [key for key in keys if key not in self.api_keys]
        self.api_keys = merged
        return list(merged)


def _decode_body(text: str | None) -> list[dict] | None:
    if text is None:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None  # a refused request's identification need not be JSON
    return value if isinstance(value, list) else [value]


def _apply_operations(properties: dict, operations: dict) -> None:
    if not any(key.startswith("$") for key in operations):
        properties.update(operations)  # bare properties are an implicit $set
        return
    for op, values in operations.items():
        for name, value in values.items():
            if op == "$set":
                properties[name] = value
            elif op == "$setOnce":
                properties.setdefault(name, value)
            elif op == "$unset":
                properties.pop(name, None)
            elif op == "$add":
                current = properties.get(name, 0)
                properties[name] = (current if isinstance(current, int | float) else 0) + value
            elif op in ("$append", "$prepend"):
                current = properties.get(name, [])
                current = current if isinstance(current, list) else [current]
                added = value if isinstance(value, list) else [value]
                properties[name] = current + added if op == "$append" else added + current
