"""Reads: query and queryAll with snapshot paging, retrieve, updated/deleted, record counts."""

import itertools
from collections import OrderedDict
from dataclasses import dataclass

from .errors import MultipleMatches, SalesforceError, not_found
from .ids import make_id
from .records import RECYCLE_BIN_MS, quote
from .schema import ObjectDef
from .shape import make_shaper
from .soql import CompiledQuery, compile_query, parse
from .values import to_storage

DEFAULT_BATCH = 2000
MIN_BATCH = 200
MAX_OPEN_RESULT_SETS = 50
LOCATOR_TTL_MS = 15 * 60 * 1000
_LOCATOR_PREFIX = "01g"


@dataclass
class ResultSet:
    """A query's rows fixed at first execution: later pages never see later writes."""

    locator: str
    compiled: CompiledQuery
    total: int
    table: str | None
    rows: list[tuple] | None
    last_used_ms: int


def clamp_batch_size(requested: int | None) -> int:
    if requested is None:
        return DEFAULT_BATCH
    return max(MIN_BATCH, min(DEFAULT_BATCH, requested))


class QueryMixin:
    """Query operations on `Org`."""

    def _init_results(self) -> None:
        self._result_sets: OrderedDict[str, ResultSet] = OrderedDict()
        self._pinned: dict[str, ResultSet] = {}
        self._result_counter = itertools.count(1)

    def compile(self, soql: str, *, include_deleted: bool) -> CompiledQuery:
        return compile_query(
            parse(soql), self.schema, soql=soql, now_ms=self.now_ms(), include_deleted=include_deleted
        )

    # --- result sets -------------------------------------------------------------------------------
    def open_result_set(
        self, soql: str, *, include_deleted: bool, first_page: int, pinned: bool = False
    ) -> ResultSet:
        """Run `soql`; results larger than `first_page` rows are snapshotted into a temp table.

        REST cursors expire (15 minutes idle, at most 50 open); `pinned` ones (Bulk results, which
        Salesforce keeps for days) live until `close_result_set`.
        """
        with self.lock:
            self.expire_recycle_bin()
            compiled = self.compile(soql, include_deleted=include_deleted)
            number = next(self._result_counter)
            locator = make_id(_LOCATOR_PREFIX, number)
            now = self.now_ms()
            if compiled.is_count_only:
                total = self.conn.execute(compiled.count_sql, compiled.count_params).fetchone()[0]
                result = ResultSet(locator, compiled, total, None, [], now)
            else:
                cursor = self.conn.execute(compiled.sql, compiled.params)
                rows = cursor.fetchmany(first_page + 1)
                if len(rows) <= first_page:
                    result = ResultSet(locator, compiled, len(rows), None, rows, now)
                else:
                    cursor.close()
                    table = f"rs_{number}"
                    self.conn.execute(f"CREATE TEMP TABLE {table} AS {compiled.sql}", compiled.params)
                    total = self.conn.execute(f"SELECT COUNT(*) FROM temp.{table}").fetchone()[0]
                    result = ResultSet(locator, compiled, total, table, None, now)
            if pinned:
                self._pinned[result.locator] = result
            else:
                self._remember(result)
            return result

    def _remember(self, result: ResultSet) -> None:
        self._result_sets[result.locator] = result
        while len(self._result_sets) > MAX_OPEN_RESULT_SETS:
            _, oldest = self._result_sets.popitem(last=False)
            self._drop(oldest)

    def _drop(self, result: ResultSet) -> None:
        if result.table:
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{result.table}")

    def result_set(self, locator: str) -> ResultSet:
        with self.lock:
            pinned = self._pinned.get(locator)
            if pinned is not None:
                return pinned
            result = self._result_sets.get(locator)
            now = self.now_ms()
            if result is None or now - result.last_used_ms > LOCATOR_TTL_MS:
                if result is not None:
                    self._drop(self._result_sets.pop(locator))
                raise SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
            result.last_used_ms = now
            return result

    def result_rows(self, result: ResultSet, start: int, count: int) -> list[tuple]:
        """Rows [start, start + count) of a result set, in result order."""
        if result.rows is not None:
            return result.rows[start : start + count]
        with self.lock:
            return self.conn.execute(
                f"SELECT * FROM temp.{result.table} WHERE rowid > ? ORDER BY rowid LIMIT ?", (start, count)
            ).fetchall()

    def close_result_set(self, locator: str) -> None:
        with self.lock:
            result = self._result_sets.pop(locator, None) or self._pinned.pop(locator, None)
            if result is not None:
                self._drop(result)

    # --- REST query --------------------------------------------------------------------------------
    def query(self, soql: str, *, include_deleted: bool, batch_size: int | None, api_version: str) -> dict:
        """The first page of `query` / `queryAll` in the REST shape."""
        size = clamp_batch_size(batch_size)
        result = self.open_result_set(soql, include_deleted=include_deleted, first_page=size)
        return self.query_page(result, 0, size, api_version)

    def query_more(self, locator: str, offset: int, *, batch_size: int | None, api_version: str) -> dict:
        result = self.result_set(locator)
        if offset < 0 or offset > result.total:
            raise SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self.query_page(result, offset, clamp_batch_size(batch_size), api_version)

    def query_page(self, result: ResultSet, offset: int, size: int, api_version: str) -> dict:
        if result.compiled.is_count_only:
            self.close_result_set(result.locator)
            return {"totalSize": result.total, "done": True, "records": []}
        rows = self.result_rows(result, offset, size)
        shaper = make_shaper(result.compiled.columns, "rest", api_version)
        page: dict = {"totalSize": result.total, "done": True, "records": [shaper(row) for row in rows]}
        following = offset + len(rows)
        if following < result.total:
            page["done"] = False
            page["nextRecordsUrl"] = f"/services/data/v{api_version}/query/{result.locator}-{following}"
        else:
            self.close_result_set(result.locator)
        return page

    # --- records by id ------------------------------------------------------------------------------
    def retrieve(self, obj: ObjectDef, record_id: str, fields: list[str] | None, api_version: str) -> dict:
        """GET sobjects/{S}/{id}: every field in describe order, or the listed ones."""
        with self.lock:
            row = self.require_record(obj, record_id)
            return self._select_one(obj, row["Id"], fields, api_version)

    def _select_one(self, obj: ObjectDef, record_id: str, fields: list[str] | None, api_version: str) -> dict:
        names = fields or [f.name for f in obj.fields]
        for name in names:
            obj.require_field(name)
        soql = f"SELECT {', '.join(names)} FROM {obj.name} WHERE Id = '{record_id}'"
        compiled = self.compile(soql, include_deleted=True)
        row = self.conn.execute(compiled.sql, compiled.params).fetchone()
        return make_shaper(compiled.columns, "rest", api_version)(row)

    def retrieve_by_external_id(self, obj: ObjectDef, field_name: str, value: str, api_version: str) -> dict:
        ext = obj.field(field_name)
        if ext is None or not (ext.external_id or ext.id_lookup):
            raise not_found(f"Provided external ID field does not exist or is not accessible: {field_name}")
        with self.lock:
            matches = self.tables.ids_where(obj, ext.name, to_storage(ext, value), include_deleted=False)
            if not matches:
                raise not_found()
            if len(matches) > 1:
                raise MultipleMatches(obj.name, matches)
            return self._select_one(obj, matches[0], None, api_version)

    # --- replication --------------------------------------------------------------------------------
    def updated(self, obj: ObjectDef, start_ms: int, end_ms: int) -> dict:
        """Ids changed in [start, end) by SystemModstamp, for sobjects/{S}/updated."""
        with self.lock:
            rows = self.conn.execute(
                f"SELECT Id FROM {quote(obj.name)} WHERE SystemModstamp >= ? AND SystemModstamp < ?"
                " AND IsDeleted = 0 ORDER BY SystemModstamp, _rowid",
                (start_ms, end_ms),
            ).fetchall()
        return {"ids": [r[0] for r in rows], "latest_ms": min(end_ms, self.now_ms())}

    def deleted(self, obj: ObjectDef, start_ms: int, end_ms: int) -> dict:
        """Deletions in [start, end) still inside the 15-day window, for sobjects/{S}/deleted."""
        with self.lock:
            self.expire_recycle_bin()
            earliest = self.now_ms() - RECYCLE_BIN_MS
            entries = self.tables.deletions(obj, max(start_ms, earliest), end_ms)
        return {"records": entries, "earliest_ms": earliest, "latest_ms": min(end_ms, self.now_ms())}

    def record_count(self, names: list[str] | None) -> list[tuple[str, int]]:
        with self.lock:
            objects = [self.schema.get(n) for n in names] if names else list(self.schema)
            return [(o.name, self.tables.count(o)) for o in objects if o is not None and o.queryable]
