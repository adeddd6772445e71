"""The standard catalog and org definitions: objects, prefixes, field types, required fields, validation."""

import pytest

from sf_emulator.store.catalog import (
    DEMO_ORG,
    OrgDefinition,
    build_schema,
    cursor_field,
    load_org_definition,
    standard_objects,
)
from sf_emulator.store.catalog.relationships import EXTERNAL_OBJECTS
from sf_emulator.store.schema import ALL_TYPES

# The standard collections of the classic warehouse connectors, plus the two objects clients probe.
CONNECTOR_OBJECTS = {
    "Account", "AccountContactRole", "AccountTag", "Campaign", "CampaignMember", "CampaignShare", "CampaignTag",
    "Case", "CaseComment", "CaseContactRole", "CaseSolution", "CaseTag", "Contact", "ContactTag", "Contract",
    "ContractTag", "Dashboard", "DashboardTag", "Document", "DocumentTag", "Event", "EventTag", "Group", "Lead",
    "LeadTag", "Name", "Note", "NoteTag", "Opportunity", "OpportunityCompetitor", "OpportunityContactRole",
    "OpportunityFieldHistory", "OpportunityLineItem", "OpportunityLineItemSchedule", "OpportunityStage",
    "OpportunityTag", "Period", "Pricebook2", "PricebookEntry", "Product2", "Profile", "Solution", "SolutionTag",
    "Task", "TaskTag", "User", "UserLogin", "UserRole",
}  # fmt: skip

REQUIRED_ON_CREATE = {
    "Account": {"Name"},
    "Contact": {"LastName"},
    "Lead": {"LastName", "Company"},
    "Opportunity": {"Name", "StageName", "CloseDate"},
    "Case": set(),
    "OpportunityContactRole": {"OpportunityId", "ContactId"},
}

# Objects that truly lack SystemModstamp in a real org, and what an incremental sync uses instead.
WITHOUT_SYSTEM_MODSTAMP = {
    "CampaignShare": "LastModifiedDate",
    "OpportunityFieldHistory": "CreatedDate",
    "UserLogin": "LastModifiedDate",
    "Name": None,
}


@pytest.fixture(scope="module")
def catalog():
    return {obj.name: obj for obj in standard_objects()}


@pytest.fixture(scope="module")
def demo():
    return build_schema(DEMO_ORG)


def test_catalog_holds_the_connector_objects_organization_and_record_type(catalog):
    assert set(catalog) == CONNECTOR_OBJECTS | {"Organization", "RecordType"}


def test_key_prefixes_are_unique_three_character_codes(demo):
    prefixes = [obj.key_prefix for obj in demo]
    assert len(prefixes) == len(set(prefixes))
    assert all(len(p) == 3 and p.isalnum() for p in prefixes)


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Account", "001"), ("Contact", "003"), ("Opportunity", "006"), ("Campaign", "701"), ("CampaignMember", "00v"),
        ("Case", "500"), ("User", "005"), ("OpportunityContactRole", "00K"), ("UserRole", "00E"),
        ("Organization", "00D"), ("Lead", "00Q"), ("Event", "00U"), ("Task", "00T"), ("OpportunityLineItem", "00k"),
        ("Product2", "01t"), ("Pricebook2", "01s"), ("PricebookEntry", "01u"), ("RecordType", "012"), ("Note", "002"),
        ("Contract", "800"), ("Group", "00G"), ("Profile", "00e"), ("Document", "015"), ("Dashboard", "01Z"),
        ("Solution", "501"), ("CaseComment", "00a"), ("Period", "026"), ("OpportunityStage", "01J"),
        ("UserLogin", "0Yw"), ("OpportunityFieldHistory", "017"), ("AccountContactRole", "02Z"),
        ("CaseContactRole", "03j"), ("CaseSolution", "010"), ("OpportunityCompetitor", "00J"),
        ("OpportunityLineItemSchedule", "00o"), ("CampaignShare", "08s"),
    ],
)  # fmt: skip
def test_real_key_prefixes(catalog, name, prefix):
    assert catalog[name].key_prefix == prefix


def test_every_reference_target_exists_or_is_a_declared_external_object(demo):
    names = {obj.name for obj in demo}
    missing = {
        (obj.name, f.name, target)
        for obj in demo
        for f in obj.fields
        for target in f.reference_to
        if target not in names and target not in EXTERNAL_OBJECTS
    }
    assert missing == set()


def test_every_field_type_a_sync_must_handle_occurs(demo):
    present = {f.type for obj in demo for f in obj.fields}
    # `long` is a valid describe type that no standard object of this catalog uses.
    assert present == ALL_TYPES - {"long"}


