"""Describe rendering compared with recorded describes of real orgs: same keys, same JSON types, same fields."""

import functools
import json
import re
from pathlib import Path

import pytest
import yaml

from sf_emulator.store.catalog import DEMO_ORG, build_schema
from sf_emulator.store.describe import (
    SOAP_TYPES,
    child_relationships,
    field_describe,
    global_describe,
    global_entry,
    sobject_describe,
)

RECORDED_OBJECTS = ["Account", "Case", "Contact", "Event", "Lead", "Opportunity", "OpportunityContactRole"]
# The recorded custom object stands for the shape of every custom object; the demo's plays its part.
CUSTOM_STAND_IN = {"Custom__c": "Subscription__c"}

# Recorded fields the catalog leaves out on purpose, with the reason.
OMITTED_FIELDS = {
    (
        "Account",
        "Primary_Contact__c",
    ): "custom field of the recording org (CumulusCI test data), not standard",
    ("Account", "ns__Description__c"): "managed-package custom field of the recording org, not standard",
    ("Account", "History__c"): "custom field of the recording org, not standard",
    ("Account", "ns__LinkedAccount__c"): "managed-package custom field of the recording org, not standard",
}
# Recordings that contradict each other; the catalog follows the object's own describe.
CONFLICTING_GLOBAL_FLAGS = {
    (
        "Event",
        "mergeable",
    ): "the recorded Event describe says false, the (older) recorded global describe true",
}
# Polymorphic lookups whose recorded referenceTo lists ~80 objects: the catalog keeps the emulated ones.
TRIMMED_REFERENCES = {("Event", "WhatId")}


@pytest.fixture(scope="module")
def schema():
    return build_schema(DEMO_ORG)


def _load(recordings: Path, name: str) -> dict:
    """The recorded describe body (a fresh copy: tests may not disturb each other's data)."""
    return json.loads(_recorded_body(recordings, name))


@functools.cache
def _recorded_body(recordings: Path, name: str) -> str:
    # Parsing the cassettes dominates this module's runtime: once per file, with libyaml when present.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(
        (recordings / f"GET_sobjects_{name}_describe.yaml").read_text("utf-8"), Loader=loader
    )
    exchange = document["interactions"][0] if "interactions" in document else document
    return exchange["response"]["body"]["string"]


def _api_version(recorded: dict) -> str:
    """The version the recording was made with ('vxx.0' in scrubbed cassettes: take a current one)."""
    found = re.search(r"/v(\d+\.\d+)/", json.dumps(recorded.get("urls", {})))
    return found.group(1) if found else "59.0"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _ours(schema, recorded_name: str, recorded: dict) -> dict:
    obj = schema.require(CUSTOM_STAND_IN.get(recorded_name, recorded_name))
    return sobject_describe(schema, obj, _api_version(recorded))


ALL_RECORDED = [*RECORDED_OBJECTS, "Custom__c"]


@pytest.mark.parametrize("name", ALL_RECORDED)
def test_top_level_keys_match_the_recording(schema, shared_recordings, name):
    recorded = _load(shared_recordings, name)
    assert sorted(_ours(schema, name, recorded)) == sorted(recorded)


@pytest.mark.parametrize("name", ALL_RECORDED)
def test_top_level_value_types_match_the_recording(schema, shared_recordings, name):
    recorded = _load(shared_recordings, name)
    ours = _ours(schema, name, recorded)
    mismatched = {
        k: (_json_type(ours[k]), _json_type(v))
        for k, v in recorded.items()
        if _json_type(ours[k]) != _json_type(v)
    }
    assert mismatched == {}


@pytest.mark.parametrize("name", ALL_RECORDED)
def test_every_field_has_exactly_the_recorded_keys(schema, shared_recordings, name):
    recorded_keys = set(_load(shared_recordings, name)["fields"][0])
    ours = _ours(schema, name, _load(shared_recordings, name))
    assert [f["name"] for f in ours["fields"] if set(f) != recorded_keys] == []


