"""Describe results rendered from the schema, key for key as a real org returns them.

Key sets and JSON value types follow recorded describes of real orgs (see the conformance tests).
Describe-only flags that FieldDef does not carry (aggregatable, permissionable, byteLength …) are
derived by the rules the recordings show; the catalog's `relationships` module holds the rest.
"""

import re

from .catalog.admin import RECORD_TYPE_OBJECTS
from .catalog.relationships import CHILD_RELATIONSHIP_NAMES, DEEP_CLONEABLE, RESTRICTED_DELETE
from .schema import FieldDef, ObjectDef, OrgSchema

MASTER_RECORD_TYPE_ID = "012000000000000AAA"
# Objects without a key prefix of their own (the `Name` view) carry this placeholder in the catalog.
NO_KEY_PREFIX = "000"
# sObject describes gained associateEntityType, associateParentEntity and sobjectDescribeOption
# somewhere between the recorded v48.0 (without) and v59.0 (with); 52.0 is the assumed boundary.
_ASSOCIATE_KEYS_SINCE = (52, 0)

SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "int": "xsd:int",
    "long": "xsd:long",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "time": "xsd:time",
    "base64": "xsd:base64Binary",
    "address": "urn:address",
    "location": "urn:location",
    "anyType": "xsd:anyType",
}
# Everything else (string, textarea, picklist, email, …) is xsd:string, 3 bytes per character.
_CHARACTER_TYPES = frozenset(
    {
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "combobox",
        "email",
        "phone",
        "url",
        "encryptedstring",
    }
)


def _version(api_version: str) -> str:
    return api_version.lstrip("vV")


def _version_tuple(api_version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in _version(api_version).split("."))
    except ValueError:
        return (999,)


def _base(obj: ObjectDef, api_version: str) -> str:
    return f"/services/data/v{_version(api_version)}/sobjects/{obj.name}"


# --- global describe -------------------------------------------------------------------------------
def global_entry(obj: ObjectDef, api_version: str) -> dict:
    """One element of `sobjects` in GET /services/data/vXX.X/sobjects."""
    base = _base(obj, api_version)
    urls = {"rowTemplate": f"{base}/{{ID}}", "describe": f"{base}/describe", "sobject": base}
    if obj.layoutable:
        urls.update(
            compactLayouts=f"{base}/describe/compactLayouts",
            approvalLayouts=f"{base}/describe/approvalLayouts",
            listviews=f"{base}/listviews",
            quickActions=f"{base}/quickActions",
            layouts=f"{base}/describe/layouts",
        )
    return {
        "activateable": False,
        "associateEntityType": None,
        "associateParentEntity": None,
        "createable": obj.createable,
        "custom": obj.custom,
        "customSetting": False,
        "deepCloneable": obj.name in DEEP_CLONEABLE,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "feedEnabled": obj.feed_enabled,
        "hasSubtypes": False,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": None if obj.key_prefix == NO_KEY_PREFIX else obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": obj.layoutable,
        "mergeable": obj.mergeable,
        "mruEnabled": _mru_enabled(obj),
        "name": obj.name,
        "queryable": obj.queryable,
        "replicateable": obj.replicateable,
        "retrieveable": obj.retrieveable,
        "searchable": obj.searchable,
        "triggerable": obj.triggerable,
        "undeletable": obj.undeletable,
        "updateable": obj.updateable,
        "urls": urls,
    }


def global_describe(schema: OrgSchema, api_version: str) -> dict:
    """GET /services/data/vXX.X/sobjects: every sObject, sorted by name as a real org lists them."""
    objects = sorted(schema, key=lambda obj: obj.name.lower())
    return {
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": [global_entry(o, api_version) for o in objects],
    }


def _mru_enabled(obj: ObjectDef) -> bool:
    return obj.layoutable and obj.searchable


# --- fields --------------------------------------------------------------------------------------
def _byte_length(f: FieldDef) -> int:
    if f.type in ("id", "reference"):
        return 18
    return 3 * f.length if f.type in _CHARACTER_TYPES else 0


def _aggregatable(f: FieldDef) -> bool:
    if f.type in ("boolean", "address", "location", "base64", "multipicklist", "anyType"):
        return False
    # Long text areas cannot be aggregated; the recordings show this tracks sortability.
    return f.sortable if f.type == "textarea" else True


def _permissionable(f: FieldDef) -> bool:
    """Whether field-level security applies: optional, writable, and not the record's identity."""
    if f.type == "address":
        return f.nillable
    if f.name_field or f.reference_to == ("RecordType",):
        return False
    return (f.createable or f.updateable) and (f.nillable or f.type == "boolean")


