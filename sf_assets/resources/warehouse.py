"""The warehouse as a Dagster resource: settings in, a cached `Warehouse` out."""

import dagster as dg
from pydantic import PrivateAttr

from ..warehouse import DEFAULT_DATA_DIR, Warehouse, mask_url


class WarehouseResource(dg.ConfigurableResource):
    """Where collections are written: embedded SQLite files by default, PostgreSQL with a URL.

    `url`: set it from `dg.EnvVar("SF_ASSETS_WAREHOUSE_URL")` in definitions, e.g.
    `postgresql+psycopg2://user:password@host:5432/db`; unset means SQLite files in `data_dir`
    (`warehouse.db` plus one `<schema>.db` per schema, at most 10 schemas). The URL is never logged:
    reprs and `display_url` mask the password. Nothing connects before `get_warehouse()` is used.
    """

    url: str | None = None
    data_dir: str = DEFAULT_DATA_DIR

    _warehouse: Warehouse | None = PrivateAttr(default=None)

    def get_warehouse(self) -> Warehouse:
        """The warehouse, built on first use and then reused by this resource instance."""
        if self._warehouse is None:
            self._warehouse = Warehouse(self.url, data_dir=self.data_dir)
        return self._warehouse

    @property
    def display_url(self) -> str:
        """The warehouse URL with its password masked, for metadata."""
        return self.get_warehouse().display_url

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._warehouse is not None:
            self._warehouse.dispose()

    def __repr_args__(self):  # noqa: ANN204 - pydantic's signature
        # Pydantic's repr would print a resolved URL, password included.
        for name, value in super().__repr_args__():
            if name == "url" and isinstance(value, str) and not isinstance(value, dg.EnvVar):
                value = mask_url(value)
            yield name, value
