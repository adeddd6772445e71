"""Documents, dashboards, tags on records, and the org definition's custom objects."""

import base64
import re

from ..store.schema import ObjectDef
from . import words as W
from .columns import after, ids_at, per_row
from .table import DAY_MS, Chunk, Factory, Gen, emit, spread
from .text import prose, slug

_FILES = (
    ("Price List", "pdf", "application/pdf"), ("Logo", "png", "image/png"), ("Onboarding Guide", "pdf", "application/pdf"),
    ("Customer Export", "csv", "text/csv"), ("Release Notes", "txt", "text/plain"),
    ("Proposal Template", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Brand Guidelines", "pdf", "application/pdf"), ("Territory Map", "png", "image/png"),
)  # fmt: skip
_DASHBOARDS = ("Sales Pipeline", "Support Overview", "Marketing Funnel", "Executive Summary", "Forecast",
               "Lead Conversion", "Case Backlog", "Win/Loss Analysis")  # fmt: skip
_FOLDERS = ("Company Dashboards", "Sales Dashboards", "Service Dashboards", "Private Dashboards")


def build(gen: Gen) -> None:
    _documents(gen)
    _dashboards(gen)


def build_custom(gen: Gen) -> None:
    """Custom objects go before activities, which may relate to them (`allow_activities`)."""
    for obj in gen.schema:
        if obj.custom and gen.has(obj.name):
            _custom(gen, obj.name)


def build_tags(gen: Gen) -> None:
    """Tags go last: any generated record of the tagged object can carry one."""
    for obj in gen.schema:
        if obj.name.endswith("Tag") and gen.has(obj.name):
            _tags(gen, obj.name)


def _documents(gen: Gen) -> None:
    texts = prose(gen, 1, 4)

    def body(c: Chunk) -> list:
        out = []
        for spec, text in zip(c["_file"], texts(c), strict=True):
            if spec[1] in ("txt", "csv"):
                raw = text.encode()
            else:
                raw = bytes(c.rng.getrandbits(8) for _ in range(c.rng.randint(64, 512)))
            out.append(raw)
        return out

    emit(
        gen,
        "Document",
        {
            "_file": lambda c: [_FILES[i % len(_FILES)] for i in c.rows],
            "_raw": body,
            "Name": lambda c: [
                f"{f[0]}{'' if i < len(_FILES) else f' {i // len(_FILES) + 1}'}.{f[1]}"
                for i, f in zip(c.rows, c["_file"], strict=True)
            ],
            "DeveloperName": lambda c: [
                f"{slug(f[0])}_{x}" for f, x in zip(c["_file"], c.counters, strict=True)
            ],
            "ContentType": lambda c: [f[2] for f in c["_file"]],
            "Type": lambda c: [f[1] for f in c["_file"]],
            "Body": lambda c: [base64.b64encode(raw).decode("ascii") for raw in c["_raw"]],
            "BodyLength": lambda c: [len(raw) for raw in c["_raw"]],
            "Url": None,
            "IsPublic": lambda c: [int(c.rng.random() < 0.2) for _ in c.rows],
            "IsInternalUseOnly": lambda c: [int(c.rng.random() < 0.1) for _ in c.rows],
            "AuthorId": lambda c: list(c["FolderId"]),
            "FolderId": lambda c: c.rng.choices(gen.users, k=c.n),  # a user's personal folder
            "NamespacePrefix": None,
        },
    )


def _dashboards(gen: Gen) -> None:
    def color(c: Chunk) -> list:
        return [c.rng.getrandbits(24) for _ in c.rows]

    emit(
        gen,
        "Dashboard",
        {
            "Title": lambda c: [
                _DASHBOARDS[i % len(_DASHBOARDS)]
                + (f" {i // len(_DASHBOARDS) + 1}" if i >= len(_DASHBOARDS) else "")
                for i in c.rows
            ],
            "DeveloperName": lambda c: [
                f"{slug(t)}_{x}" for t, x in zip(c["Title"], c.counters, strict=True)
            ],
            "FolderName": lambda c: c.rng.choices(_FOLDERS, k=c.n),
            "FolderId": None,
            "NamespacePrefix": None,
            "Description": lambda c: [f"{t} for the team" for t in c["Title"]],
            "RunningUserId": lambda c: c.rng.choices(gen.users, k=c.n),
            "TitleColor": color,
            "TextColor": color,
            "BackgroundStart": color,
            "BackgroundEnd": color,
            "TitleSize": lambda c: c.rng.choices((12, 14, 16, 18), k=c.n),
            "DashboardResultRefreshedDate": lambda c: [
                gen.anchor_ms - int(c.rng.random() * 7 * DAY_MS) for _ in c.rows
            ],
            "DashboardResultRunningUser": per_row(lambda i: None),
        },
    )


def _tags(gen: Gen, name: str) -> None:
    tagged = name.removesuffix("Tag")
    if not gen.size(tagged):
        return
    items, created = gen.new[tagged], gen.created_of(tagged)
    size = len(items)
    link = spread(gen.rng(f"{name}:links"), size, gen.size(name))
    anchor = gen.anchor_ms

    def item(c: Chunk) -> list:
        return [link[i] for i in c.rows]

    emit(
        gen,
        name,
        {
            "_p": item,
            "ItemId": ids_at(items, "_p"),
            "Name": lambda c: c.rng.choices(W.TAG_WORDS, k=c.n),
            "Type": lambda c: c.rng.choices(("Public", "Personal"), weights=(4, 1), k=c.n),
            "TagDefinitionId": None,
            "CreatedDate": lambda c: [
                created[p] + int(c.rng.random() ** 2 * (anchor - created[p])) if p < len(created) else anchor
                for p in c["_p"]
            ],
        },
    )


def _custom(gen: Gen, name: str) -> None:
    """Describe-driven rows; the first reference to a generated object is the record's parent."""
    obj = gen.obj(name)
    refs = [f for f in obj.fields if f.type == "reference" and f.custom]
    refs.sort(key=lambda f: not (f.cascade_delete or not f.nillable))
    parent_field = next((f for f in refs if any(gen.size(t) for t in f.reference_to)), None)
    overrides: dict[str, Factory | None] = {}
    if parent_field is not None:
        target = next(t for t in parent_field.reference_to if gen.size(t))
        parents = spread(gen.rng(f"{name}:links"), gen.size(target), gen.size(name))
        overrides["_p"] = lambda c: [parents[i] for i in c.rows]
        overrides[parent_field.name] = ids_at(gen.new[target], "_p")
        overrides["CreatedDate"] = after(gen, gen.created_of(target), lambda c: c["_p"], 365, power=1.0)
    name_field = obj.field("Name")
    if name_field is not None and not name_field.auto_number:
        label = obj.label
        overrides["Name"] = lambda c: [f"{label} {x:06d}"[: name_field.length or 80] for x in c.counters]
    overrides.update(_date_ranges(gen, obj))
    emit(gen, name, overrides)


def _date_ranges(gen: Gen, obj: ObjectDef) -> dict[str, Factory]:
    """A custom End date follows its Start date (Start_Date__c → End_Date__c, Term_Start__c → Term_End__c)."""
    dates = {f.name: f for f in obj.fields if f.type == "date" and f.custom}
    out: dict[str, Factory] = {}
    for start_name in dates:
        end_name = re.sub("start", "End", start_name, flags=re.IGNORECASE)
        if end_name == start_name or end_name not in dates:
            continue
        out[end_name] = lambda c, s=start_name: [
            None if v is None else gen.day(_to_day(v) + 30 + int(c.rng.random() * 700)) for v in c[s]
        ]
    return out


def _to_day(text: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days
