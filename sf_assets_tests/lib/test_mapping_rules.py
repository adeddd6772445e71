import copy
import json

import pytest

from sf_assets.lib.catalog import CollectionsPlan, SkippedObject, SkipReason, object_spec
from sf_assets.lib.json_source import SourceMap
from sf_assets.lib.mapping import (
    Condition,
    FilterOp,
    Mapping,
    Pickup,
    PickupInterval,
    PropertyMapping,
    PropertyOp,
    Relation,
    RelationCadence,
)
from sf_assets.lib.mapping_rules import MappingError, Problem, canonical_json, parse_mapping


def field(name: str, type_: str = "string", **extra: object) -> dict:
    return {"name": name, "type": type_, "label": name, "nillable": True, **extra}


ACCOUNT = {
    "name": "Account",
    "label": "Account",
    "fields": [
        field("Id", "id", nillable=False),
        field("Name", nillable=False),
        field("Industry", "picklist"),
        field("AnnualRevenue", "currency", precision=18, scale=0),
        field("NumberOfEmployees", "int"),
        field("Active__c", "picklist"),
        field("IsPartner", "boolean", nillable=False),
        field("External_Id__c", externalId=True),
        field("LastActivityDate", "date"),
        field("CreatedDate", "datetime"),
        field("Blob__c", "mystery"),  # a type without a warehouse mapping: skipped by the catalog
    ],
}
CONTACT = {"name": "Contact", "label": "Contact", "fields": [field("Id", "id"), field("Email", "email")]}
PLAN = CollectionsPlan(
    objects=(object_spec(ACCOUNT, table="accounts"), object_spec(CONTACT, table="contacts")),
    skipped=(SkippedObject("AccountTag", "account_tags", SkipReason.NOT_IN_ORG),),
)
CATALOGS = {"sfdc_prod": PLAN}
INSTANCES = ("sfdc_prod", "sfdc_eu")

COMPANIES = {
    "name": "companies",
    "source": {"instance": "sfdc_prod", "object": "Account"},
    "group_type": "company",
    "group_name_field": "Id",
    "properties": [
        {"field": "Name", "property": "Name"},
        {"field": "Industry", "property": "Industry", "op": "set"},
        {"field": "AnnualRevenue", "property": "Annual Revenue"},
        {"field": "Active__c", "property": "Active Status", "op": "unset"},
    ],
}


def document(**changes: object) -> dict:
    """A valid mapping with one relation; `changes` replace (or, with None, remove) relation keys."""
    relation = copy.deepcopy(COMPANIES)
    for key, value in changes.items():
        if value is None:
            relation.pop(key)
        else:
            relation[key] = value
    return {"version": 1, "relations": [relation]}


def text_of(doc: dict) -> str:
    return json.dumps(doc, indent=2)


def parse(text: str, **options: object) -> tuple[Mapping, list[Problem]]:
    return parse_mapping(
        text,
        source="mappings/groups.json",
        catalogs=options.get("catalogs", CATALOGS),
        instances=options.get("instances", INSTANCES),
        catalog_errors=options.get("catalog_errors"),
    )


def problems_of(text: str, **options: object) -> list[Problem]:
    with pytest.raises(MappingError) as info:
        parse(text, **options)
    return info.value.problems


def the_error(doc: dict | str) -> tuple[Problem, str]:
    """The one error of a document, and the document's text (to look lines up in)."""
    text = doc if isinstance(doc, str) else text_of(doc)
    errors = [p for p in problems_of(text) if p.severity == "error"]
    assert len(errors) == 1, errors
    return errors[0], text


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


