"""The group-properties area: one payload asset (and dead-letter check) per relation of the mapping."""

import hashlib
import os

import dagster as dg

from ..extract.partitions import partitions_for
from ..resources.amplitude import AmplitudeResource
from ..settings import Settings
from .assets import RelationSource, build_payload_asset
from .mapping import load_project_mapping, relation_object


def amplitude_resource(settings: Settings) -> AmplitudeResource:
    """The key is an `EnvVar` when its variable is set at load time; otherwise runs are dry runs."""
    amplitude = settings.groups.amplitude
    key = dg.EnvVar(amplitude.api_key_env) if os.environ.get(amplitude.api_key_env) else None
    return AmplitudeResource(api_key=key, region=amplitude.region, base_url=amplitude.base_url)


def relation_sources(settings: Settings, warehouse_kind: str) -> list[RelationSource]:
    mapping = load_project_mapping(settings)
    if mapping is None:
        return []
    mapping_hash = hashlib.sha256(settings.groups.mapping.read_bytes()).hexdigest()
    sources = []
    for relation in mapping.relations:
        instance = settings.instance(relation.instance)
        sources.append(
            RelationSource(
                relation=relation,
                schema=instance.schema,
                spec=relation_object(settings, relation),
                partitions_def=partitions_for(relation.cadence.value, instance.start),
                warehouse_kind=warehouse_kind,
                mapping_hash=mapping_hash,
            )
        )
    return sources


def build_groups_definitions(settings: Settings, *, warehouse_kind: str) -> dg.Definitions:
    built = [build_payload_asset(source) for source in relation_sources(settings, warehouse_kind)]
    return dg.Definitions(
        assets=[asset for asset, _ in built],
        asset_checks=[check for _, check in built],
        resources={"amplitude": amplitude_resource(settings)},
    )
