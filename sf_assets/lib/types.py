"""Salesforce field types → warehouse column types, and which changes widen a column."""

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    TEXT = "text"
    BOOLEAN = "boolean"
    INTEGER = "integer"  # 64-bit
    NUMERIC = "numeric"  # exact, with precision and scale (currency, percent, number fields)
    DOUBLE = "double"
    DATE = "date"
    TIMESTAMP = "timestamp"  # with time zone, UTC
    TIME = "time"


@dataclass(frozen=True)
class ColumnSpec:
    """One warehouse column. `sf_name` is the Salesforce field it comes from (None for bookkeeping)."""

    name: str
    type: ColumnType
    sf_name: str | None = None
    precision: int | None = None
    scale: int | None = None
    description: str = ""


_TEXT_TYPES = frozenset(
    {
        "id",
        "reference",
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "combobox",
        "email",
        "phone",
        "url",
        "encryptedstring",
        "base64",
        "anyType",
        "complexvalue",
        "json",
    }
)
COMPOUND_TYPES = frozenset({"address", "location"})

# Each type may widen to the types after it in its chain; anything may widen to TEXT.
_WIDENING = {
    ColumnType.BOOLEAN: (ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DOUBLE),
    ColumnType.INTEGER: (ColumnType.NUMERIC, ColumnType.DOUBLE),
    ColumnType.NUMERIC: (ColumnType.DOUBLE,),
    ColumnType.DATE: (ColumnType.TIMESTAMP,),
}


class UnsupportedFieldType(ValueError):
    """A describe type this project does not know how to store."""


def column_type(
    sf_type: str, *, precision: int = 0, scale: int = 0
) -> tuple[ColumnType, int | None, int | None]:
    """(type, precision, scale) of the column that stores a Salesforce field of `sf_type`."""
    if sf_type in _TEXT_TYPES:
        return ColumnType.TEXT, None, None
    if sf_type == "boolean":
        return ColumnType.BOOLEAN, None, None
    if sf_type in ("int", "long"):
        return ColumnType.INTEGER, None, None
    if sf_type in ("double", "currency", "percent"):
        if precision > 0:
            return ColumnType.NUMERIC, precision, scale
        return ColumnType.DOUBLE, None, None
    if sf_type == "date":
        return ColumnType.DATE, None, None
    if sf_type == "datetime":
        return ColumnType.TIMESTAMP, None, None
    if sf_type == "time":
        return ColumnType.TIME, None, None
    raise UnsupportedFieldType(
        f"Salesforce field type {sf_type!r} has no warehouse mapping"
        + (
            " (compound fields are stored through their component fields)"
            if sf_type in COMPOUND_TYPES
            else ""
        )
    )


def widened(current: ColumnSpec, wanted: ColumnSpec) -> ColumnSpec | None:
    """The column type that holds both, when `wanted` needs more than `current`; None when it fits.

    Never narrows: a column stays as wide as it has ever been.
    """
    if current.type == wanted.type:
        if current.type != ColumnType.NUMERIC:
            return None
        cur_int = (current.precision or 0) - (current.scale or 0)
        want_int = (wanted.precision or 0) - (wanted.scale or 0)
        scale = max(current.scale or 0, wanted.scale or 0)
        precision = max(cur_int, want_int) + scale
        if (precision, scale) == (current.precision, current.scale):
            return None
        return ColumnSpec(
            current.name, ColumnType.NUMERIC, current.sf_name, precision, scale, current.description
        )
    if wanted.type in _WIDENING.get(current.type, ()):
        return ColumnSpec(
            current.name, wanted.type, current.sf_name, wanted.precision, wanted.scale, current.description
        )
    if current.type in _WIDENING.get(wanted.type, ()):
        return None
    if current.type == ColumnType.TEXT:
        return None
    return ColumnSpec(current.name, ColumnType.TEXT, current.sf_name, None, None, current.description)
