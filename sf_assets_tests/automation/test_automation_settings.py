"""The automation keys of the config file: `schedule`, `max_partitions_per_run`, `drift_check_hours`, `alerts`."""

from pathlib import Path

import pytest

from sf_assets.settings import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[2]
AUTH = "{mode: password, username_env: U, password_env: P}"


def load(tmp_path: Path, instance_lines: str = "", top: str = ""):  # noqa: ANN201 - Settings
    path = tmp_path / "sf_assets.yaml"
    body = "".join(f"    {line}\n" for line in instance_lines.strip().splitlines())
    path.write_text(f"instances:\n  sfdc_prod:\n{body}    auth: {AUTH}\n{top}")
    return load_settings(path)


def error(tmp_path: Path, instance_lines: str = "", top: str = "") -> SettingsError:
    with pytest.raises(SettingsError) as info:
        load(tmp_path, instance_lines, top)
    return info.value


def test_defaults(tmp_path):
    settings = load(tmp_path)
    prod = settings.instance("sfdc_prod")
    assert (prod.schedule, prod.max_partitions_per_run, prod.drift_check_hours) == (False, None, 6.0)
    assert settings.alerts.webhook_url_env is None


@pytest.mark.parametrize(("text", "on"), [("on", True), ("off", False), ('"on"', True), ("true", True)])
def test_schedule_on_or_off(tmp_path, text, on):
    assert load(tmp_path, f"schedule: {text}").instance("sfdc_prod").schedule is on


def test_a_bad_schedule_value_names_the_key(tmp_path):
    failure = error(tmp_path, "schedule: sometimes")
    assert (failure.instance, failure.key) == ("sfdc_prod", "schedule")
    assert "must be on or off; got 'sometimes'" in str(failure)


def test_max_partitions_per_run(tmp_path):
    assert load(tmp_path, "max_partitions_per_run: 24").instance("sfdc_prod").max_partitions_per_run == 24


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "true", "many"])
def test_max_partitions_per_run_must_be_a_positive_whole_number(tmp_path, value):
    failure = error(tmp_path, f"max_partitions_per_run: {value}")
    assert failure.key == "max_partitions_per_run"
    assert "whole number of partitions, 1 or more" in str(failure)


@pytest.mark.parametrize(("value", "hours"), [("12", 12.0), ("0.5", 0.5)])
def test_drift_check_hours(tmp_path, value, hours):
    assert load(tmp_path, f"drift_check_hours: {value}").instance("sfdc_prod").drift_check_hours == hours


@pytest.mark.parametrize("value", ["0", "0.001", "often"])
def test_drift_check_hours_below_a_minute_is_refused(tmp_path, value):
    failure = error(tmp_path, f"drift_check_hours: {value}")
    assert failure.key == "drift_check_hours"
    assert "at least 1/60" in str(failure)


def test_alerts_name_the_webhook_variable(tmp_path):
    settings = load(tmp_path, top="alerts:\n  webhook_url_env: TEAM_ALERT_HOOK\n")
    assert settings.alerts.webhook_url_env == "TEAM_ALERT_HOOK"


def test_a_webhook_url_in_the_file_is_refused_without_echoing_it(tmp_path):
    failure = error(tmp_path, top="alerts:\n  webhook_url: https://hooks.example.com/T0KEN\n")
    assert failure.key == "alerts.webhook_url"
    assert "T0KEN" not in str(failure)
    assert "alerts.webhook_url_env" in str(failure)


def test_an_unknown_alerts_key_is_refused(tmp_path):
    failure = error(tmp_path, top="alerts:\n  channel: '#data'\n")
    assert failure.key == "alerts.channel"


def test_the_example_file_documents_every_automation_key():
    settings = load_settings(REPO / "sf_assets.example.yaml")
    prod = settings.instance("sfdc_prod")
    assert (prod.schedule, prod.max_partitions_per_run, prod.drift_check_hours) == (False, 24, 6.0)
    assert settings.alerts.webhook_url_env == "SF_ASSETS_ALERT_WEBHOOK_URL"
