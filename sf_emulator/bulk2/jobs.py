"""Bulk job state kept in `org.bulk_jobs`: settings, ids and the Bulk API 2.0 job."""

import base64
from dataclasses import dataclass, field
from typing import TypeVar

from ..rest.timestamps import rest_datetime
from ..store.errors import SalesforceError
from ..store.org import Org
from ..store.results import ResultSet
from ..store.soql import CompiledQuery
from .ingest import Outcome

J = TypeVar("J")

JOB_PREFIX = "750"


@dataclass
class BulkSettings:
    """Per-org switches for the asynchronous APIs, set through `/__emulator/orgs/{id}/bulk`.

    polls_until_complete: status polls a job (Bulk 2.0) or batch (Bulk 1.0) answers "in progress"
    before it completes; 0 completes it at once so that tests need no sleeps.
    bulk1_result_rows: rows per Bulk 1.0 query result file (real files are split by size).
    """

    polls_until_complete: int = 0
    bulk1_result_rows: int = 100_000
    batches_created: int = 0


def bulk_settings(org: Org) -> BulkSettings:
    """The org's settings, attached on first use (the store knows nothing of the Bulk APIs)."""
    with org.lock:
        settings = getattr(org, "bulk_settings", None)
        if settings is None:
            settings = BulkSettings()
            org.bulk_settings = settings  # type: ignore[attr-defined]
        return settings


def new_job_id(org: Org) -> str:
    return org.new_id(JOB_PREFIX)


def find_job(org: Org, job_id: str, kind: type[J]) -> J | None:
    """The job of `kind` with this Id (15 or 18 characters), or None."""
    with org.lock:
        job = org.bulk_jobs.get(job_id) or next(
            (j for i, j in org.bulk_jobs.items() if i[:15] == job_id[:15] and len(job_id) in (15, 18)), None
        )
    return job if isinstance(job, kind) else None


def encode_locator(offset: int) -> str:
    """Opaque page token as the real service makes them: base64 of the row offset (`MTAwMDA` = 10000)."""
    return base64.b64encode(str(offset).encode()).decode().rstrip("=")


def decode_locator(locator: str) -> int:
    try:
        offset = int(base64.b64decode(locator + "=" * (-len(locator) % 4), validate=True).decode())
    except ValueError:
        offset = -1
    if offset < 0:
        raise SalesforceError(400, "INVALIDLOCATOR", f"Invalid locator: {locator}")
    return offset


@dataclass
class Bulk2Job:
    """One `jobs/query` or `jobs/ingest` job. Mutated only under the org lock."""

    id: str
    operation: str
    object: str
    created_by: str
    created_ms: int
    api_version: str
    column_delimiter: str
    line_ending: str
    query: str | None = None
    external_id_field: str | None = None
    state: str = "Open"
    modstamp_ms: int = 0
    polls_left: int = 0
    error_message: str | None = None
    processing_ms: int = 0
    # query jobs
    compiled: CompiledQuery | None = None
    result_set: ResultSet | None = None
    # ingest jobs: each upload's raw bytes until processed, then one outcome per row
    uploads: list[bytes] = field(default_factory=list)
    header: list[str] | None = None
    rows: list[tuple[list[str], list[str]]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def is_query(self) -> bool:
        return self.operation in ("query", "queryAll")

    @property
    def job_type(self) -> str:
        return "V2Query" if self.is_query else "V2Ingest"

    @property
    def finished(self) -> bool:
        return self.state in ("JobComplete", "Failed", "Aborted")

    @property
    def records_processed(self) -> int:
        if self.is_query:
            return self.result_set.total if self.result_set is not None else 0
        return len(self.outcomes)

    @property
    def records_failed(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.error is not None)

    def info(self, *, full: bool) -> dict:
        """Job info JSON: the short form on create/PATCH, with counters and timings on GET."""
        data: dict = {
            "id": self.id,
            "operation": self.operation,
            "object": self.object,
            "createdById": self.created_by,
            "createdDate": rest_datetime(self.created_ms),
            "systemModstamp": rest_datetime(self.modstamp_ms or self.created_ms),
            "state": self.state,
        }
        if self.external_id_field is not None:
            data["externalIdFieldName"] = self.external_id_field
        data.update(
            {
                "concurrencyMode": "Parallel",
                "contentType": "CSV",
                "apiVersion": float(self.api_version),
            }
        )
        if not self.is_query and self.state == "Open":
            data["contentUrl"] = f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches"
        if full or not self.is_query:
            data["jobType"] = self.job_type
        data["lineEnding"] = self.line_ending
        data["columnDelimiter"] = self.column_delimiter
        if full:
            data["numberRecordsProcessed"] = self.records_processed
            if not self.is_query:
                data["numberRecordsFailed"] = self.records_failed
            data["retries"] = 0
            data["totalProcessingTime"] = self.processing_ms
            if not self.is_query:
                data["apiActiveProcessingTime"] = self.processing_ms
                data["apexProcessingTime"] = 0
            if self.error_message is not None:
                data["errorMessage"] = self.error_message
        return data
