"""Bulk API 1.0 through the real simple-salesforce (JSON), plus raw-HTTP checks incl. XML/CSV mode."""

import xml.etree.ElementTree as ET

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceGeneralError

ASYNC = "/services/async/59.0/job"
NS = "{http://www.force.com/2009/06/asyncapi/dataload}"


def _seed(sf: Salesforce, sobject: str, records: list[dict]) -> list[str]:
    body = {"allOrNone": True, "records": [{"attributes": {"type": sobject}, **r} for r in records]}
    return [r["id"] for r in sf.restful("composite/sobjects", method="POST", json=body)]


def _records(sf: Salesforce, soql: str, *, include_deleted: bool = False) -> list[dict]:
    found = sf.query_all(soql, include_deleted=include_deleted)["records"]
    return [{k: v for k, v in r.items() if k != "attributes"} for r in found]


def _http(emulator, org) -> requests.Session:
    session = emulator.https_session()
    session.headers["X-SFDC-Session"] = org.session_id
    return session


def _xml(response: requests.Response) -> dict[str, str]:
    return {child.tag.removeprefix(NS): child.text or "" for child in ET.fromstring(response.content)}


# --- through simple-salesforce ----------------------------------------------------------------------
def test_insert_returns_save_results_in_input_order(sf: Salesforce) -> None:
    results = sf.bulk.Contact.insert([{"LastName": "A"}, {"FirstName": "NoLast"}, {"LastName": "C"}])
    ids = [r["Id"] for r in _records(sf, "SELECT Id FROM Contact ORDER BY LastName")]
    assert results == [
        {"success": True, "created": True, "id": ids[0], "errors": []},
        {
            "success": False,
            "created": False,
            "id": None,
            "errors": [
                {
                    "statusCode": "REQUIRED_FIELD_MISSING",
                    "message": "Required fields are missing: [LastName]",
                    "fields": ["LastName"],
                }
            ],
        },
        {"success": True, "created": True, "id": ids[1], "errors": []},
    ]


def test_upsert_by_external_id_reports_created_flags(sf: Salesforce) -> None:
    _seed(sf, "Account", [{"Name": "Old", "External_Id__c": "E1"}])
    results = sf.bulk.Account.upsert(
        [{"External_Id__c": "E1", "Name": "Renamed"}, {"External_Id__c": "E2", "Name": "New"}],
        "External_Id__c",
    )
    assert [(r["success"], r["created"]) for r in results] == [(True, False), (True, True)]
    assert _records(sf, "SELECT Name FROM Account ORDER BY Name") == [{"Name": "New"}, {"Name": "Renamed"}]


def test_update_changes_the_given_fields_only(sf: Salesforce) -> None:
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Smith", "FirstName": "Ann"}])
    (result,) = sf.bulk.Contact.update([{"Id": contact_id, "FirstName": "Bea"}])
    assert result == {"success": True, "created": False, "id": contact_id, "errors": []}
    assert _records(sf, "SELECT FirstName, LastName FROM Contact") == [
        {"FirstName": "Bea", "LastName": "Smith"}
    ]


def test_delete_moves_records_to_the_recycle_bin(sf: Salesforce) -> None:
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Doomed"}])
    sf.bulk.Contact.delete([{"Id": contact_id}])
    assert _records(sf, "SELECT IsDeleted FROM Contact", include_deleted=True) == [{"IsDeleted": True}]


def test_hard_delete_removes_records_from_query_all(sf: Salesforce) -> None:
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Doomed"}])
    (result,) = sf.bulk.Contact.hard_delete([{"Id": contact_id}])
    assert result["success"] is True
    assert _records(sf, "SELECT Id FROM Contact", include_deleted=True) == []


def test_update_of_a_missing_record_fails_its_row(sf: Salesforce) -> None:
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Gone"}])
    sf.bulk.Contact.hard_delete([{"Id": contact_id}])
    (result,) = sf.bulk.Contact.update([{"Id": contact_id, "LastName": "Back"}])
    assert result["errors"] == [
        {"statusCode": "INVALID_CROSS_REFERENCE_KEY", "message": "invalid cross reference id", "fields": []}
    ]


