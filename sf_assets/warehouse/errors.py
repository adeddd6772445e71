"""What can go wrong in the warehouse, one class per condition, each saying what to do about it."""

URL_SETTING = "the warehouse resource's `url` (SF_ASSETS_WAREHOUSE_URL)"


class WarehouseError(Exception):
    """Base class of every warehouse failure."""


class WarehouseConfigError(WarehouseError):
    """The warehouse settings cannot work: bad URL, unsupported database, too many SQLite schemas."""


class WarehouseConnectionError(WarehouseError):
    """The database did not accept a connection (host, port, credentials, database name)."""


class WarehouseSchemaError(WarehouseError):
    """Columns that cannot be stored: no `id`, a duplicate or reserved name, a type the table cannot take."""


class TableNotFound(WarehouseError):
    """A read of a table that no load has created yet."""

    def __init__(self, schema: str, table: str) -> None:
        super().__init__(f"table {schema}.{table} does not exist yet; materialize its asset first")
        self.schema = schema
        self.table = table


class WarehouseCastError(WarehouseError):
    """A staged value does not parse as its column's type. The load was rolled back."""

    def __init__(
        self, schema: str, table: str, column: str, sql_type: str, value: str | None, detail: str
    ) -> None:
        shown = "" if value is None else f" value {value!r}"
        super().__init__(
            f"{schema}.{table}: column {column!r} ({sql_type}) cannot take{shown}: {detail}. "
            "The load was rolled back and the table is unchanged; if Salesforce changed the field's type, "
            "refresh the catalog (`sf-assets catalog refresh`) so the column is widened."
        )
        self.schema = schema
        self.table = table
        self.column = column
        self.sql_type = sql_type
        self.value = value


class WarehouseLoadError(WarehouseError):
    """The database refused a load for another reason (malformed CSV page, constraint). Rolled back."""