@pytest.mark.parametrize("name", ALL_RECORDED)
def test_field_value_types_match_the_recording(schema, shared_recordings, name):
    recorded = {f["name"]: f for f in _load(shared_recordings, name)["fields"]}
    ours = _ours(schema, name, _load(shared_recordings, name))
    mismatched = [
        (f["name"], key, _json_type(value), _json_type(recorded[f["name"]][key]))
        for f in ours["fields"]
        if f["name"] in recorded
        for key, value in f.items()
        if _json_type(value) != _json_type(recorded[f["name"]][key])
    ]
    assert mismatched == []


def test_picklist_entries_have_the_recorded_keys(schema, shared_recordings):
    recorded = next(f for f in _load(shared_recordings, "Account")["fields"] if f["name"] == "Industry")
    ours = field_describe(schema.require("Account").require_field("Industry"))
    assert {tuple(sorted(v)) for v in ours["picklistValues"]} == {
        tuple(sorted(recorded["picklistValues"][0]))
    }


# OpportunityContactRole's recorded children (change events, feeds) are all outside the catalog.
@pytest.mark.parametrize("name", [n for n in RECORDED_OBJECTS if n != "OpportunityContactRole"])
def test_child_relationship_entries_have_the_recorded_keys_and_types(schema, shared_recordings, name):
    recorded = _load(shared_recordings, name)["childRelationships"]
    allowed = {}
    for entry in recorded:
        for key, value in entry.items():
            allowed.setdefault(key, set()).add(_json_type(value))
    ours = sobject_describe(schema, schema.require(name), "59.0")["childRelationships"]
    assert ours, "every recorded object has children in the catalog"
    assert [e for e in ours if set(e) != set(allowed)] == []
    assert [
        (e["childSObject"], k) for e in ours for k, v in e.items() if _json_type(v) not in allowed[k]
    ] == []


@pytest.mark.parametrize("name", RECORDED_OBJECTS)
def test_child_relationships_agree_with_the_recording(schema, shared_recordings, name):
    """Where the recording and the catalog both know the child object, the relationship is the same."""
    recorded = _load(shared_recordings, name)["childRelationships"]
    recorded_children = {e["childSObject"] for e in recorded}
    catalog = {obj.name for obj in schema if not obj.custom}

    def keyed(entries):
        return {
            (e["childSObject"], e["field"], e["relationshipName"], e["cascadeDelete"], e["restrictedDelete"])
            for e in entries
        }

    ours = sobject_describe(schema, schema.require(name), "59.0")["childRelationships"]
    assert keyed(e for e in ours if e["childSObject"] in recorded_children) == keyed(
        e for e in recorded if e["childSObject"] in catalog
    )


@pytest.mark.parametrize("name", RECORDED_OBJECTS)
def test_catalog_has_the_recorded_fields_and_nothing_else(schema, shared_recordings, name):
    recorded = [
        f["name"] for f in _load(shared_recordings, name)["fields"] if (name, f["name"]) not in OMITTED_FIELDS
    ]
    ours = [f.name for f in schema.require(name).fields if not f.custom]
    assert ours == recorded


@pytest.mark.parametrize("name", RECORDED_OBJECTS)
def test_recorded_field_definitions_are_reproduced(schema, shared_recordings, name):
    compared = (
        "type", "length", "precision", "scale", "digits", "nillable", "createable", "updateable", "defaultedOnCreate",
        "defaultValue", "restrictedPicklist", "relationshipName", "compoundFieldName", "nameField", "idLookup",
        "extraTypeInfo", "filterable", "sortable", "groupable", "label", "picklistValues", "referenceTo", "soapType",
    )  # fmt: skip
    obj = schema.require(name)
    differences = []
    for recorded in _load(shared_recordings, name)["fields"]:
        if (name, recorded["name"]) in OMITTED_FIELDS:
            continue
        ours = field_describe(obj.require_field(recorded["name"]))
        for key in compared:
            if key == "referenceTo" and (name, recorded["name"]) in TRIMMED_REFERENCES:
                assert {t for t in ours[key] if not t.endswith("__c")} <= set(recorded[key])
            elif ours[key] != recorded[key]:
                differences.append((recorded["name"], key, ours[key], recorded[key]))
    assert differences == []


