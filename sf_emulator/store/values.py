"""API input values → storage values, validated against describe (one function per concern)."""

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from .errors import SalesforceError
from .ids import to_18
from .schema import FieldDef

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?Z?$")
_LENGTH_TYPES = frozenset(
    {"string", "textarea", "email", "phone", "url", "picklist", "combobox", "encryptedstring"}
)
_NUMBER_NAMES = {"int": "int", "long": "long", "double": "double", "currency": "double", "percent": "double"}

CSV_NULL = "#N/A"


def _label(f: FieldDef) -> str:
    return f.label or f.name


def _parser_error(f: FieldDef, value: object, target: str) -> SalesforceError:
    kind = type(value).__name__.upper()
    return SalesforceError(
        400,
        "JSON_PARSER_ERROR",
        f"Cannot deserialize instance of {target} from VALUE_{kind} value {value} or request may be missing "
        f"a required field at [line:1, column:1]",
        [f.name],
    )


def parse_datetime_ms(text: str) -> int | None:
    """Milliseconds UTC of an ISO datetime (`Z`, `±hh:mm`, `±hhmm`, or none = UTC) or a bare date."""
    match = _DATETIME.match(text.strip())
    if match is None:
        date_match = _DATE.match(text.strip())
        if date_match is None:
            return None
        y, m, d = (int(g) for g in date_match.groups())
        return int(datetime(y, m, d, tzinfo=UTC).timestamp() * 1000)
    y, mo, d, h, mi, s, frac, zone = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=UTC)
    except ValueError:
        return None
    ms = int(moment.timestamp() * 1000) + int(((frac or "0") + "000")[:3])
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        ms -= sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60_000
    return ms


def _coerce_text(f: FieldDef, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _parser_error(f, value, "String")
    text = value if isinstance(value, str) else str(value)
    if f.type in _LENGTH_TYPES and f.length and len(text) > f.length:
        raise SalesforceError(
            400,
            "STRING_TOO_LONG",
            f"{_label(f)}: data value too large: {text} (max length={f.length})",
            [f.name],
        )
    if f.type == "email" and text and not _EMAIL.match(text):
        raise SalesforceError(
            400, "INVALID_EMAIL_ADDRESS", f"{_label(f)}: invalid email address: {text}", [f.name]
        )
    if f.type == "picklist" and f.restricted_picklist:
        _check_restricted(f, [text])
    return text


def _check_restricted(f: FieldDef, chosen: list[str]) -> None:
    allowed = {p.value for p in f.picklist_values if p.active}
    for value in chosen:
        if value not in allowed:
            raise SalesforceError(
                400,
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"{_label(f)}: bad value for restricted picklist field: {value}",
                [f.name],
            )


def _coerce_multipicklist(f: FieldDef, value: object) -> str:
    if not isinstance(value, str):
        raise _parser_error(f, value, "String")
    chosen = [v.strip() for v in value.split(";") if v.strip()]
    if f.restricted_picklist:
        _check_restricted(f, chosen)
    return ";".join(chosen)


def _coerce_boolean(f: FieldDef, value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return int(value.lower() in ("true", "1"))
    raise _parser_error(f, value, "boolean")


def _coerce_number(f: FieldDef, value: object) -> int | float:
    target = _NUMBER_NAMES[f.type]
    number: int | float
    if isinstance(value, bool):
        raise _parser_error(f, value, target)
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            raise _parser_error(f, value, target) from None
    else:
        raise _parser_error(f, value, target)
    if f.type in ("int", "long"):
        if isinstance(number, float) and not number.is_integer():
            raise _parser_error(f, value, target)
        return int(number)
    if f.precision:
        return _fit_precision(f, number)
    return float(number)


def _fit_precision(f: FieldDef, number: int | float) -> float:
    """Salesforce rounds to the field's scale (half up) and refuses digits beyond its precision."""
    exact = Decimal(str(number)).quantize(Decimal(1).scaleb(-f.scale), rounding=ROUND_HALF_UP)
    if exact.adjusted() + 1 > f.precision - f.scale:
        raise SalesforceError(
            400,
            "NUMBER_OUTSIDE_VALID_RANGE",
            f"{_label(f)}: value outside of valid range on numeric field: {number}",
            [f.name],
        )
    return float(exact)


def _coerce_date(f: FieldDef, value: object) -> str:
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            return text
        ms = parse_datetime_ms(text)
        if ms is not None:
            return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d")
    raise _parser_error(f, value, "Date")


def _coerce_datetime(f: FieldDef, value: object) -> int:
    if isinstance(value, str):
        ms = parse_datetime_ms(value)
        if ms is not None:
            return ms
    raise _parser_error(f, value, "Datetime")


def _coerce_time(f: FieldDef, value: object) -> str:
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if match:
            h, m, s, ms = match.groups()
            return f"{h}:{m}:{s or '00'}.{(ms or '0').ljust(3, '0')}Z"
    raise _parser_error(f, value, "Time")


def _coerce_id(f: FieldDef, value: object) -> str:
    if not isinstance(value, str):
        raise _parser_error(f, value, "String")
    try:
        return to_18(value)
    except SalesforceError:
        raise SalesforceError(
            400, "MALFORMED_ID", f"{_label(f)}: id value of incorrect type: {value}", [f.name]
        ) from None


_COERCERS = {
    "boolean": _coerce_boolean,
    "int": _coerce_number,
    "long": _coerce_number,
    "double": _coerce_number,
    "currency": _coerce_number,
    "percent": _coerce_number,
    "date": _coerce_date,
    "datetime": _coerce_datetime,
    "time": _coerce_time,
    "id": _coerce_id,
    "reference": _coerce_id,
    "multipicklist": _coerce_multipicklist,
}


def to_storage(f: FieldDef, value: object) -> object:
    """The storage value of an API value for field `f` (None stays None; the caller checks nillable)."""
    if value is None:
        return None
    return _COERCERS.get(f.type, _coerce_text)(f, value)
