"""CSV reading and writing as the Bulk APIs do it (pure functions, no server)."""

import pytest

from sf_emulator.bulk2.csv_io import CsvInputError, check_options, parse_upload, quote_row
from sf_emulator.bulk2.jobs import decode_locator, encode_locator
from sf_emulator.store.errors import SalesforceError


def test_quote_row_quotes_every_value_and_doubles_inner_quotes() -> None:
    assert quote_row(["a", "", 'say "hi"']) == '"a","","say ""hi"""\n'


def test_quote_row_uses_the_given_delimiter_and_line_ending() -> None:
    assert quote_row(["a", "b"], "\t", "\r\n") == '"a"\t"b"\r\n'


def test_parse_upload_reads_quoted_values_with_delimiters_and_newlines() -> None:
    data = b'Name,Description\n"Acme, Inc.","two\nlines"\nGlobex,\n'
    assert parse_upload(data, "COMMA", "LF") == (
        ["Name", "Description"],
        [["Acme, Inc.", "two\nlines"], ["Globex", ""]],
    )


def test_parse_upload_honours_the_column_delimiter() -> None:
    assert parse_upload(b"Name|Phone\nAcme|123\n", "PIPE", "LF") == (["Name", "Phone"], [["Acme", "123"]])


def test_parse_upload_strips_a_utf8_byte_order_mark() -> None:
    assert parse_upload("\ufeffName\nÄpfel\n".encode(), "COMMA", "LF") == (["Name"], [["Äpfel"]])


def test_parse_upload_rejects_crlf_data_in_an_lf_job() -> None:
    with pytest.raises(CsvInputError) as raised:
        parse_upload(b"Name\r\nAcme\r\n", "COMMA", "LF")
    assert (
        str(raised.value)
        == "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF"
    )


def test_parse_upload_rejects_lf_data_in_a_crlf_job() -> None:
    with pytest.raises(CsvInputError) as raised:
        parse_upload(b"Name\nAcme\n", "COMMA", "CRLF")
    assert str(raised.value).endswith("Current LineEnding setting is CRLF")


def test_parse_upload_without_a_line_ending_accepts_either() -> None:
    assert parse_upload(b"Name\r\nAcme\r\n", "COMMA", None) == (["Name"], [["Acme"]])


def test_parse_upload_rejects_an_empty_file() -> None:
    with pytest.raises(CsvInputError, match="no header row"):
        parse_upload(b"", "COMMA", "LF")


def test_check_options_rejects_an_unknown_delimiter() -> None:
    with pytest.raises(SalesforceError) as raised:
        check_options("COLON", "LF")
    assert (raised.value.error_code, raised.value.message) == (
        "INVALIDJOB",
        "Invalid column delimiter: COLON",
    )


def test_locators_are_base64_row_offsets() -> None:
    assert encode_locator(10000) == "MTAwMDA"
    assert decode_locator("MTAwMDA") == 10000


def test_a_garbled_locator_is_rejected() -> None:
    with pytest.raises(SalesforceError) as raised:
        decode_locator("not-a-locator")
    assert raised.value.error_code == "INVALIDLOCATOR"
