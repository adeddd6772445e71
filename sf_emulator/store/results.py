"""Reads: query and queryAll with snapshot paging, retrieve, updated/deleted, record counts."""

import itertools
from collections import OrderedDict
from dataclasses import dataclass

import orjson

from .errors import MultipleMatches, SalesforceError, not_found
from .ids import make_id
from .records import RECYCLE_BIN_MS, quote
from .schema import ObjectDef
from .shape import Shape, install_functions, record_sql
from .soql import CompiledQuery, compile_query, parse
from .values import to_storage

DEFAULT_BATCH = 2000
MIN_BATCH = 200
MAX_OPEN_RESULT_SETS = 50
LOCATOR_TTL_MS = 15 * 60 * 1000
_LOCATOR_PREFIX = "01g"
_RECORDS_TABLE = "temp._records"
_DELETE_SLICE = 20_000


@dataclass
class ResultSet:
    """A query's records rendered at first execution, so later pages never see later writes.

    They are rows `first` … `first + total - 1` of the connection's temp table `_records`, each one
    record's wire text in `shape`: a page is one string join in SQLite, whatever its size.
    """

    number: int
    locator: str
    compiled: CompiledQuery
    shape: Shape
    total: int
    first: int
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
        self._last_result_number = 0
        install_functions(self.conn)
        # One table for every result set: a snapshot is an INSERT, not a CREATE TABLE, so that small
        # queries pay no schema change; rowids are handed out in result order.
        self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_RECORDS_TABLE} (r TEXT)")

    def compile(self, soql: str, *, include_deleted: bool) -> CompiledQuery:
        return compile_query(
            parse(soql), self.schema, soql=soql, now_ms=self.now_ms(), include_deleted=include_deleted
        )

    # --- result sets -------------------------------------------------------------------------------
    def open_result_set(
        self, soql: str, *, include_deleted: bool, shape: Shape, pinned: bool = False
    ) -> ResultSet:
        """Run `soql` and keep its records rendered in `shape` until the result set is closed.

        REST cursors expire (15 minutes idle, at most 50 open); `pinned` ones (Bulk results, which
        Salesforce keeps for days) live until `close_result_set`.
        """
        with self.lock:
            self.expire_recycle_bin()
            compiled = self.compile(soql, include_deleted=include_deleted)
            number = self._last_result_number = next(self._result_counter)
            first = 0
            if compiled.is_count_only:
                total = self.conn.execute(compiled.count_sql, compiled.count_params).fetchone()[0]
            else:
                first = self.conn.execute(
                    f"SELECT ifnull(max(rowid), 0) + 1 FROM {_RECORDS_TABLE}"
                ).fetchone()[0]
                record = record_sql(compiled.columns, compiled.exprs, shape)
                # Without AUTOINCREMENT each new row gets max(rowid) + 1: the set is contiguous from `first`.
                insert = f"INSERT INTO {_RECORDS_TABLE} (r) {compiled.select(record)}"
                total = self.conn.execute(insert, compiled.params).rowcount
            locator = make_id(_LOCATOR_PREFIX, number)
            result = ResultSet(number, locator, compiled, shape, total, first, self.now_ms())
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
        if result.compiled.is_count_only:
            return
        # In slices: the temp database journals in memory, and one slice's pages are all it holds.
        end = result.first + result.total
        for start in range(result.first, end, _DELETE_SLICE):
            self.conn.execute(
                f"DELETE FROM {_RECORDS_TABLE} WHERE rowid >= ? AND rowid < ?",
                (start, min(start + _DELETE_SLICE, end)),
            )

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

    def result_text(self, result: ResultSet, start: int, count: int, separator: str) -> bytes:
        """Records [start, start + count) of a result set joined by `separator`, as UTF-8."""
        first = result.first + max(start, 0)
        last = result.first + min(start + count, result.total) - 1
        if result.compiled.is_count_only or last < first:
            return b""
        with self.lock:
            (text,) = self.conn.execute(
                f"SELECT CAST(group_concat(r, ?) AS BLOB) FROM {_RECORDS_TABLE} WHERE rowid BETWEEN ? AND ?",
                (separator, first, last),
            ).fetchone()
        return text or b""

    def forget_result_sets_after(self, number: int) -> None:
        """Drop the result sets opened after `number` by a transaction that rolled back (and their rows with it)."""
        for sets in (self._result_sets, self._pinned):
            for locator in [locator for locator, result in sets.items() if result.number > number]:
                del sets[locator]

    def close_result_set(self, locator: str) -> None:
        with self.lock:
            result = self._result_sets.pop(locator, None) or self._pinned.pop(locator, None)
            if result is not None:
                self._drop(result)

    # --- REST query --------------------------------------------------------------------------------
    def query(self, soql: str, *, include_deleted: bool, batch_size: int | None, api_version: str) -> dict:
        """The first page of `query` / `queryAll` in the REST shape."""
        result = self.open_result_set(soql, include_deleted=include_deleted, shape=Shape("rest", api_version))
        return self.query_page(result, 0, clamp_batch_size(batch_size), api_version)

    def query_more(self, locator: str, offset: int, *, batch_size: int | None, api_version: str) -> dict:
        result = self.result_set(locator)
        if offset < 0 or offset > result.total:
            raise SalesforceError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self.query_page(result, offset, clamp_batch_size(batch_size), api_version)

    def query_page(self, result: ResultSet, offset: int, size: int, api_version: str) -> dict:
        """A REST page; `records` is already JSON (an orjson.Fragment), written by SQLite."""
        records = self.result_text(result, offset, size, ",")
        following = min(offset + size, result.total)
        page: dict = {"totalSize": result.total, "done": following >= result.total}
        if result.compiled.is_count_only or page["done"]:
            page["done"] = True
            self.close_result_set(result.locator)
        else:
            page["nextRecordsUrl"] = f"/services/data/v{api_version}/query/{result.locator}-{following}"
        page["records"] = orjson.Fragment(b"[" + records + b"]")
        return page

    # --- records by id ------------------------------------------------------------------------------
    def retrieve(
        self, obj: ObjectDef, record_id: str, fields: list[str] | None, api_version: str
    ) -> orjson.Fragment:
        """GET sobjects/{S}/{id}: every field in describe order, or the listed ones, as REST JSON."""
        with self.lock:
            row = self.require_record(obj, record_id)
            return self._select_one(obj, row["Id"], fields, api_version)

    def _select_one(
        self, obj: ObjectDef, record_id: str, fields: list[str] | None, api_version: str
    ) -> orjson.Fragment:
        names = fields or [f.name for f in obj.fields]
        for name in names:
            obj.require_field(name)
        soql = f"SELECT {', '.join(names)} FROM {obj.name} WHERE Id = '{record_id}'"
        compiled = self.compile(soql, include_deleted=True)
        record = record_sql(compiled.columns, compiled.exprs, Shape("rest", api_version))
        (text,) = self.conn.execute(compiled.select(f"CAST({record} AS BLOB)"), compiled.params).fetchone()
        return orjson.Fragment(text)

    def external_id_match(self, obj: ObjectDef, field_name: str, value: str) -> str:
        """The Id of the one live record whose external id `field_name` is `value` (404, or 300 on several)."""
        ext = obj.field(field_name)
        if ext is None or not (ext.external_id or ext.id_lookup):
            raise not_found(f"Provided external ID field does not exist or is not accessible: {field_name}")
        with self.lock:
            matches = self.tables.ids_where(obj, ext.name, to_storage(ext, value), include_deleted=False)
        if not matches:
            raise not_found()
        if len(matches) > 1:
            raise MultipleMatches(obj.name, matches)
        return matches[0]

    def retrieve_by_external_id(
        self, obj: ObjectDef, field_name: str, value: str, api_version: str
    ) -> orjson.Fragment:
        with self.lock:
            return self._select_one(obj, self.external_id_match(obj, field_name, value), None, api_version)

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