def test_include_detailed_results_merges_the_request_into_each_result(sf: Salesforce) -> None:
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Smith"}])
    (result,) = sf.bulk.Contact.update(
        [{"Id": contact_id, "FirstName": "Bea"}], include_detailed_results=True
    )
    assert (result["success"], result["Id"], result["FirstName"]) == (True, contact_id, "Bea")


def test_query_returns_records_with_epoch_millisecond_datetimes_and_dates(
    sf: Salesforce, emulator, org
) -> None:
    emulator.control.set_clock(org.org_id, "2024-11-21T08:31:31.000Z")
    (contact_id,) = _seed(sf, "Contact", [{"LastName": "Smith", "Birthdate": "1990-01-02"}])
    assert sf.bulk.Contact.query(
        "SELECT Id, LastName, Birthdate, CreatedDate, Account.Name FROM Contact"
    ) == [
        {
            "attributes": {"type": "Contact", "url": f"/services/data/v59.0/sobjects/Contact/{contact_id}"},
            "Id": contact_id,
            "LastName": "Smith",
            "Birthdate": 631238400000,
            "CreatedDate": 1732177891000,
            "Account": None,
        }
    ]


def test_query_leaves_out_deleted_rows(sf: Salesforce) -> None:
    kept, gone = _seed(sf, "Contact", [{"LastName": "Kept"}, {"LastName": "Gone"}])
    sf.Contact.delete(gone)
    assert [r["Id"] for r in sf.bulk.Contact.query("SELECT Id FROM Contact")] == [kept]


def test_query_all_includes_deleted_rows(sf: Salesforce) -> None:
    _, gone = _seed(sf, "Contact", [{"LastName": "Kept"}, {"LastName": "Gone"}])
    sf.Contact.delete(gone)
    found = sf.bulk.Contact.query_all("SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true")
    assert [(r["Id"], r["IsDeleted"]) for r in found] == [(gone, True)]


def test_lazy_query_yields_one_list_per_result_file(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, bulk1_result_rows=2)
    _seed(sf, "Contact", [{"LastName": f"C{i}"} for i in range(5)])
    chunks = sf.bulk.Contact.query("SELECT LastName FROM Contact ORDER BY LastName", lazy_operation=True)
    assert [[r["LastName"] for r in chunk] for chunk in chunks] == [["C0", "C1"], ["C2", "C3"], ["C4"]]


def test_bad_soql_fails_the_batch_and_the_client_raises(sf: Salesforce) -> None:
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.bulk.Contact.query("SELECT Nme FROM Contact")
    assert raised.value.content.startswith(
        "InvalidBatch : Failed to process query: INVALID_FIELD: \nSELECT Nme FROM Contact\n       ^\n"
    )
    assert "No such column 'Nme' on entity 'Contact'" in raised.value.content


def test_aggregate_query_fails_the_batch(sf: Salesforce) -> None:
    with pytest.raises(SalesforceGeneralError) as raised:
        sf.bulk.Contact.query("SELECT COUNT() FROM Contact")
    assert raised.value.content == (
        "InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: "
        "Aggregate queries are not supported by the Bulk API"
    )


def test_batches_complete_after_the_configured_number_of_polls(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=1)
    _seed(sf, "Contact", [{"LastName": "Slow"}])
    assert [r["LastName"] for r in sf.bulk.Contact.query("SELECT LastName FROM Contact", wait=0)] == ["Slow"]


# --- wire details over raw HTTP ----------------------------------------------------------------------
def test_create_job_answers_201_and_accepts_an_integer_concurrency_mode(emulator, org) -> None:
    body = {"operation": "insert", "object": "Contact", "concurrencyMode": 1, "contentType": "JSON"}
    response = _http(emulator, org).post(org.instance_url + ASYNC, json=body)
    job = response.json()
    assert response.status_code == 201
    assert (job["state"], job["concurrencyMode"], job["contentType"], job["apiVersion"]) == (
        "Open",
        "Serial",
        "JSON",
        59.0,
    )
    assert job["id"].startswith("750") and job["createdDate"].endswith("+0000")


