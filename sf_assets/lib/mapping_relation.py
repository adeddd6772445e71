"""The rules for one relation of a mapping: source object, fields, properties, filter, pickup.

Part of `sf_assets.lib.mapping_rules` (split for size); import from there.
"""

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime, time

from .catalog import CollectionsPlan, FieldSpec, ObjectSpec
from .json_source import Path, SourceMap
from .mapping import (
    Condition,
    FilterOp,
    Pickup,
    PickupInterval,
    PropertyMapping,
    PropertyOp,
    Relation,
    RelationCadence,
)
from .mapping_report import MISSING, NonJsonConstant, Reporter, hint, json_type, show
from .types import ColumnType

MAX_EVERY_DAYS = 365
RELATION_KEYS = (
    "name",
    "source",
    "group_type",
    "group_name_field",
    "properties",
    "create_unseen_groups",
    "filter",
    "pickup",
    "cadence",
)
_SOURCE_KEYS = ("instance", "object", "table")
_PROPERTY_KEYS = ("field", "property", "op")
_CONDITION_KEYS = ("field", "op", "value")
_PICKUP_KEYS = ("interval", "every_days")
_RELATION_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_NUMBER_TYPES = (ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DOUBLE)


class RelationRules(Reporter):
    """Checks relations against the configured instances and their catalog snapshots."""

    def __init__(
        self,
        document: object,
        source_map: SourceMap,
        catalogs: Mapping[str, CollectionsPlan],
        instances: Collection[str],
        catalog_errors: Mapping[str, str],
    ) -> None:
        super().__init__(document, source_map)
        self.catalogs = catalogs
        self.instances = tuple(instances)
        self.catalog_errors = catalog_errors

    def relation(self, index: int, raw: object) -> Relation | None:
        path: Path = ("relations", index)
        if not self.is_object(path, raw):
            return None
        before = self.errors()
        self.keys(path, raw, RELATION_KEYS, RELATION_KEYS[:5])
        name = raw.get("name", MISSING)
        if name is not MISSING and (not isinstance(name, str) or not _RELATION_NAME.match(name)):
            self.error(
                (*path, "name"),
                "must be a lowercase identifier (letters a-z, digits and _, starting with a letter), "
                f'e.g. "companies"; got {show(name)}',
            )
        instance, spec = self.source((*path, "source"), raw.get("source", MISSING))
        group_type = raw.get("group_type", MISSING)
        if group_type is not MISSING and (not isinstance(group_type, str) or not group_type.strip()):
            self.error(
                (*path, "group_type"), f'must be a non-empty string, e.g. "company"; got {show(group_type)}'
            )
        group_name = self.field((*path, "group_name_field"), raw.get("group_name_field", MISSING), spec)
        if isinstance(group_name, FieldSpec) and group_name.sf_type != "id" and not group_name.external_id:
            self.warn(
                (*path, "group_name_field"),
                f"{group_name.sf_name} is not a unique field in Salesforce (neither the Id nor an external "
                "ID): records sharing a value become one group and overwrite each other's properties; "
                "prefer Id or a unique external ID, and run `sf-assets mapping verify` to check the data",
            )
        properties = self.properties((*path, "properties"), raw.get("properties", MISSING), spec)
        create = raw.get("create_unseen_groups", True)
        if not isinstance(create, bool):
            self.error((*path, "create_unseen_groups"), f"must be true or false; got {show(create)}")
        conditions = self.conditions((*path, "filter"), raw.get("filter", MISSING), spec)
        pickup = self.pickup((*path, "pickup"), raw.get("pickup", MISSING))
        cadence = self.enum(
            (*path, "cadence"), raw.get("cadence", MISSING), RelationCadence, RelationCadence.DAILY
        )
        if self.errors() > before or spec is None:
            return None
        return Relation(
            name=name,
            instance=instance,
            sobject=spec.sobject,
            group_type=group_type,
            group_name_field=group_name.sf_name,
            properties=properties,
            create_unseen_groups=create,
            filter=conditions,
            pickup=pickup,
            cadence=cadence,
        )

    def source(self, path: Path, raw: object) -> tuple[str | None, ObjectSpec | None]:
        if raw is MISSING or not self.is_object(path, raw):
            return None, None
        self.keys(path, raw, _SOURCE_KEYS, ("instance",))
        given = [key for key in ("object", "table") if key in raw]
        if not given:
            self.error(
                path, 'missing "object" (the Salesforce object, e.g. "Account") or "table" (e.g. "accounts")'
            )
        elif len(given) == 2:
            self.error((*path, "table"), 'give "object" or "table", not both')
        instance = raw.get("instance", MISSING)
        if instance is MISSING:
            return None, None
        if not isinstance(instance, str) or instance not in self.instances:
            configured = ", ".join(self.instances) or "none"
            self.error(
                (*path, "instance"),
                f"{show(instance)} is not an instance of the project config (configured: {configured})"
                + (hint(instance, self.instances) if isinstance(instance, str) else ""),
            )
            return None, None
        plan = self.catalogs.get(instance)
        if plan is None:
            reason = self.catalog_errors.get(instance) or f"no catalog snapshot for instance {instance!r}"
            fix = f"sf-assets catalog refresh --instance {instance}"
            self.error((*path, "instance"), reason if fix in reason else f"{reason} (run `{fix}`)")
            return instance, None
        if len(given) != 1:
            return instance, None
        key = given[0]
        name = raw[key]
        if not isinstance(name, str) or not name.strip():
            self.error((*path, key), f"must be a non-empty string; got {show(name)}")
            return instance, None
        return instance, self.lookup_object((*path, key), plan, instance, key, name)

    def lookup_object(
        self, path: Path, plan: CollectionsPlan, instance: str, key: str, name: str
    ) -> ObjectSpec | None:
        attribute = "sobject" if key == "object" else "table"
        spec = next((o for o in plan.objects if getattr(o, attribute).lower() == name.lower()), None)
        if spec is not None:
            return spec
        skipped = next((s for s in plan.skipped if getattr(s, attribute).lower() == name.lower()), None)
        if skipped is not None:
            detail = f" ({skipped.detail})" if skipped.detail else ""
            self.error(
                path, f"{skipped.sobject} is not synced by instance {instance!r}: {skipped.reason}{detail}"
            )
            return None
        known = [getattr(o, attribute) for o in plan.objects]
        what = "object" if key == "object" else "table"
        self.error(
            path,
            f"no {what} {name!r} in the catalog snapshot of instance {instance!r}{hint(name, known)}; "
            f"if it is new in the org, run `sf-assets catalog refresh --instance {instance}`",
        )
        return None

    def field(self, path: Path, value: object, spec: ObjectSpec | None) -> FieldSpec | None:
        if value is MISSING:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(path, f'must be a Salesforce field API name such as "Name"; got {show(value)}')
            return None
        if spec is None:  # the object is unknown and already reported
            return None
        found = spec.field(value)
        if found is not None:
            return found
        skipped = next(
            (reason for name, reason in spec.skipped_fields if name.lower() == value.lower()), None
        )
        if skipped is not None:
            self.error(path, f"{spec.sobject}.{value} is not synced: {skipped}")
            return None
        self.error(
            path,
            f"no field {value!r} on {spec.sobject} in the catalog snapshot"
            f"{hint(value, [f.sf_name for f in spec.fields])}; if it is new in the org, run "
            "`sf-assets catalog refresh`",
        )
        return None

    def properties(self, path: Path, raw: object, spec: ObjectSpec | None) -> tuple[PropertyMapping, ...]:
        if raw is MISSING:
            return ()
        if not isinstance(raw, list):
            self.error(path, f"must be a list of properties, got {json_type(raw)}")
            return ()
        if not raw:
            self.error(path, 'list at least one {"field": ..., "property": ...}')
        result: list[PropertyMapping] = []
        by_field: dict[str, tuple[int, str]] = {}  # field (lower) → (index, property)
        by_property: dict[str, tuple[int, str]] = {}  # property → (index, field)
        for index, item in enumerate(raw):
            item_path = (*path, index)
            if not self.is_object(item_path, item):
                continue
            self.keys(item_path, item, _PROPERTY_KEYS, _PROPERTY_KEYS[:2])
            found = self.field((*item_path, "field"), item.get("field", MISSING), spec)
            name = item.get("property", MISSING)
            if name is not MISSING and (not isinstance(name, str) or not name.strip()):
                self.error((*item_path, "property"), f"must be a non-empty property name; got {show(name)}")
                name = MISSING
            op = self.enum((*item_path, "op"), item.get("op", MISSING), PropertyOp, PropertyOp.SET)
            field_name = found.sf_name if found else item.get("field")
            if found is not None and found.sf_name.lower() in by_field:
                other, other_property = by_field[found.sf_name.lower()]
                self.error(
                    (*item_path, "field"),
                    f"{found.sf_name} is already mapped to property {other_property!r} by properties[{other}] "
                    f"(line {self.source_map.line((*path, other))}); a field maps to one property only",
                )
            if name is not MISSING and name in by_property:
                other, other_field = by_property[name]
                self.error(
                    (*item_path, "property"),
                    f"property {name!r} already comes from field {other_field} (properties[{other}], "
                    f"line {self.source_map.line((*path, other))}); two fields in one property would "
                    "overwrite each other",
                )
            if found is not None:
                by_field.setdefault(found.sf_name.lower(), (index, name if name is not MISSING else "?"))
            if name is not MISSING:
                by_property.setdefault(name, (index, field_name))
            if found is not None and name is not MISSING and op is not None:
                result.append(PropertyMapping(field=found.sf_name, property=name, op=op))
        return tuple(result)

    def conditions(self, path: Path, raw: object, spec: ObjectSpec | None) -> tuple[Condition, ...]:
        if raw is MISSING:
            return ()
        if not isinstance(raw, list):
            self.error(path, f"must be a list of conditions, got {json_type(raw)}")
            return ()
        result: list[Condition] = []
        for index, item in enumerate(raw):
            item_path = (*path, index)
            if not self.is_object(item_path, item):
                continue
            self.keys(item_path, item, _CONDITION_KEYS, _CONDITION_KEYS)
            found = self.field((*item_path, "field"), item.get("field", MISSING), spec)
            op = self.enum((*item_path, "op"), item.get("op", MISSING), FilterOp, None)
            value = item.get("value", MISSING)
            if op is None or value is MISSING:
                continue
            value = self.condition_value((*item_path, "value"), op, value, found)
            if found is not None and value is not MISSING:
                result.append(Condition(field=found.sf_name, op=op, value=value))
        return tuple(result)

    def condition_value(self, path: Path, op: FilterOp, value: object, found: FieldSpec | None) -> object:
        if isinstance(value, NonJsonConstant):  # already reported as not JSON
            return MISSING
        if op == FilterOp.IS_NULL:
            if not isinstance(value, bool):
                self.error(
                    path, f"is_null takes true (must be empty) or false (must be set); got {show(value)}"
                )
                return MISSING
            return value
        if op in (FilterOp.IN, FilterOp.NOT_IN):
            if not isinstance(value, list) or not value:
                self.error(path, f"{op.value} takes a non-empty list of values; got {show(value)}")
                return MISSING
            fits = [self.condition_scalar((*path, i), op, v, found) for i, v in enumerate(value)]
            return tuple(value) if all(fits) else MISSING
        return value if self.condition_scalar(path, op, value, found) else MISSING

    def condition_scalar(self, path: Path, op: FilterOp, value: object, found: FieldSpec | None) -> bool:
        if value is None or isinstance(value, dict | list):
            hint = " (use is_null to match empty values)" if value is None else ""
            self.error(path, f"{op.value} takes a string, number or boolean; got {json_type(value)}{hint}")
            return False
        if found is None:
            return True
        expected = _expected_value(found.column.type, value)
        if expected is not None:
            self.error(
                path, f"{show(value)} does not suit {found.sf_name} ({found.sf_type}): give {expected}"
            )
            return False
        return True

    def pickup(self, path: Path, raw: object) -> Pickup | None:
        if raw is MISSING:
            return Pickup()
        if not self.is_object(path, raw):
            return None
        self.keys(path, raw, _PICKUP_KEYS, ("interval",))
        interval = self.enum((*path, "interval"), raw.get("interval", MISSING), PickupInterval, None)
        every_days = raw.get("every_days", MISSING)
        if interval == PickupInterval.EVERY_N_DAYS:
            if every_days is MISSING:
                self.error(
                    path,
                    f'interval every_n_days needs "every_days": a whole number from 1 to {MAX_EVERY_DAYS}',
                )
                return None
            if (
                not isinstance(every_days, int)
                or isinstance(every_days, bool)
                or not 1 <= every_days <= MAX_EVERY_DAYS
            ):
                self.error(
                    (*path, "every_days"),
                    f"must be a whole number from 1 to {MAX_EVERY_DAYS}; got {show(every_days)}",
                )
                return None
            return Pickup(interval, every_days)
        if every_days is not MISSING and interval is not None:
            self.error(
                (*path, "every_days"),
                f'only goes with "interval": "every_n_days" (this one is {interval.value})',
            )
            return None
        return Pickup(interval) if interval is not None else None


# --- helpers ---------------------------------------------------------------------------------------
def _expected_value(column_type: ColumnType, value: object) -> str | None:
    """What a filter value for a column of `column_type` must look like, when `value` does not."""
    if column_type == ColumnType.BOOLEAN:
        return None if isinstance(value, bool) else "true or false"
    if column_type in _NUMBER_TYPES:
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if not isinstance(value, str):
        return "a string"
    parse = {
        ColumnType.DATE: date.fromisoformat,
        ColumnType.TIMESTAMP: datetime.fromisoformat,
        ColumnType.TIME: time.fromisoformat,
    }
    if column_type in parse:
        try:
            parse[column_type](value)
        except ValueError:
            return {
                ColumnType.DATE: 'an ISO date such as "2024-01-31"',
                ColumnType.TIMESTAMP: 'an ISO date-time such as "2024-01-31T12:00:00Z"',
                ColumnType.TIME: 'an ISO time such as "12:00:00"',
            }[column_type]
    return None
