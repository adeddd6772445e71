"""Loads: typed values from both page formats, upserts on the cursor, idempotent reruns."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from sf_assets.lib.batches import RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import Warehouse, WarehouseSchemaError


def _load(
    warehouse: Warehouse, schema: str, table: str, columns, batches, *, run_id="run-1", received_at=None, **kw
):  # noqa: ANN001
    with warehouse.load(schema, table, columns, run_id=run_id, received_at=received_at, **kw) as load:
        for batch in batches:
            load.add(batch)
    return load.stats


def _modstamped(records: list[dict], stamp: str, **changes: object) -> list[dict]:
    return [{**r, "SystemModstamp": stamp, **changes} for r in records]


def test_load_types_every_value(warehouse: Warehouse, schema: str, accounts: dict, received_at: datetime):
    stats = _load(
        warehouse, schema, "accounts", accounts["columns"], [accounts["csv"]], received_at=received_at
    )

    rows = warehouse.fetch_all(schema, "accounts")
    assert (stats.staged, stats.inserted, stats.updated, stats.table_rows) == (3, 3, 0, 3)
    assert rows[0] == {
        "id": "001000000000001AAA",
        "name": 'Acme, "Inc"\nsecond line',
        "description": None,  # Salesforce has no empty strings: "" is null
        "is_active_c": True,
        "number_of_employees": 250,
        "annual_revenue": Decimal("1234567.50"),
        "score_c": 0.1,
        "founded_c": date(1999, 12, 31),
        "last_activity_c": datetime(2024, 5, 1, 10, 20, 30, 123000, tzinfo=UTC),
        "opens_at_c": time(9, 30),
        "system_modstamp": datetime(2024, 6, 1, tzinfo=UTC),
        "is_deleted": False,
        "deleted_at": None,
        "received_at": datetime(2024, 6, 2, 12, 0, 0, 123000, tzinfo=UTC),  # milliseconds, as Salesforce
        "sync_run_id": "run-1",
    }
    assert set(rows[1].values()) - {rows[1]["id"], rows[1]["system_modstamp"], rows[1]["received_at"]} == {
        None,
        False,
        "run-1",
    }
    assert rows[2]["name"] == "NA"
    assert rows[2]["description"] == "Zoë ☃ 日本語, tab\there"
    assert (rows[2]["is_active_c"], rows[2]["number_of_employees"]) == (False, 0)
    assert (rows[2]["annual_revenue"], rows[2]["score_c"]) == (Decimal("-0.01"), 12345.678)
    assert rows[2]["opens_at_c"] == time(23, 59, 59, 500000)
    assert rows[2]["last_activity_c"] == datetime(2023, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)


def test_csv_and_rest_pages_load_identically(
    warehouse: Warehouse, schema: str, accounts: dict, received_at: datetime
):
    _load(warehouse, schema, "from_csv", accounts["columns"], [accounts["csv"]], received_at=received_at)
    _load(warehouse, schema, "from_rest", accounts["columns"], [accounts["rest"]], received_at=received_at)

    assert warehouse.fetch_all(schema, "from_csv") == warehouse.fetch_all(schema, "from_rest")


def test_pages_into_an_existing_table_load_like_a_new_one(
    warehouse: Warehouse, schema: str, accounts: dict, received_at: datetime
):
    """A first load may take a faster path than later ones; the rows must not tell."""
    _load(warehouse, schema, "fresh", accounts["columns"], [accounts["csv"]], received_at=received_at)
    warehouse.ensure_table(schema, "existing", accounts["columns"])
    stats = _load(
        warehouse, schema, "existing", accounts["columns"], [accounts["csv"]], received_at=received_at
    )

    assert (stats.inserted, stats.schema_changes.created) == (3, False)
    assert warehouse.fetch_all(schema, "fresh") == warehouse.fetch_all(schema, "existing")


@pytest.mark.parametrize("page_format", ["csv", "rest"])
def test_rerun_changes_nothing(
    warehouse: Warehouse, schema: str, accounts: dict, received_at: datetime, page_format: str
):
    _load(
        warehouse, schema, "accounts", accounts["columns"], [accounts[page_format]], received_at=received_at
    )
    before = warehouse.fetch_all(schema, "accounts")

    stats = _load(
        warehouse,
        schema,
        "accounts",
        accounts["columns"],
        [accounts[page_format]],
        run_id="run-2",
        received_at=received_at + timedelta(hours=1),
    )

    assert warehouse.fetch_all(schema, "accounts") == before
    assert (stats.inserted, stats.updated, stats.unchanged, stats.table_rows) == (0, 0, 3, 3)


def test_newer_cursor_updates_and_stale_rows_do_not(
    warehouse: Warehouse, schema: str, accounts: dict, csv_batch
):  # noqa: ANN001
    columns, fields = accounts["columns"], accounts["fields"]
    first = accounts["records"][:2]
    _load(warehouse, schema, "accounts", columns, [RecordBatch(fields, first)])
    newer = _modstamped(first[:1], "2024-07-01T00:00:00.000+0000", Name="Acme v2")
    stale = _modstamped(first[1:], "2024-01-01T00:00:00.000+0000", Name="stale")

    stats = _load(warehouse, schema, "accounts", columns, [csv_batch(fields, newer + stale)], run_id="run-2")

    rows = warehouse.fetch_all(schema, "accounts")
    assert [(r["name"], r["sync_run_id"]) for r in rows] == [("Acme v2", "run-2"), (None, "run-1")]
    assert (stats.inserted, stats.updated, stats.unchanged) == (0, 1, 1)


def test_duplicate_ids_in_one_load_keep_the_newest(
    warehouse: Warehouse, schema: str, accounts: dict, csv_batch
):  # noqa: ANN001
    columns, fields = accounts["columns"], accounts["fields"]
    record = accounts["records"][0]
    older = _modstamped([record], "2024-06-01T00:00:00.000+0000", Name="older")
    newest = _modstamped([record], "2024-06-03T00:00:00.000+0000", Name="newest")
    middle = _modstamped([record], "2024-06-02T00:00:00.000+0000", Name="middle")

    fresh = _load(
        warehouse, schema, "fresh", columns, [csv_batch(fields, older + newest), RecordBatch(fields, middle)]
    )
    warehouse.ensure_table(schema, "existing", columns)
    existing = _load(warehouse, schema, "existing", columns, [csv_batch(fields, older + newest + middle)])

    for table, stats in (("fresh", fresh), ("existing", existing)):
        assert [r["name"] for r in warehouse.fetch_all(schema, table)] == ["newest"]
        assert (stats.staged, stats.inserted, stats.table_rows) == (3, 1, 1)


def test_without_cursor_rows_update_when_a_value_differs(warehouse: Warehouse, schema: str):
    columns = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("label", ColumnType.TEXT, "Label")]
    page = RecordBatch(("Id", "Label"), [{"Id": "a", "Label": "one"}, {"Id": "b", "Label": "two"}])
    _load(warehouse, schema, "settings", columns, [page], cursor_column=None)

    rerun = _load(warehouse, schema, "settings", columns, [page], cursor_column=None, run_id="run-2")
    changed = RecordBatch(("Id", "Label"), [{"Id": "a", "Label": "uno"}, {"Id": "b", "Label": "two"}])
    update = _load(warehouse, schema, "settings", columns, [changed], cursor_column=None, run_id="run-3")

    assert (rerun.updated, rerun.unchanged) == (0, 2)
    assert (update.updated, update.unchanged) == (1, 1)
    assert [(r["label"], r["sync_run_id"]) for r in warehouse.fetch_all(schema, "settings")] == [
        ("uno", "run-3"),
        ("two", "run-1"),
    ]


def test_objects_with_is_deleted_store_soft_deletes_in_it(warehouse: Warehouse, schema: str):
    columns = [
        ColumnSpec("id", ColumnType.TEXT, "Id"),
        ColumnSpec("is_deleted", ColumnType.BOOLEAN, "IsDeleted"),
        ColumnSpec("system_modstamp", ColumnType.TIMESTAMP, "SystemModstamp"),
    ]
    page = RecordBatch(
        ("Id", "IsDeleted", "SystemModstamp"),
        [
            {"Id": "a", "IsDeleted": True, "SystemModstamp": "2024-01-01T00:00:00.000+0000"},
            {"Id": "b", "IsDeleted": False, "SystemModstamp": "2024-01-01T00:00:00.000+0000"},
        ],
    )
    _load(warehouse, schema, "contacts", columns, [page])

    assert [c.name for c in warehouse.columns(schema, "contacts")].count("is_deleted") == 1
    assert [(r["is_deleted"], r["deleted_at"]) for r in warehouse.fetch_all(schema, "contacts")] == [
        (True, None),
        (False, None),
    ]
    assert warehouse.row_count(schema, "contacts", include_deleted=False) == 1


def test_empty_load_creates_the_table(warehouse: Warehouse, schema: str, accounts: dict):
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load:
        load.add(RecordBatch(accounts["fields"], []))

    assert (load.stats.table_rows, load.stats.schema_changes.created) == (0, True)
    assert warehouse.row_count(schema, "accounts") == 0


def test_pages_of_one_load_must_share_fields(warehouse: Warehouse, schema: str, accounts: dict):
    with (
        pytest.raises(WarehouseSchemaError, match="same fields"),
        warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load,
    ):
        load.add(accounts["rest"])
        load.add(RecordBatch(("Id", "SystemModstamp"), []))

    assert not warehouse.table_exists(schema, "accounts")


def test_a_field_without_column_is_refused(warehouse: Warehouse, schema: str, accounts: dict):
    with (
        pytest.raises(WarehouseSchemaError, match="'Unknown__c' has no column"),
        warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load,
    ):
        load.add(RecordBatch(("Id", "SystemModstamp", "Unknown__c"), []))


def test_loads_of_two_tables_interleave(warehouse: Warehouse, schema: str, accounts: dict):
    """Parallel runs load different tables of one schema; neither waits for the other's staging."""
    other = Warehouse(warehouse.url.render_as_string(hide_password=False))
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-a") as first:
        first.add(accounts["csv"])
        with other.load(schema, "contacts", accounts["columns"], run_id="run-b") as second:
            second.add(accounts["rest"])
        assert other.row_count(schema, "contacts") == 3

    assert first.stats.inserted == 3
    assert warehouse.fetch_all(schema, "accounts")[0]["sync_run_id"] == "run-a"
    other.dispose()


def test_latest_is_the_greatest_value_typed_or_none_when_empty(
    warehouse: Warehouse, schema: str, accounts: dict
):
    records = [
        {**r, "SystemModstamp": stamp}
        for r, stamp in zip(
            accounts["records"],
            ["2024-06-01T00:00:00.000Z", "2024-06-03T08:15:00.250Z", "2024-06-02T00:00:00.000Z"],
            strict=True,
        )
    ]
    _load(warehouse, schema, "accounts", accounts["columns"], [RecordBatch(accounts["fields"], records)])
    assert warehouse.latest(schema, "accounts", "system_modstamp") == datetime(
        2024, 6, 3, 8, 15, 0, 250000, tzinfo=UTC
    )
    _load(warehouse, schema, "empty", accounts["columns"], [])
    assert warehouse.latest(schema, "empty", "system_modstamp") is None
    with pytest.raises(WarehouseSchemaError, match="has no column no_such_column"):
        warehouse.latest(schema, "accounts", "no_such_column")
