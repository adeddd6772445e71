"""Hard deletes: marked from Salesforce's `deleted` resource or an Id reconciliation, never dropped."""

from datetime import UTC, datetime

import pytest

from sf_assets.lib.batches import RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import Warehouse

PURGED_AT = datetime(2024, 6, 5, 8, 30, tzinfo=UTC)
DETECTED_AT = datetime(2024, 6, 9, tzinfo=UTC)


@pytest.fixture
def loaded(warehouse: Warehouse, schema: str, accounts: dict) -> dict:
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load:
        load.add(accounts["csv"])
    return accounts


def _deletions(warehouse: Warehouse, schema: str) -> list[tuple]:
    return [(r["id"][-4:], r["is_deleted"], r["deleted_at"]) for r in warehouse.fetch_all(schema, "accounts")]


def test_mark_deleted_marks_known_ids_and_counts_unknown(warehouse: Warehouse, schema: str, loaded: dict):
    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-2") as load:
        load.mark_deleted([("001000000000002AAA", PURGED_AT), ("001000000000009AAA", PURGED_AT)])

    assert (load.stats.marked_deleted, load.stats.unknown_deleted, load.stats.table_rows) == (1, 1, 3)
    assert _deletions(warehouse, schema) == [
        ("1AAA", False, None),
        ("2AAA", True, PURGED_AT),
        ("3AAA", False, None),
    ]
    assert warehouse.fetch_all(schema, "accounts")[1]["sync_run_id"] == "run-2"
    assert warehouse.row_count(schema, "accounts", include_deleted=False) == 2


def test_mark_deleted_again_keeps_the_first_detection(warehouse: Warehouse, schema: str, loaded: dict):
    for run_id, when in (("run-2", PURGED_AT), ("run-3", DETECTED_AT)):
        with warehouse.load(schema, "accounts", loaded["columns"], run_id=run_id) as load:
            load.mark_deleted(iter([("001000000000002AAA", when)]))

    assert load.stats.marked_deleted == 0
    assert _deletions(warehouse, schema)[1] == ("2AAA", True, PURGED_AT)


def test_reconcile_marks_rows_missing_from_the_live_ids(warehouse: Warehouse, schema: str, loaded: dict):
    live = (f"00100000000000{n}AAA" for n in (1, 3))

    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-2") as load:
        assert load.target_has_rows
        load.reconcile(live, DETECTED_AT)

    assert load.stats.marked_deleted == 1
    assert _deletions(warehouse, schema) == [
        ("1AAA", False, None),
        ("2AAA", True, DETECTED_AT),
        ("3AAA", False, None),
    ]
    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-3") as rerun:
        rerun.reconcile(iter([]), datetime(2024, 7, 1, tzinfo=UTC))
    assert rerun.stats.marked_deleted == 2
    assert _deletions(warehouse, schema)[1] == ("2AAA", True, DETECTED_AT)


def test_reappearing_row_with_newer_cursor_is_undeleted(warehouse: Warehouse, schema: str, loaded: dict):
    record = loaded["records"][1]
    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-2") as load:
        load.mark_deleted([(record["Id"], PURGED_AT)])

    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-3") as same:
        same.add(RecordBatch(loaded["fields"], [record]))
    assert _deletions(warehouse, schema)[1] == ("2AAA", True, PURGED_AT)
    newer = {**record, "SystemModstamp": "2024-06-10T00:00:00.000+0000"}
    with warehouse.load(schema, "accounts", loaded["columns"], run_id="run-4") as load:
        load.add(RecordBatch(loaded["fields"], [newer]))

    assert load.stats.updated == 1
    assert _deletions(warehouse, schema)[1] == ("2AAA", False, None)


def test_rows_of_the_same_load_merge_before_deletions_apply(
    warehouse: Warehouse, schema: str, accounts: dict
):
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load:
        assert not load.target_has_rows
        load.add(accounts["rest"])
        load.mark_deleted([("001000000000003AAA", PURGED_AT)])

    assert (load.stats.inserted, load.stats.marked_deleted) == (3, 1)
    assert _deletions(warehouse, schema)[2] == ("3AAA", True, PURGED_AT)


def test_reconcile_runs_once_per_load(warehouse: Warehouse, schema: str, loaded: dict):
    with (
        pytest.raises(RuntimeError, match="once per load"),
        warehouse.load(schema, "accounts", loaded["columns"], run_id="run-2") as load,
    ):
        load.reconcile([], DETECTED_AT)
        load.reconcile([], DETECTED_AT)

    assert warehouse.row_count(schema, "accounts", include_deleted=False) == 3


def test_rows_read_from_the_recycle_bin_are_not_counted_again_as_hard_deletes(
    warehouse: Warehouse, schema: str, accounts: dict
):
    columns = [*accounts["columns"], ColumnSpec("is_deleted", ColumnType.BOOLEAN, "IsDeleted")]
    fields = (*accounts["fields"], "IsDeleted")
    live = [{**r, "IsDeleted": False} for r in accounts["records"]]
    with warehouse.load(schema, "accounts", columns, run_id="run-1") as load:
        load.add(RecordBatch(fields, live))
    binned = {**live[1], "IsDeleted": True, "SystemModstamp": "2024-06-05T08:30:00.000+0000"}
    with warehouse.load(schema, "accounts", columns, run_id="run-2") as load:
        load.add(RecordBatch(fields, [binned]))
        # The `deleted` resource lists recycle-bin records too, with the moment they were deleted.
        load.mark_deleted([(binned["Id"], PURGED_AT), ("001000000000003AAA", PURGED_AT)])

    assert (load.stats.updated, load.stats.marked_deleted) == (1, 1)  # only 3AAA was a hard delete
    assert _deletions(warehouse, schema) == [
        ("1AAA", False, None),
        ("2AAA", True, PURGED_AT),  # its deletion time filled in all the same
        ("3AAA", True, PURGED_AT),
    ]
