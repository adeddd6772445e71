"""One table's load: stage pages and deletions, then merge them in one transaction on exit."""

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import BinaryIO

import sqlalchemy as sa

from ..lib.batches import Batch, CsvBatch
from ..lib.types import ColumnSpec, ColumnType
from .columns import (
    DELETED_AT,
    ID,
    IS_DELETED,
    SchemaChanges,
    TablePlan,
    check_columns,
    plan_table,
    type_label,
)
from .dialect import BadValue, Dialect, MergeColumn
from .errors import WarehouseCastError, WarehouseError, WarehouseLoadError, WarehouseSchemaError
from .values import canonical_timestamp, chunks, record_rows, to_csv, utc_ms

ROWS = "_sf_stage_rows"
DELETED = "_sf_stage_deleted"
LIVE = "_sf_stage_live"
# Ids are staged in slices this big, so a reconciliation over millions of Ids stays in bounded memory.
ID_SLICE = 50_000


@dataclass(frozen=True)
class LoadStats:
    """What a finished load did. `inserted + updated + unchanged` counts distinct staged ids."""

    staged: int
    inserted: int
    updated: int
    unchanged: int
    marked_deleted: int
    unknown_deleted: int
    table_rows: int
    schema_changes: SchemaChanges

    @property
    def upserted(self) -> int:
        return self.inserted + self.updated


def apply_plan(
    dialect: Dialect, conn: sa.Connection, schema: str, table: str, columns: list[ColumnSpec]
) -> TablePlan:
    """Create the table or add and widen its columns, inside the caller's transaction."""
    current = dialect.read_columns(conn, schema, table)
    plan = plan_table(current, columns)
    if current is None:
        dialect.create_table(conn, schema, table, plan.effective.values())
    elif plan.changes:
        dialect.alter_table(conn, schema, table, current, plan.changes.added, plan.changes.widened)
    return plan


