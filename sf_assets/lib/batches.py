"""Pages of Salesforce records on their way to the warehouse, in the two wire formats they arrive in.

Neither is converted row by row in Python on the hot path: the warehouse loader stages them
as text and casts in SQL, so a Bulk CSV page can go straight into PostgreSQL's COPY.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CsvBatch:
    """A Bulk API 2.0 result page: RFC 4180 CSV rows (no header line), LF line endings.

    `fields` are the Salesforce field names of the columns, in order. Values: datetimes
    `2024-01-01T00:00:00.000Z`, booleans `true`/`false`, null as an empty field.
    """

    fields: tuple[str, ...]
    data: bytes
    rows: int


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
