"""One asset job per (schema, partitions): each instance's cadence, each payload cadence.

A job must have a single partitions definition, and each instance has its own start, so jobs
are cut by the first part of the asset key (an instance's schema, `amplitude` for payloads) and
the partitions definition. Nothing here knows which area built an asset: payload assets get
their jobs the same way collections do.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import dagster as dg

from ..lib.cadence import cadence_name, job_name, schedule_name

# What `dg.define_asset_job` returns (UnresolvedAssetJobDefinition); dagster does not export the class.
AssetJob = Any


@dataclass(frozen=True)
class CadenceTarget:
    """The assets of one job: same key prefix, same time-window partitions."""

    prefix: str  # the instance name for an instance's schema, else the key's first part
    cadence: str
    partitions_def: dg.TimeWindowPartitionsDefinition
    keys: tuple[dg.AssetKey, ...]
    instance: str | None  # the Salesforce instance the assets are extracted from, if any

    @property
    def job_name(self) -> str:
        return job_name(self.prefix, self.cadence)

    @property
    def schedule_name(self) -> str:
        return schedule_name(self.job_name)

    @property
    def tags(self) -> dict[str, str]:
        """Run tags of the job (and its schedule's runs): the failure sensor and run limits read them."""
        tags = {"sf/cadence": self.cadence}
        if self.instance is not None:
            tags["sf/instance"] = self.instance
        return tags


def materializable_specs(defs: dg.Definitions) -> list[dg.AssetSpec]:
    """Specs of the assets this location materializes (external assets have no job)."""
    keys = {
        key
        for assets in defs.assets or ()
        if isinstance(assets, dg.AssetsDefinition) and assets.is_materializable
        for key in assets.keys
    }
    return [spec for spec in defs.resolve_all_asset_specs() if spec.key in keys]


def cadence_targets(
    specs: Iterable[dg.AssetSpec], instances_by_schema: Mapping[str, str]
) -> list[CadenceTarget]:
    """Group time-window-partitioned specs into jobs; other assets are left to be run by hand.

    `instances_by_schema` maps a schema (the key's first part) to its instance's name. When two
    groups would get the same job name (same prefix and cadence, different start), the start date
    is added to the cadence: `amplitude__daily_from_20250101_sync`.
    """
    groups: dict[tuple[str, dg.TimeWindowPartitionsDefinition], list[dg.AssetSpec]] = {}
    for spec in specs:
        if isinstance(spec.partitions_def, dg.TimeWindowPartitionsDefinition):
            groups.setdefault((spec.key.path[0], spec.partitions_def), []).append(spec)
    targets = []
    for (first, partitions_def), members in groups.items():
        cadence_tags = {spec.tags.get("sf/cadence") for spec in members}
        tag = cadence_tags.pop() if len(cadence_tags) == 1 else None
        instance = instances_by_schema.get(first)
        targets.append(
            CadenceTarget(
                prefix=instance or first,
                cadence=cadence_name(partitions_def.cron_schedule, tag),
                partitions_def=partitions_def,
                keys=tuple(sorted((spec.key for spec in members), key=lambda k: k.to_user_string())),
                instance=instance,
            )
        )
    names = [t.job_name for t in targets]
    return sorted(
        (_dated(t) if names.count(t.job_name) > 1 else t for t in targets), key=lambda t: t.job_name
    )


def build_job(target: CadenceTarget) -> AssetJob:
    what = f"instance {target.instance}" if target.instance else f"{target.prefix} assets"
    return dg.define_asset_job(
        target.job_name,
        selection=dg.AssetSelection.assets(*target.keys),  # partitions are inferred from these
        tags=target.tags,
        description=f"Every {what} asset on the {target.cadence} cadence; one partition per window.",
    )


def _dated(target: CadenceTarget) -> CadenceTarget:
    return replace(target, cadence=f"{target.cadence}_from_{target.partitions_def.start:%Y%m%d}")