# --- a valid mapping -------------------------------------------------------------------------------------
def test_a_valid_mapping_parses_with_defaults():
    mapping, warnings = parse(text_of(document()))
    assert warnings == []
    assert mapping == Mapping(
        relations=(
            Relation(
                name="companies",
                instance="sfdc_prod",
                sobject="Account",
                group_type="company",
                group_name_field="Id",
                properties=(
                    PropertyMapping("Name", "Name", PropertyOp.SET),
                    PropertyMapping("Industry", "Industry", PropertyOp.SET),
                    PropertyMapping("AnnualRevenue", "Annual Revenue", PropertyOp.SET),
                    PropertyMapping("Active__c", "Active Status", PropertyOp.UNSET),
                ),
                create_unseen_groups=True,
                filter=(),
                pickup=Pickup(PickupInterval.WEEKLY),
                cadence=RelationCadence.DAILY,
            ),
        )
    )


def test_fields_and_objects_are_matched_case_insensitively_and_take_the_catalog_spelling():
    doc = document(
        source={"instance": "sfdc_prod", "table": "ACCOUNTS"},
        group_name_field="id",
        properties=[{"field": "active__C", "property": "Active Status"}],
        filter=[{"field": "isPARTNER", "op": "equals", "value": True}],
    )
    relation = parse(text_of(doc))[0].relations[0]
    assert (relation.sobject, relation.group_name_field) == ("Account", "Id")
    assert relation.properties == (PropertyMapping("Active__c", "Active Status"),)
    assert relation.filter == (Condition("IsPartner", FilterOp.EQUALS, True),)


def test_every_option_is_read():
    doc = document(
        create_unseen_groups=False,
        filter=[
            {"field": "Industry", "op": "in", "value": ["Energy", "Banking"]},
            {"field": "NumberOfEmployees", "op": "not_equals", "value": 0},
            {"field": "LastActivityDate", "op": "is_null", "value": False},
            {"field": "Name", "op": "not_in", "value": ["Test"]},
        ],
        pickup={"interval": "every_n_days", "every_days": 3},
        cadence="hourly",
    )
    relation = parse(text_of(doc))[0].relations[0]
    assert relation.create_unseen_groups is False
    assert relation.filter == (
        Condition("Industry", FilterOp.IN, ("Energy", "Banking")),
        Condition("NumberOfEmployees", FilterOp.NOT_EQUALS, 0),
        Condition("LastActivityDate", FilterOp.IS_NULL, False),
        Condition("Name", FilterOp.NOT_IN, ("Test",)),
    )
    assert relation.pickup == Pickup(PickupInterval.EVERY_N_DAYS, 3)
    assert relation.pickup.days == 3
    assert relation.cadence == RelationCadence.HOURLY


def test_an_empty_list_of_relations_is_a_valid_mapping():
    assert parse('{"version": 1, "relations": []}') == (Mapping(relations=()), [])


# --- canonical export ------------------------------------------------------------------------------------
CANONICAL = """{
  "version": 1,
  "relations": [
    {
      "name": "companies",
      "source": {"instance": "sfdc_prod", "object": "Account"},
      "group_type": "company",
      "group_name_field": "Id",
      "properties": [
        {"field": "Name", "property": "Name", "op": "set"},
        {"field": "Industry", "property": "Industry", "op": "set"},
        {"field": "AnnualRevenue", "property": "Annual Revenue", "op": "set"},
        {"field": "Active__c", "property": "Active Status", "op": "unset"}
      ],
      "create_unseen_groups": true,
      "filter": [
        {"field": "Industry", "op": "in", "value": ["Energy", "Banking"]}
      ],
      "pickup": {"interval": "every_n_days", "every_days": 10},
      "cadence": "daily"
    }
  ]
}
"""


def test_canonical_json_writes_defaults_in_a_fixed_order():
    doc = document(
        source={"instance": "sfdc_prod", "table": "accounts"},
        pickup={"every_days": 10, "interval": "every_n_days"},
        filter=[{"value": ["Energy", "Banking"], "op": "in", "field": "industry"}],
    )
    assert canonical_json(parse(text_of(doc))[0]) == CANONICAL


