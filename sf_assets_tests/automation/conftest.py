"""Helpers for automation tests: settings without a file on disk, and small partitioned assets.

The assets stand in for collections (key `[schema, table]`) and payloads (`["amplitude", relation]`)
with the project's own partitions; the automation layer only reads their keys, partitions and deps.
"""

import os
from datetime import date
from pathlib import Path

import dagster as dg

from sf_assets.extract.partitions import partitions_for
from sf_assets.resources.salesforce import SalesforceResource
from sf_assets.settings import InstanceSettings, Settings, parse_settings


def settings_for(tmp_path: Path, instances: dict[str, dict], **top: object) -> Settings:
    """Settings of instances on session auth (nothing is ever called); `top` adds top-level sections."""
    document = {
        "instances": {
            name: {
                "auth": {"mode": "session", "session_id_env": "UNUSED"},
                "instance_url": "https://x.test",
                **opts,
            }
            for name, opts in instances.items()
        },
        "catalog_dir": str(tmp_path / "catalog"),
        **top,
    }
    return parse_settings(document, tmp_path / "sf_assets.yaml")


def collection(schema: str, table: str, cadence: str, start: date = date(2024, 1, 1)) -> dg.AssetsDefinition:
    @dg.asset(
        key=[schema, table], partitions_def=partitions_for(cadence, start), tags={"sf/cadence": cadence}
    )
    def _collection() -> None:
        return None

    return _collection


def payload(
    relation: str, cadence: str, upstream: dg.AssetsDefinition, start: date = date(2024, 1, 1)
) -> dg.AssetsDefinition:
    @dg.asset(key=["amplitude", relation], partitions_def=partitions_for(cadence, start), deps=[upstream])
    def _payload() -> None:
        return None

    return _payload


def fast_client(settings: Settings, instance: InstanceSettings):  # noqa: ANN201 - a SalesforceClient
    """The instance's real client with one try per call, so an outage is seen at once, not after backoff."""
    secrets = instance.resolve_env(os.environ)
    return SalesforceResource(**instance.connection_options(), **secrets, max_attempts=1).get_client()