def test_batch_progress_goes_queued_in_progress_completed(emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=1)
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "insert", "object": "Contact", "contentType": "JSON"}
    ).json()
    batch = http.post(f"{org.instance_url}{ASYNC}/{job['id']}/batch", json=[{"LastName": "X"}])
    url = f"{org.instance_url}{ASYNC}/{job['id']}/batch/{batch.json()['id']}"
    states = [batch.json()["state"], http.get(url).json()["state"], http.get(url).json()["state"]]
    assert (batch.status_code, states) == (201, ["Queued", "InProgress", "Completed"])


def test_query_result_ids_are_15_characters(emulator, org) -> None:
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "query", "object": "Contact", "contentType": "JSON"}
    ).json()
    batch = http.post(f"{org.instance_url}{ASYNC}/{job['id']}/batch", data="SELECT Id FROM Contact").json()
    (result_id,) = http.get(f"{org.instance_url}{ASYNC}/{job['id']}/batch/{batch['id']}/result").json()
    assert (len(result_id), result_id[:3]) == (15, "752")


def test_closed_job_counts_its_batches_and_records(emulator, org) -> None:
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "insert", "object": "Contact", "contentType": "JSON"}
    ).json()
    http.post(f"{org.instance_url}{ASYNC}/{job['id']}/batch", json=[{"LastName": "A"}, {"FirstName": "B"}])
    closed = http.post(f"{org.instance_url}{ASYNC}/{job['id']}", json={"state": "Closed"}).json()
    counts = (
        "state",
        "numberBatchesTotal",
        "numberBatchesCompleted",
        "numberRecordsProcessed",
        "numberRecordsFailed",
    )
    assert [closed[k] for k in counts] == ["Closed", 1, 1, 2, 1]


def test_batch_request_returns_the_original_body(emulator, org) -> None:
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "insert", "object": "Contact", "contentType": "JSON"}
    ).json()
    batch = http.post(f"{org.instance_url}{ASYNC}/{job['id']}/batch", data=b'[{"LastName":"A"}]').json()
    request = http.get(f"{org.instance_url}{ASYNC}/{job['id']}/batch/{batch['id']}/request")
    assert request.content == b'[{"LastName":"A"}]'


def test_an_unknown_job_is_an_invalid_job_error(emulator, org) -> None:
    response = _http(emulator, org).get(f"{org.instance_url}{ASYNC}/750000000000000AAA")
    assert (response.status_code, response.json()) == (
        400,
        {"exceptionCode": "InvalidJob", "exceptionMessage": "Invalid job id: 750000000000000AAA"},
    )
    assert response.headers["Content-Type"] == "application/json"


def test_an_unknown_object_is_an_invalid_job_error(emulator, org) -> None:
    body = {"operation": "insert", "object": "Contct", "contentType": "JSON"}
    response = _http(emulator, org).post(org.instance_url + ASYNC, json=body)
    assert (response.status_code, response.json()) == (
        400,
        {"exceptionCode": "InvalidJob", "exceptionMessage": "Unable to find object: Contct"},
    )


def test_adding_a_batch_to_a_closed_job_is_refused(emulator, org) -> None:
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "insert", "object": "Contact", "contentType": "JSON"}
    ).json()
    http.post(f"{org.instance_url}{ASYNC}/{job['id']}", json={"state": "Closed"})
    response = http.post(f"{org.instance_url}{ASYNC}/{job['id']}/batch", json=[{"LastName": "A"}])
    assert (response.status_code, response.json()["exceptionCode"]) == (400, "InvalidJobState")


