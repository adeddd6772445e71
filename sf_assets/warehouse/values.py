"""Batches as staging rows: Salesforce's wire text, unchanged, so one SQL cast serves both formats."""

import codecs
import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import BinaryIO

from ..lib.batches import RecordBatch


def utc_ms(moment: datetime) -> datetime:
    """`moment` in UTC at millisecond precision, the precision Salesforce and both dialects agree on."""
    if moment.tzinfo is None:
        raise ValueError(f"timestamps must be timezone-aware, got {moment!r}")
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def canonical_timestamp(moment: datetime) -> str:
    """The text form timestamps take on SQLite: fixed width, so text order is time order."""
    return utc_ms(moment).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "+00:00"


def cell(value: object) -> str | None:
    """A JSON value from a REST record as the text Bulk CSV would carry for it."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_rows(batch: RecordBatch) -> Iterator[list[str | None]]:
    fields = batch.fields
    for record in batch.records:
        yield [cell(record.get(name)) for name in fields]


def csv_rows(data: BinaryIO) -> Iterator[list[str]]:
    """The rows of a CSV stream, read line by line; line breaks inside quoted fields stay as they are."""
    return csv.reader(codecs.iterdecode(data, "utf-8"))


def to_csv(rows: Iterable[Sequence[str | None]]) -> bytes:
    """Rows as RFC 4180 CSV; None and "" both become an empty field, which loads as null."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
