"""Pages of Salesforce records on their way to the warehouse, in the two wire formats they arrive in.

Neither is converted row by row in Python on the hot path: the warehouse loader stages them
as text and casts in SQL, so a Bulk CSV page can go straight into PostgreSQL's COPY.
"""

import io
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class CsvBatch:
    """A Bulk API 2.0 result page: RFC 4180 CSV rows (no header line), LF line endings.

    `fields` are the Salesforce field names of the columns, in order. Values: datetimes
    `2024-01-01T00:00:00.000Z`, booleans `true`/`false`, null as an empty field. `body` holds the
    rows as bytes or as a binary file (a Bulk page spooled to disk as it downloads, so memory holds
    a slice of a page rather than the page): read it through `open()`.
    """

    fields: tuple[str, ...]
    body: bytes | BinaryIO
    rows: int

    def open(self) -> BinaryIO:
        """The rows as a binary stream from the first byte; a new call rewinds a file body."""
        if isinstance(self.body, bytes):
            return io.BytesIO(self.body)
        self.body.seek(0)
        return self.body

    @property
    def data(self) -> bytes:
        """The whole page in memory, for small pages; loaders stream `open()` instead."""
        return self.open().read()


@dataclass(frozen=True)
class RecordBatch:
    """A REST query page: records keyed by Salesforce field name (`attributes` removed).

    Values as JSON gives them: datetimes `2024-01-01T00:00:00.000+0000`, booleans, numbers, None.
    """

    fields: tuple[str, ...]
    records: list[dict]

    @property
    def rows(self) -> int:
        return len(self.records)


Batch = CsvBatch | RecordBatch
