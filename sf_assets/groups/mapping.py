"""The project's mapping: read the file `groups.mapping` names and check it against the catalogs.

Reads local files only (the mapping and the catalog snapshots), so definitions can load it at
import time. Every problem is a `MappingError` listing them all with file, line and place.
"""

from pathlib import Path

from ..catalog.snapshot import SnapshotError, load_catalog
from ..lib.catalog import CollectionsPlan, ObjectSpec
from ..lib.mapping import Mapping, Relation
from ..lib.mapping_rules import MappingError, Problem, parse_mapping
from ..settings import Settings


def load_project_mapping(settings: Settings) -> Mapping | None:
    """The validated mapping of `settings.groups.mapping`; None when the setting is absent."""
    if settings.groups.mapping is None:
        return None
    return load_mapping_file(settings, settings.groups.mapping)[0]


def load_mapping_file(settings: Settings, path: Path) -> tuple[Mapping, list[Problem]]:
    """Any mapping file, checked against this project's instances; returns it and its warnings."""
    source = display_path(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read it ({exc.strerror})"
        fix = (
            f"; fix groups.mapping in {display_path(settings.path)} or install one with "
            "`sf-assets mapping import FILE`"
            if path == settings.groups.mapping
            else ""
        )
        raise MappingError(source, [Problem("error", "file", None, f"{reason}{fix}")]) from None
    return parse_project_mapping(settings, text, source=source)


def parse_project_mapping(settings: Settings, text: str, *, source: str) -> tuple[Mapping, list[Problem]]:
    """Mapping text checked against the configured instances and their catalog snapshots."""
    catalogs: dict[str, CollectionsPlan] = {}
    unavailable: dict[str, str] = {}
    for name in settings.instance_names:
        try:
            catalogs[name] = load_catalog(settings, name).plan
        except SnapshotError as exc:
            unavailable[name] = str(exc)
    return parse_mapping(
        text, source=source, catalogs=catalogs, instances=settings.instance_names, catalog_errors=unavailable
    )


def relation_object(settings: Settings, relation: Relation) -> ObjectSpec:
    """The relation's collection, from its instance's catalog snapshot."""
    spec = load_catalog(settings, relation.instance).plan.object(relation.sobject)
    if spec is None:
        # Only when the snapshot changed after the mapping was loaded: the loader checked it.
        raise MappingError(
            display_path(settings.groups.mapping or settings.path),
            [
                Problem(
                    "error",
                    f"relation {relation.name!r} › source",
                    None,
                    f"{relation.sobject} is no longer in the catalog snapshot of instance "
                    f"{relation.instance!r}; validate the mapping again",
                )
            ],
        )
    return spec


def display_path(path: Path) -> str:
    """`path` relative to the working directory when it lies below it, for shorter messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
