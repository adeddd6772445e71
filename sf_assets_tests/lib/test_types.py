import pytest

from sf_assets.lib.types import ColumnSpec, ColumnType, UnsupportedFieldType, column_type, widened


@pytest.mark.parametrize(
    ("sf_type", "expected"),
    [
        ("id", ColumnType.TEXT),
        ("reference", ColumnType.TEXT),
        ("multipicklist", ColumnType.TEXT),
        ("boolean", ColumnType.BOOLEAN),
        ("int", ColumnType.INTEGER),
        ("date", ColumnType.DATE),
        ("datetime", ColumnType.TIMESTAMP),
        ("time", ColumnType.TIME),
    ],
)
def test_column_type(sf_type, expected):
    assert column_type(sf_type)[0] == expected


def test_currency_keeps_precision_and_scale():
    assert column_type("currency", precision=18, scale=2) == (ColumnType.NUMERIC, 18, 2)


def test_double_without_precision_is_floating():
    assert column_type("double") == (ColumnType.DOUBLE, None, None)


def test_compound_types_are_refused_with_the_reason():
    with pytest.raises(UnsupportedFieldType, match="component fields"):
        column_type("address")


def _col(kind: ColumnType, precision=None, scale=None) -> ColumnSpec:
    return ColumnSpec("c", kind, "C", precision, scale)


def test_integer_widens_to_numeric():
    assert widened(_col(ColumnType.INTEGER), _col(ColumnType.NUMERIC, 18, 2)).type == ColumnType.NUMERIC


def test_numeric_never_narrows():
    assert widened(_col(ColumnType.DOUBLE), _col(ColumnType.INTEGER)) is None


def test_numeric_precision_grows_to_hold_both():
    grown = widened(_col(ColumnType.NUMERIC, 10, 2), _col(ColumnType.NUMERIC, 18, 0))
    assert (grown.precision, grown.scale) == (20, 2)


def test_incompatible_types_widen_to_text():
    assert widened(_col(ColumnType.BOOLEAN), _col(ColumnType.DATE)).type == ColumnType.TEXT


def test_text_stays_text():
    assert widened(_col(ColumnType.TEXT), _col(ColumnType.INTEGER)) is None


def test_date_widens_to_timestamp():
    assert widened(_col(ColumnType.DATE), _col(ColumnType.TIMESTAMP)).type == ColumnType.TIMESTAMP