def test_canonical_json_reads_back_to_the_same_mapping_and_bytes():
    mapping = parse(CANONICAL)[0]
    assert canonical_json(mapping) == CANONICAL
    assert parse(canonical_json(mapping))[0] == mapping


def test_canonical_json_of_no_relations():
    assert canonical_json(Mapping(relations=())) == '{\n  "version": 1,\n  "relations": []\n}\n'


def test_canonical_json_keeps_non_ascii_property_names():
    doc = document(properties=[{"field": "Name", "property": "Nom de l’entreprise"}])
    assert '"property": "Nom de l’entreprise"' in canonical_json(parse(text_of(doc))[0])


# --- the error message ------------------------------------------------------------------------------------
def test_the_error_lists_every_problem_with_file_line_and_place_and_says_what_to_do():
    doc = document(group_type="", properties=[{"field": "Nmae", "property": "Name"}])
    with pytest.raises(MappingError) as info:
        parse(text_of(doc))
    text = text_of(doc)
    group_type_line, field_line = line_of(text, '"group_type"'), line_of(text, '"Nmae"')
    assert str(info.value).splitlines() == [
        "mappings/groups.json: the group-property mapping is invalid (2 errors); fix every one, then "
        "check again with `sf-assets mapping validate mappings/groups.json`:",
        f"  mappings/groups.json:{group_type_line}: relation 'companies' › group_type: "
        'must be a non-empty string, e.g. "company"; got ""',
        f"  mappings/groups.json:{field_line}: relation 'companies' › properties[0] (Nmae) › "
        "field: no field 'Nmae' on Account in the catalog snapshot (did you mean 'Name'?); if it is new in "
        "the org, run `sf-assets catalog refresh`",
    ]


def test_invalid_json_gives_line_and_column():
    problems = problems_of('{\n  "version": 1,\n  "relations": [\n    {"name": "x",}\n  ]\n}\n')
    assert problems == [
        Problem(
            "error",
            "JSON",
            4,
            "not valid JSON: Expecting property name enclosed in double quotes (line 4, column 18)",
        )
    ]


def test_nan_is_not_json():
    doc = text_of(document(filter=[{"field": "AnnualRevenue", "op": "equals", "value": 1}])).replace(
        '"value": 1', '"value": NaN'
    )
    error, text = the_error(doc)
    assert (error.where, error.line) == (
        "relation 'companies' › filter[0] (AnnualRevenue) › value",
        line_of(text, "NaN"),
    )
    assert error.message == "NaN is not a JSON value (use a number or null)"


def test_a_duplicate_key_is_an_error():
    text = '{\n  "version": 1,\n  "version": 1,\n  "relations": []\n}\n'
    error, _ = the_error(text)
    assert error == Problem("error", "version", 3, "duplicate key 'version': give each key once")


# --- one test per rule -----------------------------------------------------------------------------------
def test_the_document_must_be_an_object():
    assert the_error("[]")[0] == Problem("error", "mapping", 1, "must be a JSON object, got a list")


def test_version_and_relations_are_required():
    problems = problems_of("{}")
    assert [p.message for p in problems] == [
        "missing 'version': 1",
        'missing \'relations\': a list of relations, e.g. [{"name": "companies", ...}]',
    ]


def test_version_must_be_1():
    error, text = the_error({"version": 2, "relations": []})
    assert (error.where, error.line) == ("version", line_of(text, '"version"'))
    assert error.message == "must be 1 (this sf_assets reads version 1); got 2"


def test_relations_must_be_a_list():
    error, _ = the_error({"version": 1, "relations": {"companies": {}}})
    assert (error.where, error.line, error.message) == (
        "relations",
        3,
        "must be a list of relations, got an object",
    )


def test_unknown_top_level_key():
    error, text = the_error({"version": 1, "relations": [], "relation": []})
    assert (error.where, error.line) == ("relation", line_of(text, '"relation"'))
    assert error.message == "unknown key 'relation' (allowed: version, relations) (did you mean 'relations'?)"


