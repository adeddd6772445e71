"""Org definitions: custom objects and custom fields layered on the standard catalog.

The format (YAML file or the equivalent dict) is documented with an example in `sf_emulator/orgs/demo.yaml`.
Every mistake is a ValueError that names the place: the object, the field and the offending key.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..ids import BASE62
from ..schema import FieldDef
from . import fields as F

_CUSTOM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*(?:__[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)?__c$")
_KEY_PREFIX = re.compile(r"^[A-Za-z0-9]{3}$")

_TOP_KEYS = {"objects", "fields"}
_OBJECT_KEYS = {"name", "label", "label_plural", "key_prefix", "name_field", "allow_activities", "fields"}
_NAME_FIELD_KEYS = {"type", "label", "length"}
_COMMON_KEYS = {
    "name",
    "type",
    "label",
    "required",
    "unique",
    "external_id",
    "case_sensitive",
    "help",
    "default",
    "formula",
}
# Keys each type accepts on top of the common ones; the key set doubles as the list of supported types.
_TYPE_KEYS: dict[str, set[str]] = {
    "string": {"length"},
    "textarea": {"length", "html"},
    "encryptedstring": {"length"},
    "email": set(),
    "phone": set(),
    "url": set(),
    "picklist": {"values", "restricted"},
    "multipicklist": {"values", "restricted"},
    "combobox": {"values"},
    "boolean": set(),
    "int": {"digits"},
    "double": {"precision", "scale"},
    "currency": {"precision", "scale"},
    "percent": {"precision", "scale"},
    "date": set(),
    "datetime": set(),
    "time": set(),
    "reference": {"reference_to", "relationship_name", "cascade_delete"},
    "location": {"scale"},
}
# Common keys that make no sense for a type: accepting and ignoring them would hide mistakes.
_NOT_FOR_TYPE = {
    "boolean": {"required", "unique", "external_id", "case_sensitive"},
    "location": {"required", "unique", "external_id", "case_sensitive", "help", "default", "formula"},
}


@dataclass(frozen=True)
class CustomObject:
    """A custom object as the definition describes it; `build_schema` turns it into an ObjectDef."""

    name: str
    key_prefix: str
    label: str
    label_plural: str
    fields: tuple[FieldDef, ...]
    allow_activities: bool = False


@dataclass(frozen=True)
class OrgDefinition:
    """Custom objects (with their standard fields already added) and custom fields for existing objects."""

    objects: tuple[CustomObject, ...] = ()
    fields: tuple[tuple[str, FieldDef], ...] = ()  # (target sObject, custom field), in file order


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"org definition: {where}: {message}")


def _check_keys(where: str, spec: object, allowed: set[str]) -> Mapping:
    if not isinstance(spec, Mapping):
        raise _fail(where, f"expected a mapping, got {type(spec).__name__}")
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
    return spec


def _typed(
    where: str, spec: Mapping, key: str, kind: type | tuple[type, ...], default: object = None
) -> object:
    value = spec.get(key, default)
    # bool is an int subclass: a length of `true` is a mistake, not 1.
    if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
        raise _fail(where, f"key {key!r} must be {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def _values(where: str, spec: Mapping) -> list[str | tuple[str, str]]:
    raw = spec.get("values")
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "key 'values' must be a non-empty list")
    values: list[str | tuple[str, str]] = []
    for item in raw:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            values.append(str(item))
        elif isinstance(item, Mapping) and set(item) <= {"value", "label"} and "value" in item:
            values.append((str(item["value"]), str(item.get("label", item["value"]))))
        else:
            hint = " (quote it: YAML reads yes/no/on/off as booleans)" if isinstance(item, bool) else ""
            raise _fail(
                where, f"key 'values': bad entry {item!r}, expected a string or {{value, label}}{hint}"
            )
    return values


def parse_field(where: str, spec: object) -> list[FieldDef]:
    """One custom field spec → its FieldDefs (a geolocation gives the compound and its two components)."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
        raise _fail(where, "every field needs a string 'name'")
    name = spec["name"]
    where = f"{where}, field {name!r}"
    type_ = spec.get("type")
    if type_ not in _TYPE_KEYS:
        raise _fail(where, f"key 'type': unknown type {type_!r} (supported: {', '.join(sorted(_TYPE_KEYS))})")
    _check_keys(where, spec, (_COMMON_KEYS - _NOT_FOR_TYPE.get(type_, set())) | _TYPE_KEYS[type_])
    if not _CUSTOM_NAME.match(name):
        raise _fail(
            where, "key 'name': custom field names end in '__c' (letters, digits, single underscores)"
        )
    label = _typed(where, spec, "label", str)
    if type_ == "location":
        return F.location(name, label, scale=_typed(where, spec, "scale", int, 6))  # type: ignore[arg-type]
    kw: dict[str, object] = {
        "required": _typed(where, spec, "required", bool, False),
        "unique": _typed(where, spec, "unique", bool, False),
        "external_id": _typed(where, spec, "external_id", bool, False),
        "case_sensitive": _typed(where, spec, "case_sensitive", bool, False),
        "inline_help_text": _typed(where, spec, "help", str),
        "custom": True,
    }
    # An external id is an alternate key: describe reports idLookup for it, and upserts match on it.
    kw["id_lookup"] = kw["external_id"]
    formula = _typed(where, spec, "formula", str)
    default = spec.get("default")
    if formula is not None:
        if type_ in ("picklist", "multipicklist", "combobox", "reference"):
            raise _fail(where, f"key 'formula': a formula cannot return {type_}")
        if kw["required"] or default is not None:
            raise _fail(where, "key 'formula': a formula field can be neither required nor defaulted")
        del kw["required"]
        kw.update(readonly=True, calculated=True, calculated_formula=formula)
    if type_ in ("picklist", "multipicklist", "combobox"):
        values = _values(where, spec)
        if type_ == "picklist":
            if default is not None and default not in [v if isinstance(v, str) else v[0] for v in values]:
                raise _fail(where, f"key 'default': {default!r} is not one of the values")
            restricted = _typed(where, spec, "restricted", bool, False)
            return [F.picklist(name, values, label, length=255, restricted=restricted, default=default, **kw)]
        if default is not None:
            raise _fail(where, f"key 'default' is not supported for {type_}")
        if type_ == "multipicklist":
            return [
                F.multipicklist(
                    name,
                    values,
                    label,
                    restricted_picklist=_typed(where, spec, "restricted", bool, False),
                    **kw,
                )
            ]
        return [F.combobox(name, values, label, **kw)]
    if type_ == "boolean":
        kw.pop("required", None)
        return [F.boolean(name, label, default=bool(default), **kw)]
    if default is not None:
        # YAML reads 2024-01-31 as a date; describe and storage want the literal text.
        kw["default_value"] = default if isinstance(default, str | int | float) else str(default)
        kw["defaulted"] = True
    if type_ == "reference":
        targets = spec.get("reference_to")
        targets = [targets] if isinstance(targets, str) else targets
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
            raise _fail(where, "key 'reference_to' must name one or more sObjects")
        relationship = _typed(where, spec, "relationship_name", str) or f"{name[:-3]}__r"
        cascade = _typed(where, spec, "cascade_delete", bool, False)
        return [F.reference(name, targets, relationship, label, cascade_delete=cascade, **kw)]
    if type_ in ("string", "textarea", "encryptedstring"):
        length = _typed(where, spec, "length", int, 255)
        if type_ == "textarea" and _typed(where, spec, "html", bool, False):
            kw.update(html_formatted=True, extra_type_info="richtextarea")
        builder = {"string": F.string, "textarea": F.textarea, "encryptedstring": F.encrypted}[type_]
        return [builder(name, length, label, **kw)]  # type: ignore[arg-type]
    if type_ in ("double", "currency", "percent"):
        defaults = {"double": (18, 0), "currency": (18, 2), "percent": (5, 2)}[type_]
        precision = _typed(where, spec, "precision", int, defaults[0])
        scale = _typed(where, spec, "scale", int, defaults[1])
        builder = {"double": F.double, "currency": F.currency, "percent": F.percent}[type_]
        return [builder(name, label, precision=precision, scale=scale, **kw)]  # type: ignore[arg-type]
    if type_ == "int":
        return [F.integer(name, label, digits=_typed(where, spec, "digits", int, 9), **kw)]  # type: ignore[arg-type]
    builder = {
        "email": F.email,
        "phone": F.phone,
        "url": F.url,
        "date": F.date,
        "datetime": F.datetime,
        "time": F.time,
    }
    return [builder[type_](name, label, **kw)]  # type: ignore[operator]


