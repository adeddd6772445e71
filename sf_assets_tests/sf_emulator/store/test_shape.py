"""Shaping stored rows into REST JSON, Bulk CSV and Bulk 1.0 JSON records."""

import pytest

from sf_emulator.store.schema import FieldDef, ObjectDef, OrgSchema
from sf_emulator.store.shape import csv_header, datetime_csv, datetime_rest, make_shaper
from sf_emulator.store.soql import compile_query, parse

ACC = "001000000000001AAA"
USR = "005000000000001AAA"
CON = "003000000000001AAA"
TSK = "00T000000000001AAA"
JAN_1_2024 = 1_704_067_200_000


@pytest.fixture(scope="module")
def schema() -> OrgSchema:
    address = [
        FieldDef(f"Billing{part}", kind, compound_field_name="BillingAddress")
        for part, kind in (
            ("Street", "string"),
            ("City", "string"),
            ("State", "string"),
            ("PostalCode", "string"),
            ("Country", "string"),
            ("Latitude", "double"),
            ("Longitude", "double"),
            ("GeocodeAccuracy", "picklist"),
        )
    ]
    account = ObjectDef(
        "Account",
        "001",
        "Account",
        "Accounts",
        (
            FieldDef("Id", "id"),
            FieldDef("Name", "string"),
            FieldDef("IsDeleted", "boolean"),
            FieldDef("NumberOfEmployees", "int"),
            FieldDef("AnnualRevenue", "currency"),
            FieldDef("CreatedDate", "datetime"),
            FieldDef("Founded__c", "date", custom=True),
            FieldDef("Opens__c", "time", custom=True),
            FieldDef("Regions__c", "multipicklist", custom=True),
            FieldDef("OwnerId", "reference", reference_to=("User",), relationship_name="Owner"),
            *address,
            FieldDef("BillingAddress", "address"),
            FieldDef("Loc__Latitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__Longitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__c", "location", custom=True),
        ),
    )
    user = ObjectDef("User", "005", "User", "Users", (FieldDef("Id", "id"), FieldDef("Name", "string")))
    contact = ObjectDef(
        "Contact",
        "003",
        "Contact",
        "Contacts",
        (
            FieldDef("Id", "id"),
            FieldDef("LastName", "string"),
            FieldDef("Name", "string"),
            FieldDef("AccountId", "reference", reference_to=("Account",), relationship_name="Account"),
        ),
    )
    task = ObjectDef(
        "Task",
        "00T",
        "Task",
        "Tasks",
        (
            FieldDef("Id", "id"),
            FieldDef("WhoId", "reference", reference_to=("Contact", "User"), relationship_name="Who"),
        ),
    )
    return OrgSchema([account, user, contact, task])


def columns(schema: OrgSchema, soql: str):
    return compile_query(parse(soql), schema, soql=soql, now_ms=0, include_deleted=False).columns


SCALARS = "SELECT Id, Name, IsDeleted, NumberOfEmployees, AnnualRevenue, CreatedDate, Founded__c, Opens__c, Regions__c FROM Account"
SCALAR_ROW = (ACC, ACC, "Acme", 1, 120, 5000000.0, JAN_1_2024 + 5, "2024-02-29", "08:30:00.000Z", "a;b")


