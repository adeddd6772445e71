"""SQLite, the embedded warehouse: one file per schema, ATTACHed under the schema's name.

`<dir>/warehouse.db` is the main file and `<dir>/<schema>.db` holds a schema's tables, attached as
`<schema>` on every pooled connection, so `sfdc_prod.accounts` names the same table as on PostgreSQL.
SQLite attaches at most `SQLITE_MAX_SCHEMAS` (10) databases per connection, hence at most 10 schemas.

Representation (declared types are PostgreSQL's names, which give these affinities):
TEXT → text; BOOLEAN → 0/1; BIGINT → integer; NUMERIC(p,s) → integer or real (exact to 15
significant digits); DOUBLE PRECISION → real; DATE → 'YYYY-MM-DD'; TIMESTAMPTZ →
'YYYY-MM-DD HH:MM:SS.fff+00:00' (always UTC and fixed width, so text order is time order);
TIME → 'HH:MM:SS.fff'. Files are in WAL mode so readers never block a load.
"""

import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from ..lib.types import ColumnSpec, ColumnType
from .columns import ID, spec_from_sql_type, sql_type
from .dialect import NUMBERS, BadValue, Dialect, MergeColumn
from .errors import URL_SETTING, WarehouseConfigError
from .values import canonical_timestamp, csv_rows

SQLITE_MAX_SCHEMAS = 10  # SQLITE_MAX_ATTACHED, SQLite's compiled-in default
# Loads from parallel runs take turns at the write lock; a merge can take a while on a big table.
BUSY_TIMEOUT_S = 600
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%f+00:00"
_ATTACHED = "sf_assets_attached"
_BEGIN = "sf_assets_begin"
# SQLite parses OR chains recursively (expression depth limit 1000): check casts in slices.
_CHECK_SLICE = 100