def _name_field(where: str, spec: object, label: str) -> FieldDef:
    spec = _check_keys(f"{where}, key 'name_field'", spec or {}, _NAME_FIELD_KEYS)
    kind = spec.get("type", "string")
    text = _typed(where, spec, "label", str) or f"{label} Name"
    if kind == "auto_number":
        return F.string("Name", 30, text, system=True, auto_number=True, id_lookup=True, name_field=True)
    if kind != "string":
        raise _fail(f"{where}, key 'name_field'", f"type must be 'string' or 'auto_number', got {kind!r}")
    # Salesforce fills an omitted Name with the record Id, hence nillable and defaulted on create.
    length = _typed(where, spec, "length", int, 80)
    return F.string("Name", length, text, defaulted=True, id_lookup=True, name_field=True)  # type: ignore[arg-type]


def key_prefix_for(index: int) -> str:
    """a00, a01, … a0z, a10 …: custom objects get prefixes in file order, as a fresh org assigns them."""
    return f"a{BASE62[index // 62]}{BASE62[index % 62]}"


def _custom_object(where: str, spec: Mapping, index: int) -> CustomObject:
    name = spec["name"]
    label = _typed(where, spec, "label", str) or F.label_of(name)
    plural = _typed(where, spec, "label_plural", str) or f"{label}s"
    prefix = _typed(where, spec, "key_prefix", str) or key_prefix_for(index)
    if not _KEY_PREFIX.match(prefix):  # type: ignore[arg-type]
        raise _fail(where, f"key 'key_prefix': {prefix!r} is not 3 letters or digits")
    activities = _typed(where, spec, "allow_activities", bool, False)
    standard: list[FieldDef] = [
        F.id_field(),
        F.owner(("Group", "User")),
        F.is_deleted(),
        _name_field(where, spec.get("name_field"), label),  # type: ignore[arg-type]
        *F.audit_fields(),
    ]
    if activities:
        standard.append(F.date("LastActivityDate", "Last Activity Date", readonly=True))
    standard += F.last_viewed()
    raw_fields = spec.get("fields") or []
    if not isinstance(raw_fields, list):
        raise _fail(where, "key 'fields' must be a list")
    custom = [f for item in raw_fields for f in parse_field(where, item)]
    return CustomObject(
        name, prefix, label, plural, tuple(_unique(where, standard + custom)), bool(activities)
    )  # type: ignore[arg-type]


