import pytest

from sf_assets.lib.catalog import field_spec, object_spec
from sf_assets.lib.mapping import Condition, FilterOp, PropertyMapping, PropertyOp, Relation
from sf_assets.lib.mapping_checks import (
    Finding,
    RelationData,
    conversion_error,
    mapped_fields,
    soql_literal,
    verify_query,
)


def field(name: str, type_: str = "string", **extra: object) -> dict:
    return {"name": name, "type": type_, "label": name, **extra}


ACCOUNT = object_spec(
    {
        "name": "Account",
        "fields": [
            field("Id", "id"),
            field("Name"),
            field("Site"),
            field("AnnualRevenue", "currency", precision=18, scale=2),
            field("NumberOfEmployees", "int"),
            field("IsPartner", "boolean"),
            field("LastActivityDate", "date"),
            field("CreatedDate", "datetime"),
        ],
    }
)


def relation(**changes: object) -> Relation:
    base = {
        "name": "companies",
        "instance": "sfdc_prod",
        "sobject": "Account",
        "group_type": "company",
        "group_name_field": "Site",
        "properties": (
            PropertyMapping("Name", "Name"),
            PropertyMapping("AnnualRevenue", "ARR"),
            PropertyMapping("NumberOfEmployees", "Employees", PropertyOp.DONT_SYNC),
        ),
    }
    return Relation(**(base | changes))


def test_mapped_fields_are_id_group_name_and_properties_once_each():
    assert mapped_fields(relation(group_name_field="Name")) == [
        "Id",
        "Name",
        "AnnualRevenue",
        "NumberOfEmployees",
    ]


def test_verify_query_without_a_filter():
    fields = mapped_fields(relation())
    assert verify_query(relation(), ACCOUNT, fields) == (
        "SELECT Id, Site, Name, AnnualRevenue, NumberOfEmployees FROM Account"
    )


def test_verify_query_translates_every_filter_op():
    conditions = (
        Condition("Name", FilterOp.EQUALS, "O'Brien \\ Sons"),
        Condition("IsPartner", FilterOp.NOT_EQUALS, True),
        Condition("NumberOfEmployees", FilterOp.IN, (10, 20)),
        Condition("Site", FilterOp.NOT_IN, ("HQ",)),
        Condition("LastActivityDate", FilterOp.IS_NULL, True),
        Condition("AnnualRevenue", FilterOp.IS_NULL, False),
        Condition("CreatedDate", FilterOp.EQUALS, "2024-01-31T12:00:00+01:00"),
        Condition("LastActivityDate", FilterOp.NOT_EQUALS, "2024-01-31"),
    )
    assert verify_query(relation(filter=conditions), ACCOUNT, ["Id"]) == (
        "SELECT Id FROM Account WHERE Name = 'O\\'Brien \\\\ Sons' AND IsPartner != true "
        "AND NumberOfEmployees IN (10, 20) AND Site NOT IN ('HQ') AND LastActivityDate = null "
        "AND AnnualRevenue != null AND CreatedDate = 2024-01-31T11:00:00.000Z "
        "AND LastActivityDate != 2024-01-31"
    )


def test_soql_literal_of_a_naive_datetime_is_utc():
    assert soql_literal("2024-01-31T12:00:00", ACCOUNT.field("CreatedDate")) == "2024-01-31T12:00:00.000Z"


@pytest.mark.parametrize(
    ("sf_type", "value", "error"),
    [
        ("boolean", True, None),
        ("boolean", "false", None),
        ("boolean", "yes", "not a boolean"),
        ("int", 12, None),
        ("int", "12", None),
        ("int", 12.5, "not a whole number"),
        ("int", True, "not a number"),
        ("double", "1.5e3", None),
        ("double", "abc", "not a number"),
        ("double", "inf", "not a finite number"),
        ("currency", [1], "not a number"),
        ("date", "2024-01-31", None),
        ("date", "31/01/2024", "not a date"),
        ("date", 20240131, "not a date"),
        ("datetime", "2024-01-31T12:00:00.000+0000", None),
        ("datetime", "2024-01-31T12:00:00.000Z", None),
        ("datetime", "noon", "not a timestamp"),
        ("time", "12:00:00.000Z", None),
        ("time", "25:00", "not a time"),
        ("string", 42, None),
        ("string", {"city": "Paris"}, "not a plain value"),
        ("picklist", None, None),
    ],
)
def test_conversion_error(sf_type, value, error):
    assert conversion_error(field_spec("Account", field("F__c", sf_type)), value) == error


def test_relation_data_counts_empty_and_shared_group_names_with_examples():
    data = RelationData(relation(), ACCOUNT, mapped_fields(relation()))
    sites = ["HQ", None, "HQ", " ", "Plant", "HQ", "HQ", "Plant", "Lab"]
    for n, site in enumerate(sites):
        data.add(
            {"Id": f"001{n}", "Site": site, "Name": "x", "AnnualRevenue": 1.0, "NumberOfEmployees": "many"}
        )
    assert data.records == 9
    assert data.findings() == [
        Finding(True, "group name Site: 2 records with an empty value (skipped), e.g. 0011, 0013"),
        Finding(
            True,
            "group name Site: 2 values shared by several records, whose groups would overwrite each other, "
            "e.g. 'HQ' (4 records: 0010, 0012, 0015); 'Plant' (2 records: 0014, 0017)",
        ),
        # NumberOfEmployees is dont_sync: its values are never sent, so never converted.
        Finding(False, "values of 2 synced fields convert to their types"),
    ]


def test_relation_data_reports_unconvertible_and_long_values():
    data = RelationData(relation(group_name_field="Id"), ACCOUNT, ["Id", "Name", "AnnualRevenue"])
    data.add({"Id": "0010", "Name": "x" * 1025, "AnnualRevenue": "lots"})
    data.add({"Id": "0011", "Name": "ok", "AnnualRevenue": "1e400"})
    assert data.findings() == [
        Finding(False, "group name Id: 2 values, non-empty and unique"),
        Finding(True, "AnnualRevenue (currency): 1 record not a number, e.g. 0010 ('lots')"),
        Finding(True, "AnnualRevenue (currency): 1 record not a finite number, e.g. 0011 ('1e400')"),
        Finding(False, "Name: 1 record longer than 1024 characters, to be cut, e.g. 0010"),
    ]


def test_relation_data_skips_fields_that_are_not_readable():
    data = RelationData(relation(), ACCOUNT, ["Id", "Name"])
    data.add({"Id": "0010", "Name": "x"})
    assert data.findings() == [Finding(False, "values of 1 synced field convert to their types")]
