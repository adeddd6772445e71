"""The catalog snapshot: one JSON file per instance, `<catalog_dir>/<instance>.json`.

    {"version": 1, "instance": "sfdc_prod", "refreshed_at": "2024-05-01T12:00:00+00:00",
     "api_version": "59.0", "selection": {"include": [...], "exclude": [...]},
     "objects": [{"table": "accounts", "name": "Account", "label": ..., "keyPrefix": ..., "custom": ...,
                  "queryable": ..., "retrieveable": ..., "replicateable": ...,
                  "fields": [{"name": "Id", "type": "id", "column": "id", "label": ..., "calculated": ...,
                              "nillable": ..., "externalId": ..., "referenceTo": [...],
                              "precision": ..., "scale": ..., "filterable": ...}, ...]}, ...],
     "skipped": [{"sobject": "Name", "table": "names", "reason": "not queryable", "detail": ""}, ...]}

Objects keep describe keys, not finished specs, so a fix to the type mapping or the cursor rule
applies on the next load without a refresh; `table` and `column` pin the names chosen when
collisions were settled. Objects are sorted by table, fields as the specs order them, keys
alphabetically, so a refresh that changes nothing rewrites the same bytes apart from
`refreshed_at`. Loading reads one local file: no network, and fast enough for import time.
"""

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from ..lib.catalog import (
    CollectionsPlan,
    ObjectSpec,
    SkippedObject,
    SkipReason,
    describe_subset,
    object_spec,
    spec_warnings,
)
from ..settings import Settings

SNAPSHOT_VERSION = 1


class SnapshotError(ValueError):
    """The snapshot is missing, malformed or out of date; the message says how to refresh it."""


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One instance's catalog as last refreshed; `plan` rebuilds the specs from the stored describes."""

    instance: str
    refreshed_at: datetime
    api_version: str
    describes: tuple[Mapping, ...]  # describe subsets with `table` and per-field `column`
    skipped: tuple[SkippedObject, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @cached_property
    def plan(self) -> CollectionsPlan:
        objects = tuple(
            object_spec(
                d,
                table=d["table"],
                columns={f["name"]: f["column"] for f in d["fields"] if f.get("column")},
            )
            for d in self.describes
        )
        return CollectionsPlan(
            objects=objects,
            skipped=self.skipped,
            warnings=tuple(w for spec in objects for w in spec_warnings(spec)),
        )

    @property
    def objects(self) -> tuple[ObjectSpec, ...]:
        return self.plan.objects

    def to_json(self) -> str:
        """The file's text: sorted, indented, newline-terminated."""
        document = {
            "version": SNAPSHOT_VERSION,
            "instance": self.instance,
            "refreshed_at": self.refreshed_at.isoformat(),
            "api_version": self.api_version,
            "selection": {"include": list(self.include), "exclude": list(self.exclude)},
            "objects": sorted(self.describes, key=lambda d: d["table"]),
            "skipped": [
                {"sobject": s.sobject, "table": s.table, "reason": s.reason.value, "detail": s.detail}
                for s in sorted(self.skipped, key=lambda s: (s.table, s.sobject))
            ],
        }
        return _render(document) + "\n"


def snapshot_from_plan(
    *,
    instance: str,
    api_version: str,
    refreshed_at: datetime,
    plan: CollectionsPlan,
    describes: Mapping[str, Mapping],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Snapshot:
    """The snapshot of a fresh plan; `describes` are the full describes the plan was built from."""
    stored = []
    for spec in plan.objects:
        subset = describe_subset(describes[spec.sobject])
        columns = {f.sf_name: f.column.name for f in spec.fields}
        for f in subset["fields"]:
            if f["name"] in columns:
                f["column"] = columns[f["name"]]
        stored.append({"table": spec.table, **subset})
    return Snapshot(
        instance=instance,
        refreshed_at=refreshed_at,
        api_version=api_version,
        describes=tuple(stored),
        skipped=plan.skipped,
        include=tuple(include),
        exclude=tuple(exclude),
    )


def write_snapshot(snapshot: Snapshot, path: Path) -> None:
    """Write atomically: a reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(snapshot.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def load_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file; SnapshotError says to run `sf-assets catalog refresh` when it is unusable."""
    path = Path(path)
    refresh = f"run `sf-assets catalog refresh --instance {path.stem}`"
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SnapshotError(f"{path}: no catalog snapshot for instance {path.stem!r}; {refresh}") from None
    try:
        return _parse(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
        reason = exc.args[0] if isinstance(exc, ValueError) and exc.args else f"{type(exc).__name__}: {exc}"
        raise SnapshotError(f"{path}: not a valid catalog snapshot ({reason}); {refresh}") from exc


def load_catalog(settings: Settings, instance_name: str) -> Snapshot:
    """The snapshot of an instance, checked against the instance's current object selection."""
    instance = settings.instance(instance_name)
    path = settings.catalog_path(instance_name)
    snapshot = load_snapshot(path)
    refresh = f"run `sf-assets catalog refresh --instance {instance.name}`"
    if snapshot.instance != instance.name:
        raise SnapshotError(f"{path}: holds instance {snapshot.instance!r}, not {instance.name!r}; {refresh}")
    for key, now, then in (
        ("include", instance.objects.include, snapshot.include),
        ("exclude", instance.objects.exclude, snapshot.exclude),
    ):
        if sorted(x.lower() for x in now) != sorted(x.lower() for x in then):
            raise SnapshotError(
                f"{path}: refreshed with objects.{key} {list(then)}, but {settings.path} now says "
                f"{list(now)}; {refresh}"
            )
    return snapshot


def _render(value: object, depth: int = 0) -> str:
    """Indented JSON with sorted keys, where a flat object (a field, a skipped entry) takes one line.

    One line per field keeps the file short and makes a changed field a one-line diff.
    """
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and not _flat(value):
        items = [f"{inner}{json.dumps(k)}: {_render(value[k], depth + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}" if items else "{}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(f"{inner}{_render(v, depth + 1)}" for v in value) + f"\n{pad}]"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _flat(value: dict) -> bool:
    return all(
        not isinstance(v, dict) and not (isinstance(v, list) and any(isinstance(x, dict | list) for x in v))
        for v in value.values()
    )


def _parse(document: object) -> Snapshot:
    if not isinstance(document, dict):
        raise ValueError("expected a JSON object")
    version = document.get("version")
    if version != SNAPSHOT_VERSION:
        raise ValueError(f"version {version!r}, this sf_assets reads version {SNAPSHOT_VERSION}")
    describes = document["objects"]
    if not isinstance(describes, list) or not all(
        isinstance(d, dict) and isinstance(d.get("table"), str) and isinstance(d.get("fields"), list)
        for d in describes
    ):
        raise ValueError("'objects' must be a list of objects with 'table' and 'fields'")
    selection = document.get("selection") or {}
    snapshot = Snapshot(
        instance=str(document["instance"]),
        refreshed_at=datetime.fromisoformat(document["refreshed_at"]),
        api_version=str(document["api_version"]),
        describes=tuple(describes),
        skipped=tuple(
            SkippedObject(s["sobject"], s["table"], SkipReason(s["reason"]), s.get("detail", ""))
            for s in document["skipped"]
        ),
        include=tuple(selection.get("include") or ()),
        exclude=tuple(selection.get("exclude") or ()),
    )
    snapshot.plan  # noqa: B018 - build the specs now, so a bad field fails here with the file's name
    return snapshot
