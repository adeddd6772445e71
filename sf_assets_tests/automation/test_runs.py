"""The project's own jobs and schedules over an emulated org: a tick's run, and the backfill cap."""

from datetime import UTC, datetime

import dagster as dg
import pytest

ACCOUNTS = dg.AssetKey(["sfdc_prod", "accounts"])


def only_accounts(**instance_options: object) -> dict:
    return {"instances": {"sfdc_prod": {"objects": {"include": ["Account"]}, **instance_options}}}


def test_a_schedule_tick_runs_its_job_for_the_window_that_closed(make_project, org):
    project = make_project({"sfdc_prod": org}, cadence="daily", start="2026-03-10", extra=only_accounts())
    defs = project.defs
    schedule = defs.resolve_schedule_def("sfdc_prod__daily_sync_schedule")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 3, 12, 0, 10, tzinfo=UTC),
        repository_def=defs.get_repository_def(),
    )
    [request] = schedule.evaluate_tick(context).run_requests
    job = defs.resolve_job_def(schedule.job_name)
    result = job.execute_in_process(
        partition_key=request.partition_key, tags=request.tags, instance=project.instance
    )
    assert result.success
    assert project.instance.get_materialized_partitions(ACCOUNTS) == {"2026-03-11-00:00"}
    [materialization] = result.asset_materializations_for_node("sfdc_prod__accounts")
    assert materialization.metadata["window"].value == "[2026-03-11T00:00:00.000Z, 2026-03-12T00:00:00.000Z)"
    run = project.instance.get_run_by_id(result.run_id)
    assert (run.tags["sf/instance"], run.tags["sf/cadence"]) == ("sfdc_prod", "daily")
    assert run.tags["dagster/schedule_name"] == "sfdc_prod__daily_sync_schedule"


@pytest.mark.parametrize(
    ("options", "policy"),
    [
        ({}, dg.BackfillPolicy.single_run()),
        ({"max_partitions_per_run": 7}, dg.BackfillPolicy.multi_run(max_partitions_per_run=7)),
    ],
)
def test_the_backfill_policy_follows_max_partitions_per_run(make_project, org, options, policy):
    project = make_project({"sfdc_prod": org}, extra=only_accounts(**options))
    assert project.asset("sfdc_prod", "accounts").backfill_policy == policy
