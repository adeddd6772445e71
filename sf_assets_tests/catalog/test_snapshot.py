import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sf_assets.catalog.snapshot import (
    Snapshot,
    SnapshotError,
    load_catalog,
    load_snapshot,
    snapshot_from_plan,
    write_snapshot,
)
from sf_assets.lib.catalog import SkipReason, catalog_collections
from sf_assets.settings import load_settings
from sf_emulator.store.catalog import DEMO_ORG, build_schema
from sf_emulator.store.describe import global_describe, sobject_describe

REFRESHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_org() -> tuple[dict, dict[str, dict]]:
    schema = build_schema(DEMO_ORG)
    return global_describe(schema, "59.0"), {o.name: sobject_describe(schema, o, "59.0") for o in schema}


def make_snapshot(demo_org, **selection: list[str]) -> Snapshot:
    plan = catalog_collections(*demo_org, **selection)
    return snapshot_from_plan(
        instance="sfdc_demo",
        api_version="59.0",
        refreshed_at=REFRESHED_AT,
        plan=plan,
        describes=demo_org[1],
        **selection,
    )


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access while loading a snapshot")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_round_trip_is_byte_stable(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    first = path.read_bytes()
    write_snapshot(load_snapshot(path), path)
    assert path.read_bytes() == first


def test_loaded_specs_equal_the_specs_built_from_live_describes(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    assert load_snapshot(path).plan == catalog_collections(*demo_org)


def test_file_is_sorted_for_readable_diffs(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    text = path.read_text()

    def keys_sorted(pairs: list) -> dict:
        assert [k for k, _ in pairs] == sorted(k for k, _ in pairs)
        return dict(pairs)

    document = json.loads(text, object_pairs_hook=keys_sorted)
    tables = [o["table"] for o in document["objects"]]
    assert tables == sorted(tables)
    assert [f["name"] for f in document["objects"][0]["fields"]][0] == "Id"


def test_each_field_is_one_line(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    lines = path.read_text().splitlines()
    id_line = next(line for line in lines if '"name": "Id"' in line)
    assert id_line.strip().startswith('{"calculated": false, "column": "id",') and id_line.endswith("},")
    assert '      "fields": [' in lines


def test_file_holds_the_documented_top_level_keys(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    document = json.loads(path.read_text())
    assert set(document) == {
        "version",
        "instance",
        "refreshed_at",
        "api_version",
        "selection",
        "objects",
        "skipped",
    }
    assert (document["version"], document["instance"], document["refreshed_at"]) == (
        1,
        "sfdc_demo",
        "2024-05-01T12:00:00+00:00",
    )
    assert document["skipped"] == [
        {"sobject": "Name", "table": "names", "reason": "not queryable", "detail": ""}
    ]


def test_objects_keep_only_the_describe_subset(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    account = next(o for o in json.loads(path.read_text())["objects"] if o["table"] == "accounts")
    assert set(account) == {
        "table",
        "name",
        "label",
        "keyPrefix",
        "custom",
        "queryable",
        "retrieveable",
        "replicateable",
        "fields",
    }
    assert "BillingAddress" not in {f["name"] for f in account["fields"]}
    assert set(account["fields"][0]) == {
        "name",
        "type",
        "column",
        "label",
        "calculated",
        "nillable",
        "externalId",
        "referenceTo",
        "precision",
        "scale",
        "filterable",
    }


def test_write_leaves_no_temporary_file(tmp_path, demo_org):
    path = tmp_path / "catalog" / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    write_snapshot(make_snapshot(demo_org, exclude=["accounts"]), path)
    assert [p.name for p in path.parent.iterdir()] == ["sfdc_demo.json"]
    assert load_snapshot(path).plan.object("accounts") is None


def test_loading_is_offline(tmp_path, demo_org, no_network):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org), path)
    snapshot = load_snapshot(path)
    assert len(snapshot.objects) == 48


def test_missing_snapshot_says_how_to_refresh(tmp_path):
    with pytest.raises(
        SnapshotError,
        match=r"no catalog snapshot for instance 'sfdc_demo'; run `sf-assets catalog refresh --instance sfdc_demo`",
    ):
        load_snapshot(tmp_path / "sfdc_demo.json")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "Expecting property name"),
        ('{"version": 2}', "version 2, this sf_assets reads version 1"),
        ('{"version": 1, "instance": "x"}', "KeyError"),
        (
            '{"version": 1, "objects": [{"name": "Account"}]}',
            "'objects' must be a list of objects with 'table' and 'fields'",
        ),
        ("[]", "expected a JSON object"),
    ],
)
def test_malformed_snapshot_is_reported_with_the_fix(tmp_path, text, reason):
    path = tmp_path / "sfdc_demo.json"
    path.write_text(text)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(path)
    assert str(info.value).startswith(f"{path}: not a valid catalog snapshot (")
    assert reason in str(info.value)
    assert str(info.value).endswith("run `sf-assets catalog refresh --instance sfdc_demo`")


def test_skipped_objects_round_trip(tmp_path, demo_org):
    path = tmp_path / "sfdc_demo.json"
    write_snapshot(make_snapshot(demo_org, exclude=["contacts"]), path)
    skipped = {s.sobject: (s.reason, s.detail) for s in load_snapshot(path).skipped}
    assert skipped == {
        "Name": (SkipReason.NOT_QUERYABLE, ""),
        "Contact": (SkipReason.EXCLUDED, "in objects.exclude"),
    }


def settings_for(tmp_path: Path, exclude: str = "[]"):
    config = tmp_path / "sf_assets.yaml"
    config.write_text(
        "instances:\n  sfdc_demo:\n"
        f"    objects: {{exclude: {exclude}}}\n"
        "    auth: {mode: session, session_id_env: S}\n"
        "    instance_url: https://127.0.0.1:8443\n"
    )
    return load_settings(config)


def test_load_catalog_reads_the_instance_snapshot(tmp_path, demo_org):
    settings = settings_for(tmp_path, "[Contact]")
    write_snapshot(make_snapshot(demo_org, exclude=["Contact"]), settings.catalog_path("sfdc_demo"))
    assert load_catalog(settings, "sfdc_demo").plan.object("contacts") is None


def test_load_catalog_refuses_a_snapshot_made_with_another_selection(tmp_path, demo_org):
    settings = settings_for(tmp_path, "[Contact]")
    write_snapshot(make_snapshot(demo_org), settings.catalog_path("sfdc_demo"))
    with pytest.raises(
        SnapshotError,
        match=r"refreshed with objects.exclude \[\], but .* now says \['Contact'\]; run `sf-assets catalog refresh --instance sfdc_demo`",
    ):
        load_catalog(settings, "sfdc_demo")


def test_load_catalog_refuses_another_instances_snapshot(tmp_path, demo_org):
    settings = settings_for(tmp_path)
    snapshot = make_snapshot(demo_org)
    write_snapshot(
        Snapshot("sfdc_other", snapshot.refreshed_at, "59.0", snapshot.describes),
        settings.catalog_path("sfdc_demo"),
    )
    with pytest.raises(SnapshotError, match="holds instance 'sfdc_other', not 'sfdc_demo'"):
        load_catalog(settings, "sfdc_demo")
