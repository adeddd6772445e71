"""What changed in an org's catalog between two describes: objects and fields added or removed."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CatalogDiff:
    """Tables (collections) and, per table that stayed, Salesforce field names; everything sorted."""

    added_objects: tuple[str, ...] = ()
    removed_objects: tuple[str, ...] = ()
    added_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    removed_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added_objects or self.removed_objects or self.added_fields or self.removed_fields)

    def summary(self) -> str:
        """One line for logs and sensor ticks, e.g. `new objects: invoice_c; new fields: accounts.Tier__c`."""
        parts = []
        if self.added_objects:
            parts.append("new objects: " + ", ".join(self.added_objects))
        if self.removed_objects:
            parts.append("removed objects: " + ", ".join(self.removed_objects))
        if self.added_fields:
            parts.append("new fields: " + _dotted(self.added_fields))
        if self.removed_fields:
            parts.append("removed fields: " + _dotted(self.removed_fields))
        return "; ".join(parts) or "no changes"

    def as_json(self) -> dict:
        return {
            "added_objects": list(self.added_objects),
            "removed_objects": list(self.removed_objects),
            "added_fields": {table: list(names) for table, names in self.added_fields.items()},
            "removed_fields": {table: list(names) for table, names in self.removed_fields.items()},
        }


def diff_catalogs(before: Mapping[str, Iterable[str]], after: Mapping[str, Iterable[str]]) -> CatalogDiff:
    """Compare table → field names maps; fields are compared case-insensitively, as Salesforce does.

    Fields of added or removed tables are not listed again under added or removed fields.
    """
    old = {table: _by_lower(names) for table, names in before.items()}
    new = {table: _by_lower(names) for table, names in after.items()}
    added_fields, removed_fields = {}, {}
    for table in sorted(old.keys() & new.keys()):
        gained = sorted(new[table][k] for k in new[table].keys() - old[table].keys())
        lost = sorted(old[table][k] for k in old[table].keys() - new[table].keys())
        if gained:
            added_fields[table] = tuple(gained)
        if lost:
            removed_fields[table] = tuple(lost)
    return CatalogDiff(
        added_objects=tuple(sorted(new.keys() - old.keys())),
        removed_objects=tuple(sorted(old.keys() - new.keys())),
        added_fields=added_fields,
        removed_fields=removed_fields,
    )


def _by_lower(names: Iterable[str]) -> dict[str, str]:
    return {name.lower(): name for name in names}


def _dotted(fields_by_table: Mapping[str, tuple[str, ...]]) -> str:
    return ", ".join(f"{table}.{name}" for table, names in fields_by_table.items() for name in names)
