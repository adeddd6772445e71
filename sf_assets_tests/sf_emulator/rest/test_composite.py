"""sObject Collections and composite, reached through simple-salesforce's `restful`."""

import pytest
from simple_salesforce import SalesforceMalformedRequest


def test_collection_create_returns_save_results_in_order(sf):
    records = [{"attributes": {"type": "Contact"}, "LastName": name} for name in ("A", "B")]
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": records})
    assert [list(r) for r in results] == [["id", "success", "errors"], ["id", "success", "errors"]]
    assert all(r["success"] for r in results)


def test_collection_partial_failure_without_all_or_none(sf):
    records = [
        {"attributes": {"type": "Contact"}, "LastName": "Good"},
        {"attributes": {"type": "Contact"}, "FirstName": "Bad"},
    ]
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": records})
    assert results[0]["success"] is True
    assert results[1] == {
        "success": False,
        "errors": [
            {"statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [LastName]", "fields": ["LastName"]}
        ],
    }
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 1


def test_collection_all_or_none_rolls_everything_back(sf):
    records = [
        {"attributes": {"type": "Contact"}, "LastName": "Good"},
        {"attributes": {"type": "Contact"}, "FirstName": "Bad"},
    ]
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": records})
    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 0


def test_collection_update_and_delete(sf):
    ids = [sf.Contact.create({"LastName": n})["id"] for n in ("A", "B")]
    updates = [{"attributes": {"type": "Contact"}, "Id": i, "Title": "CTO"} for i in ids]
    assert all(r["success"] for r in sf.restful("composite/sobjects", method="PATCH", json={"records": updates}))
    assert sf.query("SELECT COUNT() FROM Contact WHERE Title = 'CTO'")["totalSize"] == 2
    deleted = sf.restful("composite/sobjects", method="DELETE", params={"ids": ",".join(ids)})
    assert [r["id"] for r in deleted] == ids
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 0


def test_collection_upsert_reports_created(sf):
    records = [{"attributes": {"type": "Account"}, "Name": "A", "External_Id__c": "X1"}]
    first = sf.restful("composite/sobjects/Account/External_Id__c", method="PATCH", json={"records": records})
    second = sf.restful("composite/sobjects/Account/External_Id__c", method="PATCH", json={"records": records})
    assert (first[0]["created"], second[0]["created"]) == (True, False)
    assert first[0]["id"] == second[0]["id"]


def test_collection_of_more_than_200_is_refused(sf):
    records = [{"attributes": {"type": "Contact"}, "LastName": str(i)} for i in range(201)]
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.restful("composite/sobjects", method="POST", json={"records": records})
    assert failure.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_collection_retrieve(sf):
    record_id = sf.Contact.create({"LastName": "Read"})["id"]
    records = sf.restful("composite/sobjects/Contact", params={"ids": record_id, "fields": "LastName"})
    assert records[0]["LastName"] == "Read"


def test_composite_with_references(sf):
    body = {
        "allOrNone": True,
        "compositeRequest": [
            {"method": "POST", "url": "/services/data/v59.0/sobjects/Account", "referenceId": "acct", "body": {"Name": "Ref Co"}},
            {
                "method": "POST",
                "url": "/services/data/v59.0/sobjects/Contact",
                "referenceId": "contact",
                "body": {"LastName": "Ref", "AccountId": "@{acct.id}"},
            },
            {"method": "GET", "url": "/services/data/v59.0/sobjects/Account/@{acct.id}", "referenceId": "read"},
        ],
    }
    responses = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert [r["httpStatusCode"] for r in responses] == [201, 201, 200]
    assert responses[2]["body"]["Name"] == "Ref Co"
    assert set(responses[0]) == {"body", "httpHeaders", "httpStatusCode", "referenceId"}


def test_composite_all_or_none_rolls_back_on_failure(sf):
    body = {
        "allOrNone": True,
        "compositeRequest": [
            {"method": "POST", "url": "/services/data/v59.0/sobjects/Account", "referenceId": "a", "body": {"Name": "Kept?"}},
            {"method": "POST", "url": "/services/data/v59.0/sobjects/Contact", "referenceId": "c", "body": {"FirstName": "x"}},
        ],
    }
    responses = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert responses[0]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert responses[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.query("SELECT COUNT() FROM Account WHERE Name = 'Kept?'")["totalSize"] == 0
