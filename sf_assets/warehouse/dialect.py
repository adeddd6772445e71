"""SQL shared by both dialects, and the hooks each dialect fills in.

Identifiers always go through `q` (quoted, and colons escaped for `sa.text`), values through bound
parameters. Staged values are Salesforce's wire text; `cast` turns them into the column's type in
the one merge statement, so no value is converted row by row in Python.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, ClassVar

import sqlalchemy as sa

from ..lib.types import ColumnSpec, ColumnType
from .columns import DELETED_AT, ID, IS_DELETED, RECEIVED_AT, SYNC_RUN_ID, sql_type

NUMBERS = frozenset({ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DOUBLE})
ROW_NUMBER = "_sf_rn"


@dataclass(frozen=True)
class MergeColumn:
    """A staged column: the type its values arrive as (`wanted`) and the table's type (`effective`)."""

    wanted: ColumnSpec
    effective: ColumnSpec

    @property
    def name(self) -> str:
        return self.effective.name


@dataclass(frozen=True)
class BadValue:
    """A staged value its column cannot take; `value` when the database says which."""

    column: MergeColumn
    value: str | None
    detail: str


class Dialect(ABC):
    name: ClassVar[str]
    temp_schema: ClassVar[str]
    row_order: ClassVar[str]  # a hidden column in staging-insertion order: the last staged copy wins
    max_identifier_bytes: ClassVar[int | None] = None
    # The first load of a table may COPY straight into it: see `create_for_copy`.
    copies_into_new_tables: ClassVar[bool] = False

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._preparer = engine.dialect.identifier_preparer

    # --- names -------------------------------------------------------------------------------------
    def raw_q(self, name: str) -> str:
        return self._preparer.quote_identifier(name)

    def q(self, name: str) -> str:
        """A quoted identifier safe inside `sa.text` (a colon would otherwise start a bind parameter)."""
        return self.raw_q(name).replace(":", "\\:")

    def table(self, schema: str, table: str) -> str:
        return f"{self.q(schema)}.{self.q(table)}"

    def stage(self, name: str) -> str:
        return f"{self.temp_schema}.{self.q(name)}"

    # --- types ---------------------------------------------------------------------------------------
    @abstractmethod
    def parse(self, spec: ColumnSpec, raw: str) -> str:
        """SQL turning wire text `raw` into `spec`'s type; '' and NULL give NULL."""

    @abstractmethod
    def convert(self, old: ColumnSpec, new: ColumnSpec, expr: str) -> str:
        """SQL turning a value of `old`'s type into `new`'s (a widening); to TEXT gives the wire form."""

    @abstractmethod
    def timestamp_param(self, moment: datetime) -> Any:
        """A UTC millisecond timestamp as a bound parameter value."""

    @abstractmethod
    def python_value(self, spec: ColumnSpec) -> Callable[[Any], Any]:
        """Turns a fetched value into its Python type (aware UTC datetimes, Decimal, bool, …)."""

    @abstractmethod
    def row_differs(self, left: list[str], right: list[str]) -> str:
        """SQL true when the two rows differ, NULLs comparing equal."""

    def cast(self, column: MergeColumn, raw: str) -> str:
        """Wire text of the `wanted` type into the `effective` column type."""
        wanted, effective = column.wanted, column.effective
        if wanted.type == effective.type or (
            effective.type != ColumnType.TEXT and wanted.type != ColumnType.BOOLEAN
        ):
            # Numbers parse straight into a wider number type, dates into timestamps.
            return self.parse(effective, raw)
        return self.convert(wanted, effective, self.parse(wanted, raw))

    # --- catalog and DDL -----------------------------------------------------------------------------
    @abstractmethod
    def table_exists(self, conn: sa.Connection, schema: str, table: str) -> bool: ...

    @abstractmethod
    def read_columns(self, conn: sa.Connection, schema: str, table: str) -> list[ColumnSpec] | None:
        """The table's columns in order, or None when there is no such table."""

    @abstractmethod
    def alter_table(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        current: list[ColumnSpec],
        added: Sequence[ColumnSpec],
        widened: Sequence[tuple[ColumnSpec, ColumnSpec]],
    ) -> None: ...

    def column_ddl(self, column: ColumnSpec, *, new_table: bool) -> str:
        constraint = ""
        if column.name == ID:
            constraint = " NOT NULL"
        elif column == IS_DELETED:
            constraint = " NOT NULL DEFAULT false"
        elif new_table and column in (RECEIVED_AT, SYNC_RUN_ID):
            constraint = " NOT NULL"
        return f"{self.q(column.name)} {sql_type(column)}{constraint}"

    def create_table(
        self,
        conn: sa.Connection,
        schema: str,
        table: str,
        columns: Iterable[ColumnSpec],
        *,
        primary_key: bool = True,
    ) -> None:
        body = ", ".join(self.column_ddl(c, new_table=True) for c in columns)
        key = f", PRIMARY KEY ({self.q(ID)})" if primary_key else ""
        conn.execute(sa.text(f"CREATE TABLE {self.table(schema, table)} ({body}{key})"))

    def add_primary_key(self, conn: sa.Connection, schema: str, table: str) -> None:
        conn.execute(sa.text(f"ALTER TABLE {self.table(schema, table)} ADD PRIMARY KEY ({self.q(ID)})"))

    # --- loads ---------------------------------------------------------------------------------------
    @abstractmethod
    def begin_load(self, conn: sa.Connection, schema: str, table: str) -> None:
        """Called once the load's connection is checked out."""

    @abstractmethod
    def staging(self, conn: sa.Connection) -> AbstractContextManager:
        """The transaction one staging write runs in."""

    @abstractmethod
    def begin_merge(self, conn: sa.Connection) -> None:
        """Opens (or continues) the one transaction that changes the target."""

    @abstractmethod
    def create_stage(
        self, conn: sa.Connection, name: str, columns: Sequence[tuple[str, ColumnSpec]]
    ) -> None: ...

    @abstractmethod
    def stage_csv(self, conn: sa.Connection, name: str, columns: Sequence[str], data: BinaryIO) -> int:
        """Stage CSV rows read from the stream `data`; returns how many."""

    @abstractmethod
    def stage_rows(
        self, conn: sa.Connection, name: str, columns: Sequence[str], rows: Iterable[Sequence[str | None]]
    ) -> int:
        """Stage rows of wire text; returns how many."""

    # --- the first load of a table, for dialects that copy into it directly ---------------------------
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
        """Create the table, unkeyed, with the load's bookkeeping values as column defaults."""
        raise NotImplementedError

    def copy_into_table(
        self, conn: sa.Connection, schema: str, table: str, columns: Sequence[str], data: BinaryIO
    ) -> int:
        """COPY CSV rows from the stream `data` into a table made by `create_for_copy`; returns how many."""
        raise NotImplementedError

    def seal_copied_table(self, conn: sa.Connection, schema: str, table: str, cursor: str | None) -> int:
        """Drop the defaults, keep the newest copy of each id, add the key; returns rows dropped."""
        raise NotImplementedError

    def explain_copy_error(self, error: sa.exc.DBAPIError, columns: Sequence[ColumnSpec]) -> BadValue | None:
        """Which column and value a failed `copy_into_table` choked on."""
        raise NotImplementedError

    @abstractmethod
    def finish(self, conn: sa.Connection, *, commit: bool, stages: Iterable[str]) -> None:
        """Commits or rolls back, and leaves no staging table behind on the pooled connection."""

    def upsert(
        self, conn: sa.Connection, target: str, stage: str, sql: str, params: dict, *, distinct: bool
    ) -> tuple[int, int]:
        """Runs the upsert `sql`; returns (inserted, updated).

        Both databases report inserts and updates of an upsert as one count: count the new ids first.
        """
        q = self.q
        counted = f"DISTINCT s.{q(ID)}" if distinct else "*"
        inserted = conn.execute(
            sa.text(
                f"SELECT count({counted}) FROM {stage} AS s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.{q(ID)} = s.{q(ID)})"
            )
        ).scalar_one()
        written = conn.execute(sa.text(sql), params).rowcount
        return inserted, written - inserted

    @abstractmethod
    def check_casts(self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn]) -> BadValue | None:
        """Before the merge: a value that would not cast, for dialects whose casts never fail loudly."""

    @abstractmethod
    def explain_cast_error(
        self, conn: sa.Connection, stage: str, columns: Sequence[MergeColumn], error: sa.exc.DBAPIError
    ) -> BadValue | None:
        """After the merge raised a data error (its savepoint rolled back): which column and value."""

    def has_duplicates(self, conn: sa.Connection, stage: str) -> bool:
        sql = f"SELECT EXISTS (SELECT 1 FROM {stage} GROUP BY {self.q(ID)} HAVING count(*) > 1)"
        return bool(conn.execute(sa.text(sql)).scalar())

    def upsert_sql(
        self,
        target: str,
        stage: str,
        columns: Sequence[MergeColumn],
        *,
        bookkeeping_is_deleted: bool,
        cursor: MergeColumn | None,
        dedupe: bool,
        on_conflict: bool = True,
    ) -> str:
        """INSERT … ON CONFLICT (id) DO UPDATE of every staged row, newest cursor per id.

        A row is only rewritten when its cursor grows (or, without a cursor, when a value differs), so
        rerunning a load leaves rows, `received_at` and `sync_run_id` as they were.
        """
        q = self.q
        names = [c.name for c in columns]
        values = [self.cast(c, f"s.{q(c.name)}") for c in columns]
        if bookkeeping_is_deleted:
            names.append(IS_DELETED.name)
            values.append("false")
        names += [DELETED_AT.name, RECEIVED_AT.name, SYNC_RUN_ID.name]
        values += ["NULL", ":received_at", ":run_id"]
        if dedupe:
            newest = f"{self.cast(cursor, f's.{q(cursor.name)}')} DESC NULLS LAST, " if cursor else ""
            source = (
                f"(SELECT s.*, row_number() OVER (PARTITION BY s.{q(ID)} ORDER BY {newest}s.{self.row_order} DESC)"
                f" AS {ROW_NUMBER} FROM {stage} AS s) AS s WHERE s.{ROW_NUMBER} = 1"
            )
        else:
            # SQLite needs a WHERE here, or it reads ON CONFLICT as a join constraint.
            source = f"{stage} AS s WHERE true"
        updates = ", ".join(f"{q(n)} = excluded.{q(n)}" for n in names if n != ID)
        if cursor is not None:
            c = q(cursor.name)
            condition = f"excluded.{c} > t.{c} OR (t.{c} IS NULL AND excluded.{c} IS NOT NULL)"
        else:
            compared = [n for n in names if n not in (ID, RECEIVED_AT.name, SYNC_RUN_ID.name)]
            condition = self.row_differs(
                [f"t.{q(n)}" for n in compared], [f"excluded.{q(n)}" for n in compared]
            )
        insert = f"INSERT INTO {target} AS t ({', '.join(q(n) for n in names)}) SELECT {', '.join(values)} FROM {source}"
        if not on_conflict:
            return insert
        return f"{insert} ON CONFLICT ({q(ID)}) DO UPDATE SET {updates} WHERE {condition}"

    def mark_deleted_sql(self, target: str, stage: str) -> str:
        q = self.q
        newest = self.parse(DELETED_AT, f"max(x.{q(DELETED_AT.name)})")
        return (
            f"UPDATE {target} AS t SET {q(IS_DELETED.name)} = true, {q(DELETED_AT.name)} = d.{q(DELETED_AT.name)}, "
            f"{q(RECEIVED_AT.name)} = :received_at, {q(SYNC_RUN_ID.name)} = :run_id "
            f"FROM (SELECT x.{q(ID)} AS {q(ID)}, {newest} AS {q(DELETED_AT.name)} FROM {stage} AS x "
            f"GROUP BY x.{q(ID)}) AS d WHERE t.{q(ID)} = d.{q(ID)} AND t.{q(DELETED_AT.name)} IS NULL"
        )

    def newly_deleted_sql(self, target: str, stage: str) -> str:
        """Rows the staged deletions find still live: hard deletes. Rows the sync read from the
        recycle bin are already deleted; marking them only fills in `deleted_at`."""
        q = self.q
        return (
            f"SELECT count(*) FROM {target} AS t WHERE COALESCE(t.{q(IS_DELETED.name)}, false) = false "
            f"AND EXISTS (SELECT 1 FROM {stage} AS x WHERE x.{q(ID)} = t.{q(ID)})"
        )

    def unknown_ids_sql(self, target: str, stage: str) -> str:
        q = self.q
        return (
            f"SELECT count(DISTINCT x.{q(ID)}) FROM {stage} AS x "
            f"WHERE NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.{q(ID)} = x.{q(ID)})"
        )

    def reconcile_sql(self, target: str, stage: str) -> str:
        q = self.q
        return (
            f"UPDATE {target} AS t SET {q(IS_DELETED.name)} = true, {q(DELETED_AT.name)} = :detected_at, "
            f"{q(RECEIVED_AT.name)} = :received_at, {q(SYNC_RUN_ID.name)} = :run_id "
            f"WHERE t.{q(DELETED_AT.name)} IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {stage} AS l WHERE l.{q(ID)} = t.{q(ID)})"
        )

    @abstractmethod
    def prepare_live_ids(self, conn: sa.Connection, name: str) -> None:
        """Makes the staged live-Id set fast to probe before the anti-join."""

    def order_by_id(self) -> str:
        return self.q(ID)
