"""The automation layer over the project's assets: jobs, schedules, sensors, follow-upstream.

- A job and a window schedule per (instance, cadence) and per payload cadence (`jobs.py`,
  `schedules.py`). An instance's schedules start RUNNING with `schedule: on`; payload schedules
  start STOPPED, because payloads already follow their upstream (below).
- Assets downstream of other assets (payloads, deliveries) follow their upstream through
  declarative automation: `AutomationCondition.eager()` unless the asset sets its own condition,
  evaluated by the `follow_upstream_automation` sensor. Eager requests a payload's latest window
  once every upstream partition inside it has landed, and again when one of them is re-synced.
- Sensors: run failures (`failures.py`), catalog drift per instance (`drift.py`).
"""

from collections.abc import Iterable

import dagster as dg

from ..cli import salesforce_client
from ..settings import Settings
from .drift import ClientFactory, build_drift_sensor
from .failures import build_failure_sensor
from .jobs import CadenceTarget, build_job, cadence_targets, materializable_specs
from .schedules import build_window_schedule

FOLLOW_UPSTREAM_SENSOR = "follow_upstream_automation"


def apply_automation(
    settings: Settings, defs: dg.Definitions, *, client_factory: ClientFactory = salesforce_client
) -> dg.Definitions:
    """`defs` plus its jobs, schedules and sensors, with eager() on assets that follow an upstream."""
    specs = materializable_specs(defs)
    instances_by_schema = {i.schema: i.name for i in settings.instances}
    jobs, schedules = [], []
    for target in cadence_targets(specs, instances_by_schema):
        job = build_job(target)
        jobs.append(job)
        schedules.append(
            build_window_schedule(target, job, default_status=_schedule_status(settings, target))
        )
    sensors = [
        build_failure_sensor(settings),
        *(build_drift_sensor(settings, i, client_factory=client_factory) for i in settings.instances),
    ]
    followers = follower_keys(specs)
    if followers:
        eager = dg.AutomationCondition.eager()
        defs = defs.map_resolved_asset_specs(
            func=lambda spec: spec.replace_attributes(automation_condition=eager),
            selection=dg.AssetSelection.assets(*followers),
        )
        sensors.append(
            dg.AutomationConditionSensorDefinition(
                FOLLOW_UPSTREAM_SENSOR,
                target=dg.AssetSelection.assets(*followers),
                default_status=(
                    dg.DefaultSensorStatus.RUNNING
                    if any(i.schedule for i in settings.instances)
                    else dg.DefaultSensorStatus.STOPPED
                ),
                description="Runs payload (and other downstream) assets when their upstream partitions land.",
            )
        )
    return dg.Definitions.merge(defs, dg.Definitions(jobs=jobs, schedules=schedules, sensors=sensors))


def follower_keys(specs: Iterable[dg.AssetSpec]) -> list[dg.AssetKey]:
    """Assets with an upstream asset in this location and no automation condition of their own."""
    specs = list(specs)
    keys = {spec.key for spec in specs}
    return sorted(
        (
            spec.key
            for spec in specs
            if spec.automation_condition is None and any(dep.asset_key in keys for dep in spec.deps)
        ),
        key=lambda k: k.to_user_string(),
    )


def _schedule_status(settings: Settings, target: CadenceTarget) -> dg.DefaultScheduleStatus:
    on = target.instance is not None and settings.instance(target.instance).schedule
    return dg.DefaultScheduleStatus.RUNNING if on else dg.DefaultScheduleStatus.STOPPED
