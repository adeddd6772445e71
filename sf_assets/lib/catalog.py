"""Describe JSON → object and field specs, and the plan of which collections an instance syncs.

Pure: no Dagster, no IO. A describe is either what Salesforce returns or the subset the catalog
snapshot keeps (`describe_subset`); both give the same specs.

Columns: every field is one column named `snake_case(field)`, in the order `Id` first, then field
names alphabetically (so the order does not depend on how an org lists its fields). Compound
fields (type address or location) are not columns: their components (BillingCity,
Location__Latitude__s, …) already are.

Name collisions (`FooBar__c` and `Foo_Bar__c` both give `foo_bar_c`) are settled by one rule:
a column a previous catalog gave to a field stays with that field; otherwise standard fields come
before custom ones, then API names in code-point order; the first keeps the plain name and each
later one gets `_2`, `_3`, … (the first number not taken). Names the warehouse keeps for itself
(`RESERVED_COLUMNS`) count as taken. Renamed fields are listed on `ObjectSpec.renamed_fields` and
in the plan's warnings. Tables of objects outside the 48 classic collections follow the same rule.

Fields of a type this project cannot store are skipped, each with its reason on
`ObjectSpec.skipped_fields`: one new Salesforce type must not stop every other field and object.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .collections import STANDARD_COLLECTIONS
from .naming import snake_case
from .types import COMPOUND_TYPES, ColumnSpec, UnsupportedFieldType, column_type

# Incremental cursors in order of preference. History, share and login objects lack SystemModstamp.
CURSOR_CANDIDATES = ("SystemModstamp", "LastModifiedDate", "CreatedDate", "LoginTime")
# Bulk API 2.0 refuses to put these in a CSV result; such objects are read through REST.
BULK_UNSUPPORTED_TYPES = frozenset({"base64", "complexvalue"})
# The warehouse's bookkeeping columns (sf_assets/warehouse/columns.py): no field may take them.
RESERVED_COLUMNS = frozenset({"received_at", "deleted_at", "sync_run_id"})

_OBJECT_KEYS = ("name", "label", "keyPrefix", "custom", "queryable", "retrieveable", "replicateable")
_FIELD_KEYS = (
    "name",
    "type",
    "label",
    "calculated",
    "nillable",
    "externalId",
    "referenceTo",
    "precision",
    "scale",
    "filterable",
)
_TABLE_BY_SOBJECT = {sobject.lower(): table for table, sobject in STANDARD_COLLECTIONS.items()}


class CatalogError(ValueError):
    """The object selection cannot be honoured (an include entry names nothing)."""


class SkipReason(StrEnum):
    NOT_QUERYABLE = "not queryable"
    NOT_IN_ORG = "not present in the org"
    EXCLUDED = "excluded by config"
    NOT_READABLE = "not readable"


@dataclass(frozen=True)
class DescribeFailed:
    """An sObject describe that failed (403/404: the user cannot read the object, or it is gone)."""

    status: int | None
    message: str


@dataclass(frozen=True)
class FieldSpec:
    sf_name: str
    sf_type: str
    column: ColumnSpec
    calculated: bool = False
    label: str = ""
    nillable: bool = True
    external_id: bool = False
    reference_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectSpec:
    sobject: str
    table: str
    label: str
    description: str
    custom: bool
    fields: tuple[FieldSpec, ...]
    cursor_field: str | None
    has_is_deleted: bool
    replicateable: bool
    bulk_compatible: bool
    key_prefix: str | None = None
    skipped_fields: tuple[tuple[str, str], ...] = ()  # (field, reason)
    renamed_fields: tuple[tuple[str, str], ...] = ()  # (field, column) where column ≠ snake_case(field)

    def field(self, sf_name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.sf_name.lower() == sf_name.lower()), None)

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return tuple(f.column for f in self.fields)

    @property
    def cursor_column(self) -> str | None:
        cursor = self.field(self.cursor_field) if self.cursor_field else None
        return cursor.column.name if cursor else None


@dataclass(frozen=True)
class SkippedObject:
    sobject: str
    table: str
    reason: SkipReason
    detail: str = ""


@dataclass(frozen=True)
class CollectionsPlan:
    """Selected objects sorted by table, skipped ones with their reasons, and naming warnings."""

    objects: tuple[ObjectSpec, ...]
    skipped: tuple[SkippedObject, ...] = ()
    warnings: tuple[str, ...] = ()

    def object(self, table_or_sobject: str) -> ObjectSpec | None:
        key = table_or_sobject.lower()
        return next((o for o in self.objects if key in (o.table.lower(), o.sobject.lower())), None)


# --- objects and fields -----------------------------------------------------------------------------
def table_name(sobject: str) -> str:
    """The classic table name for the 48 collections, `snake_case(sobject)` for any other object."""
    return _TABLE_BY_SOBJECT.get(sobject.lower()) or snake_case(sobject)


def describe_subset(describe: Mapping) -> dict:
    """The keys of an sObject describe that specs are built from, fields in column order.

    Compound fields are left out: they never become columns.
    """
    subset = {key: describe.get(key) for key in _OBJECT_KEYS}
    subset["fields"] = [
        {key: f.get(key) for key in _FIELD_KEYS}
        for f in _ordered(describe.get("fields") or [])
        if f.get("type") not in COMPOUND_TYPES
    ]
    return subset


def field_spec(sobject: str, field: Mapping, column: str | None = None) -> FieldSpec:
    """One field's spec; `column` overrides the plain snake_case name. Raises UnsupportedFieldType."""
    name = field["name"]
    try:
        ctype, precision, scale = column_type(
            field["type"], precision=field.get("precision") or 0, scale=field.get("scale") or 0
        )
    except UnsupportedFieldType as exc:
        raise UnsupportedFieldType(f"{sobject}.{name}: {exc}") from exc
    label = field.get("label") or name
    return FieldSpec(
        sf_name=name,
        sf_type=field["type"],
        column=ColumnSpec(column or snake_case(name), ctype, name, precision, scale, label),
        calculated=bool(field.get("calculated")),
        label=label,
        nillable=bool(field.get("nillable", True)),
        external_id=bool(field.get("externalId")),
        reference_to=tuple(field.get("referenceTo") or ()),
    )


