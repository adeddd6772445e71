"""The catalog-drift sensor: describe an instance's org on its own interval and report what changed.

Each evaluation refreshes `<catalog_dir>/<instance>.json` with the same code as
`sf-assets catalog refresh`, so reloading the code location turns new objects and fields into
assets and columns. The sensor requests no runs (the new assets do not exist until that reload);
it reports the difference in its tick (skip reason), its cursor, the log, and as an observation on
each existing asset that gained or lost fields. A Salesforce outage skips the tick with the reason
and leaves the snapshot as it was.
"""

import json
from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg

from ..catalog.refresh import DescribeClient, refresh_catalog
from ..catalog.snapshot import Snapshot, SnapshotError, load_snapshot
from ..lib.catalog_diff import CatalogDiff, diff_catalogs
from ..salesforce import SalesforceApiError
from ..settings import InstanceSettings, Settings

ClientFactory = Callable[[Settings, InstanceSettings], DescribeClient]
MIN_INTERVAL_SECONDS = 30  # the daemon evaluates sensors no more often than this


def drift_sensor_name(instance: InstanceSettings) -> str:
    return f"{instance.name}__catalog_drift"


def build_drift_sensor(
    settings: Settings, instance: InstanceSettings, *, client_factory: ClientFactory
) -> dg.SensorDefinition:
    """`client_factory` builds the instance's Salesforce client at evaluation time (secrets read then)."""
    interval = max(MIN_INTERVAL_SECONDS, round(instance.drift_check_hours * 3600))

    @dg.sensor(
        name=drift_sensor_name(instance),
        minimum_interval_seconds=interval,
        default_status=dg.DefaultSensorStatus.RUNNING
        if instance.schedule
        else dg.DefaultSensorStatus.STOPPED,
        description=(
            f"Every {instance.drift_check_hours:g} h: describes {instance.name}'s org, rewrites its catalog "
            "snapshot and reports new or removed objects and fields (reload the code location to load them)."
        ),
    )
    def _drift(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        before = _tables(_previous(settings, instance))
        try:
            snapshot = refresh_catalog(
                settings, instance.name, client_factory(settings, instance), warn=context.log.warning
            )
        except SalesforceApiError as exc:
            context.log.warning(f"{instance.name}: catalog not checked, Salesforce failed: {exc}")
            return dg.SkipReason(
                f"Salesforce unavailable, catalog not checked (will retry next interval): {exc}"
            )
        diff = diff_catalogs(before, _tables(snapshot))
        cursor = json.dumps(
            {
                "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "snapshot_refreshed_at": snapshot.refreshed_at.isoformat(),
                "drift": diff.as_json(),
            },
            sort_keys=True,
        )
        if not diff:
            return dg.SensorResult(skip_reason=f"{instance.name}: no catalog drift", cursor=cursor)
        message = (
            f"{instance.name}: catalog drift: {diff.summary()}; {settings.catalog_path(instance.name).name} "
            "rewritten, reload the code location to pick it up"
        )
        context.log.warning(message)
        return dg.SensorResult(skip_reason=message, cursor=cursor, asset_events=_observations(instance, diff))

    return _drift


def _previous(settings: Settings, instance: InstanceSettings) -> Snapshot | None:
    try:
        return load_snapshot(settings.catalog_path(instance.name))
    except SnapshotError:
        return None  # no snapshot yet: everything the org has is new


def _tables(snapshot: Snapshot | None) -> dict[str, list[str]]:
    if snapshot is None:
        return {}
    return {spec.table: [f.sf_name for f in spec.fields] for spec in snapshot.objects}


def _observations(instance: InstanceSettings, diff: CatalogDiff) -> list[dg.AssetObservation]:
    """One per existing asset that changed; new objects have no asset until the reload."""
    tables = sorted(set(diff.added_fields) | set(diff.removed_fields) | set(diff.removed_objects))
    return [
        dg.AssetObservation(
            asset_key=dg.AssetKey([instance.schema, table]),
            description="Catalog drift found by the drift sensor; reload the code location to apply it.",
            metadata={
                "added_fields": list(diff.added_fields.get(table, ())),
                "removed_fields": list(diff.removed_fields.get(table, ())),
                "removed_from_org": table in diff.removed_objects,
            },
        )
        for table in tables
    ]