class SqliteDialect(Dialect):
    name = "sqlite"
    temp_schema = "temp"
    row_order = "rowid"

    def __init__(self, main_file: Path) -> None:
        self.directory = main_file.parent
        self._schemas: set[str] = set()
        self._lock = threading.Lock()
        self.directory.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(f"sqlite:///{main_file}", connect_args={"timeout": BUSY_TIMEOUT_S})
        sa.event.listen(engine, "connect", self._on_connect)
        sa.event.listen(engine, "checkout", self._on_checkout)
        sa.event.listen(engine, "begin", self._on_begin)
        super().__init__(engine)

    # --- schemas as attached files -------------------------------------------------------------------
    def schema_file(self, schema: str) -> Path:
        return self.directory / f"{schema}.db"

    def has_schema(self, schema: str) -> bool:
        return schema in self._schemas or self.schema_file(schema).exists()

    def ensure_schema(self, schema: str) -> None:
        """Attach `schema` on every connection from now on (new pooled connections and checkouts)."""
        with self._lock:
            if schema in self._schemas:
                return
            if len(self._schemas) >= SQLITE_MAX_SCHEMAS:
                raise WarehouseConfigError(
                    f"the embedded SQLite warehouse holds at most {SQLITE_MAX_SCHEMAS} schemas (SQLite attaches "
                    f"at most {SQLITE_MAX_SCHEMAS} databases per connection); schema {schema!r} would be one more "
                    f"than {sorted(self._schemas)}. Set {URL_SETTING} to a PostgreSQL database to sync more "
                    "Salesforce instances."
                )
            self._schemas.add(schema)

    def _on_connect(self, dbapi_connection: Any, record: Any) -> None:
        # Transactions are opened explicitly (`_on_begin`), so DDL is transactional and BEGIN IMMEDIATE
        # can take the write lock up front; pysqlite's implicit BEGIN would do neither.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        record.info[_ATTACHED] = set()
        self._attach_missing(dbapi_connection, record)

    def _on_checkout(self, dbapi_connection: Any, record: Any, proxy: Any) -> None:
        self._attach_missing(dbapi_connection, record)

    def _attach_missing(self, dbapi_connection: Any, record: Any) -> None:
        attached: set[str] = record.info[_ATTACHED]
        for schema in sorted(self._schemas - attached):
            name = self.raw_q(schema)
            dbapi_connection.execute(f"ATTACH DATABASE ? AS {name}", (str(self.schema_file(schema)),))
            dbapi_connection.execute(f"PRAGMA {name}.journal_mode=WAL")
            # WAL with synchronous=NORMAL stays consistent after a crash; only the last commits may be lost.
            dbapi_connection.execute(f"PRAGMA {name}.synchronous=NORMAL")
            attached.add(schema)

    def _on_begin(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql(conn.info.pop(_BEGIN, "BEGIN"))

    # --- types ---------------------------------------------------------------------------------------
    def parse(self, spec: ColumnSpec, raw: str) -> str:
        kind = spec.type
        if kind == ColumnType.TEXT:
            return f"NULLIF({raw}, '')"
        if kind == ColumnType.BOOLEAN:
            return f"CASE lower({raw}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 WHEN '1' THEN 1 WHEN '0' THEN 0 END"
        # Numbers are staged in NUMERIC-affinity columns: well-formed ones arrive as integer or real,
        # anything else stays text and so fails the cast check.
        if kind == ColumnType.INTEGER:
            return (
                f"CASE WHEN typeof({raw}) = 'integer' THEN {raw} "
                f"WHEN typeof({raw}) = 'real' AND {raw} = CAST({raw} AS INTEGER) THEN CAST({raw} AS INTEGER) END"
            )
        if kind == ColumnType.NUMERIC:
            rounded = raw if spec.scale is None else f"round({raw}, {int(spec.scale)})"
            return f"CASE typeof({raw}) WHEN 'integer' THEN {raw} WHEN 'real' THEN {rounded} END"
        if kind == ColumnType.DOUBLE:
            return f"CASE WHEN typeof({raw}) IN ('integer', 'real') THEN CAST({raw} AS REAL) END"
        if kind == ColumnType.DATE:
            return f"date(NULLIF({raw}, ''))"
        # SQLite's date functions take "Z" and "+hh:mm" but not REST's "+hhmm".
        offset = (
            f"CASE WHEN {raw} GLOB '*[+-][0-9][0-9][0-9][0-9]' "
            f"THEN substr({raw}, 1, length({raw}) - 2) || ':' || substr({raw}, -2) ELSE {raw} END"
        )
        if kind == ColumnType.TIMESTAMP:
            return f"strftime('{TIMESTAMP_FORMAT}', {offset})"
        return f"strftime('%H:%M:%f', {offset})"

    def convert(self, old: ColumnSpec, new: ColumnSpec, expr: str) -> str:
        if new.type == ColumnType.TEXT:
            return _wire_text(old, expr)
        if new.type == ColumnType.DOUBLE:
            return f"CAST({expr} AS REAL)"
        if old.type == ColumnType.DATE and new.type == ColumnType.TIMESTAMP:
            return f"strftime('{TIMESTAMP_FORMAT}', {expr})"
        return expr  # 0/1 and integers already are NUMERIC values

    def timestamp_param(self, moment: datetime) -> Any:
        return canonical_timestamp(moment)

    def python_value(self, spec: ColumnSpec) -> Callable[[Any], Any]:
        convert = _PYTHON.get(spec.type, lambda v: v)
        if spec.type == ColumnType.NUMERIC and spec.scale is not None:
            quantum = Decimal(1).scaleb(-spec.scale)
            return lambda v: None if v is None else _decimal(v).quantize(quantum)
        return lambda v: None if v is None else convert(v)

    def row_differs(self, left: list[str], right: list[str]) -> str:
        return f"({', '.join(left)}) IS NOT ({', '.join(right)})"

    # --- catalog and DDL -----------------------------------------------------------------------------
    def table_exists(self, conn: sa.Connection, schema: str, table: str) -> bool:
        sql = (
            f"SELECT EXISTS (SELECT 1 FROM {self.q(schema)}.sqlite_schema WHERE type = 'table' AND name = :t)"
        )
        return bool(conn.execute(sa.text(sql), {"t": table}).scalar())

    def read_columns(self, conn: sa.Connection, schema: str, table: str) -> list[ColumnSpec] | None:
        rows = conn.execute(
            sa.text("SELECT name, type FROM pragma_table_info(:t, :s) ORDER BY cid"),
            {"t": table, "s": schema},
        ).all()
        return [spec_from_sql_type(name, declared) for name, declared in rows] or None

    def alter_table(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        current: list[ColumnSpec],
        added: Sequence[ColumnSpec],
        widened: Sequence[tuple[ColumnSpec, ColumnSpec]],
    ) -> None:
        if widened:
            self._rebuild(conn, schema, table, current, widened)
        for column in added:
            conn.execute(
                sa.text(
                    f"ALTER TABLE {self.table(schema, table)} ADD COLUMN {self.column_ddl(column, new_table=False)}"
                )
            )

    def _rebuild(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        current: list[ColumnSpec],
        widened: Sequence[tuple[ColumnSpec, ColumnSpec]],
    ) -> None:
        """Re-declare widened columns by copying the table (SQLite's documented ALTER procedure).

        A column keeps the affinity it was declared with, and e.g. an INTEGER affinity would turn the
        text '00123' into 123 after widening to TEXT; re-declaring keeps types and values true.
        """
        by_name = {old.name: (old, new) for old, new in widened}
        declared = conn.execute(
            sa.text('SELECT name, "notnull", dflt_value FROM pragma_table_info(:t, :s) ORDER BY cid'),
            {"t": table, "s": schema},
        ).all()
        # Constraints and defaults are carried over as declared; only the widened types change.
        body = ", ".join(
            f"{self.q(name)} {sql_type(by_name[name][1] if name in by_name else spec)}"
            f"{' NOT NULL' if not_null else ''}{'' if default is None else f' DEFAULT {default}'}"
            for (name, not_null, default), spec in zip(declared, current, strict=True)
        )
        scratch = f"_sf_assets_rebuild_{table}"
        conn.execute(
            sa.text(f"CREATE TABLE {self.table(schema, scratch)} ({body}, PRIMARY KEY ({self.q(ID)}))")
        )
        names = ", ".join(self.q(c.name) for c in current)
        values = ", ".join(
            self.convert(*by_name[c.name], self.q(c.name)) if c.name in by_name else self.q(c.name)
            for c in current
        )
        conn.execute(
            sa.text(
                f"INSERT INTO {self.table(schema, scratch)} ({names}) SELECT {values} FROM {self.table(schema, table)}"
            )
        )
        conn.execute(sa.text(f"DROP TABLE {self.table(schema, table)}"))
        # Legacy rename leaves users' views on the table alone instead of failing on them.
        conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
        try:
            conn.execute(sa.text(f"ALTER TABLE {self.table(schema, scratch)} RENAME TO {self.q(table)}"))
        finally:
            conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")

    # --- loads ---------------------------------------------------------------------------------------
    def begin_load(self, conn: sa.Connection, schema: str, table: str) -> None:
        """Staging goes to the connection's temp database and takes no lock on the schema files."""

    def staging(self, conn: sa.Connection) -> AbstractContextManager:
        return conn.begin()

    def begin_merge(self, conn: sa.Connection) -> None:
        # Take the write lock before reading the table's columns, so the plan cannot go stale.
        conn.info[_BEGIN] = "BEGIN IMMEDIATE"
        conn.begin()

    def create_stage(self, conn: sa.Connection, name: str, columns: Sequence[tuple[str, ColumnSpec]]) -> None:
        body = ", ".join(
            f"{self.q(n)} {'NUMERIC' if spec.type in NUMBERS else 'TEXT'}" for n, spec in columns
        )
        conn.execute(sa.text(f"CREATE TEMP TABLE {self.q(name)} ({body})"))

    def stage_csv(self, conn: sa.Connection, name: str, columns: Sequence[str], data: BinaryIO) -> int:
        return self.stage_rows(conn, name, columns, csv_rows(data))

    def stage_rows(
        self, conn: sa.Connection, name: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> int:
        placeholders = ", ".join("?" for _ in columns)
        sql = (
            f"INSERT INTO temp.{self.raw_q(name)} ({', '.join(self.raw_q(c) for c in columns)}) "
            f"VALUES ({placeholders})"
        )
        batch = [tuple(row) for row in rows]
        if batch:
            conn.exec_driver_sql(sql, batch)
        return len(batch)

    def finish(self, conn: sa.Connection, *, commit: bool, stages: Iterable[str]) -> None:
        if conn.in_transaction():
            if commit:
                conn.commit()
            else:
                conn.rollback()
        try:
            with conn.begin():
                for stage in stages:
                    conn.execute(sa.text(f"DROP TABLE IF EXISTS {self.stage(stage)}"))
        except sa.exc.DBAPIError:
            # The load itself is settled; a connection that may still hold staging tables is just
            # not returned to the pool.
            conn.invalidate()

    def check_casts(self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn]) -> BadValue | None:
        typed = [c for c in columns if not c.wanted.type == c.effective.type == ColumnType.TEXT]
        for start in range(0, len(typed), _CHECK_SLICE):
            part = typed[start : start + _CHECK_SLICE]
            flags = [
                f"(NULLIF(s.{self.q(c.name)}, '') IS NOT NULL AND ({self.cast(c, f's.{self.q(c.name)}')}) IS NULL)"
                for c in part
            ]
            raws = [f"s.{self.q(c.name)}" for c in part]
            row = conn.execute(
                sa.text(
                    f"SELECT {', '.join(flags + raws)} FROM {stage} AS s WHERE {' OR '.join(flags)} LIMIT 1"
                )
            ).first()
            if row is not None:
                index = next(i for i, flag in enumerate(row[: len(part)]) if flag)
                column = part[index]
                value = row[len(part) + index]
                return BadValue(column, str(value), f"not a valid {column.wanted.type.value} value")
        return None

    def explain_cast_error(
        self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn], error: sa.exc.DBAPIError
    ) -> BadValue | None:
        """SQLite casts never raise; `check_casts` found any bad value before the merge."""
        return None

    def prepare_live_ids(self, conn: sa.Connection, name: str) -> None:
        conn.execute(sa.text(f"CREATE INDEX temp.{self.q(name + '_id')} ON {self.q(name)} ({self.q(ID)})"))


