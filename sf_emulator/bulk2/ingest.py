"""Row-level DML shared by Bulk 2.0 ingest and Bulk 1.0 batches: one savepoint per record."""

from collections.abc import Iterable
from dataclasses import dataclass

from ..store.errors import MultipleMatches, SalesforceError
from ..store.ids import to_18
from ..store.org import Org
from ..store.schema import ObjectDef
from ..store.values import CSV_NULL
from .csv_io import CsvInputError

OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")


@dataclass(frozen=True)
class Column:
    """One header of an ingest CSV: a field (`Name`) or a parent by external id (`Account.Ext__c`)."""

    header: str
    field: str
    relationship: str | None = None
    target_type: str | None = None
    ext_field: str | None = None


@dataclass
class Outcome:
    """What one record came to: an Id (maybe None on failure), created, or the error."""

    record_id: str | None
    created: bool
    error: SalesforceError | None


def map_header(obj: ObjectDef, header: list[str], operation: str) -> list[Column]:
    """Columns of an upload, or CsvInputError naming the first unknown one (the whole job fails)."""
    if operation in ("delete", "hardDelete") and [h.strip().lower() for h in header] != ["id"]:
        raise CsvInputError(f"InvalidBatch : The '{operation}' batch must contain only ids")
    columns = []
    for raw in header:
        name = raw.strip()
        if "." in name:
            relationship, _, ext = name.partition(".")
            target_type = None
            if ":" in relationship:
                # Documented as `ObjectType:RelationshipName.IndexedFieldName`; accept the reverse too.
                target_type, _, relationship = relationship.partition(":")
                if obj.relationship(target_type) is not None:
                    target_type, relationship = relationship, target_type
            ref = obj.relationship(relationship)
            if ref is None:
                raise CsvInputError(f"InvalidBatch : Field name not found : {name}")
            columns.append(Column(raw, ref.name, ref.relationship_name, target_type, ext))
        else:
            f = obj.field(name)
            if f is None:
                raise CsvInputError(f"InvalidBatch : Field name not found : {name}")
            columns.append(Column(raw, f.name))
    return columns


def row_to_record(columns: list[Column], values: list[str]) -> dict:
    """An API body from CSV values: empty = not given (left unchanged), `#N/A` = null."""
    if len(values) > len(columns):
        # Emulator wording: the real service rejects such rows too, with its own message.
        raise SalesforceError(400, "INVALID_FIELD", "The row has more values than the header has columns")
    record: dict = {}
    for column, raw in zip(columns, values, strict=False):
        if raw == "":
            continue
        if column.relationship is None:
            record[column.field] = None if raw == CSV_NULL else raw
        elif raw == CSV_NULL:
            record[column.field] = None
        else:
            parent: dict = {column.ext_field: raw}
            if column.target_type:
                parent["attributes"] = {"type": column.target_type}
            record[column.relationship] = parent
    return record


def _pop_id(body: dict) -> str | None:
    for key in [k for k in body if k.lower() == "id"]:
        value = body.pop(key)
        if value not in (None, ""):
            return str(value)
    return None


def _checked_id(obj: ObjectDef, record_id: str | None, operation: str) -> str:
    if record_id is None:
        raise SalesforceError(400, "MISSING_ARGUMENT", f"Id not specified in an {operation} call")
    try:
        normalised = to_18(record_id)
    except SalesforceError:
        normalised = ""
    if normalised[:3] != obj.key_prefix:
        raise SalesforceError(
            400, "MALFORMED_ID", f"{obj.label} ID: id value of incorrect type: {record_id}", ["Id"]
        )
    return normalised


def _upsert(org: Org, obj: ObjectDef, ext_field: str, body: dict, record_id: str | None) -> tuple[str, bool]:
    ext = obj.field(ext_field)
    if ext is None:
        raise SalesforceError(400, "INVALID_FIELD", f"Field {ext_field} does not exist", [ext_field])
    if ext.name == "Id":
        return org.upsert(obj, "Id", record_id or "", body)
    value = next((body.pop(k) for k in list(body) if k.lower() == ext.name.lower()), None)
    if record_id:
        body["Id"] = record_id
    if value in (None, ""):
        raise SalesforceError(400, "MISSING_ARGUMENT", f"{ext.name} not specified", [ext.name])
    try:
        return org.upsert(obj, ext.name, str(value), body)
    except MultipleMatches as error:
        raise SalesforceError(
            400,
            "DUPLICATE_EXTERNAL_ID",
            f"{ext.name}: more than one record found for external id field: [{', '.join(error.record_ids)}]",
            [ext.name],
        ) from None


def save(org: Org, obj: ObjectDef, operation: str, ext_field: str | None, record: dict) -> tuple[str, bool]:
    """Apply one record; returns (18-char Id, created) or raises the record's SalesforceError."""
    body = {k: v for k, v in record.items() if k != "attributes"}
    record_id = _pop_id(body)
    try:
        if operation == "insert":
            if record_id:
                raise SalesforceError(
                    400, "INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]
                )
            return org.create(obj, body), True
        if operation == "upsert":
            return _upsert(org, obj, ext_field or "Id", body, record_id)
        checked = _checked_id(obj, record_id, operation)
        if operation == "update":
            org.update(obj, checked, body)
        elif operation == "delete":
            org.delete(obj, checked)
        else:
            org.require_record(obj, checked, allow_deleted=True)
            org.purge(checked)
        return checked, False
    except SalesforceError as error:
        if error.error_code == "NOT_FOUND":
            raise SalesforceError(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id") from None
        raise


def save_all(
    org: Org, obj: ObjectDef, operation: str, ext_field: str | None, records: Iterable[dict | SalesforceError]
) -> list[Outcome]:
    """Each record in its own savepoint: a failure undoes only its own writes.

    An item may already be an error (a row that could not be read); it is reported in place.
    One outer transaction makes a large job one commit instead of one per row.
    """
    outcomes: list[Outcome] = []
    with org.transaction():
        for record in records:
            if isinstance(record, SalesforceError):
                outcomes.append(Outcome(None, False, record))
                continue
            try:
                with org.transaction():
                    record_id, created = save(org, obj, operation, ext_field, record)
                outcomes.append(Outcome(record_id, created, None))
            except SalesforceError as error:
                outcomes.append(Outcome(None, False, error))
    return outcomes


def error_text(error: SalesforceError) -> str:
    """`sf__Error` as Bulk 2.0 writes it: `CODE:message:Field1,Field2 --`."""
    fields = ",".join(error.fields)
    return f"{error.error_code}:{error.message}:{fields + ' ' if fields else ''}--"
