"""Compact FieldDef builders: each applies the defaults a real describe shows for its type.

The catalog modules read like a describe summary: `string("Title", 128)`, `reference("AccountId",
"Account", "Account")`. Keyword arguments override any FieldDef attribute; the access shorthands are

* `required=True`: not nillable (createable ∧ ¬nillable ∧ ¬defaulted → required on create);
* `readonly=True`: neither createable nor updateable (formula-like or system-maintained);
* `create_only=True`: createable but not updateable;
* `system=True`: read-only, not nillable, defaulted on create (Id, audit fields).
"""

import re
from collections.abc import Iterable, Sequence

from ..schema import FieldDef, ObjectDef, PicklistValue

Values = Sequence[str | tuple[str, str]]

LONG_TEXT = 32000
GEOCODE_ACCURACY = (
    "Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "Neighborhood", "City", "County",
    "State", "Unknown",
)  # fmt: skip


def label_of(name: str) -> str:
    """'BillingPostalCode' → 'Billing Postal Code', 'AccountId' → 'Account ID', 'Plan__c' → 'Plan'."""
    base = name[:-3] if name.endswith("__c") else name
    if base.endswith("Id") and len(base) > 2:
        base = base[:-2] + " ID"
    base = base.replace("_", " ")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).strip()


def _make(
    type_: str,
    name: str,
    label: str | None,
    *,
    required: bool = False,
    readonly: bool = False,
    create_only: bool = False,
    system: bool = False,
    defaulted: bool = False,
    **attrs: object,
) -> FieldDef:
    if system:
        required = readonly = defaulted = True
    attrs.setdefault("nillable", not required)
    attrs.setdefault("createable", not readonly)
    attrs.setdefault("updateable", not readonly and not create_only)
    attrs.setdefault("custom", name.endswith("__c"))
    return FieldDef(
        name=name, type=type_, label=label or label_of(name), defaulted_on_create=defaulted, **attrs
    )  # type: ignore[arg-type]


def picklist_values(values: Values, default: str | None = None) -> tuple[PicklistValue, ...]:
    """Strings are value = label; (value, label) pairs carry a distinct label."""
    entries = []
    for item in values:
        value, label = (item, None) if isinstance(item, str) else item
        entries.append(PicklistValue(value, label, default=value == default))
    return tuple(entries)


# --- scalar types ------------------------------------------------------------------------------
def id_field(label: str = "Record ID") -> FieldDef:
    return _make("id", "Id", label, length=18, system=True, id_lookup=True)


def string(name: str, length: int, label: str | None = None, **kw: object) -> FieldDef:
    return _make("string", name, label, length=length, **kw)


def textarea(name: str, length: int = LONG_TEXT, label: str | None = None, **kw: object) -> FieldDef:
    # Long text can be neither filtered, grouped nor sorted in SOQL.
    if length > 255:
        for flag in ("filterable", "groupable", "sortable"):
            kw.setdefault(flag, False)
    kw.setdefault("extra_type_info", None if kw.get("html_formatted") else "plaintextarea")
    return _make("textarea", name, label, length=length, **kw)


def encrypted(name: str, length: int = 175, label: str | None = None, **kw: object) -> FieldDef:
    for flag in ("filterable", "groupable", "sortable"):
        kw.setdefault(flag, False)
    return _make("encryptedstring", name, label, length=length, **kw)


def email(name: str, label: str | None = None, length: int = 80, **kw: object) -> FieldDef:
    return _make("email", name, label, length=length, **kw)


def phone(name: str, label: str | None = None, length: int = 40, **kw: object) -> FieldDef:
    return _make("phone", name, label, length=length, **kw)


def url(name: str, label: str | None = None, length: int = 255, **kw: object) -> FieldDef:
    return _make("url", name, label, length=length, **kw)


def base64(name: str, label: str | None = None, **kw: object) -> FieldDef:
    for flag in ("filterable", "groupable", "sortable"):
        kw.setdefault(flag, False)
    return _make("base64", name, label, **kw)


def any_type(name: str, label: str | None = None, **kw: object) -> FieldDef:
    """History OldValue/NewValue: the value keeps the tracked field's own type."""
    kw.setdefault("groupable", False)
    return _make("anyType", name, label, readonly=True, **kw)


def picklist(
    name: str,
    values: Values,
    label: str | None = None,
    *,
    length: int = 40,
    restricted: bool = False,
    default: str | None = None,
    **kw: object,
) -> FieldDef:
    if default is not None:
        kw.setdefault("defaulted", True)
        kw.setdefault("default_value", default)
    return _make(
        "picklist", name, label, length=length, restricted_picklist=restricted,
        picklist_values=picklist_values(values, default), **kw,
    )  # fmt: skip


def multipicklist(
    name: str, values: Values, label: str | None = None, *, length: int = 4099, **kw: object
) -> FieldDef:
    kw.setdefault("groupable", False)
    kw.setdefault("sortable", False)
    return _make("multipicklist", name, label, length=length, picklist_values=picklist_values(values), **kw)


def combobox(
    name: str, values: Values, label: str | None = None, *, length: int = 255, **kw: object
) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("combobox", name, label, length=length, picklist_values=picklist_values(values), **kw)


def boolean(name: str, label: str | None = None, *, default: bool = False, **kw: object) -> FieldDef:
    # Checkboxes are never null: describe reports nillable=false, defaultedOnCreate, a false default.
    kw.setdefault("required", True)
    kw.setdefault("defaulted", True)
    return _make("boolean", name, label, default_value=default, **kw)


def integer(name: str, label: str | None = None, *, digits: int = 9, **kw: object) -> FieldDef:
    return _make("int", name, label, digits=digits, **kw)