def _wire_text(old: ColumnSpec, expr: str) -> str:
    """Salesforce's CSV form, so a widened column's old and new values read alike."""
    kind = old.type
    if kind == ColumnType.BOOLEAN:
        return f"CASE {expr} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
    if kind == ColumnType.NUMERIC and old.scale is not None:
        return f"CASE WHEN {expr} IS NOT NULL THEN printf('%.{int(old.scale)}f', {expr}) END"
    if kind == ColumnType.DOUBLE:
        return (
            f"CASE WHEN {expr} = CAST({expr} AS INTEGER) THEN CAST(CAST({expr} AS INTEGER) AS TEXT) "
            f"ELSE CAST({expr} AS TEXT) END"
        )
    if kind == ColumnType.TIMESTAMP:
        return f"strftime('%Y-%m-%dT%H:%M:%fZ', {expr})"
    if kind == ColumnType.TIME:
        return f"{expr} || 'Z'"
    if kind in (ColumnType.TEXT, ColumnType.DATE):
        return expr
    return f"CAST({expr} AS TEXT)"


def _decimal(value: int | float | str) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


_PYTHON: dict[ColumnType, Callable[[Any], Any]] = {
    ColumnType.BOOLEAN: bool,
    ColumnType.INTEGER: int,
    ColumnType.NUMERIC: _decimal,
    ColumnType.DOUBLE: float,
    ColumnType.DATE: date.fromisoformat,
    ColumnType.TIMESTAMP: lambda v: datetime.fromisoformat(v).astimezone(UTC),
    ColumnType.TIME: time.fromisoformat,
}
