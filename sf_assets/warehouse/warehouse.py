"""The warehouse: SQLite files by default, PostgreSQL from a URL; loads, DDL and reads for checks."""

import re
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..lib.types import ColumnSpec
from .columns import IS_DELETED, SchemaChanges, check_columns, described
from .dialect import Dialect
from .errors import (
    URL_SETTING,
    TableNotFound,
    WarehouseConfigError,
    WarehouseConnectionError,
    WarehouseError,
    WarehouseSchemaError,
)
from .load import Load, apply_plan
from .postgres import PostgresDialect, create_engine
from .sqlite import SqliteDialect

DEFAULT_DATA_DIR = "data/warehouse"
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_SQLITE_RESERVED = frozenset({"main", "temp"})


def engine_url(url: str | None, data_dir: str | Path = DEFAULT_DATA_DIR) -> sa.URL:
    """The SQLAlchemy URL a warehouse setting means; None is the embedded SQLite file in `data_dir`."""
    if url is None:
        return sa.URL.create("sqlite", database=str(Path(data_dir).resolve() / "warehouse.db"))
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as error:
        # The text is not echoed: it may hold a password.
        raise WarehouseConfigError(
            f"{URL_SETTING} is not a database URL; expected postgresql+psycopg2://user:password@host:5432/db, "
            "or leave it unset for the embedded SQLite warehouse"
        ) from error
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg2":
            raise WarehouseConfigError(
                f"{URL_SETTING} uses driver {parsed.get_driver_name()!r}; the loader streams COPY through "
                "psycopg2, so use postgresql+psycopg2://…"
            )
        return parsed
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise WarehouseConfigError(
                f"{URL_SETTING} must name a SQLite file (schemas are files beside it), not an in-memory database"
            )
        return parsed.set(database=str(Path(parsed.database).resolve()))
    raise WarehouseConfigError(
        f"{URL_SETTING} names a {backend!r} database; sf_assets writes to PostgreSQL "
        "(postgresql+psycopg2://…) or, with no URL, to embedded SQLite files"
    )