def test_unknown_relation_key():
    doc = document()
    doc["relations"][0]["group_typ"] = "x"
    error, text = the_error(doc)
    assert (error.where, error.line) == ("relation 'companies' › group_typ", line_of(text, '"group_typ"'))
    assert error.message.startswith("unknown key 'group_typ' (allowed: name, source, group_type,")
    assert error.message.endswith("(did you mean 'group_type'?)")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("name", "missing 'name': a lowercase identifier, e.g. \"companies\""),
        ("source", 'missing \'source\': {"instance": "<configured instance>", "object": "Account"}'),
        ("group_type", "missing 'group_type': the Amplitude group type, e.g. \"company\""),
        (
            "group_name_field",
            "missing 'group_name_field': the Salesforce field whose value is the group value, e.g. \"Id\"",
        ),
        (
            "properties",
            'missing \'properties\': a list of {"field": "<Salesforce field>", "property": "<Amplitude property>"}',
        ),
    ],
)
def test_required_relation_keys(key, message):
    error, text = the_error(document(**{key: None}))
    where = "relations[0]" if key == "name" else "relation 'companies'"
    assert (error.where, error.line, error.message) == (where, line_of(text, '"relations"') + 1, message)


def test_relation_must_be_an_object():
    error, text = the_error({"version": 1, "relations": ["companies"]})
    assert (error.where, error.line, error.message) == (
        "relations[0]",
        line_of(text, '"companies"'),
        "must be a JSON object, got a string",
    )


def test_relation_name_must_be_a_lowercase_identifier():
    error, text = the_error(document(name="Top Companies"))
    assert (error.where, error.line) == ("relation 'Top Companies' › name", line_of(text, '"name"'))
    assert error.message == (
        "must be a lowercase identifier (letters a-z, digits and _, starting with a letter), "
        'e.g. "companies"; got "Top Companies"'
    )


def test_relation_names_are_unique():
    doc = document()
    doc["relations"].append(copy.deepcopy(doc["relations"][0]))
    error, text = the_error(doc)
    assert (error.where, error.line) == ("relation 'companies' › name", line_of(text, '"name"', 2))
    first = line_of(text, '"name"') - 1
    assert error.message == (
        f"relation name 'companies' is already used by relations[0] (line {first}); "
        "each relation needs its own name (it is the payload asset's key)"
    )


def test_source_instance_must_be_configured():
    error, text = the_error(document(source={"instance": "sfdc_prd", "object": "Account"}))
    assert (error.where, error.line) == (
        "relation 'companies' › source.instance",
        line_of(text, '"instance"'),
    )
    assert error.message == (
        '"sfdc_prd" is not an instance of the project config (configured: sfdc_prod, sfdc_eu) '
        "(did you mean 'sfdc_prod'?)"
    )


def test_source_instance_needs_a_catalog_snapshot():
    error, _ = the_error(document(source={"instance": "sfdc_eu", "object": "Account"}))
    assert error.message == (
        "no catalog snapshot for instance 'sfdc_eu' (run `sf-assets catalog refresh --instance sfdc_eu`)"
    )


def test_source_instance_catalog_error_is_shown():
    text = text_of(document(source={"instance": "sfdc_eu", "object": "Account"}))
    problems = problems_of(
        text, catalog_errors={"sfdc_eu": "catalog/sfdc_eu.json: not a valid catalog snapshot"}
    )
    assert problems[0].message == (
        "catalog/sfdc_eu.json: not a valid catalog snapshot (run `sf-assets catalog refresh --instance sfdc_eu`)"
    )


def test_source_needs_object_or_table():
    error, text = the_error(document(source={"instance": "sfdc_prod"}))
    assert (error.where, error.line) == ("relation 'companies' › source", line_of(text, '"source"'))
    assert (
        error.message
        == 'missing "object" (the Salesforce object, e.g. "Account") or "table" (e.g. "accounts")'
    )


