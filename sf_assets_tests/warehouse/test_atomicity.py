"""A load that fails anywhere leaves the table exactly as it was."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from sf_assets.lib.batches import RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import Warehouse, WarehouseCastError

DETECTED_AT = datetime(2025, 1, 2, tzinfo=UTC)


@pytest.fixture
def loaded(warehouse: Warehouse, schema: str, accounts: dict) -> dict:
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load:
        load.add(accounts["csv"])
    return accounts


def _updated_and_bad(accounts: dict, page_format: str, csv_batch: Callable) -> tuple:
    good = [
        {**r, "Name": "changed", "SystemModstamp": "2025-01-01T00:00:00.000+0000"}
        for r in accounts["records"]
    ]
    bad = [{**good[0], "Id": "001000000000009AAA", "NumberOfEmployees": "lots"}]
    if page_format == "csv":
        return csv_batch(accounts["fields"], good), csv_batch(accounts["fields"], bad)
    return RecordBatch(accounts["fields"], good), RecordBatch(accounts["fields"], bad)


@pytest.mark.parametrize("page_format", ["csv", "rest"])
def test_uncastable_value_mid_load_leaves_table_unchanged(
    warehouse: Warehouse, schema: str, loaded: dict, csv_batch: Callable, raw_dump: Callable, page_format: str
):
    before = raw_dump(warehouse, schema, "accounts")
    good, bad = _updated_and_bad(loaded, page_format, csv_batch)
    wider = [*loaded["columns"], ColumnSpec("rating", ColumnType.TEXT, "Rating")]

    with (
        pytest.raises(WarehouseCastError) as caught,
        warehouse.load(schema, "accounts", wider, run_id="run-2") as load,
    ):
        load.add(good)
        load.mark_deleted([("001000000000001AAA", DETECTED_AT)])
        load.add(bad)

    assert (caught.value.column, caught.value.value) == ("number_of_employees", "lots")
    assert f"{schema}.accounts" in str(caught.value) and "rolled back" in str(caught.value)
    assert raw_dump(warehouse, schema, "accounts") == before


@pytest.mark.parametrize("page_format", ["csv", "rest"])
def test_uncastable_value_in_a_first_load_leaves_no_table(
    warehouse: Warehouse, schema: str, accounts: dict, csv_batch: Callable, page_format: str
):
    good, bad = _updated_and_bad(accounts, page_format, csv_batch)

    bad_value = "'number_of_employees' \\(bigint\\) cannot take value 'lots'"
    with (
        pytest.raises(WarehouseCastError, match=bad_value),
        warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load,
    ):
        load.add(good)
        load.add(bad)

    assert not warehouse.table_exists(schema, "accounts")
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-2") as retry:
        retry.add(good)
    assert retry.stats.inserted == 3


def test_exception_inside_the_with_block_rolls_back(
    warehouse: Warehouse, schema: str, loaded: dict, csv_batch: Callable, raw_dump: Callable
):
    before = raw_dump(warehouse, schema, "accounts")
    good, _ = _updated_and_bad(loaded, "csv", csv_batch)

    with (
        pytest.raises(ConnectionResetError),
        warehouse.load(schema, "accounts", loaded["columns"], run_id="run-2") as load,
    ):
        load.add(good)
        load.reconcile(iter(["001000000000001AAA"]), DETECTED_AT)
        raise ConnectionResetError("Salesforce went away mid-page")

    assert raw_dump(warehouse, schema, "accounts") == before
    with pytest.raises(RuntimeError, match="once the with block has completed"):
        _ = load.stats
