"""The org's clock: real time by default; tests set, freeze or advance it."""

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Milliseconds since the epoch, UTC. Frozen clocks give identical timestamps on purpose."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset_ms = 0
        self._frozen_ms: int | None = None

    def now_ms(self) -> int:
        with self._lock:
            if self._frozen_ms is not None:
                return self._frozen_ms
            return int(time.time() * 1000) + self._offset_ms

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.now_ms() / 1000, tz=UTC)

    def set(self, when_ms: int, *, frozen: bool) -> None:
        with self._lock:
            if frozen:
                self._frozen_ms = when_ms
            else:
                self._frozen_ms = None
                self._offset_ms = when_ms - int(time.time() * 1000)

    def advance(self, delta_ms: int) -> None:
        with self._lock:
            if self._frozen_ms is not None:
                self._frozen_ms += delta_ms
            else:
                self._offset_ms += delta_ms

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_ms is not None:
                self._offset_ms = self._frozen_ms - int(time.time() * 1000)
                self._frozen_ms = None

    @property
    def frozen(self) -> bool:
        return self._frozen_ms is not None