def test_custom_object_standard_fields_match_the_recorded_custom_object(schema, shared_recordings):
    recorded = {f["name"]: f for f in _load(shared_recordings, "Custom__c")["fields"]}
    ours = {
        f["name"]: f for f in sobject_describe(schema, schema.require("Subscription__c"), "59.0")["fields"]
    }
    for name in ("Id", "Name"):
        for key in (
            "type",
            "length",
            "nillable",
            "createable",
            "updateable",
            "defaultedOnCreate",
            "idLookup",
            "nameField",
        ):
            assert ours[name][key] == recorded[name][key], (name, key)


def test_global_describe_top_level_keys_match_the_recording(schema, shared_recordings):
    recorded = _load(shared_recordings, "Global")
    ours = global_describe(schema, "52.0")
    assert sorted(ours) == sorted(recorded)
    assert (ours["encoding"], ours["maxBatchSize"]) == ("UTF-8", 200)


def test_global_entries_have_the_recorded_keys_and_types(schema, shared_recordings):
    recorded = _load(shared_recordings, "Global")["sobjects"]
    allowed: dict[str, set[str]] = {}
    for entry in recorded:
        for key, value in entry.items():
            allowed.setdefault(key, set()).add(_json_type(value))
    ours = global_describe(schema, "52.0")["sobjects"]
    assert [e["name"] for e in ours if set(e) != set(allowed)] == []
    assert [(e["name"], k) for e in ours for k, v in e.items() if _json_type(v) not in allowed[k]] == []


def test_global_entries_agree_with_the_recording_for_shared_objects(schema, shared_recordings):
    flags = ("createable", "deletable", "queryable", "replicateable", "searchable", "undeletable", "updateable", "layoutable", "mergeable", "mruEnabled", "deepCloneable", "triggerable", "label", "labelPlural")  # fmt: skip
    recorded = {e["name"]: e for e in _load(shared_recordings, "Global")["sobjects"]}
    ours = {e["name"]: e for e in global_describe(schema, "52.0")["sobjects"]}
    differences = [
        (name, key, ours[name][key], recorded[name][key])
        for name in sorted(set(recorded) & set(ours))
        for key in flags
        if ours[name][key] != recorded[name][key] and (name, key) not in CONFLICTING_GLOBAL_FLAGS
    ]
    assert differences == []


def test_recorded_key_prefixes_are_the_catalog_prefixes(schema, shared_recordings):
    recorded = {
        e["name"]: e["keyPrefix"] for e in _load(shared_recordings, "Global")["sobjects"] if e["keyPrefix"]
    }
    assert {obj.name: obj.key_prefix for obj in schema if obj.name in recorded} == {
        name: prefix for name, prefix in recorded.items() if schema.get(name) is not None
    }


def test_global_describe_lists_every_object_sorted(schema):
    names = [e["name"] for e in global_describe(schema, "59.0")["sobjects"]]
    assert names == sorted(names, key=str.lower)
    assert set(names) == {obj.name for obj in schema}


def test_urls_carry_the_api_version(schema):
    entry = global_entry(schema.require("Account"), "v61.0")
    assert entry["urls"]["sobject"] == "/services/data/v61.0/sobjects/Account"
    assert entry["urls"]["rowTemplate"] == "/services/data/v61.0/sobjects/Account/{ID}"


def test_name_object_has_no_key_prefix_and_is_not_queryable(schema):
    entry = global_entry(schema.require("Name"), "59.0")
    assert (entry["keyPrefix"], entry["queryable"]) == (None, False)


