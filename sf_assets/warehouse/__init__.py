"""The warehouse writer: plain Python over SQLAlchemy Core, no Dagster (see `sf_assets.resources.warehouse`).

`Warehouse(url)` writes Salesforce collections to SQLite files (default) or PostgreSQL:
`with warehouse.load(schema, table, columns, run_id=...) as load: load.add(batch)`.
"""

from .columns import BOOKKEEPING, DELETED_AT, IS_DELETED, RECEIVED_AT, SYNC_RUN_ID, SchemaChanges
from .errors import (
    TableNotFound,
    WarehouseCastError,
    WarehouseConfigError,
    WarehouseConnectionError,
    WarehouseError,
    WarehouseLoadError,
    WarehouseSchemaError,
)
from .load import Load, LoadStats
from .sqlite import SQLITE_MAX_SCHEMAS
from .warehouse import DEFAULT_DATA_DIR, Warehouse, engine_url, mask_url, warehouse_kind

__all__ = [
    "BOOKKEEPING",
    "DEFAULT_DATA_DIR",
    "DELETED_AT",
    "IS_DELETED",
    "RECEIVED_AT",
    "SQLITE_MAX_SCHEMAS",
    "SYNC_RUN_ID",
    "Load",
    "LoadStats",
    "SchemaChanges",
    "TableNotFound",
    "Warehouse",
    "WarehouseCastError",
    "WarehouseConfigError",
    "WarehouseConnectionError",
    "WarehouseError",
    "WarehouseLoadError",
    "WarehouseSchemaError",
    "engine_url",
    "mask_url",
    "warehouse_kind",
]
