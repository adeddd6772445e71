"""The whole project's definitions from its settings: each area's, merged, plus shared resources."""

import os

import dagster as dg

from .automation.definitions import apply_automation
from .extract.definitions import build_extract_definitions
from .groups.definitions import build_groups_definitions
from .resources.warehouse import WarehouseResource
from .settings import Settings


def warehouse_resource(settings: Settings) -> tuple[WarehouseResource, str]:
    """PostgreSQL when the URL variable is set (read at run time through EnvVar), else embedded SQLite."""
    url_env = settings.warehouse.url_env
    configured = os.environ.get(url_env)
    url = dg.EnvVar(url_env) if configured else None
    kind = "postgres" if configured and configured.startswith("postgres") else "sqlite"
    return WarehouseResource(url=url, data_dir=str(settings.warehouse.data_dir)), kind


def build_definitions(settings: Settings) -> dg.Definitions:
    warehouse, kind = warehouse_resource(settings)
    # Automation goes last: its jobs and schedules are cut from every area's assets.
    merged = dg.Definitions.merge(
        build_extract_definitions(settings, warehouse_kind=kind),
        build_groups_definitions(settings, warehouse_kind=kind),
        dg.Definitions(resources={"warehouse": warehouse}),
    )
    return apply_automation(settings, merged)
