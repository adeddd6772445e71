"""A project on a temporary directory: settings for emulator orgs, their catalogs, and its definitions."""

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest
import yaml

from sf_assets.catalog.refresh import refresh_catalog
from sf_assets.catalog.snapshot import load_catalog
from sf_assets.cli import salesforce_client
from sf_assets.lib.types import ColumnType
from sf_assets.project import build_definitions
from sf_assets.settings import Settings, load_settings
from sf_assets.warehouse import Warehouse


@dataclass
class Project:
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance

    def asset(self, schema: str, table: str) -> dg.AssetsDefinition:
        key = dg.AssetKey([schema, table])
        return next(a for a in self.defs.assets if isinstance(a, dg.AssetsDefinition) and a.key == key)

    def warehouse(self) -> Warehouse:
        """The warehouse the runs write to (the resource holds an EnvVar, resolved only inside runs)."""
        url = os.environ.get(self.settings.warehouse.url_env)
        return Warehouse(url, data_dir=self.settings.warehouse.data_dir)

    def materialize(self, keys: list[tuple[str, str]], *, partition: str | None = None, **kwargs) -> dg.ExecuteInProcessResult:
        assets = [self.asset(*key) for key in keys]
        return dg.materialize(
            assets, instance=self.instance, resources=self.defs.resources, partition_key=partition, **kwargs
        )


def instance_config(name: str, org, start: str, cadence: str = "daily") -> dict:  # noqa: ANN001
    prefix = name.upper()
    return {
        "schema": name,
        "cadence": cadence,
        "start": start,
        "login_url": org.instance_url,
        "ca_bundle_env": f"{prefix}_CA_BUNDLE",
        "auth": {
            "mode": "password",
            "username_env": f"{prefix}_USERNAME",
            "password_env": f"{prefix}_PASSWORD",
            "security_token_env": f"{prefix}_SECURITY_TOKEN",
        },
    }


def org_environment(name: str, org, ca_bundle: str) -> dict[str, str]:  # noqa: ANN001
    prefix = name.upper()
    return {
        f"{prefix}_USERNAME": org.username,
        f"{prefix}_PASSWORD": org.password,
        f"{prefix}_SECURITY_TOKEN": org.security_token,
        f"{prefix}_CA_BUNDLE": ca_bundle,
    }


@pytest.fixture
def make_project(tmp_path: Path, emulator, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """Build a project over emulator orgs: `make_project({"sfdc_prod": org}, start=..., warehouse_url=...)`."""

    def make(orgs: dict, *, start: str = "2026-03-10", warehouse_url: str | None = None, cadence: str = "daily") -> Project:
        config = {
            "warehouse": {"url_env": "TEST_WAREHOUSE_URL", "data_dir": str(tmp_path / "warehouse")},
            "catalog_dir": str(tmp_path / "catalog"),
            "instances": {name: instance_config(name, org, start, cadence) for name, org in orgs.items()},
        }
        path = tmp_path / "sf_assets.yaml"
        path.write_text(yaml.safe_dump(config))
        for name, org in orgs.items():
            for key, value in org_environment(name, org, emulator.ca_bundle).items():
                monkeypatch.setenv(key, value)
        if warehouse_url:
            monkeypatch.setenv("TEST_WAREHOUSE_URL", warehouse_url)
        else:
            monkeypatch.delenv("TEST_WAREHOUSE_URL", raising=False)
        settings = load_settings(path)
        for instance in settings.instances:
            refresh_catalog(settings, instance.name, salesforce_client(settings, instance))
        return Project(settings, build_definitions(settings), dg.DagsterInstance.ephemeral())

    return make


def expected_value(column_type: ColumnType, value: object) -> object:
    """A REST JSON value as the warehouse should give it back."""
    if value is None:
        return None
    if column_type == ColumnType.TIMESTAMP:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)
    if column_type == ColumnType.DATE:
        return date.fromisoformat(value)
    if column_type == ColumnType.TIME:
        return time.fromisoformat(value.rstrip("Z"))
    if column_type in (ColumnType.NUMERIC, ColumnType.DOUBLE):
        return float(value)
    return value


def comparable(value: object) -> object:
    return float(value) if isinstance(value, Decimal | float) else value


def assert_table_equals_org(project: Project, schema: str, table: str, sf) -> list[dict]:  # noqa: ANN001
    """Every column of every row equals the org's (queryAll); purged rows stay, marked deleted."""
    instance = next(i for i in project.settings.instances if i.schema == schema)
    spec = load_catalog(project.settings, instance.name).plan.object(table)
    by_sf = {f.sf_name: f.column for f in spec.fields}
    soql = f"SELECT {', '.join(by_sf)} FROM {spec.sobject}"
    org_rows = {r["Id"]: r for r in sf.query_all(soql, include_deleted=True)["records"]}
    warehouse_rows = {r["id"]: r for r in project.warehouse().fetch_all(schema, table)}
    missing = set(org_rows) - set(warehouse_rows)
    assert not missing, f"{schema}.{table} lacks {sorted(missing)[:5]}"
    for record_id, warehouse_row in warehouse_rows.items():
        if record_id not in org_rows:
            assert warehouse_row["is_deleted"] is True and warehouse_row["deleted_at"] is not None, record_id
            continue
        org_row = org_rows[record_id]
        for sf_name, column in by_sf.items():
            expected = comparable(expected_value(column.type, org_row[sf_name]))
            actual = comparable(warehouse_row[column.name])
            assert actual == expected, f"{schema}.{table} {record_id} {column.name}: {actual!r} != {expected!r}"
    return list(warehouse_rows.values())
