"""Data and schema changes made from outside, as users and automation would make them in a real org."""

import copy

from ..store.catalog import build_schema
from ..store.errors import SalesforceError
from ..store.org import Org
from ..store.records import quote

MUTATIONS = ("update", "soft_delete", "undelete", "purge", "merge", "touch", "convert_lead")


def pick_ids(org: Org, sobject: str, count: int, *, deleted: bool) -> list[str]:
    """The first `count` live (or recycle-bin) records in Id order: deterministic for tests."""
    obj = org.sobject(sobject)
    with org.lock:
        rows = org.conn.execute(
            f"SELECT Id FROM {quote(obj.name)} WHERE IsDeleted = ? ORDER BY Id LIMIT ?", (int(deleted), count)
        ).fetchall()
    return [r[0] for r in rows]


def mutate(org: Org, spec: dict) -> dict:
    """Apply one mutation: `{"op", "sobject", "count" | "ids", "values"?}`; returns the Ids touched."""
    op = spec.get("op")
    if op not in MUTATIONS:
        raise SalesforceError(400, "INVALID_OPERATION", f"op must be one of {', '.join(MUTATIONS)}, not {op!r}")
    sobject = spec.get("sobject", "")
    ids = spec.get("ids") or pick_ids(org, sobject, int(spec.get("count", 1)) + (1 if op == "merge" else 0), deleted=op in ("undelete",))
    if op == "update":
        for record_id in ids:
            org.update(sobject or org.object_for_id(record_id).name, record_id, spec.get("values") or {})
    elif op == "soft_delete":
        for record_id in ids:
            org.delete(org.object_for_id(record_id), record_id)
    elif op == "undelete":
        for record_id in ids:
            org.undelete(record_id)
    elif op == "purge":
        for record_id in ids:
            org.purge(record_id)
    elif op == "merge":
        org.merge(ids[0], ids[1:])
    elif op == "touch":
        org.system_touch(ids)
    elif op == "convert_lead":
        return {"ids": ids, "conversions": [org.convert_lead(i) for i in ids]}
    return {"ids": ids}


def add_custom_field(org: Org, sobject: str, field_spec: dict) -> None:
    """Schema drift: a new custom field on an existing object, live for the next describe and query."""
    definition = copy.deepcopy(org.org_definition)
    obj = org.sobject(sobject)
    custom_objects = definition.setdefault("objects", [])
    owner = next((o for o in custom_objects if o.get("name", "").lower() == obj.name.lower()), None)
    if owner is not None:
        owner.setdefault("fields", []).append(field_spec)
    else:
        definition.setdefault("fields", {}).setdefault(obj.name, []).append(field_spec)
    _apply(org, definition)


def add_custom_object(org: Org, object_spec: dict) -> None:
    definition = copy.deepcopy(org.org_definition)
    definition.setdefault("objects", []).append(object_spec)
    _apply(org, definition)


def _apply(org: Org, definition: dict) -> None:
    try:
        schema = build_schema(definition)
    except ValueError as error:
        raise SalesforceError(400, "INVALID_ORG_DEFINITION", str(error)) from None
    org.apply_schema(schema, definition)