def test_rest_scalars(schema):
    shaper = make_shaper(columns(schema, SCALARS), "rest", "59.0")
    assert shaper(SCALAR_ROW) == {
        "attributes": {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{ACC}"},
        "Id": ACC,
        "Name": "Acme",
        "IsDeleted": True,
        "NumberOfEmployees": 120,
        "AnnualRevenue": 5000000.0,
        "CreatedDate": "2024-01-01T00:00:00.005+0000",
        "Founded__c": "2024-02-29",
        "Opens__c": "08:30:00.000Z",
        "Regions__c": "a;b",
    }


def test_rest_nulls_stay_null(schema):
    shaper = make_shaper(columns(schema, SCALARS), "rest", "59.0")
    record = shaper((ACC, ACC, None, 0, None, None, None, None, None, None))
    assert [record[k] for k in list(record)[2:]] == [None, False, None, None, None, None, None, None]


def test_rest_url_carries_the_api_version(schema):
    record = make_shaper(columns(schema, "SELECT Id FROM Account"), "rest", "62.0")((ACC, ACC))
    assert record["attributes"]["url"] == f"/services/data/v62.0/sobjects/Account/{ACC}"


def test_rest_parent_record(schema):
    shaper = make_shaper(
        columns(schema, "SELECT LastName, Account.Owner.Name, Account.Name FROM Contact"), "rest", "59.0"
    )
    assert shaper((CON, "Doe", ACC, USR, "Ursula", "Acme")) == {
        "attributes": {"type": "Contact", "url": f"/services/data/v59.0/sobjects/Contact/{CON}"},
        "LastName": "Doe",
        "Account": {
            "attributes": {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{ACC}"},
            "Owner": {
                "attributes": {"type": "User", "url": f"/services/data/v59.0/sobjects/User/{USR}"},
                "Name": "Ursula",
            },
            "Name": "Acme",
        },
    }


def test_rest_missing_parent_is_null(schema):
    shaper = make_shaper(columns(schema, "SELECT Account.Name FROM Contact"), "rest", "59.0")
    assert shaper((CON, None, None))["Account"] is None


def test_rest_missing_grandparent_is_null_inside_the_parent(schema):
    shaper = make_shaper(columns(schema, "SELECT Account.Owner.Name FROM Contact"), "rest", "59.0")
    assert shaper((CON, ACC, None, None))["Account"]["Owner"] is None


def test_rest_polymorphic_parent_type_comes_from_the_row(schema):
    shaper = make_shaper(columns(schema, "SELECT Who.Name FROM Task"), "rest", "59.0")
    assert shaper((TSK, USR, "User", "Ursula"))["Who"] == {
        "attributes": {"type": "User", "url": f"/services/data/v59.0/sobjects/User/{USR}"},
        "Name": "Ursula",
    }


def test_rest_address_in_alphabetical_keys(schema):
    shaper = make_shaper(columns(schema, "SELECT BillingAddress FROM Account"), "rest", "59.0")
    # Components come in key order: city, country, geocodeAccuracy, latitude, longitude, postalCode, state, street.
    record = shaper((ACC, "Paris", "France", None, 48.85, 2.35, "75001", None, "1 Rue"))
    assert list(record["BillingAddress"].items()) == [
        ("city", "Paris"),
        ("country", "France"),
        ("geocodeAccuracy", None),
        ("latitude", 48.85),
        ("longitude", 2.35),
        ("postalCode", "75001"),
        ("state", None),
        ("street", "1 Rue"),
    ]


def test_rest_address_with_no_component_is_null(schema):
    shaper = make_shaper(columns(schema, "SELECT BillingAddress FROM Account"), "rest", "59.0")
    assert shaper((ACC, *[None] * 8))["BillingAddress"] is None


def test_rest_location(schema):
    shaper = make_shaper(columns(schema, "SELECT Loc__c FROM Account"), "rest", "59.0")
    assert shaper((ACC, 48.85, 2.35))["Loc__c"] == {"latitude": 48.85, "longitude": 2.35}


def test_rest_aggregate_row(schema):
    shaper = make_shaper(
        columns(schema, "SELECT Name, COUNT(Id), MAX(CreatedDate) latest FROM Account GROUP BY Name"),
        "rest",
        "59.0",
    )
    assert shaper(("Acme", 3, JAN_1_2024)) == {
        "attributes": {"type": "AggregateResult"},
        "Name": "Acme",
        "expr0": 3,
        "latest": "2024-01-01T00:00:00.000+0000",
    }


def test_csv_values(schema):
    shaper = make_shaper(columns(schema, SCALARS), "csv", "59.0")
    assert shaper(SCALAR_ROW) == [
        ACC,
        "Acme",
        "true",
        "120",
        "5000000.0",
        "2024-01-01T00:00:00.005Z",
        "2024-02-29",
        "08:30:00.000Z",
        "a;b",
    ]


def test_csv_nulls_are_empty(schema):
    shaper = make_shaper(columns(schema, SCALARS), "csv", "59.0")
    assert shaper((ACC, ACC, None, None, None, None, None, None, None, None)) == [ACC, *[""] * 8]


def test_csv_false_boolean(schema):
    assert make_shaper(columns(schema, "SELECT IsDeleted FROM Account"), "csv", "59.0")((ACC, 0)) == ["false"]


def test_csv_header_uses_dotted_paths(schema):
    assert csv_header(columns(schema, "SELECT Id, Account.Owner.Name FROM Contact")) == [
        "Id",
        "Account.Owner.Name",
    ]


def test_csv_relationship_values_without_parent_are_empty(schema):
    shaper = make_shaper(columns(schema, "SELECT Id, Account.Name FROM Contact"), "csv", "59.0")
    assert shaper((CON, CON, None, None)) == [CON, ""]


def test_bulk1_dates_and_datetimes_are_epoch_milliseconds(schema):
    shaper = make_shaper(
        columns(schema, "SELECT CreatedDate, Founded__c, IsDeleted FROM Account"), "bulk1", "59.0"
    )
    record = shaper((ACC, JAN_1_2024 + 5, "2024-01-01", 0))
    assert (record["CreatedDate"], record["Founded__c"], record["IsDeleted"]) == (
        JAN_1_2024 + 5,
        JAN_1_2024,
        False,
    )


def test_bulk1_null_date_stays_null(schema):
    shaper = make_shaper(columns(schema, "SELECT Founded__c FROM Account"), "bulk1", "59.0")
    assert shaper((ACC, None))["Founded__c"] is None


def test_bulk1_keeps_attributes(schema):
    record = make_shaper(columns(schema, "SELECT Id FROM Account"), "bulk1", "59.0")((ACC, ACC))
    assert record["attributes"] == {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{ACC}"}


@pytest.mark.parametrize(
    ("ms", "expected"),
    [
        (0, "1970-01-01T00:00:00.000+0000"),
        (-1, "1969-12-31T23:59:59.999+0000"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999+0000"),
        (253_402_300_799_000, "9999-12-31T23:59:59.000+0000"),
    ],
)
def test_datetime_rest_format(ms, expected):
    assert datetime_rest(ms) == expected


def test_datetime_csv_format():
    assert datetime_csv(JAN_1_2024 + 61_001) == "2024-01-01T00:01:01.001Z"
