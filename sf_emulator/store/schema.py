"""The org's schema: sObject and field definitions from which describe, storage and validation derive."""

from dataclasses import dataclass, field, replace

from .errors import SalesforceError, invalid_type

# Salesforce field types, grouped by how the store keeps them.
TEXT_TYPES = frozenset(
    {
        "id", "reference", "string", "textarea", "picklist", "multipicklist", "combobox", "email",
        "phone", "url", "encryptedstring", "base64", "anyType", "time",
    }
)
INTEGER_TYPES = frozenset({"int", "long"})
REAL_TYPES = frozenset({"double", "currency", "percent"})
COMPOUND_TYPES = frozenset({"address", "location"})
ALL_TYPES = TEXT_TYPES | INTEGER_TYPES | REAL_TYPES | COMPOUND_TYPES | {"boolean", "date", "datetime"}


@dataclass(frozen=True)
class PicklistValue:
    value: str
    label: str | None = None
    active: bool = True
    default: bool = False


@dataclass(frozen=True)
class FieldDef:
    """One field as describe reports it. Storage: see `storage_affinity`.

    Compound fields (`address`, `location`) are not stored; their components carry
    `compound_field_name` and the store assembles the compound value from them.
    """

    name: str
    type: str
    label: str = ""
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    picklist_values: tuple[PicklistValue, ...] = ()
    restricted_picklist: bool = False
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    defaulted_on_create: bool = False
    default_value: object = None
    calculated: bool = False
    calculated_formula: str | None = None
    auto_number: bool = False
    external_id: bool = False
    unique: bool = False
    case_sensitive: bool = False
    id_lookup: bool = False
    name_field: bool = False
    compound_field_name: str | None = None
    filterable: bool = True
    sortable: bool = True
    groupable: bool = True
    custom: bool = False
    html_formatted: bool = False
    cascade_delete: bool = False
    inline_help_text: str | None = None
    extra_type_info: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ALL_TYPES:
            raise ValueError(f"field {self.name}: unknown Salesforce type {self.type!r}")

    @property
    def is_compound(self) -> bool:
        return self.type in COMPOUND_TYPES

    @property
    def storage_affinity(self) -> str:
        """SQLite column type. Datetimes are INTEGER ms UTC, dates TEXT YYYY-MM-DD, booleans 0/1."""
        if self.type in INTEGER_TYPES or self.type in ("boolean", "datetime"):
            return "INTEGER"
        if self.type in REAL_TYPES:
            return "REAL"
        return "TEXT"

    @property
    def required_on_create(self) -> bool:
        return self.createable and not self.nillable and not self.defaulted_on_create and self.type != "boolean"

    @property
    def is_polymorphic(self) -> bool:
        return len(self.reference_to) > 1


@dataclass(frozen=True)
class ObjectDef:
    """One sObject as describe reports it, with its fields in describe order."""

    name: str
    key_prefix: str
    label: str
    label_plural: str
    fields: tuple[FieldDef, ...]
    custom: bool = False
    queryable: bool = True
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    undeletable: bool = True
    mergeable: bool = False
    replicateable: bool = True
    retrieveable: bool = True
    searchable: bool = True
    triggerable: bool = True
    layoutable: bool = True
    feed_enabled: bool = False
    _by_lower: dict = field(default=None, compare=False, repr=False, hash=False)  # type: ignore[assignment]
    _stored: tuple = field(default=(), compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_lower", {f.name.lower(): f for f in self.fields})
        object.__setattr__(self, "_stored", tuple(f for f in self.fields if not f.is_compound))

    def field(self, name: str) -> FieldDef | None:
        """The field named `name`, case-insensitively, or None."""
        return self._by_lower.get(name.lower())

    def require_field(self, name: str) -> FieldDef:
        found = self.field(name)
        if found is None:
            raise SalesforceError(
                400, "INVALID_FIELD", f"No such column '{name}' on sobject of type {self.name}", [name]
            )
        return found

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field whose relationshipName is `name`, case-insensitively."""
        lowered = name.lower()
        for candidate in self.fields:
            if candidate.relationship_name and candidate.relationship_name.lower() == lowered:
                return candidate
        return None

    @property
    def stored_fields(self) -> tuple[FieldDef, ...]:
        return self._stored

    def with_field(self, new_field: FieldDef) -> "ObjectDef":
        if self.field(new_field.name) is not None:
            raise SalesforceError(400, "DUPLICATE_DEVELOPER_NAME", f"{self.name}.{new_field.name} already exists")
        return replace(self, fields=(*self.fields, new_field))


class OrgSchema:
    """The sObjects of one org, looked up case-insensitively. Mutable: custom objects and fields drift in."""

    def __init__(self, objects: list[ObjectDef]) -> None:
        self._objects: dict[str, ObjectDef] = {}
        for obj in objects:
            self._objects[obj.name.lower()] = obj

    def __iter__(self):
        return iter(self._objects.values())

    def get(self, name: str) -> ObjectDef | None:
        return self._objects.get(name.lower())

    def require(self, name: str) -> ObjectDef:
        """The sObject `name` or an INVALID_TYPE error (the SOQL and Bulk wording)."""
        found = self.get(name)
        if found is None:
            raise invalid_type(name)
        return found

    def by_prefix(self, key_prefix: str) -> ObjectDef | None:
        for obj in self._objects.values():
            if obj.key_prefix == key_prefix:
                return obj
        return None

    def put(self, obj: ObjectDef) -> None:
        self._objects[obj.name.lower()] = obj

    def child_relationships(self, parent: str) -> list[tuple[ObjectDef, FieldDef]]:
        """(child object, reference field) pairs that point at `parent`, for describe and cascades."""
        lowered = parent.lower()
        return [
            (obj, f)
            for obj in self._objects.values()
            for f in obj.fields
            if f.type == "reference" and any(t.lower() == lowered for t in f.reference_to)
        ]
