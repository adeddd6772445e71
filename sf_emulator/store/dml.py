"""Writes: create, update, upsert, delete, undelete, purge, merge, lead conversion, system touch."""

from .errors import MultipleMatches, SalesforceError, not_found
from .ids import to_18
from .schema import FieldDef, ObjectDef
from .values import to_storage

_AUDIT_FIELDS = ("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp")
_READ_ONLY_MESSAGE = (
    "Unable to create/update fields: {names}. Please check the security settings of this field and verify "
    "that it is read/write for your profile or permission set."
)


def _unknown_field(obj: ObjectDef, name: str) -> SalesforceError:
    return SalesforceError(
        400, "INVALID_FIELD", f"No such column '{name}' on sobject of type {obj.name}", [name]
    )


class DmlMixin:
    """DML on `Org`; every method validates against describe before anything is written."""

    # --- body → storage ----------------------------------------------------------------------------
    def _resolve_body(self, obj: ObjectDef, body: dict, *, creating: bool, system: bool) -> dict[str, object]:
        """Storage values keyed by canonical field name, after type, length, picklist and access checks."""
        resolved: dict[str, object] = {}
        read_only: list[str] = []
        for key, value in body.items():
            if key == "attributes":
                continue
            f = obj.field(key)
            if f is None and isinstance(value, dict):
                f = obj.relationship(key)
                if f is None:
                    raise _unknown_field(obj, key)
                value = self._resolve_relationship(f, value)
            if f is None:
                raise _unknown_field(obj, key)
            if f.is_compound:
                read_only.append(f.name)
                continue
            allowed = f.createable if creating else f.updateable
            if not allowed and not system:
                read_only.append(f.name)
                continue
            resolved[f.name] = to_storage(f, value)
        if read_only:
            raise SalesforceError(
                400,
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                _READ_ONLY_MESSAGE.format(names=", ".join(read_only)),
                read_only,
            )
        return resolved

    def _resolve_relationship(self, f: FieldDef, value: dict) -> str:
        """`{"Account": {"Ext__c": "X"}}`: the Id of the one parent whose external id matches."""
        target = self.schema.get(value.get("attributes", {}).get("type") or f.reference_to[0])
        keys = [k for k in value if k != "attributes"]
        if target is None or len(keys) != 1:
            raise SalesforceError(
                400, "INVALID_FIELD", f"Invalid relationship value for {f.relationship_name}"
            )
        ext = target.require_field(keys[0])
        if not (ext.external_id or ext.id_lookup):
            raise SalesforceError(
                400, "INVALID_FIELD", f"Field {ext.name} on {target.name} is not an external id", [ext.name]
            )
        matches = self.tables.ids_where(
            target, ext.name, to_storage(ext, value[keys[0]]), include_deleted=False
        )
        if len(matches) != 1:
            raise SalesforceError(
                400,
                "INVALID_FIELD" if not matches else "MULTIPLE_RECORDS_FOUND",
                f"Foreign key external ID: {value[keys[0]]} not found for field {ext.name} in entity {target.name}"
                if not matches
                else f"Multiple {target.name} records found using external ID field {ext.name}: {value[keys[0]]}",
                [f.name],
            )
        return matches[0]

    def _check_references(self, obj: ObjectDef, values: dict[str, object]) -> None:
        for name, value in values.items():
            f = obj.field(name)
            if f is None or f.type != "reference" or value is None:
                continue
            target = self.schema.by_prefix(str(value)[:3])
            if target is None or target.name.lower() not in {t.lower() for t in f.reference_to}:
                raise SalesforceError(
                    400, "MALFORMED_ID", f"{f.label or f.name}: id value of incorrect type: {value}", [f.name]
                )
            row = self.tables.fetch(target, str(value))
            if row is None or row["IsDeleted"]:
                raise SalesforceError(
                    400,
                    "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id",
                    [f.name],
                )

    def _check_unique(self, obj: ObjectDef, values: dict[str, object], record_id: str | None) -> None:
        for name, value in values.items():
            f = obj.field(name)
            if f is None or not f.unique or value is None:
                continue
            clash = [
                i for i in self.tables.ids_where(obj, f.name, value, include_deleted=True) if i != record_id
            ]
            if clash:
                raise SalesforceError(
                    400,
                    "DUPLICATE_VALUE",
                    f"duplicate value found: {f.name} duplicates value on record with id: {clash[0][:15]}",
                    [f.name],
                )

    def _check_required(self, obj: ObjectDef, values: dict[str, object], *, creating: bool) -> None:
        if creating:
            missing = [f.name for f in obj.fields if f.required_on_create and values.get(f.name) is None]
        else:
            missing = [
                name
                for name, value in values.items()
                if value is None and not obj.require_field(name).nillable
            ]
        if missing:
            raise SalesforceError(
                400, "REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(missing)}]", missing
            )

    def _derived(self, obj: ObjectDef, row: dict[str, object]) -> dict[str, object]:
        """Fields the server computes: the person Name of Contact/Lead/User from its parts."""
        name = obj.field("Name")
        if name is not None and not name.createable and obj.field("LastName") is not None:
            parts = [row.get("FirstName"), row.get("LastName")]
            return {"Name": " ".join(str(p) for p in parts if p) or None}
        return {}

    def _defaults(self, obj: ObjectDef) -> dict[str, object]:
        defaults: dict[str, object] = {}
        for f in obj.stored_fields:
            if f.type == "boolean":
                defaults[f.name] = int(bool(f.default_value))
            elif f.default_value is not None:
                defaults[f.name] = to_storage(f, f.default_value)
            elif f.type in ("picklist", "multipicklist"):
                chosen = [p.value for p in f.picklist_values if p.default]
                if chosen:
                    defaults[f.name] = ";".join(chosen)
        return defaults

    def require_record(self, obj: ObjectDef, record_id: str, *, allow_deleted: bool = False) -> dict:
        """The stored row; 404 NOT_FOUND when absent, 404 ENTITY_IS_DELETED when in the recycle bin."""
        try:
            normalised = to_18(record_id)
        except SalesforceError:
            raise not_found(
                f"Provided external ID field does not exist or is not accessible: {record_id}"
            ) from None
        row = self.tables.fetch(obj, normalised) if normalised[:3] == obj.key_prefix else None
        if row is None:
            raise not_found()
        if row["IsDeleted"] and not allow_deleted:
            raise SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted")
        return row

    # --- operations ----------------------------------------------------------------------------------
    def create(self, sobject: str | ObjectDef, body: dict, *, system: bool = False) -> str:
        """Insert one record and return its 18-character Id."""
        obj = sobject if isinstance(sobject, ObjectDef) else self.sobject(sobject)
        if not obj.createable and not system:
            raise SalesforceError(
                400, "INVALID_TYPE_FOR_OPERATION", f"entity type {obj.name} does not support create"
            )
        with self.transaction():
            values = self._defaults(obj)
            values.update(self._resolve_body(obj, body, creating=True, system=system))
            values.pop("IsDeleted", None)
            self._check_required(obj, values, creating=True)
            self._check_references(obj, values)
            self._check_unique(obj, values, None)
            now = self.now_ms()
            record_id = values.get("Id") if system and values.get("Id") else self.new_id(obj.key_prefix)
            values["Id"] = record_id
            for audit in _AUDIT_FIELDS:
                if obj.field(audit) is not None and values.get(audit) is None:
                    values[audit] = now if audit.endswith(("Date", "Modstamp")) else self.user_id
            if obj.field("OwnerId") is not None and values.get("OwnerId") is None:
                values["OwnerId"] = self.user_id
            values.update(self._derived(obj, values))
            stored = [f.name for f in obj.stored_fields if f.name in values and f.name != "IsDeleted"]
            self.tables.insert_many(obj, stored, [[values[name] for name in stored]])
            return str(record_id)

    def update(self, sobject: str | ObjectDef, record_id: str, body: dict, *, system: bool = False) -> None:
        obj = sobject if isinstance(sobject, ObjectDef) else self.sobject(sobject)
        with self.transaction():
            row = self.require_record(obj, record_id)
            changes = self._resolve_body(obj, body, creating=False, system=system)
            changes.pop("Id", None)
            self._check_required(obj, changes, creating=False)
            self._check_references(obj, changes)
            self._check_unique(obj, changes, row["Id"])
            self._touch(obj, changes, user_edit=True)
            changes.update(self._derived(obj, {**row, **changes}))
            self.tables.update(obj, row["Id"], changes)

    def upsert(self, sobject: str | ObjectDef, field_name: str, value: str, body: dict) -> tuple[str, bool]:
        """Update the one record whose external id matches, else insert. Returns (Id, created)."""
        obj = sobject if isinstance(sobject, ObjectDef) else self.sobject(sobject)
        ext = obj.field(field_name)
        if ext is None or not (ext.external_id or ext.id_lookup or ext.name == "Id"):
            raise not_found(f"Provided external ID field does not exist or is not accessible: {field_name}")
        with self.transaction():
            if ext.name == "Id":
                matches = [to_18(value)] if value else []
                matches = [m for m in matches if self.tables.fetch(obj, m) is not None]
            else:
                matches = self.tables.ids_where(obj, ext.name, to_storage(ext, value), include_deleted=False)
            if len(matches) > 1:
                raise MultipleMatches(obj.name, matches)
            if body.get("Id") and ext.name != "Id":
                raise SalesforceError(
                    400,
                    "INVALID_FIELD",
                    "The Id field should not be specified in the sobject data.",
                )
            if matches:
                self.update(obj, matches[0], {k: v for k, v in body.items() if k.lower() != ext.name.lower()})
                return matches[0], False
            new_body = dict(body)
            if ext.name != "Id":
                new_body[ext.name] = value
            return self.create(obj, new_body), True

    def delete(self, sobject: str | ObjectDef, record_id: str) -> None:
        """Soft delete to the recycle bin, cascading to children whose reference says so."""
        obj = sobject if isinstance(sobject, ObjectDef) else self.sobject(sobject)
        if not obj.deletable:
            raise SalesforceError(
                400, "INVALID_TYPE_FOR_OPERATION", f"entity type {obj.name} does not support delete"
            )
        with self.transaction():
            row = self.require_record(obj, record_id)
            self._soft_delete(obj, row["Id"], self.now_ms())

    def _soft_delete(self, obj: ObjectDef, record_id: str, now: int) -> None:
        changes: dict[str, object] = {"IsDeleted": 1}
        self._touch(obj, changes, user_edit=True)
        self.tables.update(obj, record_id, changes)
        self.tables.log_deletion(obj, record_id, now, purged=False)
        for child, ref in self.schema.child_relationships(obj.name):
            if ref.cascade_delete:
                for child_id in self.tables.ids_where(child, ref.name, record_id, include_deleted=False):
                    self._soft_delete(child, child_id, now)

    def undelete(self, record_id: str) -> None:
        obj = self.object_for_id(record_id)
        with self.transaction():
            row = self.require_record(obj, record_id, allow_deleted=True)
            if not row["IsDeleted"]:
                raise SalesforceError(400, "UNDELETE_FAILED", "Entity is not in the recycle bin")
            changes: dict[str, object] = {"IsDeleted": 0}
            self._touch(obj, changes, user_edit=True)
            self.tables.update(obj, row["Id"], changes)
            self.tables.forget_deletion(row["Id"])

    def purge(self, record_id: str) -> None:
        """Hard delete (Bulk hardDelete or emptying the recycle bin): the row is gone from every query."""
        obj = self.object_for_id(record_id)
        with self.transaction():
            row = self.require_record(obj, record_id, allow_deleted=True)
            deleted_at = self.now_ms()
            self.tables.delete_row(obj, row["Id"])
            self.tables.log_deletion(obj, row["Id"], deleted_at, purged=True)

    def merge(self, master_id: str, loser_ids: list[str]) -> None:
        """Merge losers into the master: children are re-parented, losers deleted with MasterRecordId set."""
        obj = self.object_for_id(master_id)
        if not obj.mergeable:
            raise SalesforceError(
                400, "INVALID_TYPE_FOR_OPERATION", f"entity type {obj.name} does not support merge"
            )
        with self.transaction():
            master = self.require_record(obj, master_id)
            now = self.now_ms()
            for loser_id in loser_ids:
                loser = self.require_record(obj, loser_id)
                for child, ref in self.schema.child_relationships(obj.name):
                    for child_id in self.tables.ids_where(child, ref.name, loser["Id"], include_deleted=True):
                        changes: dict[str, object] = {ref.name: master["Id"]}
                        self._touch(child, changes, user_edit=False)
                        self.tables.update(child, child_id, changes)
                if obj.field("MasterRecordId") is not None:
                    self.tables.update(obj, loser["Id"], {"MasterRecordId": master["Id"]})
                self._soft_delete(obj, loser["Id"], now)
            changes = {}
            self._touch(obj, changes, user_edit=True)
            self.tables.update(obj, master["Id"], changes)

    def convert_lead(self, lead_id: str, *, create_opportunity: bool = True) -> dict[str, str | None]:
        """Convert a Lead into an Account, a Contact and (optionally) an Opportunity."""
        lead_obj = self.sobject("Lead")
        with self.transaction():
            lead = self.require_record(lead_obj, lead_id)
            if lead.get("IsConverted"):
                raise SalesforceError(400, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
            account_id = self.create("Account", {"Name": lead.get("Company") or lead.get("LastName")})
            contact_id = self.create(
                "Contact",
                {
                    "FirstName": lead.get("FirstName"),
                    "LastName": lead.get("LastName"),
                    "Email": lead.get("Email"),
                    "AccountId": account_id,
                },
            )
            opportunity_id = None
            if create_opportunity:
                opportunity_id = self.create(
                    "Opportunity",
                    {
                        "Name": f"{lead.get('Company') or lead.get('LastName')}-",
                        "StageName": "Prospecting",
                        "CloseDate": self.clock.now().strftime("%Y-%m-%d"),
                        "AccountId": account_id,
                    },
                )
            changes: dict[str, object] = {
                "IsConverted": 1,
                "ConvertedAccountId": account_id,
                "ConvertedContactId": contact_id,
                "ConvertedOpportunityId": opportunity_id,
                "ConvertedDate": self.clock.now().strftime("%Y-%m-%d"),
                "Status": "Closed - Converted",
            }
            changes = {k: v for k, v in changes.items() if lead_obj.field(k) is not None}
            self._touch(lead_obj, changes, user_edit=True)
            self.tables.update(lead_obj, lead["Id"], changes)
            return {"accountId": account_id, "contactId": contact_id, "opportunityId": opportunity_id}

    def system_touch(self, record_ids: list[str]) -> None:
        """What roll-ups and automation do: bump SystemModstamp only, never LastModifiedDate."""
        with self.transaction():
            for record_id in record_ids:
                obj = self.object_for_id(record_id)
                row = self.require_record(obj, record_id, allow_deleted=True)
                changes: dict[str, object] = {}
                self._touch(obj, changes, user_edit=False)
                self.tables.update(obj, row["Id"], changes)

    def _touch(self, obj: ObjectDef, changes: dict[str, object], *, user_edit: bool) -> None:
        now = self.now_ms()
        if obj.field("SystemModstamp") is not None:
            changes["SystemModstamp"] = now
        if user_edit:
            if obj.field("LastModifiedDate") is not None:
                changes["LastModifiedDate"] = now
            if obj.field("LastModifiedById") is not None:
                changes["LastModifiedById"] = self.user_id
