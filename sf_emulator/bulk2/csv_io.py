"""CSV as the Bulk APIs speak it: every value double-quoted on output, delimiter and line ending per job."""

import csv
import io
from collections.abc import Iterable

from ..store.errors import SalesforceError

DELIMITERS = {"COMMA": ",", "TAB": "\t", "PIPE": "|", "SEMICOLON": ";", "CARET": "^", "BACKQUOTE": "`"}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}


class CsvInputError(Exception):
    """Uploaded data the job cannot read at all; the job goes `Failed` with this message."""


def quote_row(values: Iterable[str], delimiter: str = ",", line_ending: str = "\n") -> str:
    """One CSV line with every value quoted, as Salesforce writes results (`"a","b"`)."""
    escaped = [value.replace('"', '""') if '"' in value else value for value in values]
    if not escaped:
        return line_ending
    return '"' + f'"{delimiter}"'.join(escaped) + '"' + line_ending


def check_options(column_delimiter: object, line_ending: object) -> tuple[str, str]:
    """The job's `columnDelimiter` and `lineEnding` names, validated (defaults COMMA and LF)."""
    delimiter = column_delimiter or "COMMA"
    ending = line_ending or "LF"
    if delimiter not in DELIMITERS:
        raise SalesforceError(400, "INVALIDJOB", f"Invalid column delimiter: {delimiter}")
    if ending not in LINE_ENDINGS:
        raise SalesforceError(400, "INVALIDJOB", f"Invalid line ending: {ending}")
    return str(delimiter), str(ending)


def _check_line_ending(text: str, line_ending: str) -> None:
    # Salesforce judges the file by its first line break, not by each record.
    first = text.find("\n")
    if first < 0:
        return
    crlf = first > 0 and text[first - 1] == "\r"
    if crlf != (line_ending == "CRLF"):
        raise CsvInputError(
            f"ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is {line_ending}"
        )


def parse_upload(
    data: bytes, column_delimiter: str, line_ending: str | None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one uploaded CSV file, or CsvInputError when it is unreadable.

    line_ending None accepts either (Bulk 1.0 has no such job option).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvInputError("ClientInputError : The data is not valid UTF-8") from None
    if line_ending is not None:
        _check_line_ending(text, line_ending)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[column_delimiter], strict=True)
    try:
        header = next(reader, None)
        if not header or not any(header):
            raise CsvInputError("ClientInputError : The CSV file has no header row")
        rows = [row for row in reader if row]
    except csv.Error as error:
        raise CsvInputError(f"ClientInputError : Invalid CSV: {error}") from None
    return header, rows
