"""A project on a temporary directory: settings for emulator orgs, their catalogs, and its definitions.

The `make_project` fixture (root conftest) builds one; any test area may use it."""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import yaml

from sf_assets.catalog.refresh import refresh_catalog
from sf_assets.cli import salesforce_client
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

    def materialize(
        self, keys: list[tuple[str, str]], *, partition: str | None = None, **kwargs
    ) -> dg.ExecuteInProcessResult:
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


def build_project(
    tmp_path: Path,
    orgs: dict,
    ca_bundle: str,
    monkeypatch,  # noqa: ANN001
    *,
    start: str = "2026-03-10",
    warehouse_url: str | None = None,
    cadence: str = "daily",
    extra: dict | None = None,
) -> Project:
    """Write sf_assets.yaml for `orgs` (name → emulator org), refresh their catalogs, build definitions.

    `extra` adds or replaces top-level sections of the config (e.g. `groups`), or, under the key
    `instances`, per-instance keys merged into each named instance.
    """
    extra = dict(extra or {})
    instance_extra = extra.pop("instances", {})
    config = {
        "warehouse": {"url_env": "TEST_WAREHOUSE_URL", "data_dir": str(tmp_path / "warehouse")},
        "catalog_dir": str(tmp_path / "catalog"),
        "instances": {
            name: {**instance_config(name, org, start, cadence), **instance_extra.get(name, {})}
            for name, org in orgs.items()
        },
        **extra,
    }
    path = tmp_path / "sf_assets.yaml"
    path.write_text(yaml.safe_dump(config))
    for name, org in orgs.items():
        for key, value in org_environment(name, org, ca_bundle).items():
            monkeypatch.setenv(key, value)
    if warehouse_url:
        monkeypatch.setenv("TEST_WAREHOUSE_URL", warehouse_url)
    else:
        monkeypatch.delenv("TEST_WAREHOUSE_URL", raising=False)
    settings = load_settings(path)
    for instance in settings.instances:
        refresh_catalog(settings, instance.name, salesforce_client(settings, instance))
    return Project(settings, build_definitions(settings), dg.DagsterInstance.ephemeral())