# --- CSV jobs: XML control documents, CSV data (tap-salesforce, CumulusCI) ------------------------------
def test_csv_query_job_answers_batches_in_xml_and_results_in_csv(sf: Salesforce, emulator, org) -> None:
    _seed(sf, "Contact", [{"LastName": "Smith", "FirstName": "Ann"}])
    http = _http(emulator, org)
    job = http.post(
        org.instance_url + ASYNC, json={"operation": "queryAll", "object": "Contact", "contentType": "CSV"}
    )
    job_id = job.json()["id"]
    added = http.post(
        f"{org.instance_url}{ASYNC}/{job_id}/batch",
        data="SELECT FirstName, LastName FROM Contact",
        headers={"Content-Type": "text/csv"},
    )
    batch_id = _xml(added)["id"]
    polled = http.get(
        f"{org.instance_url}{ASYNC}/{job_id}/batch/{batch_id}", headers={"Content-Type": "application/json"}
    )
    listing = ET.fromstring(http.get(f"{org.instance_url}{ASYNC}/{job_id}/batch/{batch_id}/result").content)
    (result_id,) = [r.text for r in listing.iter(f"{NS}result")]
    result = http.get(f"{org.instance_url}{ASYNC}/{job_id}/batch/{batch_id}/result/{result_id}")
    assert (added.status_code, _xml(added)["state"], _xml(polled)["state"]) == (201, "Queued", "Completed")
    assert list(_xml(polled))[:3] == ["id", "jobId", "state"]
    assert result.text == '"FirstName","LastName"\n"Ann","Smith"\n'


def test_csv_query_with_no_rows_says_so(emulator, org) -> None:
    http = _http(emulator, org)
    job_id = http.post(
        org.instance_url + ASYNC, json={"operation": "query", "object": "Contact", "contentType": "CSV"}
    ).json()["id"]
    batch_id = _xml(http.post(f"{org.instance_url}{ASYNC}/{job_id}/batch", data="SELECT Id FROM Contact"))[
        "id"
    ]
    listing = ET.fromstring(http.get(f"{org.instance_url}{ASYNC}/{job_id}/batch/{batch_id}/result").content)
    (result_id,) = [r.text for r in listing.iter(f"{NS}result")]
    result = http.get(f"{org.instance_url}{ASYNC}/{job_id}/batch/{batch_id}/result/{result_id}")
    assert result.text == "Records not found for this query"


def test_xml_csv_upsert_job_answers_xml_and_csv_results(emulator, org) -> None:
    http = _http(emulator, org)
    xml_headers = {"Content-Type": "application/xml; charset=UTF-8"}
    created = http.post(
        org.instance_url + ASYNC,
        data=(
            '<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>upsert</operation>'
            "<object>Contact</object><externalIdFieldName>Id</externalIdFieldName>"
            "<concurrencyMode>Parallel</concurrencyMode><contentType>CSV</contentType></jobInfo>"
        ),
        headers=xml_headers,
    )
    job = _xml(created)
    batch = _xml(
        http.post(
            f"{org.instance_url}{ASYNC}/{job['id']}/batch",
            data='"FirstName","LastName","Id"\r\n"Ann","Smith",""\r\n"Bo","",""\r\n',
            headers={"Content-Type": "text/csv"},
        )
    )
    results = http.get(
        f"{org.instance_url}{ASYNC}/{job['id']}/batch/{batch['id']}/result", headers=xml_headers
    )
    assert (created.status_code, job["state"], job["externalIdFieldName"], job["contentType"]) == (
        201,
        "Open",
        "Id",
        "CSV",
    )
    lines = results.text.splitlines()
    assert lines[0] == '"Id","Success","Created","Error"'
    assert lines[1].startswith('"003') and lines[1].endswith('","true","true",""')
    assert (
        lines[2]
        == '"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"'
    )


def test_xml_errors_for_xml_requests(emulator, org) -> None:
    response = _http(emulator, org).get(
        f"{org.instance_url}{ASYNC}/750000000000000AAA", headers={"Content-Type": "application/xml"}
    )
    assert (response.status_code, _xml(response)) == (
        400,
        {"exceptionCode": "InvalidJob", "exceptionMessage": "Invalid job id: 750000000000000AAA"},
    )