def object_spec(
    describe: Mapping, *, table: str | None = None, columns: Mapping[str, str] | None = None
) -> ObjectSpec:
    """An object's spec from its describe; `columns` (field → column) keeps earlier collision choices."""
    sobject = describe["name"]
    stored: list[Mapping] = []
    skipped: list[tuple[str, str]] = []
    for f in _ordered(describe.get("fields") or []):
        if f.get("type") in COMPOUND_TYPES:
            continue
        try:
            column_type(f["type"])
        except UnsupportedFieldType:
            skipped.append((f["name"], f"type {f['type']!r} has no warehouse mapping"))
            continue
        stored.append(f)
    names = assign_names(
        [(f["name"], snake_case(f["name"]), (f["name"].endswith("__c"), f["name"])) for f in stored],
        preferred=columns or {},
        taken=RESERVED_COLUMNS,
    )
    fields = tuple(field_spec(sobject, f, names[f["name"]]) for f in stored)
    by_name = {f["name"]: f for f in stored}
    cursor = next(
        (
            c
            for c in CURSOR_CANDIDATES
            if c in by_name and by_name[c].get("filterable", True) and by_name[c]["type"] == "datetime"
        ),
        None,
    )
    custom = bool(describe.get("custom"))
    label = describe.get("label") or sobject
    key_prefix = describe.get("keyPrefix")
    return ObjectSpec(
        sobject=sobject,
        table=table or table_name(sobject),
        label=label,
        description=(
            f"{label} ({sobject}): Salesforce {'custom' if custom else 'standard'} object, "
            + (f"key prefix {key_prefix}." if key_prefix else "no key prefix.")
        ),
        custom=custom,
        fields=fields,
        cursor_field=cursor,
        has_is_deleted="IsDeleted" in by_name,
        replicateable=bool(describe.get("replicateable")),
        bulk_compatible=not any(f.sf_type in BULK_UNSUPPORTED_TYPES for f in fields),
        key_prefix=key_prefix,
        skipped_fields=tuple(skipped),
        renamed_fields=tuple(
            (f.sf_name, f.column.name) for f in fields if f.column.name != snake_case(f.sf_name)
        ),
    )


