"""Describe an instance's org and write its catalog snapshot (`sf-assets catalog refresh`)."""

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from ..lib.catalog import CollectionsPlan, DescribeFailed, catalog_collections, describe_targets
from ..settings import Settings
from .snapshot import Snapshot, SnapshotError, load_snapshot, snapshot_from_plan, write_snapshot

# Enough to hide latency across ~50 describes without looking like a burst to the org's limits.
DESCRIBE_WORKERS = 8
# A describe refused for these statuses means "this user cannot read it" or "it is gone": skip it.
SKIPPED_STATUSES = frozenset({403, 404})

Progress = Callable[[int, int, str], None]  # (done, total, sObject)
Warn = Callable[[str], None]


class DescribeClient(Protocol):
    def describe_global(self) -> dict: ...

    def describe(self, sobject: str) -> dict: ...


def refresh_catalog(
    settings: Settings,
    instance_name: str,
    client: DescribeClient,
    *,
    progress: Progress | None = None,
    warn: Warn | None = None,
    now: datetime | None = None,
) -> Snapshot:
    """Describe the org through `client`, write `<catalog_dir>/<instance>.json`, return the snapshot.

    Objects whose describe is refused with 403/404 are skipped with the reason; any other failure
    propagates and leaves the previous snapshot untouched. Table and column names the previous
    snapshot settled (collisions) are kept. `warn` hears the plan's warnings (renamed columns,
    skipped fields, exclude entries that match nothing).
    """
    instance = settings.instance(instance_name)
    include, exclude = instance.objects.include, instance.objects.exclude
    global_describe = client.describe_global()
    describes = describe_all(client, describe_targets(global_describe, include, exclude), progress=progress)
    path = settings.catalog_path(instance.name)
    plan = catalog_collections(global_describe, describes, include, exclude, previous=_previous_plan(path))
    if warn is not None:
        for warning in plan.warnings:
            warn(warning)
    snapshot = snapshot_from_plan(
        instance=instance.name,
        api_version=instance.api_version,
        refreshed_at=(now or datetime.now(UTC)).replace(microsecond=0),
        plan=plan,
        describes={name: d for name, d in describes.items() if not isinstance(d, DescribeFailed)},
        include=include,
        exclude=exclude,
    )
    previous = _previous_snapshot(path)
    if (
        previous is not None
        and replace(previous, refreshed_at=snapshot.refreshed_at).to_json() == snapshot.to_json()
    ):
        return previous  # unchanged org: keep the file (and its date) so the catalog diff stays empty
    write_snapshot(snapshot, path)
    return snapshot


def describe_all(
    client: DescribeClient,
    sobjects: Iterable[str],
    *,
    progress: Progress | None = None,
    workers: int = DESCRIBE_WORKERS,
) -> dict[str, Mapping | DescribeFailed]:
    """sObject → describe, or DescribeFailed for a 403/404; at most `workers` calls in flight."""
    names = list(sobjects)
    results: dict[str, Mapping | DescribeFailed] = {}
    if not names:
        return results
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="describe") as pool:
        pending = {pool.submit(client.describe, name): name for name in names}
        while pending:
            done, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                name = pending.pop(future)
                try:
                    results[name] = future.result()
                except Exception as exc:
                    status = _status(exc)
                    if status not in SKIPPED_STATUSES:
                        for other in pending:
                            other.cancel()
                        raise
                    results[name] = DescribeFailed(status, str(exc))
                if progress is not None:
                    progress(len(results), len(names), name)
    return results


def _status(exc: BaseException) -> int | None:
    """The HTTP status of a client error: our typed errors carry `status`, requests' a response."""
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _previous_snapshot(path: Path) -> Snapshot | None:
    try:
        return load_snapshot(path)
    except SnapshotError:
        # A missing or broken snapshot is what a refresh repairs; names are settled afresh.
        return None


def _previous_plan(path: Path) -> CollectionsPlan | None:
    previous = _previous_snapshot(path)
    return previous.plan if previous is not None else None