def double(
    name: str, label: str | None = None, *, precision: int = 18, scale: int = 0, **kw: object
) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("double", name, label, precision=precision, scale=scale, **kw)


def currency(
    name: str, label: str | None = None, *, precision: int = 18, scale: int = 2, **kw: object
) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("currency", name, label, precision=precision, scale=scale, **kw)


def percent(
    name: str, label: str | None = None, *, precision: int = 3, scale: int = 0, **kw: object
) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("percent", name, label, precision=precision, scale=scale, **kw)


def date(name: str, label: str | None = None, **kw: object) -> FieldDef:
    return _make("date", name, label, **kw)


def datetime(name: str, label: str | None = None, **kw: object) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("datetime", name, label, **kw)


def time(name: str, label: str | None = None, **kw: object) -> FieldDef:
    kw.setdefault("groupable", False)
    return _make("time", name, label, **kw)


def reference(
    name: str,
    to: str | Sequence[str],
    relationship: str | None = None,
    label: str | None = None,
    **kw: object,
) -> FieldDef:
    targets = (to,) if isinstance(to, str) else tuple(to)
    return _make(
        "reference", name, label, length=18, reference_to=targets, relationship_name=relationship, **kw
    )


# --- compound types ------------------------------------------------------------------------------
def address(prefix: str = "", label_prefix: str | None = None, **kw: object) -> list[FieldDef]:
    """The address components in describe order, then the read-only compound `{prefix}Address`."""
    compound = f"{prefix}Address"
    lp = f"{prefix if label_prefix is None else label_prefix} ".lstrip()
    common = {"compound_field_name": compound, **kw}
    return [
        textarea(f"{prefix}Street", 255, f"{lp}Street", **common),
        string(f"{prefix}City", 40, f"{lp}City", **common),
        string(f"{prefix}State", 80, f"{lp}State/Province", **common),
        string(f"{prefix}PostalCode", 20, f"{lp}Zip/Postal Code", **common),
        string(f"{prefix}Country", 80, f"{lp}Country", **common),
        double(f"{prefix}Latitude", f"{lp}Latitude", scale=15, **common),
        double(f"{prefix}Longitude", f"{lp}Longitude", scale=15, **common),
        picklist(
            f"{prefix}GeocodeAccuracy", GEOCODE_ACCURACY, f"{lp}Geocode Accuracy", restricted=True, **common
        ),
        _make("address", compound, f"{lp}Address", readonly=True, groupable=False, sortable=False),
    ]


def location(name: str, label: str | None = None, *, scale: int = 15) -> list[FieldDef]:
    """A custom geolocation `X__c`: components `X__Latitude__s`/`X__Longitude__s`, then the compound."""
    stem = name[:-3]
    text = label or label_of(name)
    return [
        _make("location", name, text, readonly=True, groupable=False, sortable=False, custom=True),
        double(
            f"{stem}__Latitude__s", f"{text} (Latitude)", scale=scale, compound_field_name=name, custom=True
        ),
        double(
            f"{stem}__Longitude__s", f"{text} (Longitude)", scale=scale, compound_field_name=name, custom=True
        ),
    ]


# --- standard system fields ----------------------------------------------------------------------
def is_deleted() -> FieldDef:
    return boolean("IsDeleted", "Deleted", readonly=True)


def created_date() -> FieldDef:
    return datetime("CreatedDate", "Created Date", system=True)


def created_by() -> FieldDef:
    return reference("CreatedById", "User", "CreatedBy", "Created By ID", system=True)


def last_modified_date() -> FieldDef:
    return datetime("LastModifiedDate", "Last Modified Date", system=True)


def last_modified_by() -> FieldDef:
    return reference("LastModifiedById", "User", "LastModifiedBy", "Last Modified By ID", system=True)


def system_modstamp() -> FieldDef:
    return datetime("SystemModstamp", "System Modstamp", system=True)


def audit_fields(*, modstamp: bool = True, last_modified: bool = True) -> list[FieldDef]:
    """CreatedDate … SystemModstamp; history and login objects lack the last two or three."""
    fields = [created_date(), created_by()]
    if last_modified:
        fields += [last_modified_date(), last_modified_by()]
    if modstamp:
        fields.append(system_modstamp())
    return fields


def owner(to: str | Sequence[str] = "User", label: str = "Owner ID") -> FieldDef:
    """OwnerId: required in describe but defaulted to the running user on create."""
    return reference("OwnerId", to, "Owner", label, required=True, defaulted=True)


def last_viewed() -> list[FieldDef]:
    return [
        datetime("LastViewedDate", "Last Viewed Date", readonly=True),
        datetime("LastReferencedDate", "Last Referenced Date", readonly=True),
    ]


def name_field(length: int = 80, label: str = "Name", **kw: object) -> FieldDef:
    kw.setdefault("required", True)
    return string("Name", length, label, name_field=True, **kw)


# --- objects -------------------------------------------------------------------------------------
def sobject(
    name: str,
    key_prefix: str,
    label: str,
    label_plural: str,
    fields: Iterable[FieldDef | list[FieldDef]],
    **flags: object,
) -> ObjectDef:
    """An ObjectDef from a mix of fields and field groups (address, audit_fields), flattened in order."""
    flat: list[FieldDef] = []
    for item in fields:
        flat.extend(item if isinstance(item, list) else [item])
    return ObjectDef(
        name=name,
        key_prefix=key_prefix,
        label=label,
        label_plural=label_plural,
        fields=tuple(flat),
        **flags,  # type: ignore[arg-type]
    )
