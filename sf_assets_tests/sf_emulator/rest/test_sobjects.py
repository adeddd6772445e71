"""sObject rows: CRUD, upsert by external id, describe-driven validation, replication resources."""

from datetime import UTC, datetime, timedelta

import pytest
from simple_salesforce import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
)

from sf_emulator.store.ids import checksum_suffix


def _error(failure: pytest.ExceptionInfo) -> dict:
    return failure.value.content[0]


def test_create_returns_201_body_with_an_18_char_id(sf):
    result = sf.Account.create({"Name": "Acme"})
    assert result["success"] is True and result["errors"] == []
    record_id = result["id"]
    assert record_id.startswith("001") and len(record_id) == 18
    assert record_id[15:] == checksum_suffix(record_id[:15])


def test_get_accepts_15_char_ids(sf):
    record_id = sf.Account.create({"Name": "Acme"})["id"]
    assert sf.Account.get(record_id[:15])["Id"] == record_id


def test_get_with_field_list(sf):
    record_id = sf.Account.create({"Name": "Acme", "Industry": "Energy"})["id"]
    record = sf.Account.get(record_id, params={"fields": "Name,Industry"})
    assert list(record) == ["attributes", "Name", "Industry"]
    assert (record["Name"], record["Industry"]) == ("Acme", "Energy")