def mask_url(url: str) -> str:
    """`url` with its password masked, for logs and reprs; never raises, never echoes an unparsable URL."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<not a database URL>"


def warehouse_kind(url: str | None) -> str:
    """The Dagster kind of the warehouse a setting names ("postgres" or "sqlite"), without connecting."""
    return "postgres" if engine_url(url).get_backend_name() == "postgresql" else "sqlite"


class Warehouse:
    """Salesforce collections as tables: `<schema>.<table>`, upserted on `id`, never dropping data.

    Nothing connects until the first call. On SQLite each schema is a file `<data_dir>/<schema>.db`
    attached as `<schema>` (at most 10, SQLite's attach limit); on PostgreSQL schemas are created on
    first load. Table layout and bookkeeping columns: see `sf_assets.warehouse.columns`.
    """

    def __init__(self, url: str | None = None, *, data_dir: str | Path = DEFAULT_DATA_DIR) -> None:
        self.url = engine_url(url, data_dir)
        self._dialect: Dialect | None = None
        self._lock = threading.Lock()
        self._schemas_created: set[str] = set()

    def __repr__(self) -> str:
        return f"Warehouse({self.display_url})"

    @property
    def display_url(self) -> str:
        """The URL with its password masked: the only form that goes into logs and metadata."""
        return self.url.render_as_string(hide_password=True)

    @property
    def kind(self) -> str:
        return "postgres" if self.url.get_backend_name() == "postgresql" else "sqlite"

    @property
    def dialect(self) -> Dialect:
        with self._lock:
            if self._dialect is None:
                if self.kind == "postgres":
                    self._dialect = PostgresDialect(create_engine(self.url))
                else:
                    self._dialect = SqliteDialect(Path(self.url.database))
            return self._dialect

    def dispose(self) -> None:
        """Close pooled connections (a new one opens on the next call)."""
        if self._dialect is not None:
            self._dialect.engine.dispose()

    # --- writes --------------------------------------------------------------------------------------
    def load(
        self,
        schema: str,
        table: str,
        columns: Sequence[ColumnSpec],
        *,
        cursor_column: str | None = "system_modstamp",
        run_id: str,
        received_at: datetime | None = None,
    ) -> Load:
        """An atomic, idempotent load of `schema.table`; use as `with warehouse.load(...) as load:`.

        `cursor_column` orders row versions (None: a row is rewritten whenever a value differs);
        `run_id` and `received_at` (default now) are written to every row the load changes.
        """
        self._prepare_schema(schema, create=True)
        return Load(
            self.dialect,
            self._connect,
            schema,
            table,
            list(columns),
            cursor_column=cursor_column,
            run_id=run_id,
            received_at=received_at or datetime.now(UTC),
        )

    def ensure_table(self, schema: str, table: str, columns: Sequence[ColumnSpec]) -> SchemaChanges:
        """Create `schema.table` or add and widen its columns to take `columns`; returns what changed."""
        d = self.dialect
        check_columns(list(columns), max_identifier_bytes=d.max_identifier_bytes)
        self._prepare_schema(schema, create=True)
        with self._connect() as conn:
            d.begin_load(conn, schema, table)
            d.begin_merge(conn)
            plan = apply_plan(d, conn, schema, table, list(columns))
            conn.commit()
        return plan.changes

    # --- reads ---------------------------------------------------------------------------------------
    def table_exists(self, schema: str, table: str) -> bool:
        if not self._prepare_schema(schema, create=False):
            return False
        with self._connect() as conn:
            return self.dialect.table_exists(conn, schema, table)

    def columns(self, schema: str, table: str) -> list[ColumnSpec]:
        """The table's columns in order, bookkeeping included (`sf_name` is not stored: None)."""
        with self._reading(schema, table) as conn:
            return described(self._columns(conn, schema, table))

    def row_count(self, schema: str, table: str, include_deleted: bool = True) -> int:
        """Rows in the table; without `include_deleted`, only rows whose `is_deleted` is false."""
        where = (
            "" if include_deleted else f" WHERE COALESCE({self.dialect.q(IS_DELETED.name)}, false) = false"
        )
        with self._reading(schema, table) as conn:
            self._columns(conn, schema, table)
            sql = f"SELECT count(*) FROM {self.dialect.table(schema, table)}{where}"
            return conn.execute(sa.text(sql)).scalar_one()

    def latest(self, schema: str, table: str, column: str) -> Any:
        """The column's greatest value as its Python type (an aware UTC datetime for timestamps), or
        None when the table is empty."""
        d = self.dialect
        with self._reading(schema, table) as conn:
            spec = next((c for c in self._columns(conn, schema, table) if c.name == column), None)
            if spec is None:
                raise WarehouseSchemaError(f"{schema}.{table} has no column {column}")
            value = conn.execute(
                sa.text(f"SELECT max({d.q(column)}) FROM {d.table(schema, table)}")
            ).scalar_one()
            return None if value is None else d.python_value(spec)(value)

    def fetch_all(self, schema: str, table: str) -> list[dict]:
        """Every row as typed Python values (aware UTC datetimes, date, time, bool, int, Decimal, float,
        str), ordered by id in byte order. For checks and tests: it holds the whole table in memory."""
        d = self.dialect
        with self._reading(schema, table) as conn:
            columns = self._columns(conn, schema, table)
            converters = [(c.name, d.python_value(c)) for c in columns]
            names = ", ".join(d.q(c.name) for c in columns)
            result = conn.execute(
                sa.text(f"SELECT {names} FROM {d.table(schema, table)} ORDER BY {d.order_by_id()}")
            )
            return [
                {name: convert(v) for (name, convert), v in zip(converters, row, strict=True)}
                for row in result
            ]

    def stream_rows(
        self, schema: str, table: str, columns: Sequence[str] | None = None, *, chunk_rows: int = 5000
    ) -> Iterator[dict]:
        """Rows as typed values (as `fetch_all`), ordered by id, read `chunk_rows` at a time so memory
        stays bounded whatever the table size; `columns` limits what is read (default: all)."""
        d = self.dialect
        with self._reading(schema, table) as conn:
            described_columns = {c.name: c for c in self._columns(conn, schema, table)}
            wanted = list(columns) if columns is not None else list(described_columns)
            missing = [name for name in wanted if name not in described_columns]
            if missing:
                raise WarehouseSchemaError(
                    f"{schema}.{table} has no column {', '.join(missing)}; refresh the catalog and sync the "
                    "collection again so the table gains it"
                )
            converters = [(name, d.python_value(described_columns[name])) for name in wanted]
            sql = (
                f"SELECT {', '.join(d.q(n) for n in wanted)} FROM {d.table(schema, table)} "
                f"ORDER BY {d.order_by_id()}"
            )
            result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(sa.text(sql))
            for row in result:
                yield {name: convert(v) for (name, convert), v in zip(converters, row, strict=True)}

    def connect(self, schema: str) -> sa.Connection:
        """A connection on which `schema` exists (created if need be), for tables of our own
        bookkeeping; the caller commits. Quote names with `dialect.table` / `dialect.q`."""
        self._prepare_schema(schema, create=True)
        return self._connect()

    # --- plumbing ------------------------------------------------------------------------------------
    def _columns(self, conn: sa.Connection, schema: str, table: str) -> list[ColumnSpec]:
        found = self.dialect.read_columns(conn, schema, table)
        if found is None:
            raise TableNotFound(schema, table)
        return found

    def _reading(self, schema: str, table: str) -> sa.Connection:
        if not self._prepare_schema(schema, create=False):
            raise TableNotFound(schema, table)
        return self._connect()

    def _prepare_schema(self, schema: str, *, create: bool) -> bool:
        """Make `schema` usable; False when it does not exist and `create` is false."""
        if not _SCHEMA_NAME.fullmatch(schema) or (
            self.kind == "sqlite" and schema.lower() in _SQLITE_RESERVED
        ):
            raise WarehouseConfigError(
                f"schema name {schema!r} is not usable: use letters, digits and underscores "
                "(not starting with a digit, at most 63 characters, not 'main' or 'temp'); "
                "it is the `schema` setting of the Salesforce instance"
            )
        d = self.dialect
        if self.kind == "sqlite":
            if not create and not d.has_schema(schema):
                return False
            d.ensure_schema(schema)
            return True
        if create and schema not in self._schemas_created:
            with self._connect() as conn:
                try:
                    with conn.begin():
                        d.ensure_schema(conn, schema)
                except sa.exc.IntegrityError:
                    pass  # another run created it between IF NOT EXISTS and the insert
                except sa.exc.DBAPIError as error:
                    raise WarehouseError(
                        f"cannot create schema {schema!r} in {self.display_url}: {_first_line(error)}; "
                        "grant CREATE on the database to the warehouse user or create the schema beforehand"
                    ) from error
            self._schemas_created.add(schema)
        return True

    def _connect(self) -> sa.Connection:
        try:
            return self.dialect.engine.connect()
        except sa.exc.DBAPIError as error:
            raise WarehouseConnectionError(
                f"cannot connect to the warehouse at {self.display_url}: {_first_line(error)}; check {URL_SETTING}"
            ) from error


def _first_line(error: sa.exc.DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
