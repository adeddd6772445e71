"""The code location of the webserver end-to-end test: the project's definitions plus a minutely schedule.

Loaded by the test's own workspace.yaml (never by users). `SF_ASSETS_CONFIG` points
`sf_assets.definitions` at the test's project; `SF_ASSETS_E2E_SCHEDULED_ASSET` (e.g. `sfdc_e2e/leads`)
names the collection the schedule syncs. The schedule is `* * * * *` so that the daemon fires a real
tick within a minute: cron's granularity, and the daemon's, is one minute.
"""

import os

import dagster as dg

from sf_assets import definitions as project

SCHEDULE_NAME = "e2e_every_minute"

scheduled_key = dg.AssetKey.from_user_string(os.environ["SF_ASSETS_E2E_SCHEDULED_ASSET"])
partitions = project.defs.get_assets_def(scheduled_key).partitions_def

e2e_job = dg.define_asset_job("e2e_scheduled_collection", selection=dg.AssetSelection.assets(scheduled_key))


@dg.schedule(
    name=SCHEDULE_NAME,
    job=e2e_job,
    cron_schedule="* * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def every_minute(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """The latest closed window at the tick, as the project's own schedules request it."""
    window = partitions.get_prev_partition_window(context.scheduled_execution_time)
    key = partitions.get_partition_key_for_timestamp(window.start.timestamp())
    return dg.RunRequest(run_key=f"{key}@{context.scheduled_execution_time.isoformat()}", partition_key=key)


# Runs use the project's own executor: steps one after another in the run's process (parallel_steps: 1).
defs = dg.Definitions.merge(project.defs, dg.Definitions(jobs=[e2e_job], schedules=[every_minute]))