@pytest.mark.parametrize("name", sorted(REQUIRED_ON_CREATE))
def test_required_fields_match_the_real_describes(catalog, name):
    assert {f.name for f in catalog[name].fields if f.required_on_create} == REQUIRED_ON_CREATE[name]


def test_name_object_is_not_queryable(catalog):
    assert catalog["Name"].queryable is False


def test_activity_lookups_are_polymorphic(catalog):
    for activity in ("Task", "Event"):
        assert catalog[activity].require_field("WhoId").reference_to == ("Contact", "Lead")
        assert {"Account", "Opportunity", "Case"} <= set(
            catalog[activity].require_field("WhatId").reference_to
        )


@pytest.mark.parametrize("name", ["Lead", "Case", "Task"])
def test_queue_ownable_objects_are_owned_by_users_or_groups(catalog, name):
    assert catalog[name].require_field("OwnerId").reference_to == ("Group", "User")


def test_audit_user_fields_reference_user(catalog):
    targets = {
        f.reference_to
        for obj in catalog.values()
        for f in obj.fields
        if f.name in ("CreatedById", "LastModifiedById")
    }
    assert targets == {("User",)}


def test_objects_without_system_modstamp_are_the_real_ones(catalog):
    assert {n for n, obj in catalog.items() if obj.field("SystemModstamp") is None} == set(
        WITHOUT_SYSTEM_MODSTAMP
    )


@pytest.mark.parametrize(("name", "cursor"), sorted(WITHOUT_SYSTEM_MODSTAMP.items()))
def test_cursor_falls_back_where_system_modstamp_is_missing(catalog, name, cursor):
    assert cursor_field(catalog[name]) == cursor


def test_audit_fields_are_read_only_everywhere(catalog):
    audit = (
        "CreatedDate",
        "CreatedById",
        "LastModifiedDate",
        "LastModifiedById",
        "SystemModstamp",
        "IsDeleted",
        "Id",
    )
    writable = {
        (obj.name, f.name)
        for obj in catalog.values()
        for f in obj.fields
        if f.name in audit and (f.createable or f.updateable)
    }
    assert writable == set()


@pytest.mark.parametrize("name", ["Contact", "Lead"])
def test_person_name_is_a_read_only_compound(catalog, name):
    full_name = catalog[name].require_field("Name")
    assert (full_name.createable, full_name.updateable) == (False, False)
    assert {f.name for f in catalog[name].fields if f.compound_field_name == "Name"} == {
        "FirstName",
        "LastName",
        "Salutation",
    }


@pytest.mark.parametrize(
    ("name", "compound"),
    [
        ("Account", "BillingAddress"),
        ("Account", "ShippingAddress"),
        ("Contact", "MailingAddress"),
        ("Contact", "OtherAddress"),
        ("Lead", "Address"),
    ],
)
def test_addresses_are_compounds_of_their_components(catalog, name, compound):
    obj = catalog[name]
    assert obj.require_field(compound).type == "address"
    components = [f.name for f in obj.fields if f.compound_field_name == compound]
    assert len(components) == 8 and all(
        f.endswith(
            ("Street", "City", "State", "PostalCode", "Country", "Latitude", "Longitude", "GeocodeAccuracy")
        )
        for f in components
    )


def test_tag_objects_have_the_tag_shape(catalog):
    tag = catalog["OpportunityTag"]
    assert [f.name for f in tag.fields] == [
        "Id",
        "ItemId",
        "TagDefinitionId",
        "Name",
        "Type",
        "CreatedDate",
        "SystemModstamp",
        "IsDeleted",
    ]
    assert tag.require_field("ItemId").reference_to == ("Opportunity",)
    assert tag.require_field("Name").length == 100


def test_description_fields_are_long_text(catalog):
    assert catalog["Account"].require_field("Description").length == 32000


def test_standard_objects_returns_a_fresh_list():
    first = standard_objects()
    first.clear()
    assert standard_objects()


# --- org definitions ------------------------------------------------------------------------------
def test_demo_definition_loads(demo):
    subscription = demo.require("Subscription__c")
    assert (subscription.key_prefix, subscription.custom) == ("a00", True)
    assert subscription.require_field("Account__c").relationship_name == "Account__r"
    assert subscription.require_field("Location__c").type == "location"


def test_demo_adds_the_product_demo_fields_to_account(demo):
    account = demo.require("Account")
    assert account.require_field("Active__c").type == "picklist"
    external = account.require_field("External_Id__c")
    assert (external.external_id, external.unique) == (True, True)
    assert account.require_field("Tier__c").type == "multipicklist"


def test_custom_fields_do_not_leak_into_the_standard_catalog(demo, catalog):
    assert catalog["Account"].field("Active__c") is None
    assert build_schema().require("Account").field("Active__c") is None


