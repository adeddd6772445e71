"""Window schedules: fire `lag` after each window closes and request exactly that window.

Written by hand rather than with `build_schedule_from_partitioned_job`, which refuses a
minute offset on the every-3-hours cron (`0 */3 * * *`); one builder serves every cadence.
"""

from datetime import datetime, timedelta

import dagster as dg

from ..lib.cadence import lagged_cron
from .jobs import AssetJob, CadenceTarget

# Salesforce commits a record's SystemModstamp up to a few minutes before it is readable;
# waiting 10 minutes after a window closes lets late commits land inside the window they belong to.
SCHEDULE_LAG_MINUTES = 10


def closed_window_key(
    partitions_def: dg.TimeWindowPartitionsDefinition, at: datetime, lag: timedelta
) -> str | None:
    """The key of the latest window that closed at least `lag` before `at`; None before the first."""
    window = partitions_def.get_prev_partition_window(at - lag)
    if window is None:
        return None
    return partitions_def.get_partition_key_for_timestamp(window.start.timestamp())


def build_window_schedule(
    target: CadenceTarget,
    job: AssetJob,
    *,
    default_status: dg.DefaultScheduleStatus,
    lag_minutes: int = SCHEDULE_LAG_MINUTES,
) -> dg.ScheduleDefinition:
    partitions_def = target.partitions_def
    lag = timedelta(minutes=lag_minutes)

    @dg.schedule(
        name=target.schedule_name,
        job=job,
        cron_schedule=lagged_cron(partitions_def.cron_schedule, lag_minutes),
        execution_timezone="UTC",
        default_status=default_status,
        description=(
            f"{lag_minutes} minutes after each {target.cadence} window closes, runs {job.name} "
            "for that window's partition."
        ),
    )
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        key = closed_window_key(partitions_def, context.scheduled_execution_time, lag)
        if key is None:
            first = partitions_def.get_first_partition_key()
            return dg.SkipReason(f"no window has closed yet: the first partition is {first}")
        # The run key makes a repeated tick for the same window (daemon restart) a no-op.
        return dg.RunRequest(run_key=key, partition_key=key)

    return _schedule
