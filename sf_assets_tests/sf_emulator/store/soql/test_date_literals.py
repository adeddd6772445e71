"""SOQL date literals as UTC day ranges [start, end)."""

from datetime import UTC, date, datetime

import pytest

from sf_emulator.store.soql.date_literals import date_range, date_to_ms


def _now(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


WEDNESDAY = _now("2024-05-15T12:00:00")


@pytest.mark.parametrize(
    ("name", "n", "start", "end"),
    [
        ("TODAY", None, "2024-05-15", "2024-05-16"),
        ("YESTERDAY", None, "2024-05-14", "2024-05-15"),
        ("TOMORROW", None, "2024-05-16", "2024-05-17"),
        ("THIS_WEEK", None, "2024-05-12", "2024-05-19"),
        ("LAST_WEEK", None, "2024-05-05", "2024-05-12"),
        ("NEXT_WEEK", None, "2024-05-19", "2024-05-26"),
        ("THIS_MONTH", None, "2024-05-01", "2024-06-01"),
        ("LAST_MONTH", None, "2024-04-01", "2024-05-01"),
        ("NEXT_MONTH", None, "2024-06-01", "2024-07-01"),
        ("LAST_90_DAYS", None, "2024-02-15", "2024-05-16"),
        ("NEXT_90_DAYS", None, "2024-05-16", "2024-08-14"),
        ("LAST_N_DAYS", 3, "2024-05-12", "2024-05-16"),
        ("NEXT_N_DAYS", 3, "2024-05-16", "2024-05-19"),
        ("N_DAYS_AGO", 2, "2024-05-13", "2024-05-14"),
        ("LAST_N_WEEKS", 2, "2024-04-28", "2024-05-12"),
        ("NEXT_N_WEEKS", 2, "2024-05-19", "2024-06-02"),
        ("LAST_N_MONTHS", 2, "2024-03-01", "2024-05-01"),
        ("NEXT_N_MONTHS", 2, "2024-06-01", "2024-08-01"),
        ("THIS_QUARTER", None, "2024-04-01", "2024-07-01"),
        ("LAST_QUARTER", None, "2024-01-01", "2024-04-01"),
        ("NEXT_QUARTER", None, "2024-07-01", "2024-10-01"),
        ("THIS_YEAR", None, "2024-01-01", "2025-01-01"),
        ("LAST_YEAR", None, "2023-01-01", "2024-01-01"),
        ("NEXT_YEAR", None, "2025-01-01", "2026-01-01"),
        ("LAST_N_YEARS", 2, "2022-01-01", "2024-01-01"),
        ("NEXT_N_YEARS", 2, "2025-01-01", "2027-01-01"),
    ],
)
def test_range_on_a_wednesday(name, n, start, end):
    assert date_range(name, n, WEDNESDAY) == (date.fromisoformat(start), date.fromisoformat(end))


def test_week_starts_on_the_sunday_itself():
    assert date_range("THIS_WEEK", None, _now("2024-05-12T00:00:00"))[0] == date(2024, 5, 12)


def test_saturday_is_the_last_day_of_the_week():
    assert date_range("THIS_WEEK", None, _now("2024-05-18T23:59:59"))[0] == date(2024, 5, 12)


def test_next_month_crosses_the_year():
    assert date_range("NEXT_MONTH", None, _now("2024-12-31T23:00:00")) == (date(2025, 1, 1), date(2025, 2, 1))


def test_last_quarter_in_january_is_the_previous_october():
    assert date_range("LAST_QUARTER", None, _now("2024-01-05T00:00:00")) == (
        date(2023, 10, 1),
        date(2024, 1, 1),
    )


def test_days_are_utc_days():
    assert date_range("TODAY", None, _now("2024-05-15T23:59:59.999")) == (
        date(2024, 5, 15),
        date(2024, 5, 16),
    )


def test_date_to_ms_is_midnight_utc():
    assert date_to_ms(date(2024, 1, 1)) == 1_704_067_200_000
