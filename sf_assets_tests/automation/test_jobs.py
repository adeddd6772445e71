"""Jobs per (instance, cadence) and per payload cadence; schedule status from `schedule: on|off`."""

from datetime import UTC, date, datetime

import dagster as dg
import pytest

from sf_assets.automation.definitions import FOLLOW_UPSTREAM_SENSOR, apply_automation

from .conftest import collection, payload, settings_for


def condition(defs: dg.Definitions, key: str) -> dg.AutomationCondition | None:
    return next(
        s for s in defs.resolve_all_asset_specs() if s.key.to_user_string() == key
    ).automation_condition


def job_keys(defs: dg.Definitions, name: str) -> set[str]:
    return {key.to_user_string() for key in defs.resolve_job_def(name).asset_layer.executable_asset_keys}


@pytest.fixture
def prod_and_eu(tmp_path):
    settings = settings_for(
        tmp_path,
        {
            "sfdc_prod": {"cadence": "every_3h", "schedule": "on"},
            "sfdc_eu": {"schema": "eu_crm", "cadence": "hourly", "start": "2025-01-01"},
        },
    )
    accounts = collection("sfdc_prod", "accounts", "every_3h")
    assets = [
        accounts,
        collection("sfdc_prod", "contacts", "every_3h"),
        collection("eu_crm", "accounts", "hourly", start=date(2025, 1, 1)),
        payload("company", "daily", accounts),
        payload("company_hourly", "hourly", accounts),
    ]
    return apply_automation(settings, dg.Definitions(assets=assets))


def test_each_instance_has_one_job_over_its_collections(prod_and_eu):
    assert job_keys(prod_and_eu, "sfdc_prod__every_3h_sync") == {"sfdc_prod/accounts", "sfdc_prod/contacts"}


def test_a_job_is_named_for_the_instance_even_when_its_schema_differs(prod_and_eu):
    assert job_keys(prod_and_eu, "sfdc_eu__hourly_sync") == {"eu_crm/accounts"}


def test_payloads_get_a_job_per_cadence(prod_and_eu):
    assert job_keys(prod_and_eu, "amplitude__daily_sync") == {"amplitude/company"}
    assert job_keys(prod_and_eu, "amplitude__hourly_sync") == {"amplitude/company_hourly"}


def test_every_job_has_a_schedule(prod_and_eu):
    assert sorted((s.name, s.job_name) for s in prod_and_eu.schedules) == [
        ("amplitude__daily_sync_schedule", "amplitude__daily_sync"),
        ("amplitude__hourly_sync_schedule", "amplitude__hourly_sync"),
        ("sfdc_eu__hourly_sync_schedule", "sfdc_eu__hourly_sync"),
        ("sfdc_prod__every_3h_sync_schedule", "sfdc_prod__every_3h_sync"),
    ]


@pytest.mark.parametrize(
    ("schedule", "status"),
    [
        ("sfdc_prod__every_3h_sync_schedule", dg.DefaultScheduleStatus.RUNNING),  # schedule: on
        ("sfdc_eu__hourly_sync_schedule", dg.DefaultScheduleStatus.STOPPED),  # default off
        ("amplitude__daily_sync_schedule", dg.DefaultScheduleStatus.STOPPED),  # payloads follow upstream
    ],
)
def test_default_status_comes_from_the_instance_setting(prod_and_eu, schedule, status):
    assert prod_and_eu.resolve_schedule_def(schedule).default_status == status


def test_a_jobs_runs_are_tagged_with_instance_and_cadence(prod_and_eu):
    assert prod_and_eu.resolve_job_def("sfdc_prod__every_3h_sync").tags == {
        "sf/cadence": "every_3h",
        "sf/instance": "sfdc_prod",
    }
    assert prod_and_eu.resolve_job_def("amplitude__daily_sync").tags == {"sf/cadence": "daily"}


def test_payloads_follow_their_upstream_and_collections_do_not(prod_and_eu):
    assert condition(prod_and_eu, "amplitude/company").get_label() == "eager"
    assert condition(prod_and_eu, "sfdc_prod/accounts") is None
    sensor = prod_and_eu.resolve_sensor_def(FOLLOW_UPSTREAM_SENSOR)
    # any instance with `schedule: on` keeps its payloads current too
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_an_asset_with_its_own_condition_keeps_it(tmp_path):
    settings = settings_for(tmp_path, {"sfdc_prod": {"cadence": "daily"}})
    accounts = collection("sfdc_prod", "accounts", "daily")
    on_cron = dg.AutomationCondition.on_cron("0 6 * * *")

    @dg.asset(key=["amplitude", "company"], deps=[accounts], automation_condition=on_cron)
    def company() -> None:
        return None

    defs = apply_automation(settings, dg.Definitions(assets=[accounts, company]))
    assert condition(defs, "amplitude/company") == on_cron
    assert FOLLOW_UPSTREAM_SENSOR not in {s.name for s in defs.sensors}


def test_payload_groups_that_share_a_cadence_but_not_a_start_get_dated_jobs(tmp_path):
    settings = settings_for(tmp_path, {"sfdc_prod": {"cadence": "daily"}})
    accounts = collection("sfdc_prod", "accounts", "daily")
    assets = [
        accounts,
        payload("company", "daily", accounts),
        payload("company_2025", "daily", accounts, start=date(2025, 1, 1)),
    ]
    defs = apply_automation(settings, dg.Definitions(assets=assets))
    assert job_keys(defs, "amplitude__daily_from_20240101_sync") == {"amplitude/company"}
    assert job_keys(defs, "amplitude__daily_from_20250101_sync") == {"amplitude/company_2025"}


def test_unpartitioned_assets_get_no_job(tmp_path):
    settings = settings_for(tmp_path, {"sfdc_prod": {"cadence": "daily"}})

    @dg.asset(key=["reports", "summary"])
    def summary() -> None:
        return None

    defs = apply_automation(
        settings, dg.Definitions(assets=[collection("sfdc_prod", "accounts", "daily"), summary])
    )
    assert [job.name for job in defs.jobs] == ["sfdc_prod__daily_sync"]
    dg.Definitions.validate_loadable(defs)


def test_a_payload_is_requested_once_every_upstream_window_inside_it_has_landed(tmp_path):
    settings = settings_for(tmp_path, {"sfdc_prod": {"cadence": "every_3h"}})
    accounts = collection("sfdc_prod", "accounts", "every_3h")
    company = payload("company", "daily", accounts)
    defs = apply_automation(settings, dg.Definitions(assets=[accounts, company]))
    at = datetime(2024, 1, 2, 0, 20, tzinfo=UTC)
    with dg.instance_for_test() as instance:
        first = dg.evaluate_automation_conditions(defs=defs, instance=instance, evaluation_time=at)
        assert first.total_requested == 0
        range_tags = {
            "dagster/asset_partition_range_start": "2024-01-01-00:00",
            "dagster/asset_partition_range_end": "2024-01-01-18:00",
        }
        assert dg.materialize([accounts], instance=instance, tags=range_tags).success
        partial = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, evaluation_time=at, cursor=first.cursor
        )
        assert partial.total_requested == 0  # the 21:00 window of Jan 1 is still missing
        assert dg.materialize([accounts], instance=instance, partition_key="2024-01-01-21:00").success
        full = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, evaluation_time=at, cursor=partial.cursor
        )
        assert full.get_requested_partitions(company.key) == {"2024-01-01-00:00"}