def spec_warnings(spec: ObjectSpec) -> list[str]:
    """What an operator should know about a spec: renamed tables and columns, skipped fields."""
    warnings = []
    if spec.table != table_name(spec.sobject):
        warnings.append(
            f"{spec.sobject}: table {spec.table} ({table_name(spec.sobject)} is taken by another object)"
        )
    warnings += [
        f"{spec.sobject}.{field}: column {column} ({snake_case(field)} is taken by another field)"
        for field, column in spec.renamed_fields
    ]
    warnings += [f"{spec.sobject}.{field}: skipped, {reason}" for field, reason in spec.skipped_fields]
    return warnings


def assign_names(
    wanted: Sequence[tuple[str, str, tuple]], *, preferred: Mapping[str, str], taken: Iterable[str] = ()
) -> dict[str, str]:
    """key → unique name, from (key, plain name, precedence) triples; see the module docstring."""
    ordered = sorted(wanted, key=lambda w: w[2])
    used = set(taken)
    result: dict[str, str] = {}
    for key, plain, _ in ordered:
        keep = preferred.get(key)
        if keep and keep not in used and (keep == plain or re.fullmatch(re.escape(plain) + r"_[0-9]+", keep)):
            result[key] = keep
            used.add(keep)
    for key, plain, _ in ordered:
        if key not in result and plain not in used:
            result[key] = plain
            used.add(plain)
    # A suffixed name must not take the plain name of another key.
    plains = {plain for _, plain, _ in wanted}
    for key, plain, _ in ordered:
        if key not in result:
            n = 2
            while f"{plain}_{n}" in used or f"{plain}_{n}" in plains:
                n += 1
            result[key] = f"{plain}_{n}"
            used.add(result[key])
    return result


def _ordered(fields: Iterable[Mapping]) -> list[Mapping]:
    return sorted(fields, key=lambda f: (f["name"] != "Id", f["name"].lower(), f["name"]))


