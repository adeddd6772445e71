"""Turning ingest CSV rows into DML bodies, and error text (pure functions, no server)."""

import pytest

from sf_emulator.bulk2.csv_io import CsvInputError
from sf_emulator.bulk2.ingest import Column, error_text, map_header, row_to_record
from sf_emulator.store.errors import SalesforceError
from sf_emulator.store.schema import FieldDef, ObjectDef

CONTACT = ObjectDef(
    name="Contact",
    key_prefix="003",
    label="Contact",
    label_plural="Contacts",
    fields=(
        FieldDef("Id", "id"),
        FieldDef("LastName", "string", length=80),
        FieldDef("Phone", "phone", length=40),
        FieldDef("AccountId", "reference", reference_to=("Account",), relationship_name="Account"),
        FieldDef("OwnerId", "reference", reference_to=("User", "Group"), relationship_name="Owner"),
    ),
)


def test_headers_map_to_canonical_field_names() -> None:
    assert map_header(CONTACT, ["lastname", "Phone "], "insert") == [
        Column("lastname", "LastName"),
        Column("Phone ", "Phone"),
    ]


def test_a_dotted_header_maps_to_the_parent_relationship() -> None:
    assert map_header(CONTACT, ["Account.Ext__c"], "insert") == [
        Column("Account.Ext__c", "AccountId", "Account", None, "Ext__c")
    ]


def test_a_polymorphic_header_names_the_parent_type() -> None:
    assert map_header(CONTACT, ["User:Owner.Username"], "insert") == [
        Column("User:Owner.Username", "OwnerId", "Owner", "User", "Username")
    ]


def test_an_unknown_header_fails_the_job() -> None:
    with pytest.raises(CsvInputError, match="^InvalidBatch : Field name not found : Nope$"):
        map_header(CONTACT, ["LastName", "Nope"], "insert")


def test_a_delete_upload_must_hold_only_ids() -> None:
    with pytest.raises(CsvInputError, match="must contain only ids"):
        map_header(CONTACT, ["Id", "LastName"], "delete")


def test_empty_values_are_left_out_and_na_is_null() -> None:
    columns = map_header(CONTACT, ["LastName", "Phone", "AccountId"], "update")
    assert row_to_record(columns, ["Smith", "", "#N/A"]) == {"LastName": "Smith", "AccountId": None}


def test_a_parent_value_becomes_a_relationship_body() -> None:
    columns = map_header(CONTACT, ["Account.Ext__c", "User:Owner.Username"], "insert")
    assert row_to_record(columns, ["E1", "admin@x"]) == {
        "Account": {"Ext__c": "E1"},
        "Owner": {"Username": "admin@x", "attributes": {"type": "User"}},
    }


def test_na_in_a_parent_column_clears_the_reference() -> None:
    columns = map_header(CONTACT, ["Account.Ext__c"], "update")
    assert row_to_record(columns, ["#N/A"]) == {"AccountId": None}


def test_a_row_longer_than_the_header_is_an_error() -> None:
    with pytest.raises(SalesforceError):
        row_to_record(map_header(CONTACT, ["LastName"], "insert"), ["a", "b"])


def test_error_text_lists_the_fields_before_the_closing_dashes() -> None:
    error = SalesforceError(
        400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ["LastName"]
    )
    assert error_text(error) == "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"


def test_error_text_without_fields() -> None:
    assert (
        error_text(SalesforceError(404, "ENTITY_IS_DELETED", "entity is deleted"))
        == "ENTITY_IS_DELETED:entity is deleted:--"
    )
