"""Warehouse rows → Amplitude Group Identify payloads: values normalised, skips counted, hashes stable.

One row of a relation's source table becomes one identification
`{"group_type", "group_value", "group_properties": {"$set": …, "$setOnce": …, "$unset": …}}`:

- `set` puts the value under `$set`; a null value sends nothing for that property.
- `set_once` puts it under `$setOnce` (Amplitude keeps the first value it receives).
- `unset` puts it under `$set`, or under `$unset` when the value is null.
- `dont_sync` properties never leave the warehouse.

Values: timestamps become ISO-8601 UTC (`2026-11-23T09:30:00.000Z`), dates `2026-11-23`, times
`09:30:00.000`; integral decimals become ints and others floats (numbers stay numbers); strings
are cut to 1024 characters (Amplitude's limit) and counted; NaN and ±inf are dropped and counted.

Rows are skipped, with a reason, when the group value is empty (`empty_group_value`), when the
filter does not hold (`filtered_out`), when another row already gave the same group value in this
run (`duplicate_group_value`: the first by Id wins), and when the record is deleted in Salesforce
(`deleted_in_salesforce`). Deleted records send nothing: Amplitude has no way to delete a group,
and sending `$unset`s would erase properties other writers may own; they also leave the pickups.
"""

import hashlib
import json
import math
from collections import Counter
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from .mapping import Condition, FilterOp, Pickup, PropertyOp, Relation, RelationCadence

MAX_STRING = 1024
UNSET_PLACEHOLDER = "-"  # Amplitude ignores the value of an $unset; its SDK sends "-"


class SkipReason:
    EMPTY_GROUP_VALUE = "empty_group_value"
    FILTERED_OUT = "filtered_out"
    DUPLICATE_GROUP_VALUE = "duplicate_group_value"
    DELETED = "deleted_in_salesforce"


@dataclass
class BuildStats:
    """What building one run's payloads did, for materialization metadata."""

    rows_read: int = 0
    built: int = 0
    skipped: Counter = field(default_factory=Counter)
    strings_truncated: int = 0
    values_dropped: int = 0

    def as_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "built": self.built,
            "skipped": dict(sorted(self.skipped.items())),
            "strings_truncated": self.strings_truncated,
            "values_dropped": self.values_dropped,
        }


@dataclass(frozen=True)
class Payload:
    group_value: str
    identification: dict
    hash: str
    picked_up: bool = False  # its pickup comes up in the run's window: sending it counts as the pickup