def _search_prefilterable(f: FieldDef) -> bool:
    return (
        f.type == "reference"
        and f.nillable
        and f.reference_to != ("User",)
        and f.relationship_name not in ("MasterRecord", "RecordType")
    )


def field_describe(f: FieldDef) -> dict:
    """One element of an sObject describe's `fields`, with every key a real org sends."""
    polymorphic = f.type == "reference" and f.is_polymorphic
    extra_type_info = f.extra_type_info
    if extra_type_info is None and f.type == "textarea" and f.html_formatted:
        extra_type_info = "richtextarea"
    return {
        "aggregatable": _aggregatable(f),
        "aiPredictionField": False,
        "autoNumber": f.auto_number,
        "byteLength": _byte_length(f),
        "calculated": f.calculated,
        "calculatedFormula": f.calculated_formula,
        # Real orgs flag cascadeDelete on the field only for custom master-detail relationships;
        # standard cascades show on the parent's childRelationships entry instead.
        "cascadeDelete": f.cascade_delete and f.custom,
        "caseSensitive": f.case_sensitive,
        "compoundFieldName": f.compound_field_name,
        "controllerName": None,
        "createable": f.createable,
        "custom": f.custom,
        # A default the org applies without advertising it (defaulted_on_create false) stays hidden.
        "defaultValue": f.default_value if f.defaulted_on_create else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": f.defaulted_on_create,
        "dependentPicklist": False,
        "deprecatedAndHidden": False,
        "digits": f.digits,
        "displayLocationInDecimal": False,
        "encrypted": f.type == "encryptedstring",
        "externalId": f.external_id,
        "extraTypeInfo": extra_type_info,
        "filterable": f.filterable,
        "filteredLookupInfo": None,
        "formulaTreatNullNumberAsZero": False,
        "groupable": f.groupable,
        "highScaleNumber": False,
        "htmlFormatted": f.html_formatted,
        "idLookup": f.id_lookup,
        "inlineHelpText": f.inline_help_text,
        "label": f.label,
        "length": f.length,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name_field,
        "namePointing": polymorphic,
        "nillable": f.nillable,
        "permissionable": _permissionable(f),
        "picklistValues": [
            {
                "active": v.active,
                "defaultValue": v.default,
                "label": v.label if v.label is not None else v.value,
                "validFor": None,
                "value": v.value,
            }
            for v in f.picklist_values
        ],
        "polymorphicForeignKey": polymorphic,
        "precision": f.precision,
        "queryByDistance": f.type in ("address", "location"),
        "referenceTargetField": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted_picklist,
        "scale": f.scale,
        "searchPrefilterable": _search_prefilterable(f),
        "soapType": SOAP_TYPES.get(f.type, "xsd:string"),
        "sortable": f.sortable,
        "type": f.type,
        "unique": f.unique,
        "updateable": f.updateable,
        "writeRequiresMasterRead": False,
    }


# --- child relationships -------------------------------------------------------------------------------
def _custom_child_name(child: ObjectDef) -> str:
    """A custom lookup's default child relationship name: the child's plural label, then `__r`."""
    return re.sub(r"[^A-Za-z0-9]", "", child.label_plural) + "__r"


def child_relationships(schema: OrgSchema, parent: str) -> list[tuple[ObjectDef, FieldDef, str | None]]:
    """(child object, reference field, relationship name) for every lookup to `parent`, in describe order.

    SOQL parent-to-child subqueries resolve their FROM name against this list. Two custom lookups
    from one child object to the same parent would share a default name, so the later one is
    qualified by its own relationship name, keeping every name unique for the parent.
    """
    entries: list[tuple[ObjectDef, FieldDef, str | None]] = []
    taken: set[str] = set()
    pairs = sorted(
        schema.child_relationships(parent), key=lambda pair: (pair[0].name.lower(), pair[1].name.lower())
    )
    for child, f in pairs:
        # Merge bookkeeping and the read-only Name view are not relationships a real parent lists.
        if not child.queryable or f.name == "MasterRecordId":
            continue
        key = (child.name, f.name)
        if key in CHILD_RELATIONSHIP_NAMES:
            name = CHILD_RELATIONSHIP_NAMES[key]
        elif f.custom:
            name = _custom_child_name(child)
            if name.lower() in taken:
                name = f"{(f.relationship_name or f.name).removesuffix('__r')}_{name}"
        else:
            name = None
        if name is not None:
            taken.add(name.lower())
        entries.append((child, f, name))
    return entries