def test_older_versions_omit_the_associate_keys(schema):
    old = sobject_describe(schema, schema.require("Account"), "48.0")
    new = sobject_describe(schema, schema.require("Account"), "59.0")
    assert set(new) - set(old) == {"associateEntityType", "associateParentEntity", "sobjectDescribeOption"}


def test_instance_url_adds_the_ui_templates(schema):
    urls = sobject_describe(schema, schema.require("Account"), "59.0", "https://emu.example")["urls"]
    assert urls["uiNewRecord"] == "https://emu.example/001/e"


def test_master_record_type_is_listed_where_record_types_apply(schema):
    infos = sobject_describe(schema, schema.require("Opportunity"), "59.0")["recordTypeInfos"]
    assert [(i["master"], i["recordTypeId"]) for i in infos] == [(True, "012000000000000AAA")]
    assert sobject_describe(schema, schema.require("OpportunityContactRole"), "59.0")["recordTypeInfos"] == []


def test_byte_length_is_three_bytes_per_character(schema):
    described = field_describe(schema.require("Account").require_field("Name"))
    assert (described["length"], described["byteLength"]) == (255, 765)


@pytest.mark.parametrize(
    ("sobject", "field", "soap_type"),
    [
        ("Account", "Id", "tns:ID"),
        ("Account", "OwnerId", "tns:ID"),
        ("Account", "Name", "xsd:string"),
        ("Account", "IsDeleted", "xsd:boolean"),
        ("Account", "NumberOfEmployees", "xsd:int"),
        ("Account", "AnnualRevenue", "xsd:double"),
        ("Contact", "Birthdate", "xsd:date"),
        ("Account", "SystemModstamp", "xsd:dateTime"),
        ("Subscription__c", "Support_Window_Start__c", "xsd:time"),
        ("Document", "Body", "xsd:base64Binary"),
        ("Account", "BillingAddress", "urn:address"),
        ("Subscription__c", "Location__c", "urn:location"),
        ("OpportunityFieldHistory", "NewValue", "xsd:anyType"),
    ],
)
def test_soap_type_follows_the_field_type(schema, sobject, field, soap_type):
    assert field_describe(schema.require(sobject).require_field(field))["soapType"] == soap_type


def test_soap_types_cover_every_non_text_type():
    assert set(SOAP_TYPES) == {
        "id", "reference", "boolean", "int", "long", "double", "currency", "percent", "date", "datetime", "time",
        "base64", "address", "location", "anyType",
    }  # fmt: skip


def test_polymorphic_lookups_are_flagged(schema):
    described = field_describe(schema.require("Task").require_field("WhoId"))
    assert (described["polymorphicForeignKey"], described["namePointing"]) == (True, True)
    assert described["referenceTo"] == ["Contact", "Lead"]


def test_formula_fields_are_calculated_and_read_only(schema):
    described = field_describe(schema.require("Subscription__c").require_field("Annual_Amount__c"))
    assert (described["calculated"], described["createable"], described["updateable"]) == (True, False, False)
    assert "Monthly_Amount__c" in described["calculatedFormula"]


def test_custom_lookup_gets_a_plural_child_relationship_name(schema):
    entries = {(c.name, f.name): n for c, f, n in child_relationships(schema, "Account")}
    assert entries[("Subscription__c", "Account__c")] == "Subscriptions__r"


def test_two_custom_lookups_to_one_parent_get_distinct_names():
    schema = build_schema(
        {
            "objects": [
                {
                    "name": "Deal__c",
                    "fields": [
                        {"name": "Buyer__c", "type": "reference", "reference_to": "Account"},
                        {"name": "Seller__c", "type": "reference", "reference_to": "Account"},
                    ],
                }
            ]
        }
    )
    names = [n for c, f, n in child_relationships(schema, "Account") if c.name == "Deal__c"]
    assert names == ["Deals__r", "Seller_Deals__r"]


def test_describe_is_json_serialisable_for_every_object(schema):
    for obj in schema:
        json.dumps(sobject_describe(schema, obj, "59.0"))