def test_source_takes_object_or_table_not_both():
    error, _ = the_error(document(source={"instance": "sfdc_prod", "object": "Account", "table": "accounts"}))
    assert (error.where, error.message) == (
        "relation 'companies' › source.table",
        'give "object" or "table", not both',
    )


def test_source_object_must_be_in_the_snapshot():
    error, text = the_error(document(source={"instance": "sfdc_prod", "object": "Acount"}))
    assert (error.where, error.line) == ("relation 'companies' › source.object", line_of(text, '"Acount"'))
    assert error.message == (
        "no object 'Acount' in the catalog snapshot of instance 'sfdc_prod' (did you mean 'Account'?); "
        "if it is new in the org, run `sf-assets catalog refresh --instance sfdc_prod`"
    )


def test_source_table_must_be_in_the_snapshot():
    error, _ = the_error(document(source={"instance": "sfdc_prod", "table": "Account"}))
    assert error.message.startswith("no table 'Account' in the catalog snapshot of instance 'sfdc_prod'")


def test_source_object_skipped_by_the_catalog_says_why():
    error, _ = the_error(document(source={"instance": "sfdc_prod", "object": "AccountTag"}))
    assert error.message == "AccountTag is not synced by instance 'sfdc_prod': not present in the org"


def test_unknown_source_key():
    error, _ = the_error(document(source={"instance": "sfdc_prod", "object": "Account", "schema": "x"}))
    assert error.where == "relation 'companies' › source.schema"
    assert error.message == "unknown key 'schema' (allowed: instance, object, table)"


def test_group_type_must_be_a_non_empty_string():
    error, _ = the_error(document(group_type=7))
    assert (error.where, error.message) == (
        "relation 'companies' › group_type",
        'must be a non-empty string, e.g. "company"; got 7',
    )


def test_group_name_field_must_exist():
    error, text = the_error(document(group_name_field="AccountId"))
    assert (error.where, error.line) == (
        "relation 'companies' › group_name_field",
        line_of(text, '"group_name_field"'),
    )
    assert error.message.startswith("no field 'AccountId' on Account in the catalog snapshot")


def test_group_name_field_skipped_by_the_catalog_says_why():
    error, _ = the_error(document(group_name_field="Blob__c"))
    assert error.message == "Account.Blob__c is not synced: type 'mystery' has no warehouse mapping"


def test_a_property_field_must_exist():
    doc = document()
    doc["relations"][0]["properties"][2]["field"] = "AnnualRevenu"
    error, text = the_error(doc)
    assert (error.where, error.line) == (
        "relation 'companies' › properties[2] (AnnualRevenu) › field",
        line_of(text, '"AnnualRevenu"'),
    )
    assert error.message == (
        "no field 'AnnualRevenu' on Account in the catalog snapshot (did you mean 'AnnualRevenue'?); "
        "if it is new in the org, run `sf-assets catalog refresh`"
    )


def test_properties_must_not_be_empty():
    error, _ = the_error(document(properties=[]))
    assert (error.where, error.message) == (
        "relation 'companies' › properties",
        'list at least one {"field": ..., "property": ...}',
    )


def test_a_property_needs_field_and_property():
    problems = problems_of(text_of(document(properties=[{"op": "set"}])))
    assert [(p.where, p.message) for p in problems] == [
        (
            "relation 'companies' › properties[0]",
            "missing 'field': a Salesforce field API name, e.g. \"Industry\"",
        ),
        (
            "relation 'companies' › properties[0]",
            "missing 'property': the Amplitude group property name, e.g. \"Industry\"",
        ),
    ]