def _child_relationship(child: ObjectDef, f: FieldDef, name: str | None) -> dict:
    return {
        "cascadeDelete": f.cascade_delete,
        "childSObject": child.name,
        "deprecatedAndHidden": False,
        "field": f.name,
        "junctionIdListNames": [],
        "junctionReferenceTo": [],
        "relationshipName": name,
        "restrictedDelete": (child.name, f.name) in RESTRICTED_DELETE,
    }


# --- sObject describe ------------------------------------------------------------------------------
def _record_type_infos(obj: ObjectDef, base: str) -> list[dict]:
    if obj.name not in RECORD_TYPE_OBJECTS and obj.field("RecordTypeId") is None:
        return []
    return [
        {
            "active": True,
            "available": True,
            "defaultRecordTypeMapping": True,
            "developerName": "Master",
            "master": True,
            "name": "Master",
            "recordTypeId": MASTER_RECORD_TYPE_ID,
            "urls": {"layout": f"{base}/describe/layouts/{MASTER_RECORD_TYPE_ID}"},
        }
    ]


def _supported_scopes(obj: ObjectDef) -> list[dict]:
    plural = obj.label_plural.lower()
    scopes = [{"label": f"All {plural}", "name": "everything"}]
    if obj.field("OwnerId") is not None:
        scopes += [
            {"label": f"My {plural}", "name": "mine"},
            {"label": f"My team's {plural}", "name": "team"},
        ]
    return scopes


def _describe_urls(obj: ObjectDef, base: str, instance_url: str | None) -> dict:
    urls = {"rowTemplate": f"{base}/{{ID}}", "describe": f"{base}/describe", "sobject": base}
    if obj.layoutable:
        urls.update(
            compactLayouts=f"{base}/describe/compactLayouts",
            approvalLayouts=f"{base}/describe/approvalLayouts",
            defaultValues=f"{base}/defaultValues?recordTypeId&fields",
            listviews=f"{base}/listviews",
            quickActions=f"{base}/quickActions",
            layouts=f"{base}/describe/layouts",
        )
    if instance_url:
        root = instance_url.rstrip("/")
        urls.update(
            uiDetailTemplate=f"{root}/{{ID}}",
            uiEditTemplate=f"{root}/{{ID}}/e",
            uiNewRecord=f"{root}/{obj.key_prefix}/e",
        )
    return urls


def sobject_describe(
    schema: OrgSchema, obj: ObjectDef, api_version: str, instance_url: str | None = None
) -> dict:
    """GET /services/data/vXX.X/sobjects/{S}/describe. `instance_url` adds the ui*Template urls."""
    base = _base(obj, api_version)
    result = {
        "actionOverrides": [],
        "activateable": False,
        "childRelationships": [
            _child_relationship(*entry) for entry in child_relationships(schema, obj.name)
        ],
        "compactLayoutable": obj.layoutable,
        "createable": obj.createable,
        "custom": obj.custom,
        "customSetting": False,
        "deepCloneable": obj.name in DEEP_CLONEABLE,
        "defaultImplementation": None,
        "deletable": obj.deletable,
        "deprecatedAndHidden": False,
        "extendedBy": None,
        "extendsInterfaces": None,
        "feedEnabled": obj.feed_enabled,
        "fields": [field_describe(f) for f in obj.fields],
        "hasSubtypes": False,
        "implementedBy": None,
        "implementsInterfaces": None,
        "isInterface": False,
        "isSubtype": False,
        "keyPrefix": None if obj.key_prefix == NO_KEY_PREFIX else obj.key_prefix,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "layoutable": obj.layoutable,
        "listviewable": None,
        "lookupLayoutable": None,
        "mergeable": obj.mergeable,
        "mruEnabled": _mru_enabled(obj),
        "name": obj.name,
        "namedLayoutInfos": [],
        "networkScopeFieldName": None,
        "queryable": obj.queryable,
        "recordTypeInfos": _record_type_infos(obj, base),
        "replicateable": obj.replicateable,
        "retrieveable": obj.retrieveable,
        "searchLayoutable": obj.searchable,
        "searchable": obj.searchable,
        "supportedScopes": _supported_scopes(obj),
        "triggerable": obj.triggerable,
        "undeletable": obj.undeletable,
        "updateable": obj.updateable,
        "urls": _describe_urls(obj, base, instance_url),
    }
    if _version_tuple(api_version) >= _ASSOCIATE_KEYS_SINCE:
        result.update(associateEntityType=None, associateParentEntity=None, sobjectDescribeOption="FULL")
        result = dict(sorted(result.items()))
    return result
