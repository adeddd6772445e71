"""The org's schema catalog: the standard objects, plus custom objects and fields from an org definition.

schema = build_schema("sf_emulator/orgs/demo.yaml")   # or a dict, an OrgDefinition, or None
"""

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..errors import SalesforceError
from ..schema import FieldDef, ObjectDef, OrgSchema
from . import accounts, activities, admin, content, marketing, opportunities, products, service, tags, users
from .org_definition import CustomObject, OrgDefinition, parse_org_definition, read_org_definition

__all__ = [
    "DEMO_ORG",
    "CustomObject",
    "OrgDefinition",
    "build_schema",
    "cursor_field",
    "load_org_definition",
    "standard_objects",
]

DEMO_ORG = Path(__file__).resolve().parents[2] / "orgs" / "demo.yaml"

# ObjectDefs are frozen, so one set of instances serves every org built in this process.
_STANDARD: tuple[ObjectDef, ...] = (
    *accounts.OBJECTS,
    *opportunities.OBJECTS,
    *marketing.OBJECTS,
    *service.OBJECTS,
    *activities.OBJECTS,
    *products.OBJECTS,
    *content.OBJECTS,
    *users.OBJECTS,
    *admin.OBJECTS,
    *tags.OBJECTS,
)

# Activity lookups that extend to custom objects declared with `allow_activities`.
_ACTIVITY_FIELDS = (("Task", "WhatId"), ("Event", "WhatId"))


def standard_objects() -> list[ObjectDef]:
    """The standard sObjects, in catalog order (a fresh list; the ObjectDefs are shared and immutable)."""
    return list(_STANDARD)


def load_org_definition(source: str | Path | Mapping | None) -> OrgDefinition:
    """Parse and validate an org definition (YAML path or dict); ValueError names the faulty place."""
    return parse_org_definition(
        read_org_definition(source), {obj.name for obj in _STANDARD}, {obj.key_prefix for obj in _STANDARD}
    )


def build_schema(org_definition: OrgDefinition | str | Path | Mapping | None = None) -> OrgSchema:
    """The standard catalog with the definition's custom objects and custom fields added."""
    definition = (
        org_definition if isinstance(org_definition, OrgDefinition) else load_org_definition(org_definition)
    )
    objects = {obj.name.lower(): obj for obj in _STANDARD}
    for custom in definition.objects:
        objects[custom.name.lower()] = _object_def(custom)
    for target, f in definition.fields:
        obj = objects.get(target.lower())
        if obj is None:
            raise ValueError(f"org definition: fields of {target!r}: unknown sObject {target!r}")
        try:
            objects[target.lower()] = obj.with_field(f)
        except SalesforceError as exc:
            raise ValueError(
                f"org definition: fields of {target!r}, field {f.name!r}: already exists"
            ) from exc
    activity_targets = tuple(c.name for c in definition.objects if c.allow_activities)
    if activity_targets:
        for obj_name, field_name in _ACTIVITY_FIELDS:
            obj = objects[obj_name.lower()]
            objects[obj_name.lower()] = _extend_reference(obj, field_name, activity_targets)
    return OrgSchema(list(objects.values()))


def _object_def(custom: CustomObject) -> ObjectDef:
    return ObjectDef(
        name=custom.name,
        key_prefix=custom.key_prefix,
        label=custom.label,
        label_plural=custom.label_plural,
        fields=custom.fields,
        custom=True,
        feed_enabled=False,
    )


def _extend_reference(obj: ObjectDef, field_name: str, targets: tuple[str, ...]) -> ObjectDef:
    fields: list[FieldDef] = []
    for f in obj.fields:
        if f.name == field_name:
            f = replace(f, reference_to=(*f.reference_to, *(t for t in targets if t not in f.reference_to)))
        fields.append(f)
    return replace(obj, fields=tuple(fields))


def cursor_field(obj: ObjectDef) -> str | None:
    """The incremental-sync cursor a client would pick: SystemModstamp, else LastModifiedDate, else CreatedDate.

    Several standard objects lack SystemModstamp (history, share and login objects): describe says so.
    """
    for name in ("SystemModstamp", "LastModifiedDate", "CreatedDate"):
        if obj.field(name) is not None:
            return name
    return None
