"""The control API: faults, request counts, clock, mutations and schema drift, seen through simple-salesforce."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from simple_salesforce import (
    Salesforce,
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
)


def test_injected_503_is_served_to_the_next_matching_request_only(sf, emulator, org):
    emulator.control.add_fault(org.org_id, r"/query", status=503, error_code="SERVER_UNAVAILABLE", remaining=1)
    with pytest.raises(SalesforceGeneralError) as failure:
        sf.query("SELECT Id FROM User")
    assert failure.value.status == 503
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1


def test_injected_unable_to_lock_row(sf, emulator, org):
    emulator.control.add_fault(
        org.org_id, r"/sobjects/Account$", method="POST", status=400, error_code="UNABLE_TO_LOCK_ROW",
        message="unable to obtain exclusive access to this record",
    )
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.Account.create({"Name": "Locked"})
    assert failure.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"


def test_injected_truncated_body_breaks_json(sf, emulator, org):
    emulator.control.add_fault(org.org_id, r"/query", kind="truncate")
    with pytest.raises(ValueError, match="Expecting|Unterminated|Invalid"):
        sf.query("SELECT Id, Username, Email FROM User")


def test_injected_401_makes_simple_salesforce_log_in_again(emulator, org):
    sf = Salesforce(
        username=org.username, password=org.password, security_token=org.security_token, session=emulator.adapter_session()
    )
    emulator.control.add_fault(org.org_id, r"/query", status=401, error_code="INVALID_SESSION_ID", message="Session expired or invalid")
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1


def test_fault_rules_must_be_bounded(emulator, org):
    with pytest.raises(RuntimeError, match="at least 1"):
        emulator.control.add_fault(org.org_id, r"/query", remaining=0)


def test_request_counts_per_endpoint(sf, emulator, org):
    emulator.control.reset_requests(org.org_id)
    sf.query("SELECT Id FROM User")
    sf.Account.create({"Name": "Counted"})
    counts = emulator.control.requests(org.org_id)
    assert counts["by_endpoint"] == {
        "GET /services/data/v{version}/query": 1,
        "POST /services/data/v{version}/sobjects/{sobject}": 1,
    }
    assert counts["total"] == 2


def test_frozen_clock_gives_identical_timestamps(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-06-01T12:00:00Z", frozen=True)
    ids = [sf.Account.create({"Name": f"Same {i}"})["id"] for i in range(3)]
    stamps = {sf.Account.get(i)["SystemModstamp"] for i in ids}
    assert stamps == {"2024-06-01T12:00:00.000+0000"}


def test_touch_bumps_system_modstamp_only(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-06-01T00:00:00Z")
    record_id = sf.Account.create({"Name": "Touched"})["id"]
    emulator.control.set_clock(org.org_id, "2024-06-02T00:00:00Z")
    emulator.control.mutate(org.org_id, "touch", ids=[record_id])
    record = sf.Account.get(record_id)
    assert record["LastModifiedDate"] == "2024-06-01T00:00:00.000+0000"
    assert record["SystemModstamp"] == "2024-06-02T00:00:00.000+0000"


def test_mutate_update_by_count_picks_records_in_id_order(sf, emulator, org):
    ids = [sf.Account.create({"Name": f"N{i}"})["id"] for i in range(3)]
    touched = emulator.control.mutate(org.org_id, "update", "Account", count=2, values={"Industry": "Energy"})
    assert touched["ids"] == ids[:2]
    assert sf.query("SELECT COUNT() FROM Account WHERE Industry = 'Energy'")["totalSize"] == 2


def test_soft_delete_and_undelete(sf, emulator, org):
    record_id = sf.Account.create({"Name": "Back"})["id"]
    emulator.control.mutate(org.org_id, "soft_delete", ids=[record_id])
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0
    emulator.control.mutate(org.org_id, "undelete", ids=[record_id])
    assert sf.Account.get(record_id)["IsDeleted"] is False


def test_merge_reparents_children_and_marks_the_loser(sf, emulator, org):
    master = sf.Account.create({"Name": "Master"})["id"]
    loser = sf.Account.create({"Name": "Loser"})["id"]
    contact = sf.Contact.create({"LastName": "Kid", "AccountId": loser})["id"]
    emulator.control.mutate(org.org_id, "merge", ids=[master, loser])
    assert sf.Contact.get(contact)["AccountId"] == master
    merged = sf.query_all(f"SELECT IsDeleted, MasterRecordId FROM Account WHERE Id = '{loser}'", include_deleted=True)
    assert merged["records"][0]["IsDeleted"] is True
    assert merged["records"][0]["MasterRecordId"] == master


def test_convert_lead(sf, emulator, org):
    lead = sf.Lead.create({"LastName": "Prospect", "Company": "Prospect Inc", "Email": "p@example.com"})["id"]
    result = emulator.control.mutate(org.org_id, "convert_lead", ids=[lead])
    conversion = result["conversions"][0]
    record = sf.Lead.get(lead)
    assert record["IsConverted"] is True
    assert record["ConvertedAccountId"] == conversion["accountId"]
    assert sf.Contact.get(record["ConvertedContactId"])["Email"] == "p@example.com"


def test_new_custom_field_appears_in_describe_and_queries(sf, emulator, org):
    sf.Account.create({"Name": "Before drift"})
    emulator.control.add_field(org.org_id, "Account", {"name": "Health_Score__c", "type": "double", "precision": 5, "scale": 2})
    assert "Health_Score__c" in {f["name"] for f in sf.Account.describe()["fields"]}
    record_id = sf.Account.create({"Name": "After drift", "Health_Score__c": 97.5})["id"]
    rows = sf.query("SELECT Name, Health_Score__c FROM Account ORDER BY Name")["records"]
    assert [(r["Name"], r["Health_Score__c"]) for r in rows] == [("After drift", 97.5), ("Before drift", None)]
    assert sf.Account.get(record_id)["Health_Score__c"] == 97.5


def test_new_custom_object_is_queryable(sf, emulator, org):
    emulator.control.add_object(
        org.org_id,
        {"name": "Invoice__c", "label": "Invoice", "fields": [{"name": "Amount__c", "type": "currency", "precision": 16, "scale": 2}]},
    )
    record_id = sf.Invoice__c.create({"Name": "INV-1", "Amount__c": 12.5})["id"]
    assert sf.query("SELECT Amount__c FROM Invoice__c")["records"][0]["Amount__c"] == 12.5
    assert record_id[:3] == sf.Invoice__c.describe()["keyPrefix"]


def test_reset_empties_the_org_but_keeps_logins(sf, emulator, org):
    sf.Account.create({"Name": "Gone after reset"})
    emulator.control.reset(org.org_id)
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1


def test_too_many_long_running_requests_are_refused(sf, emulator, org):
    emulator.control.set_limits(org.org_id, max_concurrent_long_requests=1, long_request_ms=0)
    emulator.control.add_fault(org.org_id, r"/limits$", kind="delay", delay_ms=1000)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(sf.limits)
        while emulator.control.requests(org.org_id)["in_flight"] == 0:
            time.sleep(0.02)
        with pytest.raises(SalesforceRefusedRequest) as failure:
            sf.query("SELECT Id FROM User")
        assert slow.result()["DailyApiRequests"]["Max"] == 100_000
    assert failure.value.content == [
        {"message": "ConcurrentPerOrgLongTxn Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