def test_a_property_name_must_not_be_blank():
    error, text = the_error(document(properties=[{"field": "Name", "property": "  "}]))
    assert (error.where, error.line) == (
        "relation 'companies' › properties[0] (Name) › property",
        line_of(text, '"  "'),
    )
    assert error.message == 'must be a non-empty property name; got "  "'


def test_a_property_op_must_be_known():
    error, _ = the_error(document(properties=[{"field": "Name", "property": "Name", "op": "setonce"}]))
    assert (error.where, error.message) == (
        "relation 'companies' › properties[0] (Name) › op",
        "must be one of set, set_once, unset, dont_sync; got \"setonce\" (did you mean 'set_once'?)",
    )


def test_unknown_property_key():
    error, _ = the_error(document(properties=[{"field": "Name", "property": "Name", "type": "number"}]))
    assert (error.where, error.message) == (
        "relation 'companies' › properties[0] (Name) › type",
        "unknown key 'type' (allowed: field, property, op)",
    )


def test_one_field_into_two_properties_is_an_error():
    doc = document(
        properties=[{"field": "Name", "property": "Name"}, {"field": "NAME", "property": "Account Name"}]
    )
    error, text = the_error(doc)
    assert (error.where, error.line) == (
        "relation 'companies' › properties[1] (NAME) › field",
        line_of(text, '"NAME"'),
    )
    first = line_of(text, '"Name"') - 1
    assert error.message == (
        f"Name is already mapped to property 'Name' by properties[0] (line {first}); "
        "a field maps to one property only"
    )


def test_two_fields_into_one_property_is_an_error():
    doc = document(
        properties=[{"field": "Name", "property": "Name"}, {"field": "Industry", "property": "Name"}]
    )
    error, text = the_error(doc)
    assert (error.where, error.line) == (
        "relation 'companies' › properties[1] (Industry) › property",
        line_of(text, '"Name"', 3),
    )
    first = line_of(text, '"Name"') - 1
    assert error.message == (
        f"property 'Name' already comes from field Name (properties[0], line {first}); "
        "two fields in one property would overwrite each other"
    )


def test_the_same_property_in_two_relations_is_fine():
    doc = document()
    other = copy.deepcopy(doc["relations"][0]) | {"name": "companies_eu"}
    doc["relations"].append(other)
    assert len(parse(text_of(doc))[0].relations) == 2


def test_create_unseen_groups_must_be_a_boolean():
    error, _ = the_error(document(create_unseen_groups="yes"))
    assert (error.where, error.message) == (
        "relation 'companies' › create_unseen_groups",
        'must be true or false; got "yes"',
    )


def test_cadence_must_be_daily_or_hourly():
    error, _ = the_error(document(cadence="every_3h"))
    assert (error.where, error.message) == (
        "relation 'companies' › cadence",
        'must be one of daily, hourly; got "every_3h"',
    )


def test_pickup_interval_must_be_known():
    error, _ = the_error(document(pickup={"interval": "weekley"}))
    assert (error.where, error.message) == (
        "relation 'companies' › pickup.interval",
        "must be one of daily, weekly, monthly, every_n_days; got \"weekley\" (did you mean 'weekly'?)",
    )


def test_pickup_needs_an_interval():
    error, _ = the_error(document(pickup={}))
    assert (error.where, error.message) == (
        "relation 'companies' › pickup",
        "missing 'interval': one of daily, weekly, monthly, every_n_days",
    )


def test_every_n_days_needs_every_days():
    error, _ = the_error(document(pickup={"interval": "every_n_days"}))
    assert (error.where, error.message) == (
        "relation 'companies' › pickup",
        'interval every_n_days needs "every_days": a whole number from 1 to 365',
    )


@pytest.mark.parametrize("every_days", [0, 366, 2.5, True, "7"])
def test_every_days_is_a_whole_number_from_1_to_365(every_days):
    error, _ = the_error(document(pickup={"interval": "every_n_days", "every_days": every_days}))
    assert (error.where, error.message) == (
        "relation 'companies' › pickup.every_days",
        f"must be a whole number from 1 to 365; got {json.dumps(every_days)}",
    )


