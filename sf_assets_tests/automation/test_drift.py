"""The catalog-drift sensor against an emulated org: new fields and objects, no drift, an outage."""

import json

import dagster as dg
import pytest

from sf_assets.automation.drift import build_drift_sensor
from sf_assets.project import build_definitions

from .conftest import fast_client, settings_for

INVOICE = {
    "name": "Invoice__c",
    "label": "Invoice",
    "fields": [{"name": "Amount__c", "type": "currency", "precision": 16, "scale": 2}],
}


@pytest.fixture
def project(make_project, org):  # noqa: ANN001, ANN201
    return make_project({"sfdc_prod": org})


@pytest.fixture
def drift(project) -> dg.SensorDefinition:  # noqa: ANN001
    settings = project.settings
    return build_drift_sensor(settings, settings.instance("sfdc_prod"), client_factory=fast_client)


def evaluate(sensor: dg.SensorDefinition, cursor: str | None = None) -> dg.SensorResult | dg.SkipReason:
    with dg.instance_for_test() as instance:
        return sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_new_fields_and_objects_are_reported_and_written_to_the_snapshot(project, drift, emulator, org):
    emulator.control.add_field(
        org.org_id, "Account", {"name": "Health_Score__c", "type": "double", "precision": 5, "scale": 2}
    )
    emulator.control.add_object(org.org_id, INVOICE)
    result = evaluate(drift)
    assert not result.run_requests
    assert result.skip_reason.skip_message.startswith(
        "sfdc_prod: catalog drift: new objects: invoice_c; new fields: accounts.Health_Score__c; "
        "sfdc_prod.json rewritten, reload the code location"
    )
    assert json.loads(result.cursor)["drift"] == {
        "added_objects": ["invoice_c"],
        "removed_objects": [],
        "added_fields": {"accounts": ["Health_Score__c"]},
        "removed_fields": {},
    }
    [observation] = result.asset_events
    assert observation.asset_key == dg.AssetKey(["sfdc_prod", "accounts"])
    assert observation.metadata["added_fields"].value == ["Health_Score__c"]


def test_a_reload_after_drift_has_the_new_asset_and_column(project, drift, emulator, org):
    emulator.control.add_field(
        org.org_id, "Account", {"name": "Health_Score__c", "type": "double", "precision": 5, "scale": 2}
    )
    emulator.control.add_object(org.org_id, INVOICE)
    evaluate(drift)
    reloaded = build_definitions(project.settings)  # what a code-location reload does
    keys = {spec.key for spec in reloaded.resolve_all_asset_specs()}
    assert dg.AssetKey(["sfdc_prod", "invoice_c"]) in keys
    accounts = next(
        s for s in reloaded.resolve_all_asset_specs() if s.key == dg.AssetKey(["sfdc_prod", "accounts"])
    )
    assert "health_score_c" in {c.name for c in accounts.metadata["dagster/column_schema"].columns}


def test_an_unchanged_org_is_no_drift_and_keeps_the_snapshot(project, drift):
    path = project.settings.catalog_path("sfdc_prod")
    before = path.read_bytes()
    result = evaluate(drift)
    assert result.skip_reason.skip_message == "sfdc_prod: no catalog drift"
    assert json.loads(result.cursor)["drift"]["added_objects"] == []
    assert path.read_bytes() == before


def test_a_salesforce_outage_skips_with_the_reason_and_keeps_the_snapshot(project, drift, emulator, org):
    path = project.settings.catalog_path("sfdc_prod")
    before = path.read_bytes()
    emulator.control.add_field(org.org_id, "Account", {"name": "Health_Score__c", "type": "double"})
    emulator.control.add_fault(
        org.org_id, r"/sobjects", status=503, error_code="SERVER_UNAVAILABLE", remaining=1000
    )
    result = evaluate(drift, cursor="previous")
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message.startswith(
        "Salesforce unavailable, catalog not checked (will retry next interval)"
    )
    assert "SERVER_UNAVAILABLE" in result.skip_message
    assert path.read_bytes() == before
    emulator.control.clear_faults(org.org_id)
    assert (
        "accounts.Health_Score__c" in evaluate(drift).skip_reason.skip_message
    )  # the next interval finds it


@pytest.mark.parametrize(
    ("options", "interval", "status"),
    [
        ({}, 6 * 3600, dg.DefaultSensorStatus.STOPPED),
        ({"drift_check_hours": 0.5, "schedule": "on"}, 1800, dg.DefaultSensorStatus.RUNNING),
    ],
)
def test_interval_and_default_status_come_from_the_instance_settings(tmp_path, options, interval, status):
    settings = settings_for(tmp_path, {"sfdc_prod": options})
    sensor = build_drift_sensor(settings, settings.instance("sfdc_prod"), client_factory=fast_client)
    assert (sensor.name, sensor.minimum_interval_seconds, sensor.default_status) == (
        "sfdc_prod__catalog_drift",
        interval,
        status,
    )
