"""SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, …) as UTC day ranges [start, end).

Weeks start on Sunday, quarters and years are calendar ones: the defaults of an org whose
locale is en_US and whose fiscal year is the calendar year, evaluated in UTC.
"""

from datetime import date, timedelta

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_MS = 86_400_000

# name → (unit, kind); kind: this/last/next take no n; last_n/next_n/ago take one.
_FIXED = {
    "TODAY": ("day", "this"),
    "YESTERDAY": ("day", "last"),
    "TOMORROW": ("day", "next"),
    "THIS_WEEK": ("week", "this"),
    "LAST_WEEK": ("week", "last"),
    "NEXT_WEEK": ("week", "next"),
    "THIS_MONTH": ("month", "this"),
    "LAST_MONTH": ("month", "last"),
    "NEXT_MONTH": ("month", "next"),
    "THIS_QUARTER": ("quarter", "this"),
    "LAST_QUARTER": ("quarter", "last"),
    "NEXT_QUARTER": ("quarter", "next"),
    "THIS_YEAR": ("year", "this"),
    "LAST_YEAR": ("year", "last"),
    "NEXT_YEAR": ("year", "next"),
}
_PARAMETRISED = {
    f"{prefix}_{unit.upper()}S{suffix}": (unit, kind)
    for unit in ("day", "week", "month", "quarter", "year")
    for prefix, suffix, kind in (("LAST_N", "", "last_n"), ("NEXT_N", "", "next_n"), ("N", "_AGO", "ago"))
}
_NINETY = {"LAST_90_DAYS": "LAST_N_DAYS", "NEXT_90_DAYS": "NEXT_N_DAYS"}


def is_fixed(name: str) -> bool:
    """A literal written without `:n` (TODAY, LAST_90_DAYS, …)."""
    return name in _FIXED or name in _NINETY


def is_parametrised(name: str) -> bool:
    """A literal that needs `:n` (LAST_N_DAYS, N_WEEKS_AGO, …)."""
    return name in _PARAMETRISED


def is_fiscal(name: str) -> bool:
    return "FISCAL" in name


def _month_shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _period_start(unit: str, today: date) -> date:
    if unit == "day":
        return today
    if unit == "week":
        return today - timedelta(days=(today.weekday() + 1) % 7)
    if unit == "month":
        return today.replace(day=1)
    if unit == "quarter":
        return date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return date(today.year, 1, 1)


def _shift(unit: str, start: date, periods: int) -> date:
    if unit == "day":
        return start + timedelta(days=periods)
    if unit == "week":
        return start + timedelta(days=7 * periods)
    if unit == "month":
        return _month_shift(start, periods)
    if unit == "quarter":
        return _month_shift(start, 3 * periods)
    return date(start.year + periods, 1, 1)


def date_range(name: str, n: int | None, now_ms: int) -> tuple[date, date]:
    """The UTC days [start, end) that the literal `name` (upper case) covers at `now_ms`."""
    if name in _NINETY:
        name, n = _NINETY[name], 90
    unit, kind = _FIXED.get(name) or _PARAMETRISED[name]
    today = date.fromordinal(_EPOCH_ORDINAL + now_ms // _DAY_MS)
    start = _period_start(unit, today)
    if kind == "this":
        return start, _shift(unit, start, 1)
    if kind == "last":
        return _shift(unit, start, -1), start
    if kind == "next":
        return _shift(unit, start, 1), _shift(unit, start, 2)
    assert n is not None
    if kind == "last_n":
        # LAST_N_DAYS:n counts back from today and includes it, unlike the other units.
        end = _shift(unit, start, 1) if unit == "day" else start
        return _shift(unit, start, -n), end
    if kind == "next_n":
        return _shift(unit, start, 1), _shift(unit, start, 1 + n)
    return _shift(unit, start, -n), _shift(unit, start, 1 - n)


def date_to_ms(day: date) -> int:
    """Midnight UTC of `day` in ms since the epoch."""
    return (day.toordinal() - _EPOCH_ORDINAL) * _DAY_MS
