"""Bulk API 2.0 ingest jobs through the real simple-salesforce, plus raw-HTTP checks of wire details."""

import csv
import io

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceOperationError

JOBS = "/services/data/v59.0/jobs/ingest"


def _seed(sf: Salesforce, sobject: str, records: list[dict]) -> list[str]:
    body = {"allOrNone": True, "records": [{"attributes": {"type": sobject}, **r} for r in records]}
    return [r["id"] for r in sf.restful("composite/sobjects", method="POST", json=body)]


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _records(sf: Salesforce, soql: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "attributes"} for r in sf.query_all(soql)["records"]]


def _http(emulator, org) -> requests.Session:
    session = emulator.https_session()
    session.headers["Authorization"] = f"Bearer {org.session_id}"
    return session


def _open_job(http: requests.Session, org, **options: str) -> dict:
    body = {"operation": "insert", "object": "Account", "contentType": "CSV", **options}
    response = http.post(org.instance_url + JOBS, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _upload(http: requests.Session, org, job_id: str, data: bytes) -> requests.Response:
    return http.put(
        f"{org.instance_url}{JOBS}/{job_id}/batches", data=data, headers={"Content-Type": "text/csv"}
    )


def _close(http: requests.Session, org, job_id: str, state: str = "UploadComplete") -> dict:
    response = http.patch(f"{org.instance_url}{JOBS}/{job_id}", json={"state": state})
    assert response.status_code == 200, response.text
    return response.json()


# --- through simple-salesforce ----------------------------------------------------------------------
def test_insert_from_records_reports_the_counts(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Account.insert(records=[{"Name": "A"}, {"Name": "B"}], wait=0)
    assert {
        k: result[k] for k in ("numberRecordsProcessed", "numberRecordsFailed", "numberRecordsTotal")
    } == {
        "numberRecordsProcessed": 2,
        "numberRecordsFailed": 0,
        "numberRecordsTotal": 2,
    }


def test_insert_stores_typed_values(sf: Salesforce) -> None:
    sf.bulk2.Account.insert(
        records=[{"Name": "Acme", "NumberOfEmployees": "12", "Tier__c": "Gold;Silver"}], wait=0
    )
    assert _records(sf, "SELECT Name, NumberOfEmployees, Tier__c FROM Account") == [
        {"Name": "Acme", "NumberOfEmployees": 12, "Tier__c": "Gold;Silver"}
    ]


def test_insert_from_a_csv_file(sf: Salesforce, tmp_path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Name,Phone\nFrom File,555-0100\n", encoding="utf-8")
    (result,) = sf.bulk2.Account.insert(csv_file=str(path), wait=0)
    assert result["numberRecordsProcessed"] == 1
    assert _records(sf, "SELECT Name, Phone FROM Account") == [{"Name": "From File", "Phone": "555-0100"}]


def test_batch_size_splits_the_upload_into_jobs(sf: Salesforce) -> None:
    results = sf.bulk2.Account.insert(records=[{"Name": f"A{i}"} for i in range(5)], batch_size=2, wait=0)
    assert [r["numberRecordsProcessed"] for r in results] == [2, 2, 1]


def test_successful_records_list_ids_created_flags_and_the_original_columns(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Account.insert(records=[{"Name": "A"}, {"Name": "B"}], wait=0)
    text = sf.bulk2.Account.get_successful_records(result["job_id"])
    ids = [r["Id"] for r in _records(sf, "SELECT Id FROM Account ORDER BY Name")]
    assert text == f'"sf__Id","sf__Created","Name"\n"{ids[0]}","true","A"\n"{ids[1]}","true","B"\n'


def test_failed_records_carry_the_error_text(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Contact.insert(records=[{"FirstName": "NoLast"}], wait=0)
    assert result["numberRecordsFailed"] == 1
    assert sf.bulk2.Contact.get_failed_records(result["job_id"]) == (
        '"sf__Id","sf__Error","FirstName"\n'
        '"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --","NoLast"\n'
    )


def test_a_failed_row_leaves_the_other_rows_saved(sf: Salesforce) -> None:
    sf.bulk2.Contact.insert(records=[{"LastName": "Good"}, {"LastName": "", "FirstName": "Bad"}], wait=0)
    assert _records(sf, "SELECT LastName FROM Contact") == [{"LastName": "Good"}]


def test_unprocessed_records_of_a_completed_job_are_only_the_header(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Account.insert(records=[{"Name": "A"}], wait=0)
    assert sf.bulk2.Account.get_unprocessed_records(result["job_id"]) == '"Name"\n'


def test_update_leaves_empty_values_unchanged_and_nulls_na(sf: Salesforce) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Acme", "Phone": "555", "Website": "acme.example"}])
    sf.bulk2.Account.update(
        records=[{"Id": account_id, "Name": "Acme 2", "Phone": "", "Website": "#N/A"}], wait=0
    )
    assert _records(sf, "SELECT Name, Phone, Website FROM Account") == [
        {"Name": "Acme 2", "Phone": "555", "Website": None}
    ]


def test_update_without_an_id_fails_the_row(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Account.update(records=[{"Id": "", "Name": "X"}], wait=0)
    (failed,) = _rows(sf.bulk2.Account.get_failed_records(result["job_id"]))
    assert failed["sf__Error"] == "MISSING_ARGUMENT:Id not specified in an update call:--"


def test_upsert_by_external_id_creates_and_updates(sf: Salesforce) -> None:
    _seed(sf, "Account", [{"Name": "Old", "External_Id__c": "E1"}])
    (result,) = sf.bulk2.Account.upsert(
        records=[{"External_Id__c": "E1", "Name": "Renamed"}, {"External_Id__c": "E2", "Name": "New"}],
        external_id_field="External_Id__c",
        wait=0,
    )
    created = {
        r["External_Id__c"]: r["sf__Created"]
        for r in _rows(sf.bulk2.Account.get_successful_records(result["job_id"]))
    }
    assert created == {"E1": "false", "E2": "true"}
    assert _records(sf, "SELECT External_Id__c, Name FROM Account ORDER BY External_Id__c") == [
        {"External_Id__c": "E1", "Name": "Renamed"},
        {"External_Id__c": "E2", "Name": "New"},
    ]


def test_relationship_columns_resolve_the_parent_by_external_id(sf: Salesforce) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Parent", "External_Id__c": "P1"}])
    sf.bulk2.Contact.insert(records=[{"LastName": "Child", "Account.External_Id__c": "P1"}], wait=0)
    assert _records(sf, "SELECT AccountId FROM Contact") == [{"AccountId": account_id}]


def test_an_unknown_parent_external_id_fails_the_row(sf: Salesforce) -> None:
    (result,) = sf.bulk2.Contact.insert(
        records=[{"LastName": "Child", "Account.External_Id__c": "nope"}], wait=0
    )
    (failed,) = _rows(sf.bulk2.Contact.get_failed_records(result["job_id"]))
    assert failed["sf__Error"] == (
        "INVALID_FIELD:Foreign key external ID: nope not found for field External_Id__c in entity Account:AccountId --"
    )


def test_delete_moves_records_to_the_recycle_bin(sf: Salesforce) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Doomed"}])
    sf.bulk2.Account.delete(records=[{"Id": account_id}], wait=0)
    assert sf.query("SELECT Id FROM Account")["totalSize"] == 0
    (deleted,) = sf.query_all("SELECT Id, IsDeleted FROM Account", include_deleted=True)["records"]
    assert (deleted["Id"], deleted["IsDeleted"]) == (account_id, True)


def test_hard_delete_removes_records_from_query_all(sf: Salesforce, tmp_path) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Doomed"}])
    path = tmp_path / "ids.csv"
    path.write_text(f"Id\n{account_id}\n", encoding="utf-8")
    (result,) = sf.bulk2.Account.hard_delete(csv_file=str(path), wait=0)
    assert result["numberRecordsFailed"] == 0
    assert sf.query_all("SELECT Id FROM Account", include_deleted=True)["totalSize"] == 0


def test_deleting_a_deleted_record_fails_the_row(sf: Salesforce) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Doomed"}])
    sf.Account.delete(account_id)
    (result,) = sf.bulk2.Account.delete(records=[{"Id": account_id}], wait=0)
    (failed,) = _rows(sf.bulk2.Account.get_failed_records(result["job_id"]))
    assert failed["sf__Error"] == "ENTITY_IS_DELETED:entity is deleted:--"


def test_an_unknown_column_fails_the_job_and_the_client_raises(sf: Salesforce) -> None:
    with pytest.raises(SalesforceOperationError) as raised:
        sf.bulk2.Account.insert(records=[{"Name": "A", "Bogus__c": "x"}], wait=0)
    assert "InvalidBatch : Field name not found : Bogus__c" in str(raised.value)


def test_ingest_completes_after_the_configured_number_of_polls(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=2)
    (result,) = sf.bulk2.Account.insert(records=[{"Name": "Slow"}], wait=0)
    assert result["numberRecordsProcessed"] == 1


# --- wire details over raw HTTP ----------------------------------------------------------------------
def test_create_answers_an_open_job_with_a_relative_content_url(emulator, org) -> None:
    job = _open_job(_http(emulator, org), org)
    assert (job["state"], job["jobType"], job["contentType"]) == ("Open", "V2Ingest", "CSV")
    assert job["contentUrl"] == f"services/data/v59.0/jobs/ingest/{job['id']}/batches"


def test_upload_answers_201_with_an_empty_body(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    response = _upload(http, org, job["id"], b"Name\nAcme\n")
    assert (response.status_code, response.content) == (201, b"")


def test_upload_to_a_closed_job_is_refused(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    _upload(http, org, job["id"], b"Name\nAcme\n")
    _close(http, org, job["id"])
    response = _upload(http, org, job["id"], b"Name\nMore\n")
    assert (response.status_code, response.json()[0]["errorCode"]) == (400, "INVALIDJOBSTATE")


def test_close_answers_upload_complete_and_a_poll_answers_job_complete(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    _upload(http, org, job["id"], b"Name\nAcme\n")
    closed = _close(http, org, job["id"])
    polled = http.get(f"{org.instance_url}{JOBS}/{job['id']}").json()
    assert closed["state"] == "UploadComplete"
    assert (polled["state"], polled["numberRecordsProcessed"], polled["numberRecordsFailed"]) == (
        "JobComplete",
        1,
        0,
    )


def test_a_line_ending_mismatch_fails_the_job(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    _upload(http, org, job["id"], b"Name\r\nAcme\r\n")
    _close(http, org, job["id"])
    polled = http.get(f"{org.instance_url}{JOBS}/{job['id']}").json()
    assert (polled["state"], polled["errorMessage"]) == (
        "Failed",
        "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF",
    )


def test_crlf_and_a_pipe_delimiter_are_read_when_the_job_says_so(sf: Salesforce, emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org, lineEnding="CRLF", columnDelimiter="PIPE")
    _upload(http, org, job["id"], b'Name|Phone\r\n"Pipe | Inc"|555\r\n')
    _close(http, org, job["id"])
    assert _records(sf, "SELECT Name, Phone FROM Account") == [{"Name": "Pipe | Inc", "Phone": "555"}]


def test_aborted_job_lists_its_rows_as_unprocessed(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    _upload(http, org, job["id"], b"Name\nA\nB\n")
    aborted = _close(http, org, job["id"], "Aborted")
    unprocessed = http.get(f"{org.instance_url}{JOBS}/{job['id']}/unprocessedRecords")
    assert aborted["state"] == "Aborted"
    assert unprocessed.text == '"Name"\n"A"\n"B"\n'


def test_upsert_job_without_an_external_id_field_is_refused(emulator, org) -> None:
    http = _http(emulator, org)
    response = http.post(org.instance_url + JOBS, json={"operation": "upsert", "object": "Account"})
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": "External ID was blank for Account. An External ID must be specified for upsert.",
            "errorCode": "INVALIDJOB",
        }
    ]


def test_an_unknown_object_is_refused(emulator, org) -> None:
    response = _http(emulator, org).post(
        org.instance_url + JOBS, json={"operation": "insert", "object": "Acount"}
    )
    assert (response.status_code, response.json()) == (
        400,
        [{"message": "Unable to find object: Acount", "errorCode": "INVALIDJOB"}],
    )


def test_delete_of_a_finished_job_answers_204(emulator, org) -> None:
    http = _http(emulator, org)
    job = _open_job(http, org)
    _upload(http, org, job["id"], b"Name\nAcme\n")
    _close(http, org, job["id"])
    response = http.delete(f"{org.instance_url}{JOBS}/{job['id']}")
    assert (response.status_code, response.content) == (204, b"")
