import pytest

from sf_assets.lib.cadence import CadenceError, cadence_name, job_name, lagged_cron, schedule_name


@pytest.mark.parametrize(
    ("cron", "lagged"),
    [("0 * * * *", "10 * * * *"), ("0 */3 * * *", "10 */3 * * *"), ("0 0 * * *", "10 0 * * *")],
)
def test_a_lagged_cron_fires_ten_minutes_after_each_tick(cron, lagged):
    assert lagged_cron(cron, 10) == lagged


@pytest.mark.parametrize("cron", ["30 * * * *", "*/15 * * * *", "0 0 * *"])
def test_a_cron_that_does_not_tick_on_the_hour_is_refused(cron):
    with pytest.raises(CadenceError, match="ticks on the hour"):
        lagged_cron(cron, 10)


@pytest.mark.parametrize("lag", [-1, 60])
def test_a_lag_outside_the_hour_is_refused(lag):
    with pytest.raises(CadenceError, match="0-59"):
        lagged_cron("0 * * * *", lag)


@pytest.mark.parametrize(
    ("cron", "tag", "name"),
    [
        ("0 * * * *", None, "hourly"),
        ("0 */3 * * *", "ignored", "every_3h"),  # a known cron wins over the tag
        ("0 0 * * *", None, "daily"),
        ("0 6 * * 1", "weekly", "weekly"),
        ("0 6 * * 1", None, "cron_0_6_x_x_1"),
    ],
)
def test_cadence_name(cron, tag, name):
    assert cadence_name(cron, tag) == name


def test_job_and_schedule_names():
    assert job_name("sfdc_prod", "every_3h") == "sfdc_prod__every_3h_sync"
    assert job_name("Amplitude-EU", "daily") == "amplitude_eu__daily_sync"
    assert schedule_name("sfdc_prod__every_3h_sync") == "sfdc_prod__every_3h_sync_schedule"