class Load:
    """An atomic, idempotent load of one table; made by `Warehouse.load`, used as a context manager.

    Pages are staged as they are added (memory holds one REST page at most; a Bulk page streams
    from its spooled file). When the `with` block ends without an exception, one transaction
    creates or widens the table, upserts the staged rows (the newest cursor per id wins, and only a
    newer cursor rewrites a stored row), then applies `mark_deleted` and `reconcile`. Any exception
    rolls all of it back. On PostgreSQL the first load of a table COPYs straight into the new, still
    uncommitted table instead of staging.
    """

    def __init__(
        self,
        dialect: Dialect,
        connect: Callable[[], sa.Connection],
        schema: str,
        table: str,
        columns: list[ColumnSpec],
        *,
        cursor_column: str | None,
        run_id: str,
        received_at: datetime,
    ) -> None:
        check_columns(columns, max_identifier_bytes=dialect.max_identifier_bytes)
        names = {c.name for c in columns}
        if cursor_column is not None and cursor_column not in names:
            raise WarehouseSchemaError(
                f"cursor column {cursor_column!r} is not among the columns of {schema}.{table}"
            )
        self._dialect = dialect
        self._connect = connect
        self.schema = schema
        self.table = table
        self._columns = list(columns)
        self._cursor_column = cursor_column
        self._received_at = utc_ms(received_at)
        self._params = {"received_at": dialect.timestamp_param(received_at), "run_id": run_id}
        self._target = dialect.table(schema, table)
        self._conn: sa.Connection | None = None
        self._current: list[ColumnSpec] | None = None
        self._fields: tuple[str, ...] | None = None
        self._staged_columns: list[ColumnSpec] = []
        self._stages: list[str] = []
        self._staged = 0
        self._detected_at: datetime | None = None
        self._stats: LoadStats | None = None
        # Set when this load creates the table and copies into it directly (PostgreSQL).
        self._copy_plan: TablePlan | None = None

    # --- the with block ------------------------------------------------------------------------------
    def __enter__(self) -> "Load":
        if self._conn is not None or self._stats is not None:
            raise RuntimeError("a Load runs once; ask the warehouse for a new one")
        conn = self._connect()
        try:
            with self._database_errors("starting the load"):
                self._dialect.begin_load(conn, self.schema, self.table)
                with self._dialect.staging(conn):
                    self._current = self._dialect.read_columns(conn, self.schema, self.table)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        conn = self._open()
        committed = False
        try:
            if exc_type is None:
                stats = self._merge(conn)
                self._dialect.finish(conn, commit=True, stages=self._stages)
                committed = True
                self._stats = stats
        finally:
            if not committed:
                try:
                    self._dialect.finish(conn, commit=False, stages=self._stages)
                except Exception:
                    # The first error is the one to report; this connection just must not be reused.
                    conn.invalidate()
            conn.close()
            self._conn = None

    @property
    def stats(self) -> LoadStats:
        if self._stats is None:
            raise RuntimeError("load statistics exist once the with block has completed")
        return self._stats

    @property
    def schema_changes(self) -> dict:
        """The load's column changes, JSON-ready for materialization metadata."""
        return self.stats.schema_changes.as_metadata()

    @property
    def target_has_rows(self) -> bool:
        """Whether the table held any row before this load (its own rows land only at the end)."""
        if self._current is None:
            return False
        conn = self._open()
        with self._dialect.staging(conn):
            return bool(conn.execute(sa.text(f"SELECT EXISTS (SELECT 1 FROM {self._target})")).scalar())

    # --- staging -------------------------------------------------------------------------------------
    def add(self, batch: Batch) -> None:
        """Stage one page. Every page of a load carries the same `fields`, mapped by `ColumnSpec.sf_name`."""
        conn = self._open()
        if self._fields is None:
            self._staged_columns = self._map_fields(batch.fields)
            self._fields = batch.fields
            self._prepare_rows(conn)
        elif batch.fields != self._fields:
            raise WarehouseSchemaError(
                f"{self.schema}.{self.table}: every page of a load must have the same fields; "
                f"got {list(batch.fields)} after {list(self._fields)}"
            )
        if not batch.rows:
            return
        # A Bulk page is read from its stream (often a spooled file), never joined in memory.
        data = batch.open() if isinstance(batch, CsvBatch) else None
        d = self._dialect
        names = [c.name for c in self._staged_columns]
        with self._database_errors("staging a page"), d.staging(conn):
            if self._copy_plan is not None:
                rows = data if data is not None else io.BytesIO(to_csv(record_rows(batch)))
                self._staged += self._copy_into_table(conn, names, rows)
            elif data is not None:
                self._staged += d.stage_csv(conn, ROWS, names, data)
            else:
                self._staged += d.stage_rows(conn, ROWS, names, record_rows(batch))

    def _prepare_rows(self, conn: sa.Connection) -> None:
        d = self._dialect
        if self._current is None and d.copies_into_new_tables:
            plan = plan_table(None, self._columns)
            with self._database_errors("creating the table"), d.staging(conn):
                d.create_for_copy(
                    conn,
                    self.schema,
                    self.table,
                    plan.effective.values(),
                    received_at=self._received_at,
                    run_id=self._params["run_id"],
                )
            self._copy_plan = plan
        else:
            self._create_stage(conn, ROWS, [(c.name, c) for c in self._staged_columns])

    def _copy_into_table(self, conn: sa.Connection, names: list[str], data: BinaryIO) -> int:
        try:
            return self._dialect.copy_into_table(conn, self.schema, self.table, names, data)
        except sa.exc.DataError as error:
            bad = self._dialect.explain_copy_error(error, self._staged_columns)
            if bad is None:
                raise
            raise self._cast_error(bad) from error

    def mark_deleted(self, ids_with_times: Iterable[tuple[str, datetime]]) -> None:
        """Hard deletes from Salesforce's `deleted` resource: set `is_deleted` and `deleted_at`.

        Ids not in the table are ignored and counted (`stats.unknown_deleted`); rows already marked
        keep their first `deleted_at`.
        """
        conn = self._open()
        self._create_stage(
            conn, DELETED, [(ID, ColumnSpec(ID, ColumnType.TEXT)), (DELETED_AT.name, DELETED_AT)]
        )
        rows = ((record_id, canonical_timestamp(moment)) for record_id, moment in ids_with_times)
        for part in chunks(rows, ID_SLICE):
            with self._database_errors("staging deleted ids"), self._dialect.staging(conn):
                self._dialect.stage_rows(conn, DELETED, [ID, DELETED_AT.name], part)

    def reconcile(self, live_ids: Iterable[str], detected_at: datetime) -> None:
        """Id reconciliation: rows whose id is not in `live_ids` are marked deleted at `detected_at`.

        `live_ids` must be every Id Salesforce still has (queryAll, so recycle-bin rows count as live).
        Called at most once per load; the Ids are staged in slices, never held all at once.
        """
        if self._detected_at is not None:
            raise RuntimeError("reconcile runs once per load")
        conn = self._open()
        self._detected_at = utc_ms(detected_at)
        self._create_stage(conn, LIVE, [(ID, ColumnSpec(ID, ColumnType.TEXT))])
        for part in chunks(live_ids, ID_SLICE):
            with self._database_errors("staging live ids"), self._dialect.staging(conn):
                self._dialect.stage_rows(conn, LIVE, [ID], [(record_id,) for record_id in part])

    # --- the merge -----------------------------------------------------------------------------------
    def _merge(self, conn: sa.Connection) -> LoadStats:
        d = self._dialect
        with self._database_errors("merging"):
            d.begin_merge(conn)
            if self._copy_plan is not None:
                return self._seal_copied_table(conn)
            plan = apply_plan(d, conn, self.schema, self.table, self._columns)
            fresh = plan.changes.created
            inserted = updated = distinct = 0
            if ROWS in self._stages and self._staged:
                columns = [MergeColumn(c, plan.effective[c.name]) for c in self._staged_columns]
                inserted, updated, distinct = self._upsert(conn, columns, fresh=fresh)
            return self._finish_merge(conn, plan.changes, inserted, updated, distinct - inserted - updated)

    def _seal_copied_table(self, conn: sa.Connection) -> LoadStats:
        dropped = self._dialect.seal_copied_table(conn, self.schema, self.table, self._cursor_column)
        return self._finish_merge(conn, self._copy_plan.changes, self._staged - dropped, 0, 0)

    def _finish_merge(
        self, conn: sa.Connection, changes: SchemaChanges, inserted: int, updated: int, unchanged: int
    ) -> LoadStats:
        """Apply the staged deletions and count the table."""
        d = self._dialect
        marked = unknown = 0
        if DELETED in self._stages:
            stage = d.stage(DELETED)
            unknown = conn.execute(sa.text(d.unknown_ids_sql(self._target, stage))).scalar_one()
            marked += conn.execute(sa.text(d.newly_deleted_sql(self._target, stage))).scalar_one()
            conn.execute(sa.text(d.mark_deleted_sql(self._target, stage)), self._params)
        if LIVE in self._stages:
            d.prepare_live_ids(conn, LIVE)
            params = {**self._params, "detected_at": d.timestamp_param(self._detected_at)}
            marked += conn.execute(sa.text(d.reconcile_sql(self._target, d.stage(LIVE))), params).rowcount
        table_rows = conn.execute(sa.text(f"SELECT count(*) FROM {self._target}")).scalar_one()
        return LoadStats(
            staged=self._staged,
            inserted=inserted,
            updated=updated,
            unchanged=unchanged,
            marked_deleted=marked,
            unknown_deleted=unknown,
            table_rows=table_rows,
            schema_changes=changes,
        )

    def _upsert(
        self, conn: sa.Connection, columns: list[MergeColumn], *, fresh: bool
    ) -> tuple[int, int, int]:
        d = self._dialect
        stage = d.stage(ROWS)
        bad = d.check_casts(conn, stage, columns)
        if bad is not None:
            raise self._cast_error(bad)
        dedupe = d.has_duplicates(conn, stage)
        distinct = (
            conn.execute(sa.text(f"SELECT count(DISTINCT {d.q(ID)}) FROM {stage}")).scalar_one()
            if dedupe
            else self._staged
        )
        cursor = next((c for c in columns if c.name == self._cursor_column), None)
        has_is_deleted = any(c.name == IS_DELETED.name for c in self._columns)
        # A table made by this load is empty: a plain INSERT, with nothing to conflict with.
        sql = d.upsert_sql(
            self._target,
            stage,
            columns,
            bookkeeping_is_deleted=not has_is_deleted,
            cursor=cursor,
            dedupe=dedupe,
            on_conflict=not fresh,
        )
        try:
            with conn.begin_nested():
                if fresh:
                    inserted, updated = conn.execute(sa.text(sql), self._params).rowcount, 0
                else:
                    inserted, updated = d.upsert(
                        conn, self._target, stage, sql, self._params, distinct=dedupe
                    )
        except sa.exc.DataError as error:
            bad = d.explain_cast_error(conn, stage, columns, error)
            if bad is None:
                raise
            raise self._cast_error(bad) from error
        return inserted, updated, distinct

    # --- helpers -------------------------------------------------------------------------------------
    def _map_fields(self, fields: tuple[str, ...]) -> list[ColumnSpec]:
        exact = {c.sf_name: c for c in self._columns if c.sf_name}
        folded = {name.lower(): c for name, c in exact.items()}
        mapped = []
        for field in fields:
            column = exact.get(field) or folded.get(field.lower())
            if column is None:
                raise WarehouseSchemaError(
                    f"{self.schema}.{self.table}: field {field!r} has no column (no ColumnSpec has that sf_name)"
                )
            mapped.append(column)
        names = [c.name for c in mapped]
        if len(set(names)) != len(names) or ID not in names:
            raise WarehouseSchemaError(
                f"{self.schema}.{self.table}: fields {list(fields)} must map to distinct columns including {ID!r}"
            )
        if self._cursor_column is not None and self._cursor_column not in names:
            raise WarehouseSchemaError(
                f"{self.schema}.{self.table}: cursor column {self._cursor_column!r} must be among the fields"
            )
        return mapped

    def _create_stage(self, conn: sa.Connection, name: str, columns: list[tuple[str, ColumnSpec]]) -> None:
        if name in self._stages:
            return
        with self._database_errors("creating a staging table"), self._dialect.staging(conn):
            self._dialect.create_stage(conn, name, columns)
        self._stages.append(name)

    def _cast_error(self, bad: BadValue) -> WarehouseCastError:
        return WarehouseCastError(
            self.schema, self.table, bad.column.name, type_label(bad.column.effective), bad.value, bad.detail
        )

    def _open(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("use the load inside its with block")
        return self._conn

    @contextmanager
    def _database_errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except WarehouseError:
            raise
        except sa.exc.DBAPIError as error:
            first_line = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise WarehouseLoadError(
                f"{self.schema}.{self.table}: {action} failed: {first_line}. The load was rolled back."
            ) from error