def test_every_days_only_with_every_n_days():
    error, text = the_error(document(pickup={"interval": "monthly", "every_days": 30}))
    assert (error.where, error.line) == (
        "relation 'companies' › pickup.every_days",
        line_of(text, '"every_days"'),
    )
    assert error.message == 'only goes with "interval": "every_n_days" (this one is monthly)'


def test_filter_field_must_exist():
    error, _ = the_error(document(filter=[{"field": "Typ", "op": "equals", "value": "x"}]))
    assert error.where == "relation 'companies' › filter[0] (Typ) › field"
    assert error.message.startswith("no field 'Typ' on Account in the catalog snapshot")


def test_filter_op_must_be_known():
    error, _ = the_error(document(filter=[{"field": "Name", "op": "like", "value": "x"}]))
    assert (error.where, error.message) == (
        "relation 'companies' › filter[0] (Name) › op",
        'must be one of equals, not_equals, in, not_in, is_null; got "like"',
    )


def test_filter_needs_field_op_and_value():
    problems = problems_of(text_of(document(filter=[{"field": "Name", "op": "equals"}])))
    assert [(p.where, p.message) for p in problems] == [
        ("relation 'companies' › filter[0] (Name)", "missing 'value': the value to compare with")
    ]


@pytest.mark.parametrize(
    ("condition", "where", "message"),
    [
        (
            {"field": "Name", "op": "equals", "value": None},
            "value",
            "equals takes a string, number or boolean; got null (use is_null to match empty values)",
        ),
        (
            {"field": "Name", "op": "equals", "value": ["a"]},
            "value",
            "equals takes a string, number or boolean; got a list",
        ),
        (
            {"field": "Name", "op": "in", "value": "a"},
            "value",
            'in takes a non-empty list of values; got "a"',
        ),
        (
            {"field": "Name", "op": "not_in", "value": []},
            "value",
            "not_in takes a non-empty list of values; got []",
        ),
        (
            {"field": "Name", "op": "is_null", "value": "yes"},
            "value",
            'is_null takes true (must be empty) or false (must be set); got "yes"',
        ),
        (
            {"field": "IsPartner", "op": "equals", "value": "true"},
            "value",
            '"true" does not suit IsPartner (boolean): give true or false',
        ),
        (
            {"field": "AnnualRevenue", "op": "not_equals", "value": "1e6"},
            "value",
            '"1e6" does not suit AnnualRevenue (currency): give a number',
        ),
        (
            {"field": "NumberOfEmployees", "op": "in", "value": [10, True]},
            "value[1]",
            "true does not suit NumberOfEmployees (int): give a number",
        ),
        (
            {"field": "Industry", "op": "in", "value": ["Energy", 3]},
            "value[1]",
            "3 does not suit Industry (picklist): give a string",
        ),
        (
            {"field": "LastActivityDate", "op": "equals", "value": "31/01/2024"},
            "value",
            '"31/01/2024" does not suit LastActivityDate (date): give an ISO date such as "2024-01-31"',
        ),
        (
            {"field": "CreatedDate", "op": "equals", "value": "yesterday"},
            "value",
            '"yesterday" does not suit CreatedDate (datetime): give an ISO date-time such as "2024-01-31T12:00:00Z"',
        ),
    ],
)
def test_filter_values_must_suit_the_op_and_the_field(condition, where, message):
    error, _ = the_error(document(filter=[condition]))
    assert (error.where, error.message) == (
        f"relation 'companies' › filter[0] ({condition['field']}) › {where}",
        message,
    )


