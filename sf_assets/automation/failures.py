"""The run-failure sensor: log each failed run, POST it to the alert webhook, keep a row per failure.

Failures land in the warehouse table `sf_assets_ops.run_failures` (one row per run, keyed by run
id), where data teams query them beside the data they affect. The webhook URL is read from the
environment variable named by `alerts.webhook_url_env` when a failure is handled, never logged.
"""

import os
from datetime import UTC, datetime

import dagster as dg

from ..lib.alerts import FAILURE_COLUMNS, RunFailure, StepFailure, failure_payload, failure_row, failure_text
from ..lib.batches import RecordBatch
from ..lib.types import ColumnSpec, ColumnType
from ..resources.warehouse import WarehouseResource
from ..settings import Settings
from ..warehouse import Warehouse
from .webhook import post_json

FAILURE_SENSOR_NAME = "run_failure_alerts"
FAILURES_SCHEMA = "sf_assets_ops"
FAILURES_TABLE = "run_failures"


def build_failure_sensor(settings: Settings) -> dg.SensorDefinition:
    """Monitors every job of this code location, including backfill and automation runs.

    Running by default: recording failures costs nothing until a run fails.
    """
    webhook_env = settings.alerts.webhook_url_env

    @dg.run_failure_sensor(
        name=FAILURE_SENSOR_NAME,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            f"Logs every failed run, records it in {FAILURES_SCHEMA}.{FAILURES_TABLE}"
            + (f" and POSTs it to the webhook in ${webhook_env}." if webhook_env else ".")
        ),
    )
    def run_failure_alerts(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
        failure = run_failure(context)
        context.log.error(failure_text(failure))
        url = os.environ.get(webhook_env) if webhook_env else None
        if url:
            outcome = post_json(url, failure_payload(failure))
            context.log.info(f"alert webhook (${webhook_env}): {outcome}")
        else:
            outcome = f"not configured (${webhook_env} is unset)" if webhook_env else "not configured"
        record_failure(warehouse.get_warehouse(), failure, outcome)

    return run_failure_alerts


def run_failure(context: dg.RunFailureSensorContext) -> RunFailure:
    run = context.dagster_run
    steps = tuple(
        StepFailure(event.step_key or "?", _error_message(event))
        for event in context.get_step_failure_events()
    )
    record = context.instance.get_run_record_by_id(run.run_id)
    ended = record.end_time if record is not None and record.end_time else None
    return RunFailure(
        run_id=run.run_id,
        job_name=run.job_name,
        failed_at=datetime.fromtimestamp(ended, UTC) if ended else datetime.now(UTC),
        message=context.failure_event.message or "run failed",
        failed_steps=steps,
        tags=dict(run.tags),
        asset_keys=tuple(sorted(key.to_user_string() for key in run.asset_selection or ())),
    )


def record_failure(warehouse: Warehouse, failure: RunFailure, webhook: str) -> None:
    """Upsert the failure's row; recording the same run again replaces it."""
    columns = [ColumnSpec(name, ColumnType(kind), sf_name=name) for name, kind in FAILURE_COLUMNS]
    row = failure_row(failure, webhook)
    with warehouse.load(
        FAILURES_SCHEMA, FAILURES_TABLE, columns, cursor_column=None, run_id=failure.run_id
    ) as load:
        load.add(RecordBatch(fields=tuple(row), records=[row]))


def _error_message(event: dg.DagsterEvent) -> str:
    """`ErrorClass: message` of what the step raised, without Dagster's wrapper or module paths."""
    error = getattr(event.event_specific_data, "error", None)
    if error is None:
        return event.message or "step failed"
    # Dagster wraps what user code raised; the wrapped error is the one that says what went wrong.
    while error.cls_name == "DagsterExecutionStepExecutionError" and error.cause is not None:
        error = error.cause
    qualified, _, text = error.message.strip().partition(": ")
    return f"{error.cls_name}: {text}" if qualified.endswith(error.cls_name) else error.message.strip()