# --- collections ------------------------------------------------------------------------------------
def describe_targets(
    global_describe: Mapping, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[str]:
    """The sObjects whose describe `catalog_collections` needs, in name order."""
    candidates, _ = _candidates(global_describe, include, exclude)
    return sorted((c.sobject for c in candidates if c.skip is None), key=str.lower)


def catalog_collections(
    global_describe: Mapping,
    describes: Mapping[str, Mapping | DescribeFailed],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    previous: CollectionsPlan | None = None,
) -> CollectionsPlan:
    """The collections to sync: the 48 classic ones present in the org plus every custom object.

    `include` (when given) replaces that default set; `exclude` removes from it; both take table
    or API names, case-insensitively. An include entry that names nothing raises CatalogError;
    an exclude entry that names nothing is a warning (it may exist in another org).
    `previous` (the last plan) keeps table and column names stable across refreshes.
    """
    candidates, warnings = _candidates(global_describe, include, exclude)
    skipped: list[SkippedObject] = []
    readable: list[Mapping] = []
    for c in candidates:
        describe = describes.get(c.sobject)
        if c.skip is not None:
            skipped.append(SkippedObject(c.sobject, table_name(c.sobject), c.skip, c.detail))
        elif describe is None:
            skipped.append(
                SkippedObject(c.sobject, table_name(c.sobject), SkipReason.NOT_READABLE, "not described")
            )
        elif isinstance(describe, DescribeFailed):
            detail = f"describe failed ({describe.status}): {describe.message}"
            skipped.append(SkippedObject(c.sobject, table_name(c.sobject), SkipReason.NOT_READABLE, detail))
        else:
            readable.append(describe)
    before = {o.sobject: o for o in previous.objects} if previous else {}
    others = [d["name"] for d in readable if d["name"].lower() not in _TABLE_BY_SOBJECT]
    tables = {d["name"]: table_name(d["name"]) for d in readable}
    # Classic names are reserved even when their object is absent, so they always mean the same thing.
    tables |= assign_names(
        [(name, snake_case(name), (name.endswith("__c"), name)) for name in others],
        preferred={name: before[name].table for name in others if name in before},
        taken=STANDARD_COLLECTIONS,
    )
    objects = []
    for describe in readable:
        name = describe["name"]
        old = before.get(name)
        spec = object_spec(
            describe,
            table=tables[name],
            columns={f.sf_name: f.column.name for f in old.fields} if old else None,
        )
        objects.append(spec)
        warnings += spec_warnings(spec)
    return CollectionsPlan(
        objects=tuple(sorted(objects, key=lambda o: o.table)),
        skipped=tuple(sorted(skipped, key=lambda s: (s.table, s.sobject))),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class _Candidate:
    sobject: str
    skip: SkipReason | None = None
    detail: str = ""


def _candidates(
    global_describe: Mapping, include: Sequence[str], exclude: Sequence[str]
) -> tuple[list[_Candidate], list[str]]:
    in_org = {e["name"].lower(): e for e in global_describe.get("sobjects") or []}
    index: dict[str, str] = {}
    for table, sobject in STANDARD_COLLECTIONS.items():
        index[table.lower()] = sobject
        index[sobject.lower()] = sobject
    for key, entry in in_org.items():
        index.setdefault(key, entry["name"])
        index.setdefault(table_name(entry["name"]).lower(), entry["name"])

    def canonical(sobject: str) -> str:
        entry = in_org.get(sobject.lower())
        return entry["name"] if entry else sobject

    default = [*STANDARD_COLLECTIONS.values()] + [
        e["name"] for e in in_org.values() if e["name"].lower().endswith("__c")
    ]
    unknown = [entry for entry in include if entry.lower() not in index]
    if unknown:
        raise CatalogError(
            f"objects.include: {', '.join(repr(u) for u in unknown)} "
            f"{'matches' if len(unknown) == 1 else 'match'} no collection or sObject in the org "
            "(use an API name such as Account or a table name such as accounts)"
        )
    included = {canonical(index[entry.lower()]) for entry in include}
    excluded = {canonical(index[entry.lower()]) for entry in exclude if entry.lower() in index}
    warnings = [
        f"objects.exclude: {entry!r} matches no collection or sObject"
        for entry in exclude
        if entry.lower() not in index
    ]

    candidates: list[_Candidate] = []
    for sobject in dict.fromkeys(canonical(s) for s in (default + sorted(included))):
        entry = in_org.get(sobject.lower())
        if sobject in excluded:
            candidates.append(_Candidate(sobject, SkipReason.EXCLUDED, "in objects.exclude"))
        elif include and sobject not in included:
            if entry is not None:
                candidates.append(_Candidate(sobject, SkipReason.EXCLUDED, "not in objects.include"))
        elif entry is None:
            candidates.append(_Candidate(sobject, SkipReason.NOT_IN_ORG))
        elif not entry.get("queryable"):
            candidates.append(_Candidate(sobject, SkipReason.NOT_QUERYABLE))
        elif entry.get("retrieveable") is False:
            candidates.append(_Candidate(sobject, SkipReason.NOT_READABLE, "retrieveable is false"))
        else:
            candidates.append(_Candidate(sobject))
    return candidates, warnings
