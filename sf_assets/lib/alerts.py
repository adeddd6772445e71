"""A failed run as data: the webhook's JSON body and the warehouse row that records it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
BACKFILL_TAG = "dagster/backfill"
# Chat webhooks cut long messages anyway; the full error stays in Dagster's run log.
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class StepFailure:
    step: str
    error: str


@dataclass(frozen=True)
class RunFailure:
    """What the failure sensor knows about one failed run."""

    run_id: str
    job_name: str
    failed_at: datetime
    message: str
    failed_steps: tuple[StepFailure, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    asset_keys: tuple[str, ...] = ()

    @property
    def partition(self) -> str | None:
        """The run's partition, or `START...END` for a ranged (backfill) run; None when unpartitioned."""
        if PARTITION_TAG in self.tags:
            return self.tags[PARTITION_TAG]
        if RANGE_START_TAG in self.tags and RANGE_END_TAG in self.tags:
            return f"{self.tags[RANGE_START_TAG]}...{self.tags[RANGE_END_TAG]}"
        return None

    @property
    def error(self) -> str:
        """The first failed step's error (the cause), else the run's own failure message."""
        text = self.failed_steps[0].error if self.failed_steps else self.message
        return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def failure_text(failure: RunFailure) -> str:
    """One human line: what failed, where, and why."""
    where = f" partition {failure.partition}" if failure.partition else ""
    steps = f" in {', '.join(s.step for s in failure.failed_steps)}" if failure.failed_steps else ""
    return f"sf_assets run {failure.run_id} of {failure.job_name}{where} failed{steps}: {failure.error}"


def failure_payload(failure: RunFailure) -> dict:
    """The webhook body; `text` makes it postable as is to Slack- or Teams-style incoming webhooks."""
    return {
        "event": "run_failed",
        "text": failure_text(failure),
        "run_id": failure.run_id,
        "job_name": failure.job_name,
        "partition": failure.partition,
        "instance": failure.tags.get("sf/instance"),
        "cadence": failure.tags.get("sf/cadence"),
        "backfill_id": failure.tags.get(BACKFILL_TAG),
        "assets": list(failure.asset_keys),
        "failed_steps": [{"step": s.step, "error": s.error} for s in failure.failed_steps],
        "error": failure.error,
        "failed_at": failure.failed_at.astimezone(UTC).isoformat(),
    }


# The run_failures table: (column, kind); kinds are sf_assets.lib.types.ColumnType values.
FAILURE_COLUMNS = (
    ("id", "text"),
    ("job_name", "text"),
    ("failed_at", "timestamp"),
    ("partition_key", "text"),
    ("instance", "text"),
    ("cadence", "text"),
    ("backfill_id", "text"),
    ("assets", "text"),
    ("failed_steps", "text"),
    ("error", "text"),
    ("webhook", "text"),
)


def failure_row(failure: RunFailure, webhook: str) -> dict[str, object]:
    """The row for `FAILURE_COLUMNS`, keyed by column; `id` is the run id, so a re-record replaces it.

    Timestamps are written as Salesforce REST text, the format the warehouse loader parses.
    """
    return {
        "id": failure.run_id,
        "job_name": failure.job_name,
        "failed_at": failure.failed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000",
        "partition_key": failure.partition,
        "instance": failure.tags.get("sf/instance"),
        "cadence": failure.tags.get("sf/cadence"),
        "backfill_id": failure.tags.get(BACKFILL_TAG),
        "assets": ", ".join(failure.asset_keys) or None,
        "failed_steps": ", ".join(s.step for s in failure.failed_steps) or None,
        "error": failure.error,
        "webhook": webhook,
    }
