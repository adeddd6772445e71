"""The code location as users load it: from ./sf_assets.yaml and the committed demo catalog."""

import importlib
import os
import shutil
import socket
import sys
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def _load_defs(monkeypatch: pytest.MonkeyPatch) -> dg.Definitions:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SF_ASSETS_CONFIG", raising=False)
    sys.modules.pop("sf_assets.definitions", None)
    return importlib.import_module("sf_assets.definitions").defs


def test_definitions_load_with_the_network_blocked(monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("loading definitions must not open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    defs = _load_defs(monkeypatch)
    dg.Definitions.validate_loadable(defs)
    assert len([a for a in defs.assets if a.key.path[0] == "sfdc_demo"]) == 48


def describe(defs: dg.Definitions) -> str:
    """Assets (group, kinds, cadence, partitions, pool, deps), checks, jobs (selections), schedules (crons),
    sensors and resources: one reviewed diff per change."""
    lines = []
    for asset in sorted(defs.assets, key=lambda a: a.key.to_user_string()):
        spec = asset.specs_by_key[asset.key]
        deps = ",".join(sorted(d.asset_key.to_user_string() for d in spec.deps)) or "-"
        lines.append(
            f"asset {asset.key.to_user_string()} group={spec.group_name} kinds={','.join(sorted(spec.kinds))}"
            f" cadence={spec.tags.get('sf/cadence')} partitions={asset.partitions_def.get_first_partition_key()}"
            f" pool={asset.op.pool} deps={deps}"
        )
    for check in sorted(defs.asset_checks, key=lambda c: sorted(k.to_user_string() for k in c.check_keys)[0]):
        for key in sorted(check.check_keys, key=lambda k: k.to_user_string()):
            lines.append(f"check {key.asset_key.to_user_string()}:{key.name}")
    for job in sorted(defs.jobs or (), key=lambda j: j.name):
        resolved = defs.resolve_job_def(job.name)
        keys = ",".join(sorted(k.to_user_string() for k in resolved.asset_layer.executable_asset_keys))
        partitions = resolved.partitions_def
        lines.append(
            f"job {job.name} partitions={partitions.cron_schedule}@{partitions.get_first_partition_key()}"
            f" tags={','.join(f'{k}={v}' for k, v in sorted(resolved.tags.items()))} assets={keys}"
        )
    for schedule in sorted(defs.schedules or (), key=lambda s: s.name):
        lines.append(
            f"schedule {schedule.name} cron={schedule.cron_schedule} tz={schedule.execution_timezone}"
            f" job={schedule.job_name} default={schedule.default_status.value}"
        )
    for sensor in sorted(defs.sensors or (), key=lambda s: s.name):
        lines.append(
            f"sensor {sensor.name} type={sensor.sensor_type.value} every={sensor.minimum_interval_seconds}s"
            f" default={sensor.default_status.value}"
        )
    lines += [f"resource {name}" for name in sorted(defs.resources)]
    return "\n".join(lines) + "\n"


def test_definitions_match_the_reviewed_snapshot(monkeypatch):
    current = describe(_load_defs(monkeypatch))
    if os.environ.get("SF_ASSETS_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), "definitions changed: review, then rerun with SF_ASSETS_UPDATE_SNAPSHOTS=1"


def test_postgres_instance_config_runs_and_stores_in_postgres(tmp_path, monkeypatch, postgres_url):
    shutil.copy(ROOT / "deploy" / "dagster.postgres.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_PG_URL", postgres_url)

    @dg.asset
    def probe() -> None:
        return None

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert dg.materialize([probe], instance=instance).success
        assert instance.get_latest_materialization_event(dg.AssetKey("probe")) is not None
