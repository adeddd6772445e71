"""The extraction area: one asset (and row-count check) per collection of every configured instance."""

import dagster as dg

from ..catalog.snapshot import load_catalog
from ..resources.salesforce import SalesforceResource
from ..settings import InstanceSettings, Settings
from .assets import build_collection_asset
from .checks import build_row_count_check
from .translator import CollectionSource, SalesforceTranslator


def salesforce_resource(instance: InstanceSettings) -> SalesforceResource:
    """Secrets (and the username, and the CA bundle path) are `EnvVar`s: read at run time, never shown."""
    from_env = {role: dg.EnvVar(env) for role, env in instance.env_vars().items()}
    return SalesforceResource(**instance.connection_options(), **from_env)


def collection_sources(settings: Settings, warehouse_kind: str) -> list[CollectionSource]:
    """Every collection of every instance, from the describe snapshots; Salesforce is not called."""
    sources = []
    for instance in settings.instances:
        snapshot = load_catalog(settings, instance.name)
        for spec in snapshot.objects:
            sources.append(
                CollectionSource(
                    instance=instance.name,
                    schema=instance.schema,
                    cadence=instance.cadence.value,
                    start=instance.start,
                    spec=spec,
                    warehouse_kind=warehouse_kind,
                    max_partitions_per_run=instance.max_partitions_per_run,
                    budget_retry_minutes=instance.api_budget.retry_after_minutes,
                )
            )
    return sources


def build_extract_definitions(
    settings: Settings, *, warehouse_kind: str, translator: SalesforceTranslator | None = None
) -> dg.Definitions:
    translator = translator or SalesforceTranslator()
    sources = collection_sources(settings, warehouse_kind)
    assets = [build_collection_asset(source, translator) for source in sources]
    checks = [build_row_count_check(source, asset.key) for source, asset in zip(sources, assets, strict=True)]
    schema_checks = dg.build_column_schema_change_checks(assets=assets) if assets else []
    return dg.Definitions(
        assets=assets,
        asset_checks=[*checks, *schema_checks],
        resources={f"salesforce_{i.name}": salesforce_resource(i) for i in settings.instances},
    )
