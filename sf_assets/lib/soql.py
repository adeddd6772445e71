"""SOQL for a sync window: the fields of one object changed in `[start - overlap, end)`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Rows can share a SystemModstamp and commit a little after it: re-reading a few minutes
# before each window catches them; the upsert on id makes the overlap harmless.
DEFAULT_OVERLAP = timedelta(minutes=5)


@dataclass(frozen=True)
class Window:
    """A sync window on the cursor field, UTC. `start` None means "from the beginning of time"."""

    start: datetime | None
    end: datetime

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"window bounds must be timezone-aware UTC datetimes, got {moment!r}")
        if self.start is not None and self.start >= self.end:
            raise ValueError(
                f"window start {self.start.isoformat()} is not before its end {self.end.isoformat()}"
            )

    def widened(self, overlap: timedelta) -> "Window":
        return Window(None if self.start is None else self.start - overlap, self.end)

    @property
    def label(self) -> str:
        start = "beginning" if self.start is None else soql_datetime(self.start)
        return f"[{start}, {soql_datetime(self.end)})"


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal: UTC, milliseconds, `Z` (never `+00:00`, whose `+` breaks in URLs)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def window_query(sobject: str, fields: Sequence[str], cursor_field: str | None, window: Window) -> str:
    """SELECT every field of `sobject` whose cursor falls in the window; no cursor means every row."""
    if not fields:
        raise ValueError(f"no fields to select from {sobject}")
    soql = f"SELECT {', '.join(fields)} FROM {sobject}"
    if cursor_field is None:
        return soql
    conditions = [] if window.start is None else [f"{cursor_field} >= {soql_datetime(window.start)}"]
    conditions.append(f"{cursor_field} < {soql_datetime(window.end)}")
    return f"{soql} WHERE {' AND '.join(conditions)}"


def count_query(sobject: str, cursor_field: str | None, window: Window) -> str:
    """`SELECT COUNT()` over the same window, to choose REST or Bulk before reading."""
    return window_query(sobject, ["COUNT()"], cursor_field, window)


def total_count_query(sobject: str) -> str:
    """Rows in the org, for the row-count check: live ones through `query`, with the recycle bin
    through `queryAll`."""
    return f"SELECT COUNT() FROM {sobject}"


def changed_since_query(sobject: str, cursor_field: str, since: datetime) -> str:
    """`SELECT COUNT()` of the rows whose cursor moved past `since`: changes no sync has read yet."""
    return f"SELECT COUNT() FROM {sobject} WHERE {cursor_field} > {soql_datetime(since)}"


def ids_query(sobject: str) -> str:
    """Every Id still in the org (reconciliation finds hard deletes older than the `deleted` window)."""
    return f"SELECT Id FROM {sobject}"
