"""PostgreSQL: COPY into an all-TEXT temp table, cast in one INSERT … ON CONFLICT, one transaction.

The first load of a table skips staging: it COPYs straight into the table it creates (see
`create_for_copy`), as fast as a bare COPY plus a sorted primary-key build.
"""

import io
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any, BinaryIO

import sqlalchemy as sa

from ..lib.types import ColumnSpec, ColumnType
from .columns import ID, RECEIVED_AT, SYNC_RUN_ID, spec_from_sql_type, sql_type
from .dialect import NUMBERS, BadValue, Dialect, MergeColumn
from .values import canonical_timestamp, to_csv, utc_ms

_INFORMATION_SCHEMA_TYPES = {
    "text": "TEXT",
    "boolean": "BOOLEAN",
    "bigint": "BIGINT",
    "double precision": "DOUBLE PRECISION",
    "date": "DATE",
    "timestamp with time zone": "TIMESTAMPTZ",
    "time without time zone": "TIME",
}
_RECEIVED_AT = "sf_assets.received_at"
_RUN_ID = "sf_assets.run_id"
_QUOTED_VALUE = re.compile(r': "(.*)"\s*$', re.DOTALL)
# COPY reads the page in slices this big; larger slices cut round trips through psycopg2.
_COPY_SLICE = 1 << 20


def create_engine(url: sa.URL) -> sa.Engine:
    return sa.create_engine(
        url,
        client_encoding="utf8",
        pool_pre_ping=True,
        # UTC sessions: timestamps without an offset (none come from Salesforce) read as UTC, and
        # fetched values come back with a UTC offset.
        connect_args={"options": "-c timezone=UTC", "connect_timeout": 10, "application_name": "sf_assets"},
    )


