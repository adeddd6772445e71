"""Window schedules at edge times: on the tick, just before the lag has passed, month and year ends."""

from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from sf_assets.automation.definitions import apply_automation

from .conftest import collection, settings_for

CADENCES = {"sfdc_hourly": "hourly", "sfdc_3h": "every_3h", "sfdc_daily": "daily"}


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory) -> dg.Definitions:
    tmp_path = tmp_path_factory.mktemp("schedules")
    settings = settings_for(tmp_path, {name: {"cadence": cadence} for name, cadence in CADENCES.items()})
    assets = [collection(name, "accounts", cadence) for name, cadence in CADENCES.items()]
    return apply_automation(settings, dg.Definitions(assets=assets))


def tick(defs: dg.Definitions, name: str, when: datetime) -> dg.ScheduleDefinition:
    schedule = defs.resolve_schedule_def(name)
    context = dg.build_schedule_context(
        scheduled_execution_time=when, repository_def=defs.get_repository_def()
    )
    return schedule.evaluate_tick(context)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "cron"),
    [
        ("sfdc_hourly__hourly_sync_schedule", "10 * * * *"),
        ("sfdc_3h__every_3h_sync_schedule", "10 */3 * * *"),
        ("sfdc_daily__daily_sync_schedule", "10 0 * * *"),
    ],
)
def test_each_cadence_fires_ten_minutes_after_its_windows_close_in_utc(defs, schedule, cron):
    definition = defs.resolve_schedule_def(schedule)
    assert (definition.cron_schedule, definition.execution_timezone) == (cron, "UTC")


@pytest.mark.parametrize(
    ("schedule", "when", "partition"),
    [
        # on the tick: the window that closed 10 minutes ago
        ("sfdc_hourly__hourly_sync_schedule", utc(2024, 3, 1, 10, 10), "2024-03-01-09:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2024, 3, 1, 9, 10), "2024-03-01-06:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2024, 3, 2, 0, 10), "2024-03-01-00:00"),
        # month ends, leap years (2024, 2028) and not (2027)
        ("sfdc_hourly__hourly_sync_schedule", utc(2024, 2, 1, 0, 10), "2024-01-31-23:00"),
        ("sfdc_hourly__hourly_sync_schedule", utc(2028, 3, 1, 0, 10), "2028-02-29-23:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2024, 2, 1, 0, 10), "2024-01-31-21:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2028, 2, 29, 0, 10), "2028-02-28-21:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2028, 3, 1, 0, 10), "2028-02-29-21:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2027, 3, 1, 0, 10), "2027-02-28-21:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2024, 2, 1, 0, 10), "2024-01-31-00:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2028, 2, 29, 0, 10), "2028-02-28-00:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2028, 3, 1, 0, 10), "2028-02-29-00:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2027, 3, 1, 0, 10), "2027-02-28-00:00"),
        # year end
        ("sfdc_hourly__hourly_sync_schedule", utc(2025, 1, 1, 0, 10), "2024-12-31-23:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2025, 1, 1, 0, 10), "2024-12-31-21:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2025, 1, 1, 0, 10), "2024-12-31-00:00"),
    ],
)
def test_a_tick_requests_the_window_that_just_closed(defs, schedule, when, partition):
    result = tick(defs, schedule, when)
    [request] = result.run_requests
    assert (request.partition_key, request.run_key) == (partition, partition)
    job = defs.resolve_job_def(defs.resolve_schedule_def(schedule).job_name)
    window = job.partitions_def.time_window_for_partition_key(partition)
    assert window.end == when - timedelta(minutes=10)


@pytest.mark.parametrize(
    ("schedule", "when", "partition"),
    [
        # a second before the lag has passed, the window that just closed is not taken yet
        ("sfdc_hourly__hourly_sync_schedule", utc(2024, 3, 1, 10, 9, 59), "2024-03-01-08:00"),
        ("sfdc_3h__every_3h_sync_schedule", utc(2024, 3, 1, 9, 9, 59), "2024-03-01-03:00"),
        ("sfdc_daily__daily_sync_schedule", utc(2024, 3, 1, 0, 9, 59), "2024-02-28-00:00"),
        # exactly on the window boundary
        ("sfdc_3h__every_3h_sync_schedule", utc(2024, 3, 1, 9, 0), "2024-03-01-03:00"),
    ],
)
def test_just_before_the_lag_the_previous_window_is_requested(defs, schedule, when, partition):
    [request] = tick(defs, schedule, when).run_requests
    assert request.partition_key == partition


@pytest.mark.parametrize("schedule", ["sfdc_hourly__hourly_sync_schedule", "sfdc_3h__every_3h_sync_schedule"])
def test_before_the_first_window_closes_the_tick_skips(defs, schedule):
    result = tick(defs, schedule, utc(2024, 1, 1, 0, 10))
    assert not result.run_requests
    assert "first partition is 2024-01-01-00:00" in result.skip_message


@pytest.mark.parametrize(("instance", "cadence"), list(CADENCES.items()))
def test_a_schedule_targets_its_instances_job(defs, instance, cadence):
    schedule = defs.resolve_schedule_def(f"{instance}__{cadence}_sync_schedule")
    assert schedule.job_name == f"{instance}__{cadence}_sync"
    job = defs.resolve_job_def(schedule.job_name)
    assert job.asset_layer.executable_asset_keys == {dg.AssetKey([instance, "accounts"])}
