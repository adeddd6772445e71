"""Describe-driven default columns: one factory per field, from its type, length, values and nillability.

Builders override the columns that need cross-field or cross-object realism; everything else (custom
fields included) comes from here, so a field added to the catalog or an org definition is generated
without code changes. Rules:

* not nillable → always filled; nillable and read-only on a createable object → null (the server
  derives such fields; builders fill the ones that matter); otherwise filled at a per-type rate;
* unique, external-id and auto-number text derives from the Id counter, so it stays unique across
  repeated generation runs;
* references pick from the pools of their target objects that have rows; targets the catalog does
  not model (Folder, UserLicense…) have no pool and the field stays null;
* strings come from per-field pools of plausible values chosen by field name, cut to `length`.
"""

import itertools
from random import Random

from ..store.schema import FieldDef, ObjectDef
from . import words as W
from .columns import choice, numbers, users
from .ids import IdMaker
from .table import DAY_MS, Chunk, Factory, Gen
from .text import text_pool

# Share of rows with a value in an optional field, by type; custom fields are filled more often.
_RATES = {
    "string": 0.6, "textarea": 0.3, "email": 0.8, "phone": 0.7, "url": 0.4, "picklist": 0.8,
    "multipicklist": 0.6, "combobox": 0.8, "int": 0.6, "double": 0.5, "currency": 0.6, "percent": 0.6,
    "date": 0.5, "datetime": 0.4, "time": 0.4, "reference": 0.1, "encryptedstring": 0.1,
}  # fmt: skip
_CUSTOM_RATE = 0.85
_TEXT_TYPES = {"string", "textarea", "email", "phone", "url", "encryptedstring", "combobox"}


def default_factories(
    gen: Gen, obj: ObjectDef, count: int, window: tuple[float, float]
) -> dict[str, Factory]:
    factories: dict[str, Factory] = {}
    for f in obj.stored_fields:
        factory = field_factory(gen, obj, f, count, window)
        if factory is not None:
            factories[f.name] = factory
    factories.update(address_factories(obj))
    return factories


# Address component suffix → position in a `words.CITIES` entry (street and accuracy are made up).
_ADDRESS_PARTS = {"City": 0, "State": 1, "PostalCode": 2, "Country": 3, "Latitude": 4, "Longitude": 5}


def address_factories(obj: ObjectDef) -> dict[str, Factory]:
    """Components of each compound address describe one place: city, state, code and country agree."""
    out: dict[str, Factory] = {}
    for compound in obj.fields:
        if compound.type != "address":
            continue
        parts = [f for f in obj.stored_fields if f.compound_field_name == compound.name]
        if not parts or (obj.createable and not any(f.createable for f in parts)):
            continue
        key = f"_address:{compound.name}"
        rate = 0.7 if compound.name in ("BillingAddress", "MailingAddress", "Address") else 0.3
        out[key] = _address_column(rate)
        prefix = compound.name.removesuffix("Address")
        for f in parts:
            suffix = f.name.removeprefix(prefix)
            if suffix in _ADDRESS_PARTS:
                out[f.name] = _component(key, _ADDRESS_PARTS[suffix], f.length if f.type == "string" else 0)
            elif suffix == "Street":
                out[f.name] = _component(key, 6, f.length)
            elif suffix == "GeocodeAccuracy":
                out[f.name] = _component(key, 7, 0)
    return out