class PostgresDialect(Dialect):
    name = "postgresql"
    temp_schema = "pg_temp"
    row_order = "ctid"  # staging tables are append-only, so ctid order is insertion order
    max_identifier_bytes = 63
    copies_into_new_tables = True

    # --- types ---------------------------------------------------------------------------------------
    def parse(self, spec: ColumnSpec, raw: str) -> str:
        text = f"NULLIF({raw}, '')"
        if spec.type == ColumnType.TEXT:
            return text
        return f"{text}::{sql_type(spec)}"

    def convert(self, old: ColumnSpec, new: ColumnSpec, expr: str) -> str:
        if new.type == ColumnType.TEXT:
            return _wire_text(old, expr)
        if old.type == ColumnType.BOOLEAN and new.type in NUMBERS:
            return f"({expr})::integer::{sql_type(new)}"
        if old.type == ColumnType.DATE and new.type == ColumnType.TIMESTAMP:
            return f"(({expr})::timestamp AT TIME ZONE 'UTC')"
        return f"({expr})::{sql_type(new)}"

    def timestamp_param(self, moment: datetime) -> Any:
        return utc_ms(moment)

    def python_value(self, spec: ColumnSpec) -> Callable[[Any], Any]:
        if spec.type == ColumnType.TIMESTAMP:
            return lambda v: None if v is None else v.astimezone(UTC)
        return lambda v: v

    def row_differs(self, left: list[str], right: list[str]) -> str:
        return f"({', '.join(left)}) IS DISTINCT FROM ({', '.join(right)})"

    def order_by_id(self) -> str:
        # Byte order, as on SQLite, whatever the database's collation.
        return f'{self.q(ID)} COLLATE "C"'

    # --- catalog and DDL -----------------------------------------------------------------------------
    def ensure_schema(self, conn: sa.Connection, schema: str) -> None:
        # Look first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema
        # exists, and production users often get a schema made for them without it.
        exists = sa.text("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = :s)")
        if not conn.execute(exists, {"s": schema}).scalar():
            conn.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {self.q(schema)}"))

    def table_exists(self, conn: sa.Connection, schema: str, table: str) -> bool:
        sql = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = :s AND tablename = :t)"
        return bool(conn.execute(sa.text(sql), {"s": schema, "t": table}).scalar())

    def read_columns(self, conn: sa.Connection, schema: str, table: str) -> list[ColumnSpec] | None:
        rows = conn.execute(
            sa.text(
                "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns"
                " WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position"
            ),
            {"s": schema, "t": table},
        ).all()
        if not rows:
            return None
        specs = []
        for name, data_type, precision, scale in rows:
            if data_type == "numeric":
                declared = "NUMERIC" if precision is None else f"NUMERIC({precision},{scale})"
            else:
                declared = _INFORMATION_SCHEMA_TYPES.get(data_type, data_type)
            specs.append(spec_from_sql_type(name, declared))
        return specs

    def alter_table(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        current: list[ColumnSpec],
        added: Sequence[ColumnSpec],
        widened: Sequence[tuple[ColumnSpec, ColumnSpec]],
    ) -> None:
        # One ALTER TABLE, so the table is rewritten at most once.
        actions = [f"ADD COLUMN {self.column_ddl(c, new_table=False)}" for c in added]
        actions += [
            f"ALTER COLUMN {self.q(new.name)} TYPE {sql_type(new)} USING {self.convert(old, new, self.q(old.name))}"
            for old, new in widened
        ]
        if actions:
            conn.execute(sa.text(f"ALTER TABLE {self.table(schema, table)} {', '.join(actions)}"))

    # --- loads ---------------------------------------------------------------------------------------
    def begin_load(self, conn: sa.Connection, schema: str, table: str) -> None:
        conn.begin()
        # Two loads of one table queue here instead of deadlocking on the ALTER/merge locks.
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"sf_assets.load:{schema}.{table}"},
        )

    def staging(self, conn: sa.Connection) -> AbstractContextManager:
        return nullcontext()

    def begin_merge(self, conn: sa.Connection) -> None:
        """The load's transaction has been open since `begin_load`."""

    def create_stage(self, conn: sa.Connection, name: str, columns: Sequence[tuple[str, ColumnSpec]]) -> None:
        body = ", ".join(f"{self.q(n)} TEXT" for n, _ in columns)
        conn.execute(sa.text(f"CREATE TEMP TABLE {self.q(name)} ({body}) ON COMMIT DROP"))

    def stage_csv(self, conn: sa.Connection, name: str, columns: Sequence[str], data: BinaryIO) -> int:
        names = ", ".join(self.raw_q(c) for c in columns)
        return self._copy(
            conn, f"COPY {self.temp_schema}.{self.raw_q(name)} ({names}) FROM STDIN WITH (FORMAT csv)", data
        )

    def stage_rows(
        self, conn: sa.Connection, name: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> int:
        return self.stage_csv(conn, name, columns, io.BytesIO(to_csv(rows)))

    def _copy(self, conn: sa.Connection, sql: str, data: BinaryIO) -> int:
        dbapi_error = conn.dialect.loaded_dbapi.Error
        try:
            with conn.connection.dbapi_connection.cursor() as cursor:
                cursor.copy_expert(sql, data, size=_COPY_SLICE)
                return cursor.rowcount
        except dbapi_error as error:
            # The raw cursor bypasses SQLAlchemy: give callers the exception class they would get from it.
            raise sa.exc.DBAPIError.instance(sql, None, error, dbapi_error) from error

    # --- the first load of a table: COPY straight into it ---------------------------------------------
    def create_for_copy(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        columns: Iterable[ColumnSpec],
        *,
        received_at: datetime,
        run_id: str,
    ) -> None:
        """Create the table, unkeyed, with the load's bookkeeping values as column defaults.

        COPY then parses straight into the typed table, as a bare COPY does, with no staging copy and
        no index to maintain per row; the values reach the defaults through transaction-local settings,
        so they stay bound parameters.
        """
        conn.execute(
            sa.text(
                f"SELECT set_config('{_RECEIVED_AT}', :received_at, true), set_config('{_RUN_ID}', :run_id, true)"
            ),
            {"received_at": canonical_timestamp(received_at), "run_id": run_id},
        )
        self.create_table(conn, schema, table, columns, primary_key=False)
        conn.execute(
            sa.text(
                f"ALTER TABLE {self.table(schema, table)} "
                f"ALTER COLUMN {self.q(RECEIVED_AT.name)} SET DEFAULT current_setting('{_RECEIVED_AT}')::timestamptz, "
                f"ALTER COLUMN {self.q(SYNC_RUN_ID.name)} SET DEFAULT current_setting('{_RUN_ID}')"
            )
        )

    def copy_into_table(
        self, conn: sa.Connection, schema: str, table: str, columns: Sequence[str], data: BinaryIO
    ) -> int:
        names = ", ".join(self.raw_q(c) for c in columns)
        # FORCE_NULL makes a quoted "" null too: Salesforce has no empty strings, as NULLIF does when staging.
        sql = (
            f"COPY {self.raw_q(schema)}.{self.raw_q(table)} ({names}) "
            f"FROM STDIN WITH (FORMAT csv, FORCE_NULL ({names}))"
        )
        return self._copy(conn, sql, data)

    def seal_copied_table(self, conn: sa.Connection, schema: str, table: str, cursor: str | None) -> int:
        target = self.table(schema, table)
        conn.execute(
            sa.text(
                f"ALTER TABLE {target} ALTER COLUMN {self.q(RECEIVED_AT.name)} DROP DEFAULT, "
                f"ALTER COLUMN {self.q(SYNC_RUN_ID.name)} DROP DEFAULT"
            )
        )
        # A read holds each id once unless a row changed while its pages were read, so the key is
        # tried first: a failed build is the rare case, where a scan for duplicates would be every case.
        try:
            with conn.begin_nested():
                self.add_primary_key(conn, schema, table)
            return 0
        except sa.exc.IntegrityError:
            pass
        newest = f"{self.q(cursor)} DESC NULLS LAST, " if cursor else ""
        dropped = conn.execute(
            sa.text(
                f"DELETE FROM {target} AS t USING (SELECT ctid AS row_id, row_number() OVER "
                f"(PARTITION BY {self.q(ID)} ORDER BY {newest}ctid DESC) AS rn FROM {target}) AS d "
                "WHERE t.ctid = d.row_id AND d.rn > 1"
            )
        ).rowcount
        self.add_primary_key(conn, schema, table)
        return dropped

    def explain_copy_error(self, error: sa.exc.DBAPIError, columns: Sequence[ColumnSpec]) -> BadValue | None:
        diag = getattr(error.orig, "diag", None)
        context = getattr(diag, "context", None) or ""
        # COPY's context reads `COPY <table>, line <n>, column <name>: "<value>"`.
        matches = [c for c in columns if f", column {c.name}: " in context]
        if not matches:
            return None
        column = max(matches, key=lambda c: len(c.name))
        value = context.split(f", column {column.name}: ", 1)[1]
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        return BadValue(MergeColumn(column, column), value, _error_text(error))

    def finish(self, conn: sa.Connection, *, commit: bool, stages: Iterable[str]) -> None:
        # Staging tables are ON COMMIT DROP: they go with the transaction either way.
        if commit:
            conn.commit()
        else:
            conn.rollback()

    def check_casts(self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn]) -> BadValue | None:
        """PostgreSQL raises on the first bad value by itself, during the merge."""
        return None

    def explain_cast_error(
        self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn], error: sa.exc.DBAPIError
    ) -> BadValue | None:
        """The first column whose staged values do not all cast (one scan per column, failures only)."""
        for column in columns:
            if column.wanted.type == column.effective.type == ColumnType.TEXT:
                continue
            try:
                with conn.begin_nested():
                    conn.execute(
                        sa.text(f"SELECT count({self.cast(column, self.q(column.name))}) FROM {stage}")
                    )
            except sa.exc.DBAPIError as column_error:
                detail = _error_text(column_error)
                return BadValue(column, _quoted_value(detail), detail)
        return None

    def prepare_live_ids(self, conn: sa.Connection, name: str) -> None:
        # Temp tables are never auto-analyzed; without statistics the anti-join may pick a nested loop.
        conn.execute(sa.text(f"ANALYZE {self.stage(name)}"))


def _wire_text(old: ColumnSpec, expr: str) -> str:
    """Salesforce's CSV form, so a widened column's old and new values read alike."""
    if old.type == ColumnType.DATE:
        return f"to_char({expr}, 'YYYY-MM-DD')"
    if old.type == ColumnType.TIMESTAMP:
        return f"to_char(({expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    if old.type == ColumnType.TIME:
        return f"to_char({expr}, 'HH24:MI:SS.MS\"Z\"')"
    return f"({expr})::text"


def _error_text(error: sa.exc.DBAPIError) -> str:
    diag = getattr(error.orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    return primary or str(error.orig).splitlines()[0]


def _quoted_value(message: str) -> str | None:
    """The offending value PostgreSQL quotes at the end of an input-syntax error, if any."""
    match = _QUOTED_VALUE.search(message)
    return match[1] if match else None
