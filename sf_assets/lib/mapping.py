"""The group-property mapping: which Salesforce records become which Amplitude groups and properties.

A mapping (JSON, `version: 1`) holds relations. A relation takes one Salesforce object of one
configured instance (its warehouse table), names the field whose value is the group value, and maps
fields one-to-one to group properties, each with an operation:

- `set` (default): overwrite the property; a null source value sends nothing for it.
- `set_once`: fill the property only when the group has none yet (Amplitude's `$setOnce`).
- `unset`: overwrite like `set`, and remove the property (`$unset`) when the source value is null.
- `dont_sync`: kept in the mapping (so export/import round-trips it) but never sent.

Groups are re-sent in full on their pickup day even when unchanged (spread evenly over the interval),
so a property another writer changed is put right within one interval.
These classes are the parsed, validated form; `sf_assets.lib.mapping_rules` reads and checks files.
"""

from dataclasses import dataclass, field
from enum import StrEnum

MAPPING_VERSION = 1


class PropertyOp(StrEnum):
    SET = "set"
    SET_ONCE = "set_once"
    UNSET = "unset"
    DONT_SYNC = "dont_sync"


class PickupInterval(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    EVERY_N_DAYS = "every_n_days"  # with `Pickup.every_days`


class RelationCadence(StrEnum):
    DAILY = "daily"
    HOURLY = "hourly"


class FilterOp(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    NOT_IN = "not_in"
    IS_NULL = "is_null"  # value: true (must be null) or false (must not be null)


@dataclass(frozen=True)
class PropertyMapping:
    """Salesforce field API name (as in describe, e.g. `Active__c`) → Amplitude property name."""

    field: str
    property: str
    op: PropertyOp = PropertyOp.SET


@dataclass(frozen=True)
class Condition:
    """One filter condition on a Salesforce field; a relation's conditions are ANDed."""

    field: str
    op: FilterOp
    value: object  # str | int | float | bool | None, or a tuple of those for IN / NOT_IN


@dataclass(frozen=True)
class Pickup:
    """How often every group is re-sent in full; `every_days` is the interval in days."""

    interval: PickupInterval = PickupInterval.WEEKLY
    every_days: int | None = None  # only with EVERY_N_DAYS

    @property
    def days(self) -> int:
        """The interval's length in days (a month counts as 28, so every group comes up each month)."""
        if self.interval == PickupInterval.EVERY_N_DAYS:
            assert self.every_days is not None
            return self.every_days
        return {PickupInterval.DAILY: 1, PickupInterval.WEEKLY: 7, PickupInterval.MONTHLY: 28}[self.interval]


@dataclass(frozen=True)
class Relation:
    """One Salesforce object of one instance → one Amplitude group type."""

    name: str  # lowercase identifier; the payload asset is ["amplitude", name]
    instance: str  # a configured Salesforce instance (sf_assets.yaml)
    sobject: str  # the Salesforce object API name, e.g. "Account" (given as `object` or via `table`)
    group_type: str
    group_name_field: str  # Salesforce field API name whose value is the group value
    properties: tuple[PropertyMapping, ...]
    create_unseen_groups: bool = True
    filter: tuple[Condition, ...] = ()
    pickup: Pickup = field(default_factory=Pickup)
    cadence: RelationCadence = RelationCadence.DAILY

    @property
    def synced_properties(self) -> tuple[PropertyMapping, ...]:
        return tuple(p for p in self.properties if p.op != PropertyOp.DONT_SYNC)


@dataclass(frozen=True)
class Mapping:
    relations: tuple[Relation, ...]
    version: int = MAPPING_VERSION

    def relation(self, name: str) -> Relation:
        for relation in self.relations:
            if relation.name == name:
                return relation
        raise KeyError(name)