def test_custom_objects_get_prefixes_in_file_order():
    schema = build_schema({"objects": [{"name": "First__c"}, {"name": "Second__c"}]})
    assert (schema.require("First__c").key_prefix, schema.require("Second__c").key_prefix) == ("a00", "a01")


def test_custom_objects_get_the_standard_fields():
    obj = build_schema({"objects": [{"name": "Thing__c"}]}).require("Thing__c")
    assert [f.name for f in obj.fields] == [
        "Id", "OwnerId", "IsDeleted", "Name", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById",
        "SystemModstamp", "LastViewedDate", "LastReferencedDate",
    ]  # fmt: skip


def test_auto_number_name_is_system_maintained():
    obj = build_schema({"objects": [{"name": "Ticket__c", "name_field": {"type": "auto_number"}}]}).require(
        "Ticket__c"
    )
    name = obj.require_field("Name")
    assert (name.auto_number, name.createable, name.required_on_create) == (True, False, False)


def test_allow_activities_extends_the_activity_lookups(demo):
    assert "Subscription__c" in demo.require("Task").require_field("WhatId").reference_to
    assert "Subscription__c" in demo.require("Event").require_field("WhatId").reference_to


def test_load_returns_an_org_definition_for_a_dict():
    definition = load_org_definition({"fields": {"Lead": [{"name": "Score__c", "type": "double"}]}})
    assert isinstance(definition, OrgDefinition)
    assert [(target, f.name) for target, f in definition.fields] == [("Lead", "Score__c")]


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"objects": [{"name": "Sub__c", "fields": [{"name": "Plan__c", "type": "picklist", "values": ["A"], "colour": "red"}]}]},
         "object 'Sub__c', field 'Plan__c': unknown key 'colour'"),
        ({"objects": [{"name": "Sub__c", "fields": [{"name": "Plan__c", "type": "varchar"}]}]},
         "object 'Sub__c', field 'Plan__c': key 'type': unknown type 'varchar'"),
        ({"objects": [{"name": "Sub__c", "colour": "red"}]}, "object 'Sub__c': unknown key 'colour'"),
        ({"objects": [{"name": "Sub"}]}, "object 'Sub': key 'name'"),
        ({"objects": [{"label": "No name"}]}, "objects[0]: key 'name'"),
        ({"objects": [{"name": "Account__c"}], "fields": {"Acount": [{"name": "X__c", "type": "string"}]}},
         "fields of 'Acount': unknown sObject 'Acount'"),
        ({"fields": {"Account": [{"name": "Boss__c", "type": "reference", "reference_to": "Bosses__c"}]}},
         "field 'Boss__c': key 'reference_to': unknown sObject 'Bosses__c'"),
        ({"fields": {"Account": [{"name": "Kind__c", "type": "picklist"}]}}, "field 'Kind__c': key 'values'"),
        ({"fields": {"Account": [{"name": "Kind__c", "type": "picklist", "values": [True, False]}]}}, "quote it"),
        ({"fields": {"Account": [{"name": "Kind", "type": "string"}]}}, "field 'Kind': key 'name'"),
        ({"fields": {"Account": [{"name": "Size__c", "type": "string", "length": "long"}]}}, "key 'length' must be int"),
        ({"fields": {"Account": [{"name": "Name__c", "type": "string"}, {"name": "name__c", "type": "string"}]}},
         "field 'name__c': already exists"),
        ({"objects": [{"name": "Dup__c", "fields": [{"name": "Name", "type": "string"}]}]}, "field 'Name': key 'name'"),
        ({"objects": [{"name": "A__c", "key_prefix": "001"}]}, "key 'key_prefix': '001' is already used"),
        ({"fields": {"Account": [{"name": "F__c", "type": "currency", "formula": "1", "required": True}]}},
         "key 'formula'"),
        ({"tables": []}, "top level: unknown key 'tables'"),
        ({"fields": {"Account": [{"name": "Spot__c", "type": "location", "required": True}]}},
         "field 'Spot__c': unknown key 'required'"),
        ({"fields": {"Account": [{"name": "Kind__c", "type": "picklist", "values": ["A"], "restricted": "yes"}]}},
         "key 'restricted' must be bool"),
    ],
)  # fmt: skip
def test_bad_definitions_name_the_place(definition, message):
    with pytest.raises(ValueError, match="org definition") as failure:
        build_schema(definition)
    assert message in str(failure.value)


def test_fields_section_may_extend_a_custom_object_of_the_same_file():
    schema = build_schema(
        {"objects": [{"name": "Box__c"}], "fields": {"Box__c": [{"name": "Size__c", "type": "double"}]}}
    )
    assert schema.require("Box__c").fields[-1].name == "Size__c"


def test_bad_yaml_file_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("objects: [\n")
    with pytest.raises(ValueError, match="broken.yaml"):
        load_org_definition(path)
