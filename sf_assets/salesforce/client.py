"""`SalesforceClient`: the reads a sync needs, over one transport (session, retries, renewal, metering)."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from ..lib.batches import Batch, RecordBatch
from ..lib.budget import BudgetVerdict, check_budget
from .auth import SalesforceAuth
from .bulk import bulk_query
from .errors import ApiBudgetExhausted
from .http import ClientSettings
from .records import (
    DeletedRecords,
    UpdatedRecords,
    api_datetime,
    deleted_records,
    record_batch,
    updated_records,
)
from .transport import Transport


class SalesforceClient:
    """One org, read through REST and Bulk API 2.0. Construction makes no call: login is lazy.

    Every call is retried on transient failure and renewed on an expired session (see
    `sf_assets.salesforce.transport`); failures are `SalesforceApiError` subclasses.
    """

    def __init__(self, auth: SalesforceAuth, settings: ClientSettings | None = None) -> None:
        self.settings = settings or ClientSettings()
        self.transport = Transport(auth, self.settings)

    def __repr__(self) -> str:
        return f"SalesforceClient({self.transport.describe_target()})"

    # --- bookkeeping ----------------------------------------------------------------------------------
    @property
    def api_calls(self) -> int:
        """Data-API requests this client has sent and had answered (logins are not API calls)."""
        return self.transport.api_calls

    @property
    def api_usage(self) -> tuple[int, int] | None:
        """(used, max) of the org's daily API requests from the last `Sforce-Limit-Info`, if any yet."""
        return self.transport.api_usage

    @property
    def instance_url(self) -> str:
        """The org's instance URL, logging in first if needed."""
        return self.transport.run(lambda: self.transport.session().instance_url, "login")

    def login(self) -> None:
        """Log in now rather than at the first call, to surface bad credentials early."""
        self.transport.run(self.transport.session, "login")

    def ensure_budget(self, instance: str) -> BudgetVerdict:
        """Raise `ApiBudgetExhausted` once the org's daily API usage reaches the budget floor.

        Reads the last `Sforce-Limit-Info` this client saw (no call); before any, asks `/limits`."""
        if self.api_usage is None:
            daily = self.limits().get("DailyApiRequests") or {}
            usage = (daily["Max"] - daily["Remaining"], daily["Max"]) if "Max" in daily else None
        else:
            usage = self.api_usage
        if usage is None:  # an org that reports no daily allowance: nothing to guard
            return check_budget(0, 1, 1.0)
        verdict = check_budget(*usage, self.settings.api_budget_fraction)
        if not verdict.allowed:
            raise ApiBudgetExhausted(verdict.message(instance), used=verdict.used, maximum=verdict.maximum)
        return verdict

    def limits(self) -> dict:
        """`/limits`: each limit's `Max` and `Remaining` (DailyApiRequests, DailyBulkV2QueryJobs, …)."""
        return self.transport.rest("GET", "limits")

    # --- metadata -------------------------------------------------------------------------------------
    def describe_global(self) -> dict:
        return self.transport.rest("GET", "sobjects")

    def describe(self, sobject: str) -> dict:
        return self.transport.rest("GET", f"sobjects/{sobject}/describe")

    # --- data -----------------------------------------------------------------------------------------
    def count(self, soql: str, *, include_deleted: bool = True) -> int:
        """Rows matched by a `SELECT COUNT() FROM … [WHERE …]` query (or its `FROM …` tail)."""
        if not soql.lstrip().upper().startswith("SELECT"):
            soql = f"SELECT COUNT() {soql.lstrip()}"
        endpoint = "queryAll" if include_deleted else "query"
        return int(self.transport.rest("GET", endpoint, params={"q": soql})["totalSize"])

    def query_batches(
        self,
        soql: str,
        *,
        include_deleted: bool = True,
        api: Literal["rest", "bulk"] = "rest",
        max_records: int | None = None,
    ) -> Iterator[Batch]:
        """The rows of `soql`, one batch per page, streamed: only the current page is held.

        `rest`: `queryAll` (or `query`) pages of up to 2000 records as RecordBatch. `bulk`: a Bulk
        API 2.0 job whose result pages of up to `max_records` rows (default 50,000) come as
        CsvBatch bytes. `include_deleted` brings soft-deleted rows (`IsDeleted` true). Pages
        without rows are not yielded.
        """
        if api == "bulk":
            return bulk_query(
                self.transport,
                soql,
                include_deleted=include_deleted,
                max_records=max_records or self.settings.bulk_max_records,
            )
        if api == "rest":
            return self._rest_pages(soql, include_deleted=include_deleted)
        raise ValueError(f"api must be 'rest' or 'bulk', got {api!r}")

    def rest_query(self, soql: str, *, include_deleted: bool = True) -> "RestQuery":
        """Send `soql` through REST now and hold its first page: `total_size` tells how many rows
        match before any is consumed, so a caller can still choose Bulk without a `COUNT()` call."""
        headers = {"Sforce-Query-Options": f"batchSize={self.settings.rest_batch_size}"}
        endpoint = "queryAll" if include_deleted else "query"
        first = self.transport.rest("GET", endpoint, params={"q": soql}, headers=headers)
        return RestQuery(self.transport, first, headers)

    def _rest_pages(self, soql: str, *, include_deleted: bool) -> Iterator[RecordBatch]:
        yield from self.rest_query(soql, include_deleted=include_deleted).batches()

    def deleted(self, sobject: str, start: datetime, end: datetime) -> DeletedRecords:
        """Records of `sobject` deleted (recycle bin or purge) in `[start, end]`, UTC.

        Salesforce answers for about the last 15 days; `earliest_available` says how far back.
        """
        params = {"start": api_datetime(start), "end": api_datetime(end, round_up=True)}
        return deleted_records(self.transport.rest("GET", f"sobjects/{sobject}/deleted", params=params))

    def updated(self, sobject: str, start: datetime, end: datetime) -> UpdatedRecords:
        """Ids of `sobject` records created or changed in `[start, end]`, UTC (about the last 30 days)."""
        params = {"start": api_datetime(start), "end": api_datetime(end, round_up=True)}
        return updated_records(self.transport.rest("GET", f"sobjects/{sobject}/updated", params=params))


class RestQuery:
    """A REST query whose first page has been read; `batches()` streams its pages from there."""

    def __init__(self, transport: Transport, first_page: dict[str, Any], headers: dict[str, str]) -> None:
        self.transport = transport
        self.total_size = int(first_page["totalSize"])
        self._first_page: dict[str, Any] | None = first_page
        self._headers = headers

    def batches(self) -> Iterator[RecordBatch]:
        """Every page as a RecordBatch, once; pages without rows are not yielded."""
        if self._first_page is None:
            raise RuntimeError("the pages of this query have already been read")
        page, self._first_page = self._first_page, None
        while True:
            batch = record_batch(page["records"])
            following = None if page.get("done", True) else page.get("nextRecordsUrl")
            del page  # the batch holds the records; drop the envelope before the consumer runs
            if batch.rows:
                yield batch
            if not following:
                return
            page = self.transport.rest("GET", following, headers=self._headers)
