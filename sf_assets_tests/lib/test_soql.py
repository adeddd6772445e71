from datetime import UTC, datetime, timedelta

import pytest

from sf_assets.lib.soql import Window, changed_since_query, count_query, soql_datetime, window_query

START = datetime(2024, 3, 1, 9, tzinfo=UTC)
END = datetime(2024, 3, 1, 12, tzinfo=UTC)


def test_window_query_is_half_open_on_the_cursor():
    soql = window_query("Account", ["Id", "Name"], "SystemModstamp", Window(START, END))
    assert soql == (
        "SELECT Id, Name FROM Account WHERE SystemModstamp >= 2024-03-01T09:00:00.000Z"
        " AND SystemModstamp < 2024-03-01T12:00:00.000Z"
    )


def test_earliest_window_has_no_lower_bound():
    soql = window_query("Account", ["Id"], "SystemModstamp", Window(None, END))
    assert soql == "SELECT Id FROM Account WHERE SystemModstamp < 2024-03-01T12:00:00.000Z"


def test_object_without_cursor_reads_everything():
    assert window_query("Name", ["Id"], None, Window(START, END)) == "SELECT Id FROM Name"


def test_overlap_moves_only_the_start():
    widened = Window(START, END).widened(timedelta(minutes=5))
    assert (widened.start, widened.end) == (START - timedelta(minutes=5), END)


def test_count_query():
    assert count_query("Lead", "LastModifiedDate", Window(START, END)).startswith(
        "SELECT COUNT() FROM Lead WHERE"
    )


def test_changed_since_query_counts_rows_past_the_moment():
    assert changed_since_query("Lead", "SystemModstamp", START) == (
        "SELECT COUNT() FROM Lead WHERE SystemModstamp > 2024-03-01T09:00:00.000Z"
    )


def test_datetime_literal_is_utc_with_milliseconds():
    moment = datetime(2024, 3, 1, 10, 30, 0, 123456, tzinfo=UTC)
    assert soql_datetime(moment) == "2024-03-01T10:30:00.123Z"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Window(datetime(2024, 3, 1), END)  # noqa: DTZ001 - the point of the test


def test_empty_window_is_refused():
    with pytest.raises(ValueError, match="not before its end"):
        Window(END, END)
