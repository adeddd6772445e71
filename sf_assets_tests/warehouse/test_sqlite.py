"""The embedded warehouse: one SQLite file per schema, attached under the schema's name."""

import sqlite3
from pathlib import Path

import pytest

from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import SQLITE_MAX_SCHEMAS, Warehouse, WarehouseConfigError

COLUMNS = [
    ColumnSpec("id", ColumnType.TEXT, "Id"),
    ColumnSpec("system_modstamp", ColumnType.TIMESTAMP, "SystemModstamp"),
]


def test_schema_tables_are_readable_with_plain_sqlite_after_attach(tmp_path: Path, accounts: dict):
    warehouse = Warehouse(data_dir=tmp_path)
    with warehouse.load("sfdc_prod", "accounts", accounts["columns"], run_id="run-1") as load:
        load.add(accounts["rest"])

    conn = sqlite3.connect(tmp_path / "warehouse.db")
    conn.execute("ATTACH DATABASE ? AS sfdc_prod", (str(tmp_path / "sfdc_prod.db"),))
    rows = conn.execute(
        "SELECT id, is_active_c, annual_revenue, founded_c, last_activity_c, opens_at_c, received_at"
        " FROM sfdc_prod.accounts ORDER BY id"
    ).fetchall()
    declared = dict(
        conn.execute("SELECT name, type FROM pragma_table_info('accounts', 'sfdc_prod')").fetchall()
    )
    conn.close()

    assert rows[0] == (
        "001000000000001AAA",
        1,
        1234567.5,
        "1999-12-31",
        "2024-05-01 10:20:30.123+00:00",
        "09:30:00.000",
        rows[0][6],
    )
    assert len(rows[0][6]) == len("2024-06-02 12:00:00.123+00:00") and rows[0][6].endswith("+00:00")
    assert declared["annual_revenue"] == "NUMERIC(18,2)" and declared["last_activity_c"] == "TIMESTAMPTZ"
    warehouse.dispose()


def test_canonical_timestamps_compare_as_text_in_time_order(tmp_path: Path, csv_batch):  # noqa: ANN001
    warehouse = Warehouse(data_dir=tmp_path)
    stamps = ["2024-01-01T00:00:00.000+0000", "2024-01-01T00:59:59.999+0100", "2024-01-01T00:00:00.001Z"]
    records = [{"Id": str(n), "SystemModstamp": s} for n, s in enumerate(stamps)]
    with warehouse.load("sfdc_prod", "events", COLUMNS, run_id="run-1") as load:
        load.add(csv_batch(("Id", "SystemModstamp"), records))

    conn = sqlite3.connect(tmp_path / "warehouse.db")
    conn.execute("ATTACH DATABASE ? AS sfdc_prod", (str(tmp_path / "sfdc_prod.db"),))
    ordered = [r[0] for r in conn.execute("SELECT id FROM sfdc_prod.events ORDER BY system_modstamp, id")]
    conn.close()

    assert ordered == ["1", "0", "2"]  # 00:59:59.999 at +01:00 is just before midnight UTC
    warehouse.dispose()


def test_more_schemas_than_sqlite_attaches_is_a_clear_error(tmp_path: Path):
    warehouse = Warehouse(data_dir=tmp_path)
    for n in range(SQLITE_MAX_SCHEMAS):
        warehouse.ensure_table(f"sfdc_{n}", "accounts", COLUMNS)

    with pytest.raises(WarehouseConfigError, match="at most 10 schemas") as caught:
        warehouse.ensure_table("sfdc_extra", "accounts", COLUMNS)

    assert "SF_ASSETS_WAREHOUSE_URL" in str(caught.value)
    assert warehouse.table_exists("sfdc_9", "accounts")
    warehouse.dispose()


def test_a_new_warehouse_finds_existing_schema_files(tmp_path: Path):
    Warehouse(data_dir=tmp_path).ensure_table("sfdc_prod", "accounts", COLUMNS)

    reopened = Warehouse(data_dir=tmp_path)

    assert reopened.table_exists("sfdc_prod", "accounts")
    assert not reopened.table_exists("sfdc_sandbox", "accounts")
    assert not (tmp_path / "sfdc_sandbox.db").exists()


@pytest.mark.parametrize("schema", ["main", "temp", "../escape", "1abc", "with space"])
def test_unusable_schema_names_are_refused(tmp_path: Path, schema: str):
    with pytest.raises(WarehouseConfigError, match="`schema` setting"):
        Warehouse(data_dir=tmp_path).ensure_table(schema, "accounts", COLUMNS)


def test_sqlite_url_puts_schema_files_beside_the_main_file(tmp_path: Path):
    warehouse = Warehouse(f"sqlite:///{tmp_path}/custom/main.db")

    warehouse.ensure_table("sfdc_prod", "accounts", COLUMNS)

    assert sorted(p.name for p in (tmp_path / "custom").glob("*.db")) == ["main.db", "sfdc_prod.db"]
    warehouse.dispose()


def test_widening_rebuilds_the_table_keeping_constraints_and_views(tmp_path: Path):
    warehouse = Warehouse(data_dir=tmp_path)
    narrow = [ColumnSpec("id", ColumnType.TEXT, "Id"), ColumnSpec("code_c", ColumnType.INTEGER, "Code__c")]
    warehouse.ensure_table("sfdc_prod", "items", narrow)
    plain = sqlite3.connect(tmp_path / "sfdc_prod.db")
    plain.execute("CREATE VIEW item_codes AS SELECT id, code_c FROM items")
    plain.commit()

    warehouse.ensure_table(
        "sfdc_prod", "items", [narrow[0], ColumnSpec("code_c", ColumnType.TEXT, "Code__c")]
    )

    declared = {
        name: (kind, not_null, default)
        for name, kind, not_null, default in plain.execute(
            "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('items')"
        )
    }
    assert declared["code_c"] == ("TEXT", 0, None)
    assert declared["is_deleted"] == ("BOOLEAN", 1, "false")
    assert declared["received_at"][1] == 1
    assert plain.execute("SELECT count(*) FROM item_codes").fetchone() == (0,)
    plain.close()
    warehouse.dispose()