def normalise(value: object, stats: BuildStats) -> object:
    """`value` as JSON Amplitude takes, or None when it must not be sent (null, NaN, infinity)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            stats.values_dropped += 1
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            stats.values_dropped += 1
            return None
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    text = str(value)
    if len(text) > MAX_STRING:
        stats.strings_truncated += 1
        return text[:MAX_STRING]
    return text


def group_value_of(value: object) -> str | None:
    """The group value as Amplitude wants it (a non-empty string), or None when there is none."""
    if value is None:
        return None
    if isinstance(value, Decimal | float) and float(value).is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def passes(
    filters: tuple[Condition, ...], row: MappingType[str, object], columns: MappingType[str, str]
) -> bool:
    """Whether every condition holds; `columns` maps Salesforce field names to row keys."""
    for condition in filters:
        value = row.get(columns[condition.field])
        if condition.op == FilterOp.IS_NULL:
            if (value is None) != bool(condition.value):
                return False
        elif condition.op == FilterOp.EQUALS:
            if not _equal(value, condition.value):
                return False
        elif condition.op == FilterOp.NOT_EQUALS:
            if value is None or _equal(value, condition.value):
                return False
        elif condition.op == FilterOp.IN:
            if not any(_equal(value, v) for v in condition.value):  # type: ignore[union-attr]
                return False
        elif value is None or any(_equal(value, v) for v in condition.value):  # NOT_IN
            return False
    return True


def _equal(value: object, wanted: object) -> bool:
    if value is None or wanted is None:
        return value is wanted
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value == wanted
    if isinstance(wanted, int | float) and isinstance(value, int | float | Decimal):
        return float(value) == float(wanted)
    if isinstance(value, datetime | date):
        return normalise(value, BuildStats()) == normalise(_parse_iso(str(wanted), value), BuildStats())
    return str(value).casefold() == str(wanted).casefold()  # Salesforce compares text case-insensitively


def _parse_iso(text: str, like: date) -> object:
    if isinstance(like, datetime):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return date.fromisoformat(text)


def identification(
    relation: Relation,
    group_value: str,
    row: MappingType[str, object],
    columns: MappingType[str, str],
    stats: BuildStats,
) -> dict:
    """The Group Identify identification of one row (operations in a fixed order, for stable hashes)."""
    operations: dict[str, dict] = {"$set": {}, "$setOnce": {}, "$unset": {}}
    for mapping in relation.synced_properties:
        value = normalise(row.get(columns[mapping.field]), stats)
        if value is None:
            if mapping.op == PropertyOp.UNSET:
                operations["$unset"][mapping.property] = UNSET_PLACEHOLDER
            continue
        operations["$setOnce" if mapping.op == PropertyOp.SET_ONCE else "$set"][mapping.property] = value
    return {
        "group_type": relation.group_type,
        "group_value": group_value,
        "group_properties": {op: values for op, values in operations.items() if values},
    }


def payload_hash(identification: dict) -> str:
    """sha256 of the identification's canonical JSON: equal payloads, equal hashes, across runs."""
    text = json.dumps(identification, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def pickup_due(
    group_value: str, pickup: Pickup, cadence: RelationCadence, window_start: datetime, window_end: datetime
) -> bool:
    """Whether a run over `[window_start, window_end)` re-sends this group in full.

    Groups are spread evenly over the interval by a stable hash of their value: each lands in one
    slot of `pickup.days` days (× 24 hours for an hourly relation), and slots follow UTC time, so
    every group comes up exactly once per interval whatever runs before or after; a run over a
    range (a backfill) picks up every group whose slot falls in it.
    """
    hourly = cadence == RelationCadence.HOURLY
    slots = pickup.days * (24 if hourly else 1)
    digest = hashlib.sha256(group_value.encode()).digest()
    slot = int.from_bytes(digest[:8], "big") % slots
    first, steps = (
        _units(window_start, hourly),
        max(1, _units(window_end, hourly) - _units(window_start, hourly)),
    )
    return steps >= slots or any((first + i) % slots == slot for i in range(steps))


def _units(moment: datetime, hourly: bool) -> int:
    """Whole days (or hours) since 1970-01-01 UTC."""
    elapsed = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return elapsed.days * 24 + elapsed.seconds // 3600 if hourly else elapsed.days


class PayloadBuilder:
    """Turns a relation's rows, in Id order, into payloads; skipped rows are counted by reason."""

    def __init__(
        self, relation: Relation, columns: MappingType[str, str], *, deleted_column: str | None
    ) -> None:
        self.relation = relation
        self.columns = columns  # Salesforce field name → warehouse column
        self.deleted_column = deleted_column
        self.stats = BuildStats()
        self._seen: set[str] = set()

    def build(self, row: MappingType[str, object]) -> Payload | None:
        self.stats.rows_read += 1
        if self.deleted_column and row.get(self.deleted_column):
            return self._skip(SkipReason.DELETED)
        if not passes(self.relation.filter, row, self.columns):
            return self._skip(SkipReason.FILTERED_OUT)
        group_value = group_value_of(row.get(self.columns[self.relation.group_name_field]))
        if group_value is None:
            return self._skip(SkipReason.EMPTY_GROUP_VALUE)
        if group_value in self._seen:
            return self._skip(SkipReason.DUPLICATE_GROUP_VALUE)
        self._seen.add(group_value)
        ident = identification(self.relation, group_value, row, self.columns, self.stats)
        self.stats.built += 1
        return Payload(group_value, ident, payload_hash(ident))

    def _skip(self, reason: str) -> None:
        self.stats.skipped[reason] += 1
        return None