def _address_column(rate: float) -> Factory:
    def column(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for _ in c.rows:
            if r() >= rate:
                out.append(None)
                continue
            city = W.CITIES[int(r() * len(W.CITIES))]
            located = r() < 0.5
            lat = round(city[4] + (r() - 0.5) * 0.2, 6) if located else None
            lon = round(city[5] + (r() - 0.5) * 0.2, 6) if located else None
            street = f"{int(r() * 9000) + 1} {W.STREETS[int(r() * len(W.STREETS))]}"
            out.append(
                (city[0], city[1] or None, city[2], city[3], lat, lon, street, "Address" if located else None)
            )
        return out

    return column


def _component(key: str, position: int, length: int) -> Factory:
    if length:
        return lambda c: [a[position][:length] if a and a[position] else None for a in c[key]]
    return lambda c: [a[position] if a else None for a in c[key]]


def fill_rate(obj: ObjectDef, f: FieldDef) -> float:
    if not f.nillable:
        return 1.0
    if not f.createable and obj.createable:
        return 0.0
    if f.custom:
        return _CUSTOM_RATE
    if f.type == "textarea" and f.length <= 255:
        return 0.5
    return _RATES.get(f.type, 0.0)


def field_factory(
    gen: Gen, obj: ObjectDef, f: FieldDef, count: int, window: tuple[float, float]
) -> Factory | None:
    if f.name == "Id":
        maker = IdMaker(obj.key_prefix)
        return lambda c: [maker(x) for x in c.counters]
    if f.name == "IsDeleted" or f.calculated:
        return None
    audit = _audit_factory(gen, obj, f, count, window)
    if audit is not None:
        return audit
    rate = fill_rate(obj, f)
    if f.type == "boolean":
        return _boolean(f, obj)
    if rate <= 0.0:
        return None
    rng = gen.rng(f"pool:{obj.name}.{f.name}")
    if f.type == "reference":
        return reference_factory(gen, f, rate)
    if f.auto_number or ((f.unique or f.external_id) and f.type in _TEXT_TYPES):
        return _unique_text(obj, f)
    if (f.unique or f.external_id) and f.type in ("int", "long", "double"):
        return lambda c: list(c.counters)
    if f.type in ("picklist", "combobox"):
        values = [p.value for p in f.picklist_values if p.active] or ["Other"]
        return choice(values, rate)
    if f.type == "multipicklist":
        return choice(_multi_pool(f, rng), rate)
    if f.type in ("int", "long", "double", "currency", "percent"):
        return _number(f, rate)
    base = time_base(obj)
    if f.type == "date":
        return _date(gen, f, rate, base)
    if f.type == "datetime":
        return _datetime(gen, rate, base)
    if f.type == "time":
        return choice([f"{h:02d}:{m:02d}:00.000Z" for h in range(7, 20) for m in (0, 15, 30, 45)], rate)
    if f.type in _TEXT_TYPES:
        return choice(text_pool(gen, f, rng), rate)
    return None  # base64, anyType: only builders know what belongs there


def _boolean(f: FieldDef, obj: ObjectDef) -> Factory:
    default = int(bool(f.default_value))
    if not f.createable and obj.createable:
        return lambda c: [default] * c.n
    flip = 1 - default
    return lambda c: [flip if r < 0.2 else default for r in (c.rng.random() for _ in c.rows)]


def _unique_text(obj: ObjectDef, f: FieldDef) -> Factory:
    if f.type == "email":
        stem = obj.name.lower().replace("_", "")[:20]
        return lambda c: [f"{stem}{x}@example.com" for x in c.counters]
    if f.auto_number:
        width = min(8, f.length or 8)
        return lambda c: [f"{x:0{width}d}" for x in c.counters]
    tag = ("".join(ch for ch in f.name if ch.isupper()) or f.name[:3]).upper()[:4]
    length = f.length or 255
    return lambda c: [f"{tag}-{x:07d}"[:length] if len(tag) + 8 <= length else _base36(x) for x in c.counters]


def _base36(value: int) -> str:
    digits = []
    while True:
        value, rem = divmod(value, 36)
        digits.append("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rem])
        if not value:
            return "".join(reversed(digits))


def _multi_pool(f: FieldDef, rng: Random) -> list[str]:
    values = [p.value for p in f.picklist_values if p.active]
    combos = [";".join(combo) for k in (1, 2, 3) for combo in itertools.combinations(values, k)]
    rng.shuffle(combos)
    # Single values dominate real data; keep them all and a sample of the pairs and triples.
    singles = [v for v in combos if ";" not in v]
    return singles * 3 + [v for v in combos if ";" in v][: 2 * len(singles)] or ["Other"]


def _number(f: FieldDef, rate: float) -> Factory:
    name = f.name.lower()
    scale = f.scale if f.type != "int" else 0
    limit = 10 ** (f.precision - scale) - 1 if f.precision else 10 ** (f.digits or 9) - 1
    if "latitude" in name:
        lo, hi = 25.0, 49.0
    elif "longitude" in name:
        lo, hi = -124.0, -67.0
    elif f.type == "percent":
        lo, hi = 0.0, (30.0 if "discount" in name else 100.0)
    elif "employees" in name:
        return numbers(lambda r: min(limit, int(10 ** (r() * 5))), rate)
    elif f.type == "currency" or "revenue" in name or "amount" in name:
        return numbers(lambda r: min(limit, round(10 ** (2 + r() * 5), scale)), rate)
    else:
        lo, hi = 0.0, float(min(limit, 1000))
    hi = min(hi, float(limit))
    if f.type in ("int", "long"):
        ilo, ihi = int(lo), int(hi)
        return numbers(lambda r: ilo + int(r() * (ihi - ilo + 1)), rate)
    return numbers(lambda r: round(lo + r() * (hi - lo), scale), rate)


def _date(gen: Gen, f: FieldDef, rate: float, base: str | None) -> Factory:
    """Birthdates in the past century; other dates around the record's life (it may plan ahead)."""
    if "birth" in f.name.lower() or base is None:
        first, span = (-7300, 12000) if "birth" in f.name.lower() else (gen.anchor_day - 730, 900)
        return numbers(lambda r: gen.day(first + int(r() * span)), rate)
    horizon = gen.anchor_day + 180

    def column(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for t in c[base]:
            start = t // DAY_MS - 30
            out.append(gen.day(start + int(r() * (horizon - start))) if r() < rate else None)
        return out

    return column


def _datetime(gen: Gen, rate: float, base: str | None) -> Factory:
    """Between the record's creation and the anchor: a record's events do not precede it."""
    anchor = gen.anchor_ms
    if base is None:
        span = anchor - gen.start_ms
        return numbers(lambda r: gen.start_ms + int(r() * span), rate)

    def column(c: Chunk) -> list:
        r = c.rng.random
        return [t + int(r() * (anchor - t)) if r() < rate else None for t in c[base]]

    return column


# --- audit columns --------------------------------------------------------------------------------
def time_base(obj: ObjectDef) -> str | None:
    """The column the timeline drives: CreatedDate, else LastModifiedDate, else SystemModstamp."""
    return next((n for n in ("CreatedDate", "LastModifiedDate", "SystemModstamp") if obj.field(n)), None)


def timeline(gen: Gen, count: int, window: tuple[float, float]) -> Factory:
    """Creation times rising with the row index (Ids are creation-ordered), jittered within a slot."""
    span = gen.anchor_ms - gen.start_ms
    start = gen.start_ms + int(window[0] * span)
    slot = (window[1] - window[0]) * span / max(count, 1)
    return lambda c: [start + int((i + c.rng.random()) * slot) for i in c.rows]


def modified_after(gen: Gen, base: str, share: float) -> Factory:
    """`share` of the rows were edited later (mostly soon after); the rest keep the base time."""
    anchor = gen.anchor_ms

    def column(c: Chunk) -> list:
        r = c.rng.random
        return [t if r() >= share else t + int((anchor - t) * r() ** 3) for t in c[base]]

    return column


def _audit_factory(
    gen: Gen, obj: ObjectDef, f: FieldDef, count: int, window: tuple[float, float]
) -> Factory | None:
    base = time_base(obj)
    if f.name == base:
        return timeline(gen, count, window)
    if f.name == "LastModifiedDate":
        return modified_after(gen, "CreatedDate", 0.4)
    if f.name == "SystemModstamp":
        return modified_after(gen, "LastModifiedDate" if obj.field("LastModifiedDate") else base, 0.05)
    if f.name == "CreatedById":
        return users(gen)
    if f.name == "LastModifiedById":
        if obj.field("CreatedById") is None:
            return users(gen)
        pick = users(gen)

        def column(c: Chunk) -> list:
            others = pick(c)
            r = c.rng.random
            return [
                creator if r() < 0.7 else other
                for creator, other in zip(c["CreatedById"], others, strict=True)
            ]

        return column
    if f.name == "OwnerId" and "User" in f.reference_to:
        return lambda c: c.rng.choices(gen.owners, k=c.n)
    return None


# --- references -----------------------------------------------------------------------------------
def reference_factory(gen: Gen, f: FieldDef, rate: float) -> Factory | None:
    pools = [p for p in (gen.pool(t) for t in f.reference_to) if p is not None]
    if not pools:
        return None
    if f.reference_to == ("User",) or (len(pools) == 1 and pools[0].sobject == "User"):
        return choice(gen.users, rate)

    def column(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for _ in c.rows:
            if r() >= rate:
                out.append(None)
            else:
                pool = pools[int(r() * len(pools))]
                out.append(pool.at(int(r() * len(pool))))
        return out

    return column
