"""Wire JSON into typed values, one function per type: query pages, `deleted` and `updated` answers."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..lib.batches import RecordBatch

_REST_DATETIME = "%Y-%m-%dT%H:%M:%S.%f%z"


@dataclass(frozen=True)
class DeletedRecords:
    """`sobjects/{S}/deleted`: Ids deleted in the window with when, and the span Salesforce still covers.

    Salesforce keeps deletions about 15 days: when `earliest_available` is after the window's start,
    older deletions in the window are no longer listed.
    """

    ids_with_times: tuple[tuple[str, datetime], ...]
    earliest_available: datetime | None
    latest_covered: datetime | None


@dataclass(frozen=True)
class UpdatedRecords:
    """`sobjects/{S}/updated`: Ids changed in the window, and the latest time the answer covers."""

    ids: tuple[str, ...]
    latest_covered: datetime | None


def record_batch(records: list[dict]) -> RecordBatch:
    """A REST query page as a batch; the records' `attributes` are dropped in place (no copies).

    Fields follow the first record's keys, which Salesforce sends in SELECT order.
    """
    for record in records:
        record.pop("attributes", None)
    fields = tuple(records[0]) if records else ()
    return RecordBatch(fields=fields, records=records)


def deleted_records(body: dict) -> DeletedRecords:
    return DeletedRecords(
        ids_with_times=tuple(
            (entry["id"], parse_datetime(entry["deletedDate"])) for entry in body["deletedRecords"]
        ),
        earliest_available=_optional_datetime(body.get("earliestDateAvailable")),
        latest_covered=_optional_datetime(body.get("latestDateCovered")),
    )


def updated_records(body: dict) -> UpdatedRecords:
    return UpdatedRecords(
        ids=tuple(body["ids"]), latest_covered=_optional_datetime(body.get("latestDateCovered"))
    )


def parse_datetime(text: str) -> datetime:
    """A REST datetime (`2024-01-01T00:00:00.000+0000`) as an aware UTC datetime."""
    return datetime.strptime(text, _REST_DATETIME).astimezone(UTC)


def _optional_datetime(text: str | None) -> datetime | None:
    return parse_datetime(text) if text else None


def api_datetime(moment: datetime, *, round_up: bool = False) -> str:
    """A datetime parameter for `deleted`/`updated`: UTC, whole seconds, `Z` (a `+` would need escaping).

    `round_up` for a window's end, so the last fraction of a second is not left out.
    """
    if moment.tzinfo is None:
        raise ValueError(f"datetimes must be timezone-aware, got {moment!r}")
    utc = moment.astimezone(UTC)
    if round_up and utc.microsecond:
        utc = utc.replace(microsecond=0) + timedelta(seconds=1)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
