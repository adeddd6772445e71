"""One Salesforce org: schema, tables, clock, ids, credentials, sessions, limits, faults, request log."""

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .auth import Credentials, SessionTable
from .clock import Clock
from .dml import DmlMixin
from .errors import not_found
from .faults import Faults
from .ids import decode_counter, make_id, to_18
from .limits import ApiUsage, LimitSettings, LongRunningRequests
from .records import RECYCLE_BIN_MS, RecordTables, quote
from .results import QueryMixin
from .schema import ObjectDef, OrgSchema

# Page cache of the temp database, in KiB.
_TEMP_CACHE_KIB = 32 * 1024


class Org(DmlMixin, QueryMixin):
    """State of one org. Every public method takes the org lock; the HTTP layer holds no state."""

    def __init__(
        self,
        *,
        org_id: str,
        schema: OrgSchema,
        org_definition: dict,
        credentials: Credentials,
        db_path: Path | None = None,
        limits: LimitSettings | None = None,
        sandbox: bool = False,
    ) -> None:
        self.org_id = org_id
        self.schema = schema
        self.org_definition = org_definition
        self.credentials = credentials
        self.sandbox = sandbox
        self.db_path = db_path
        self.lock = threading.RLock()
        self.clock = Clock()
        # Autocommit mode: `transaction()` issues BEGIN/SAVEPOINT itself so that writes nest.
        self.conn = sqlite3.connect(
            str(db_path) if db_path else ":memory:", check_same_thread=False, isolation_level=None
        )
        self._depth = 0
        self.conn.execute("PRAGMA journal_mode = WAL" if db_path else "PRAGMA journal_mode = MEMORY")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        # Result sets are rendered into the temp database: room for the pages being read in memory
        # (larger sets spill to its file, so memory stays bounded), and a journal kept in memory,
        # since freeing a set's pages through a journal file costs as much as rendering them.
        self.conn.execute(f"PRAGMA temp.cache_size = -{_TEMP_CACHE_KIB}")
        self.conn.execute("PRAGMA temp.journal_mode = MEMORY")
        self.tables = RecordTables(self.conn)
        self.sessions = SessionTable(org_id[:15], self.clock)
        self.usage = ApiUsage(limits or LimitSettings())
        self.long_requests = LongRunningRequests(self.usage.settings)
        self.faults = Faults()
        self.request_counts: Counter[str] = Counter()
        self.bulk_jobs: dict[str, object] = {}
        self.user_id = ""
        self._counters: dict[str, int] = {}
        self._init_results()
        with self.transaction():
            for obj in schema:
                self.tables.ensure_table(obj)
            self.conn.execute("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the org lock; the outermost level is a transaction, inner levels are savepoints.

        An exception rolls back exactly its own level, so one bad record of a collection
        leaves the others (allOrNone=false) and the caller's outer work intact.
        """
        with self.lock:
            level = self._depth
            opened = self._last_result_number
            self.conn.execute("BEGIN" if level == 0 else f"SAVEPOINT sp{level}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self.conn.execute("ROLLBACK" if level == 0 else f"ROLLBACK TO sp{level}")
                if level:
                    self.conn.execute(f"RELEASE sp{level}")
                # Result sets live in the temp database, so the rollback took their rows too.
                self.forget_result_sets_after(opened)
                raise
            self._depth -= 1
            self.conn.execute("COMMIT" if level == 0 else f"RELEASE sp{level}")

    # --- ids and time -------------------------------------------------------------------------
    def new_id(self, key_prefix: str) -> str:
        with self.lock:
            counter = self._counters.get(key_prefix)
            if counter is None:
                counter = self._max_counter(key_prefix)
            counter += 1
            self._counters[key_prefix] = counter
            return make_id(key_prefix, counter)

    def reserve_ids(self, key_prefix: str, count: int) -> range:
        """Counters for `count` new Ids in one step (bulk generation)."""
        with self.lock:
            start = self._counters.get(key_prefix)
            if start is None:
                start = self._max_counter(key_prefix)
            self._counters[key_prefix] = start + count
            return range(start + 1, start + count + 1)

    def _max_counter(self, key_prefix: str) -> int:
        obj = self.schema.by_prefix(key_prefix)
        if obj is None:
            return 0
        highest = self.tables.max_counter_id(obj)
        if not highest:
            return 0
        return decode_counter(highest)

    def now_ms(self) -> int:
        return self.clock.now_ms()

    # --- schema ----------------------------------------------------------------------------------
    def sobject(self, name: str) -> ObjectDef:
        """The sObject for a REST path: unknown names are 404 NOT_FOUND, as the real API answers."""
        obj = self.schema.get(name)
        if obj is None:
            raise not_found()
        return obj

    def object_for_id(self, record_id: str) -> ObjectDef:
        obj = self.schema.by_prefix(to_18(record_id)[:3])
        if obj is None:
            raise not_found(f"Provided external ID field does not exist or is not accessible: {record_id}")
        return obj

    def apply_schema(self, schema: OrgSchema, org_definition: dict) -> None:
        """Swap in a drifted schema (new custom objects or fields); storage grows, nothing is dropped."""
        with self.transaction():
            for obj in schema:
                self.tables.ensure_table(obj)
            self.schema = schema
            self.org_definition = org_definition
            self.save_meta()

    def wipe(self) -> None:
        """Drop every record (the caller re-seeds); credentials, schema and sessions stay."""
        with self.transaction():
            for obj in self.schema:
                self.conn.execute(f"DROP TABLE IF EXISTS {quote(obj.name)}")
                self.tables.ensure_table(obj)
            self.conn.execute("DELETE FROM _deletion_log")
            self._counters.clear()
            for locator in [*self._result_sets, *self._pinned]:
                self.close_result_set(locator)
            self.bulk_jobs.clear()

    # --- persistence -----------------------------------------------------------------------------
    def save_meta(self) -> None:
        meta = {
            "org_id": self.org_id,
            "sandbox": self.sandbox,
            "org_definition": self.org_definition,
            "credentials": vars(self.credentials),
            "user_id": self.user_id,
            "daily_api_requests": self.usage.settings.daily_api_requests,
        }
        with self.transaction():
            self.conn.execute(
                "INSERT INTO _meta (key, value) VALUES ('org', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (json.dumps(meta),),
            )

    @staticmethod
    def read_meta(db_path: Path) -> dict:
        conn = sqlite3.connect(str(db_path))
        try:
            row = conn.execute("SELECT value FROM _meta WHERE key = 'org'").fetchone()
        finally:
            conn.close()
        if row is None:
            raise ValueError(f"{db_path} holds no emulator org (no _meta row)")
        return json.loads(row[0])

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # --- request accounting ----------------------------------------------------------------------
    def count_request(self, endpoint: str) -> None:
        with self.lock:
            self.request_counts[endpoint] += 1

    def limit_header(self) -> str:
        return self.usage.header(self.now_ms())

    def expire_recycle_bin(self) -> int:
        """Purge recycle-bin rows older than 15 days; forget deletions older than that."""
        with self.transaction():
            cutoff = self.now_ms() - RECYCLE_BIN_MS
            expired = self.tables.expired_bin_entries(cutoff)
            for sobject, record_id in expired:
                obj = self.schema.get(sobject)
                if obj is not None:
                    self.tables.delete_row(obj, record_id)
                self.tables.mark_purged(record_id)
            self.tables.drop_log_before(cutoff)
            return len(expired)