def test_at_most_five_group_types():
    doc = document()
    for n in range(1, 6):
        doc["relations"].append(copy.deepcopy(COMPANIES) | {"name": f"r{n}", "group_type": f"type {n}"})
    error, text = the_error(doc)
    assert (error.where, error.line) == ("relation 'r5' › group_type", line_of(text, '"type 5"'))
    assert error.message == (
        "group type 'type 5' would be the 6th: Amplitude allows at most 5 group types per project "
        "(already: company, type 1, type 2, type 3, type 4); reuse one of them"
    )


def test_five_group_types_are_fine():
    doc = document()
    for n in range(1, 5):
        doc["relations"].append(copy.deepcopy(COMPANIES) | {"name": f"r{n}", "group_type": f"type {n}"})
    assert len(parse(text_of(doc))[0].relations) == 5


def test_more_than_1000_properties_is_a_warning():
    wide = {
        "name": "Wide__c",
        "label": "Wide",
        "fields": [field("Id", "id")] + [field(f"F{n}__c") for n in range(1001)],
    }
    catalogs = {"sfdc_prod": CollectionsPlan(objects=(object_spec(wide),))}
    doc = document(
        source={"instance": "sfdc_prod", "object": "Wide__c"},
        properties=[{"field": f"F{n}__c", "property": f"p{n}"} for n in range(1001)],
    )
    mapping, warnings = parse(text_of(doc), catalogs=catalogs)
    assert len(mapping.relations[0].properties) == 1001
    assert warnings == [
        Problem(
            "warning",
            "relations",
            3,
            "1001 distinct properties are sent; Amplitude keeps at most 1000 group properties per project, "
            "so some may not show up (drop some, or mark them dont_sync)",
        )
    ]


def test_dont_sync_properties_do_not_count_towards_the_1000():
    wide = {
        "name": "Wide__c",
        "label": "Wide",
        "fields": [field("Id", "id")] + [field(f"F{n}__c") for n in range(1001)],
    }
    catalogs = {"sfdc_prod": CollectionsPlan(objects=(object_spec(wide),))}
    properties = [{"field": f"F{n}__c", "property": f"p{n}"} for n in range(1001)]
    properties[0]["op"] = "dont_sync"
    doc = document(source={"instance": "sfdc_prod", "object": "Wide__c"}, properties=properties)
    assert parse(text_of(doc), catalogs=catalogs)[1] == []


def test_a_non_unique_group_name_field_is_a_warning():
    text = text_of(document(group_name_field="Name"))
    mapping, warnings = parse(text)
    assert mapping.relations[0].group_name_field == "Name"
    assert warnings == [
        Problem(
            "warning",
            "relation 'companies' › group_name_field",
            line_of(text, '"group_name_field"'),
            "Name is not a unique field in Salesforce (neither the Id nor an external ID): records sharing a "
            "value become one group and overwrite each other's properties; prefer Id or a unique external "
            "ID, and run `sf-assets mapping verify` to check the data",
        )
    ]


def test_an_external_id_group_name_field_is_fine():
    assert parse(text_of(document(group_name_field="External_Id__c")))[1] == []


def test_every_problem_is_reported_at_once():
    doc = document(name="Bad Name", group_type="", cadence="weekly", pickup={"interval": "yearly"})
    doc["relations"][0]["properties"].append({"field": "Nope", "property": "Nope"})
    doc["version"] = 3
    problems = problems_of(text_of(doc))
    assert [p.where.split(" › ")[-1] for p in problems] == [
        "version",
        "name",
        "group_type",
        "field",
        "cadence",
        "pickup.interval",
    ]


# --- the line map ----------------------------------------------------------------------------------------
def test_source_map_gives_key_and_element_lines():
    text = '{\n  "a": [\n    1,\n    {"b": "x\\"y"}\n  ],\n  "c": -Infinity\n}'
    source_map = SourceMap(text)
    assert source_map.lines == {(): 1, ("a",): 2, ("a", 0): 3, ("a", 1): 4, ("a", 1, "b"): 4, ("c",): 6}
    assert source_map.line(("a", 1, "missing", 3)) == 4
