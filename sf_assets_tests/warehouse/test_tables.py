"""Tables: created from ColumnSpecs with bookkeeping columns; new columns added, narrow ones widened."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sf_assets.lib.batches import RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import TableNotFound, Warehouse, WarehouseSchemaError


def _spec(name: str, kind: ColumnType, precision: int | None = None, scale: int | None = None) -> ColumnSpec:
    return ColumnSpec(name, kind, precision=precision, scale=scale)


def test_create_table_with_bookkeeping_columns(warehouse: Warehouse, schema: str, accounts: dict):
    changes = warehouse.ensure_table(schema, "accounts", accounts["columns"])

    assert changes.created and not changes.added and not changes.widened
    assert warehouse.table_exists(schema, "accounts")
    assert [(c.name, c.type, c.precision, c.scale) for c in warehouse.columns(schema, "accounts")] == [
        ("id", ColumnType.TEXT, None, None),
        ("name", ColumnType.TEXT, None, None),
        ("description", ColumnType.TEXT, None, None),
        ("is_active_c", ColumnType.BOOLEAN, None, None),
        ("number_of_employees", ColumnType.INTEGER, None, None),
        ("annual_revenue", ColumnType.NUMERIC, 18, 2),
        ("score_c", ColumnType.DOUBLE, None, None),
        ("founded_c", ColumnType.DATE, None, None),
        ("last_activity_c", ColumnType.TIMESTAMP, None, None),
        ("opens_at_c", ColumnType.TIME, None, None),
        ("system_modstamp", ColumnType.TIMESTAMP, None, None),
        ("is_deleted", ColumnType.BOOLEAN, None, None),
        ("deleted_at", ColumnType.TIMESTAMP, None, None),
        ("received_at", ColumnType.TIMESTAMP, None, None),
        ("sync_run_id", ColumnType.TEXT, None, None),
    ]
    assert "deleted resource" in warehouse.columns(schema, "accounts")[12].description


def test_ensure_table_twice_changes_nothing(warehouse: Warehouse, schema: str, accounts: dict):
    warehouse.ensure_table(schema, "accounts", accounts["columns"])

    assert not warehouse.ensure_table(schema, "accounts", accounts["columns"])


def test_new_columns_are_added_and_none_dropped(warehouse: Warehouse, schema: str):
    first = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("old_c", ColumnType.TEXT, "Old__c")]
    page = RecordBatch(("Id", "Old__c"), [{"Id": "a", "Old__c": "kept"}])
    with warehouse.load(schema, "things", first, cursor_column=None, run_id="run-1") as load:
        load.add(page)
    second = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("new_c", ColumnType.DATE, "New__c")]

    with warehouse.load(schema, "things", second, cursor_column=None, run_id="run-2") as load:
        load.add(RecordBatch(("Id", "New__c"), [{"Id": "b", "New__c": "2024-01-02"}]))

    assert [c.name for c in load.stats.schema_changes.added] == ["new_c"]
    assert load.schema_changes == {"created": False, "added": {"new_c": "date"}, "widened": {}}
    rows = warehouse.fetch_all(schema, "things")
    assert [(r["id"], r["old_c"], r["new_c"]) for r in rows] == [
        ("a", "kept", None),
        ("b", None, date(2024, 1, 2)),
    ]


def test_number_column_widens_to_numeric_double_then_text(warehouse: Warehouse, schema: str):
    def load(
        kind: ColumnType, value: object, row_id: str, precision: int | None = None, scale: int | None = None
    ):
        columns = [
            ColumnSpec("id", ColumnType.TEXT, "Id"),
            ColumnSpec("amount_c", kind, "Amount__c", precision, scale),
        ]
        with warehouse.load(schema, "deals", columns, cursor_column=None, run_id=row_id) as loaded:
            loaded.add(RecordBatch(("Id", "Amount__c"), [{"Id": row_id, "Amount__c": value}]))
        return loaded.stats.schema_changes, [r["amount_c"] for r in warehouse.fetch_all(schema, "deals")]

    assert load(ColumnType.INTEGER, 42, "a")[1] == [42]
    changes, values = load(ColumnType.NUMERIC, 2.5, "b", 18, 2)
    assert [(old.type, new.type) for old, new in changes.widened] == [
        (ColumnType.INTEGER, ColumnType.NUMERIC)
    ]
    assert values == [Decimal("42.00"), Decimal("2.50")]
    changes, values = load(ColumnType.DOUBLE, 0.25, "c")
    assert changes.as_metadata()["widened"] == {"amount_c": "numeric(18,2) -> double precision"}
    assert values == [42.0, 2.5, 0.25]
    changes, values = load(ColumnType.TEXT, "00123", "d")
    assert [new.type for _, new in changes.widened] == [ColumnType.TEXT]
    assert values == ["42", "2.5", "0.25", "00123"]
    assert warehouse.columns(schema, "deals")[1].type == ColumnType.TEXT


def test_date_column_widens_to_timestamp(warehouse: Warehouse, schema: str):
    def columns(kind: ColumnType) -> list[ColumnSpec]:
        return [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("due_c", kind, "Due__c")]

    with warehouse.load(schema, "tasks", columns(ColumnType.DATE), cursor_column=None, run_id="r1") as load:
        load.add(RecordBatch(("Id", "Due__c"), [{"Id": "a", "Due__c": "2024-01-15"}]))
    with warehouse.load(
        schema, "tasks", columns(ColumnType.TIMESTAMP), cursor_column=None, run_id="r2"
    ) as load:
        load.add(RecordBatch(("Id", "Due__c"), [{"Id": "b", "Due__c": "2024-01-16T08:00:00.000+0000"}]))

    assert [r["due_c"] for r in warehouse.fetch_all(schema, "tasks")] == [
        datetime(2024, 1, 15, tzinfo=UTC),
        datetime(2024, 1, 16, 8, tzinfo=UTC),
    ]


def test_narrower_incoming_type_keeps_the_wider_column(warehouse: Warehouse, schema: str):
    wide = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("flag_c", ColumnType.DOUBLE, "Flag__c")]
    narrow = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("flag_c", ColumnType.BOOLEAN, "Flag__c")]
    warehouse.ensure_table(schema, "flags", wide)

    with warehouse.load(schema, "flags", narrow, cursor_column=None, run_id="r1") as load:
        load.add(RecordBatch(("Id", "Flag__c"), [{"Id": "a", "Flag__c": True}]))

    assert not load.stats.schema_changes
    assert warehouse.columns(schema, "flags")[1].type == ColumnType.DOUBLE
    assert warehouse.fetch_all(schema, "flags")[0]["flag_c"] == 1.0


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([_spec("name", ColumnType.TEXT)], "must include 'id'"),
        ([_spec("id", ColumnType.TEXT), _spec("received_at", ColumnType.TEXT)], "bookkeeping"),
        (
            [_spec("id", ColumnType.TEXT), _spec("x", ColumnType.TEXT), _spec("x", ColumnType.INTEGER)],
            "twice",
        ),
        ([_spec("id", ColumnType.TEXT), _spec("is_deleted", ColumnType.TEXT)], "must be boolean"),
    ],
)
def test_unstorable_columns_are_refused(warehouse: Warehouse, schema: str, columns: list, message: str):
    with pytest.raises(WarehouseSchemaError, match=message):
        warehouse.ensure_table(schema, "bad", columns)


def test_reading_a_missing_table_names_it(warehouse: Warehouse, schema: str):
    assert not warehouse.table_exists(schema, "nothing")
    with pytest.raises(TableNotFound, match=f"{schema}.nothing does not exist yet"):
        warehouse.fetch_all(schema, "nothing")


def test_widening_to_text_keeps_salesforce_wire_forms(warehouse: Warehouse, schema: str, accounts: dict):
    with warehouse.load(schema, "accounts", accounts["columns"], run_id="run-1") as load:
        load.add(accounts["rest"])
    as_text = [
        c if c.name in ("id", "system_modstamp") else ColumnSpec(c.name, ColumnType.TEXT, c.sf_name)
        for c in accounts["columns"]
    ]

    changes = warehouse.ensure_table(schema, "accounts", as_text)

    assert len(changes.widened) == 7
    row = warehouse.fetch_all(schema, "accounts")[0]
    assert [row[c.name] for c in accounts["columns"][3:10]] == [
        "true",
        "250",
        "1234567.50",
        "0.1",
        "1999-12-31",
        "2024-05-01T10:20:30.123Z",
        "09:30:00.000Z",
    ]