def _unique(where: str, fields: list[FieldDef]) -> list[FieldDef]:
    seen: set[str] = set()
    for f in fields:
        if f.name.lower() in seen:
            raise _fail(f"{where}, field {f.name!r}", "defined twice")
        seen.add(f.name.lower())
    return fields


def parse_org_definition(data: object, known_objects: set[str], used_prefixes: set[str]) -> OrgDefinition:
    """Validate a loaded definition against the catalog's object names and key prefixes."""
    if data is None:
        return OrgDefinition()
    _check_keys("top level", data, _TOP_KEYS)
    assert isinstance(data, Mapping)
    known = {name.lower(): name for name in known_objects}
    prefixes = set(used_prefixes)
    objects: list[CustomObject] = []
    raw_objects = data.get("objects") or []
    if not isinstance(raw_objects, list):
        raise _fail("key 'objects'", "must be a list")
    for index, spec in enumerate(raw_objects):
        name = spec.get("name") if isinstance(spec, Mapping) else None
        where = f"object {name!r}" if isinstance(name, str) else f"objects[{index}]"
        _check_keys(where, spec, _OBJECT_KEYS)
        if not isinstance(name, str) or not _CUSTOM_NAME.match(name):
            raise _fail(where, "key 'name': custom object names end in '__c'")
        if name.lower() in known:
            raise _fail(where, "key 'name': an object with this name already exists")
        obj = _custom_object(where, spec, index)
        if obj.key_prefix in prefixes:
            raise _fail(where, f"key 'key_prefix': {obj.key_prefix!r} is already used")
        prefixes.add(obj.key_prefix)
        known[name.lower()] = name
        objects.append(obj)
    extra: list[tuple[str, FieldDef]] = []
    raw_fields = data.get("fields") or {}
    if not isinstance(raw_fields, Mapping):
        raise _fail("key 'fields'", "must map sObject names to lists of fields")
    for target, specs in raw_fields.items():
        where = f"fields of {target!r}"
        if str(target).lower() not in known:
            raise _fail(where, f"unknown sObject {target!r}")
        if not isinstance(specs, list):
            raise _fail(where, "must be a list of fields")
        extra += [(known[str(target).lower()], f) for spec in specs for f in parse_field(where, spec)]
    _check_references(objects, extra, set(known.values()))
    return OrgDefinition(tuple(objects), tuple(extra))


def _check_references(
    objects: list[CustomObject], extra: list[tuple[str, FieldDef]], known: set[str]
) -> None:
    lowered = {name.lower(): name for name in known}
    placed = [(obj.name, f) for obj in objects for f in obj.fields if f.custom] + extra
    for owner, f in placed:
        for target in f.reference_to:
            if target.lower() not in lowered:
                raise _fail(
                    f"object {owner!r}, field {f.name!r}", f"key 'reference_to': unknown sObject {target!r}"
                )


def read_org_definition(source: str | Path | Mapping | None) -> object:
    """The raw definition: a mapping as given, or the YAML document at a path."""
    if source is None or isinstance(source, Mapping):
        return source
    path = Path(source)
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"org definition {path}: not valid YAML: {exc}") from exc