def test_update_returns_204_and_bumps_modstamps(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-01-01T00:00:00Z")
    record_id = sf.Account.create({"Name": "Acme"})["id"]
    emulator.control.set_clock(org.org_id, "2024-01-02T00:00:00Z")
    assert sf.Account.update(record_id, {"Name": "Acme 2"}) == 204
    record = sf.Account.get(record_id)
    assert record["Name"] == "Acme 2"
    assert record["LastModifiedDate"] == record["SystemModstamp"] == "2024-01-02T00:00:00.000+0000"
    assert record["CreatedDate"] == "2024-01-01T00:00:00.000+0000"


def test_delete_then_get_is_entity_is_deleted(sf):
    record_id = sf.Account.create({"Name": "Acme"})["id"]
    assert sf.Account.delete(record_id) == 204
    with pytest.raises(SalesforceResourceNotFound) as failure:
        sf.Account.get(record_id)
    assert failure.value.content == [{"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED"}]


def test_unknown_id_is_not_found(sf):
    with pytest.raises(SalesforceResourceNotFound) as failure:
        sf.Account.get("001000000000000AAA")
    assert _error(failure)["errorCode"] == "NOT_FOUND"


def test_upsert_inserts_with_201_then_updates_with_200(sf):
    assert sf.Account.upsert("External_Id__c/EXT-1", {"Name": "Upserted"}) == 201
    assert sf.Account.upsert("External_Id__c/EXT-1", {"Name": "Upserted again"}) == 200
    record = sf.Account.get_by_custom_id("External_Id__c", "EXT-1")
    assert record["Name"] == "Upserted again"
    assert sf.query("SELECT COUNT() FROM Account WHERE External_Id__c = 'EXT-1'")["totalSize"] == 1


def test_get_by_unknown_external_id_is_not_found(sf):
    with pytest.raises(SalesforceResourceNotFound):
        sf.Account.get_by_custom_id("External_Id__c", "missing")


def test_several_matches_on_a_non_unique_external_id_is_300(sf, emulator, org):
    emulator.control.add_field(
        org.org_id, "Contact", {"name": "Legacy_Id__c", "type": "string", "length": 20, "external_id": True}
    )
    sf.Contact.create({"LastName": "A", "Legacy_Id__c": "L1"})
    sf.Contact.create({"LastName": "B", "Legacy_Id__c": "L1"})
    with pytest.raises(SalesforceMoreThanOneRecord) as failure:
        sf.Contact.get_by_custom_id("Legacy_Id__c", "L1")
    assert len(failure.value.content) == 2
    assert all(url.startswith("/services/data/v59.0/sobjects/Contact/003") for url in failure.value.content)


def test_required_field_missing(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Lead.create({"FirstName": "No"})
    assert _error(failure) == {
        "message": "Required fields are missing: [LastName, Company]",
        "errorCode": "REQUIRED_FIELD_MISSING",
        "fields": ["LastName", "Company"],
    }


def test_string_too_long(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "x" * 256})
    assert _error(failure)["errorCode"] == "STRING_TOO_LONG"
    assert _error(failure)["message"].endswith("(max length=255)")
    assert _error(failure)["fields"] == ["Name"]


def test_invalid_email(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Contact.create({"LastName": "X", "Email": "not-an-email"})
    assert _error(failure)["errorCode"] == "INVALID_EMAIL_ADDRESS"
    assert _error(failure)["message"] == "Email: invalid email address: not-an-email"


def test_restricted_picklist(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Subscription__c.create({"Name": "S", "Plan__c": "Platinum"})
    assert _error(failure)["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"


def test_reference_must_exist(sf):
    account_id = sf.Account.create({"Name": "Gone"})["id"]
    sf.Account.delete(account_id)
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Contact.create({"LastName": "X", "AccountId": account_id})
    assert _error(failure)["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"


def test_reference_of_the_wrong_type_is_malformed_id(sf):
    contact_id = sf.Contact.create({"LastName": "X"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Contact.create({"LastName": "Y", "AccountId": contact_id})
    assert _error(failure)["errorCode"] == "MALFORMED_ID"


def test_duplicate_value_on_unique_external_id(sf):
    first = sf.Account.create({"Name": "A", "External_Id__c": "DUP"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "B", "External_Id__c": "DUP"})
    assert _error(failure)["errorCode"] == "DUPLICATE_VALUE"
    assert _error(failure)["message"] == f"duplicate value found: External_Id__c duplicates value on record with id: {first[:15]}"


def test_read_only_field_is_invalid_field_for_insert_update(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "A", "CreatedDate": "2020-01-01T00:00:00Z"})
    assert _error(failure)["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert _error(failure)["fields"] == ["CreatedDate"]


def test_unknown_field_on_create(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "A", "Nope__c": 1})
    assert _error(failure) == {
        "message": "No such column 'Nope__c' on sobject of type Account",
        "errorCode": "INVALID_FIELD",
        "fields": ["Nope__c"],
    }


def test_wrong_json_type_is_json_parser_error(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "A", "NumberOfEmployees": "many"})
    assert _error(failure)["errorCode"] == "JSON_PARSER_ERROR"


def test_unknown_sobject_path_is_not_found(sf):
    with pytest.raises(SalesforceResourceNotFound):
        sf.Acount.create({"Name": "A"})


def test_contact_name_is_computed(sf):
    record_id = sf.Contact.create({"FirstName": "Ada", "LastName": "Lovelace"})["id"]
    assert sf.Contact.get(record_id)["Name"] == "Ada Lovelace"


def test_address_is_a_compound_value(sf):
    record_id = sf.Account.create({"Name": "A", "BillingCity": "Paris", "BillingCountry": "France"})["id"]
    address = sf.Account.get(record_id)["BillingAddress"]
    assert address == {
        "city": "Paris",
        "country": "France",
        "geocodeAccuracy": None,
        "latitude": None,
        "longitude": None,
        "postalCode": None,
        "state": None,
        "street": None,
    }


def test_updated_and_deleted_resources(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-05-01T10:00:00Z")
    kept = sf.Account.create({"Name": "Kept"})["id"]
    removed = sf.Account.create({"Name": "Removed"})["id"]
    emulator.control.set_clock(org.org_id, "2024-05-01T11:00:00Z")
    sf.Account.delete(removed)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    end = start + timedelta(days=1)
    assert sf.Account.updated(start, end)["ids"] == [kept]
    deleted = sf.Account.deleted(start, end)
    assert deleted["deletedRecords"] == [{"id": removed, "deletedDate": "2024-05-01T11:00:00.000+0000"}]


def test_purged_records_stay_in_deleted_for_15_days(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-05-01T10:00:00Z")
    record_id = sf.Account.create({"Name": "Purge me"})["id"]
    emulator.control.mutate(org.org_id, "purge", ids=[record_id])
    start = datetime(2024, 5, 1, tzinfo=UTC)
    assert [d["id"] for d in sf.Account.deleted(start, start + timedelta(days=1))["deletedRecords"]] == [record_id]
    assert sf.query_all("SELECT Id FROM Account WHERE Name = 'Purge me'", include_deleted=True)["totalSize"] == 0
    emulator.control.advance_clock(org.org_id, 16 * 86400)
    sf = emulator.client(org, new_session=True)
    assert sf.Account.deleted(start, start + timedelta(days=20))["deletedRecords"] == []


def test_recycle_bin_empties_after_15_days(sf, emulator, org):
    record_id = sf.Account.create({"Name": "Binned"})["id"]
    sf.Account.delete(record_id)
    assert sf.query_all(f"SELECT Id FROM Account WHERE Id = '{record_id}'", include_deleted=True)["totalSize"] == 1
    emulator.control.advance_clock(org.org_id, 16 * 86400)
    sf = emulator.client(org, new_session=True)
    assert sf.query_all(f"SELECT Id FROM Account WHERE Id = '{record_id}'", include_deleted=True)["totalSize"] == 0


def test_delete_cascades_to_children_that_cascade(sf):
    account_id = sf.Account.create({"Name": "Parent"})["id"]
    opportunity_id = sf.Opportunity.create(
        {"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2024-12-31", "AccountId": account_id}
    )["id"]
    sf.Account.delete(account_id)
    assert sf.query_all(f"SELECT IsDeleted FROM Opportunity WHERE Id = '{opportunity_id}'", include_deleted=True)[
        "records"
    ][0]["IsDeleted"] is True


def test_metadata_and_describe(sf):
    assert sf.Account.metadata()["objectDescribe"]["name"] == "Account"
    describe = sf.Account.describe()
    assert describe["keyPrefix"] == "001"
    assert "Active__c" in {f["name"] for f in describe["fields"]}
    assert any(o["name"] == "Subscription__c" and o["custom"] for o in sf.describe()["sobjects"])
