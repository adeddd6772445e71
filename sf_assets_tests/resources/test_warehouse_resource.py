"""WarehouseResource: built from config (an EnvVar in definitions), lazy, cached, password never shown."""

from pathlib import Path

import dagster as dg
import pytest

from sf_assets.lib.batches import RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.resources.warehouse import WarehouseResource
from sf_assets.warehouse import Warehouse, WarehouseConnectionError

COLUMNS = [
    ColumnSpec("id", ColumnType.TEXT, "Id"),
    ColumnSpec("system_modstamp", ColumnType.TIMESTAMP, "SystemModstamp"),
]


def test_default_is_an_embedded_sqlite_warehouse_in_data_dir(tmp_path: Path):
    resource = WarehouseResource(data_dir=str(tmp_path))

    warehouse = resource.get_warehouse()

    assert isinstance(warehouse, Warehouse) and warehouse.kind == "sqlite"
    assert warehouse.url.database == str(tmp_path / "warehouse.db")
    assert resource.get_warehouse() is warehouse


def test_url_from_env_var_is_used_by_an_asset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SF_ASSETS_WAREHOUSE_URL", f"sqlite:///{tmp_path}/prod/warehouse.db")

    @dg.asset(key=["sfdc_prod", "accounts"])
    def accounts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        records = [{"Id": "001A", "SystemModstamp": "2024-01-01T00:00:00.000+0000"}]
        with warehouse.get_warehouse().load(
            "sfdc_prod", "accounts", COLUMNS, run_id=context.run.run_id
        ) as load:
            load.add(RecordBatch(("Id", "SystemModstamp"), records))
        return dg.MaterializeResult(
            metadata={"dagster/row_count": load.stats.table_rows, "warehouse": warehouse.display_url}
        )

    result = dg.materialize(
        [accounts], resources={"warehouse": WarehouseResource(url=dg.EnvVar("SF_ASSETS_WAREHOUSE_URL"))}
    )

    assert result.success
    metadata = result.asset_materializations_for_node("sfdc_prod__accounts")[0].metadata
    assert metadata["dagster/row_count"].value == 1
    assert Warehouse(f"sqlite:///{tmp_path}/prod/warehouse.db").row_count("sfdc_prod", "accounts") == 1


def test_resource_connects_only_when_used_and_never_shows_the_password():
    resource = WarehouseResource(url="postgresql+psycopg2://sync:s3cret@127.0.0.1:1/warehouse")

    assert "s3cret" not in repr(resource) and "sync:***@" in repr(resource)
    assert resource.display_url == "postgresql+psycopg2://sync:***@127.0.0.1:1/warehouse"
    with pytest.raises(WarehouseConnectionError) as caught:
        resource.get_warehouse().table_exists("sfdc_prod", "accounts")
    assert "s3cret" not in str(caught.value)


def test_resource_module_keeps_runtime_annotations():
    """Dagster reads resource annotations at runtime; postponed annotations would break it."""
    import sf_assets.resources.warehouse as module

    assert "from __future__ import annotations" not in Path(module.__file__).read_text()
