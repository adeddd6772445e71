"""Bulk API 2.0 query jobs through the real simple-salesforce, plus raw-HTTP checks of wire details."""

import csv
import io
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceOperationError

JOBS = "/services/data/v59.0/jobs/query"


def _seed(sf: Salesforce, sobject: str, records: list[dict]) -> list[str]:
    body = {"allOrNone": True, "records": [{"attributes": {"type": sobject}, **r} for r in records]}
    return [r["id"] for r in sf.restful("composite/sobjects", method="POST", json=body)]


def _rows(page: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(page)))


def _http(emulator, org) -> requests.Session:
    session = emulator.https_session()
    session.headers["Authorization"] = f"Bearer {org.session_id}"
    return session


def _job(http: requests.Session, org, soql: str, **options: str) -> dict:
    response = http.post(org.instance_url + JOBS, json={"operation": "query", "query": soql, **options})
    assert response.status_code == 200, response.text
    return response.json()


def _results(http: requests.Session, org, job_id: str, **params: object) -> requests.Response:
    response = http.get(f"{org.instance_url}{JOBS}/{job_id}/results", params=params)
    assert response.status_code == 200, response.text
    return response


# --- through simple-salesforce ----------------------------------------------------------------------
def test_query_pages_hold_every_row_exactly_once(sf: Salesforce) -> None:
    _seed(sf, "Account", [{"Name": f"Acct {i}"} for i in range(5)])
    pages = list(sf.bulk2.Account.query("SELECT Name FROM Account ORDER BY Name", max_records=2, wait=0))
    assert [[r["Name"] for r in _rows(p)] for p in pages] == [
        ["Acct 0", "Acct 1"],
        ["Acct 2", "Acct 3"],
        ["Acct 4"],
    ]


def test_query_values_use_the_csv_formats(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_clock(org.org_id, "2024-01-02T03:04:05.678Z")
    _seed(sf, "Account", [{"Name": "Acme", "NumberOfEmployees": 7}])
    (page,) = sf.bulk2.Account.query(
        "SELECT Name, NumberOfEmployees, CreatedDate, IsDeleted, Phone FROM Account", wait=0
    )
    assert page == (
        '"Name","NumberOfEmployees","CreatedDate","IsDeleted","Phone"\n'
        '"Acme","7","2024-01-02T03:04:05.678Z","false",""\n'
    )


def test_query_columns_follow_the_select_order_with_parent_paths(sf: Salesforce) -> None:
    (account_id,) = _seed(sf, "Account", [{"Name": "Parent"}])
    _seed(sf, "Contact", [{"LastName": "Child", "AccountId": account_id}])
    (page,) = sf.bulk2.Contact.query("SELECT LastName, Account.Name, Id FROM Contact", wait=0)
    assert page.splitlines()[0] == '"LastName","Account.Name","Id"'
    assert _rows(page)[0]["Account.Name"] == "Parent"


def test_query_leaves_out_deleted_rows(sf: Salesforce) -> None:
    kept, gone = _seed(sf, "Account", [{"Name": "Kept"}, {"Name": "Gone"}])
    sf.Account.delete(gone)
    (page,) = sf.bulk2.Account.query("SELECT Id FROM Account", wait=0)
    assert [r["Id"] for r in _rows(page)] == [kept]


def test_query_all_includes_deleted_rows(sf: Salesforce) -> None:
    _, gone = _seed(sf, "Account", [{"Name": "Kept"}, {"Name": "Gone"}])
    sf.Account.delete(gone)
    (page,) = sf.bulk2.Account.query_all("SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone'", wait=0)
    assert _rows(page) == [{"Id": gone, "IsDeleted": "true"}]


def test_download_writes_one_file_per_page(sf: Salesforce, tmp_path) -> None:
    _seed(sf, "Account", [{"Name": f"Acct {i}"} for i in range(3)])
    results = sf.bulk2.Account.download(
        "SELECT Name FROM Account ORDER BY Name", str(tmp_path), max_records=2, wait=0
    )
    assert [r["number_of_records"] for r in results] == [2, 1]
    names = [[row["Name"] for row in _rows(Path(r["file"]).read_text(encoding="utf-8"))] for r in results]
    assert names == [["Acct 0", "Acct 1"], ["Acct 2"]]


def test_query_of_no_rows_gives_one_page_with_the_header(sf: Salesforce) -> None:
    pages = list(sf.bulk2.Account.query("SELECT Id, Name FROM Account WHERE Name = 'nobody'", wait=0))
    assert pages == ['"Id","Name"\n']


def test_query_completes_after_the_configured_number_of_polls(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=2)
    _seed(sf, "Account", [{"Name": "Slow"}])
    (page,) = sf.bulk2.Account.query("SELECT Name FROM Account", wait=0)
    assert _rows(page) == [{"Name": "Slow"}]


def test_bad_soql_is_a_400_with_the_soql_error(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        list(sf.bulk2.Account.query("SELECT Nme FROM Account", wait=0))
    (error,) = raised.value.content
    assert error["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Nme' on entity 'Account'" in error["message"]


@pytest.mark.parametrize(
    ("soql", "message"),
    [
        ("SELECT Name FROM Account GROUP BY Name", "GROUP BY is not supported by the Bulk API"),
        ("SELECT COUNT() FROM Account", "Aggregate queries are not supported by the Bulk API"),
        ("SELECT MAX(Name) FROM Account", "Aggregate queries are not supported by the Bulk API"),
        ("SELECT Name FROM Account OFFSET 5", "OFFSET is not supported by the Bulk API"),
        ("SELECT BillingAddress FROM Account", "Selecting compound data not supported in Bulk Query"),
    ],
)
def test_queries_bulk_cannot_run_are_rejected_with_the_reason(
    sf: Salesforce, soql: str, message: str
) -> None:
    with pytest.raises(SalesforceMalformedRequest) as raised:
        list(sf.bulk2.Account.query(soql, wait=0))
    assert raised.value.content == [{"message": message, "errorCode": "FUNCTIONALITY_NOT_ENABLED"}]


def test_an_aborted_job_makes_the_client_raise(sf: Salesforce, emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=1)
    client = sf.bulk2.Account._client
    job = client.create_job("query", "SELECT Id FROM Account")
    client.abort_job(job["id"], True)
    with pytest.raises(SalesforceOperationError, match="Job failure"):
        client.wait_for_job(job["id"], True, 0)


# --- wire details over raw HTTP ----------------------------------------------------------------------
def test_create_answers_the_job_info_in_state_upload_complete(emulator, org) -> None:
    job = _job(_http(emulator, org), org, "SELECT Id FROM Account")
    assert list(job) == [
        "id", "operation", "object", "createdById", "createdDate", "systemModstamp", "state",
        "concurrencyMode", "contentType", "apiVersion", "lineEnding", "columnDelimiter",
    ]  # fmt: skip
    assert (job["id"][:3], job["state"], job["object"], job["apiVersion"]) == (
        "750",
        "UploadComplete",
        "Account",
        59.0,
    )
    assert job["createdDate"].endswith("+0000")


def test_poll_answers_job_complete_with_the_record_count(sf: Salesforce, emulator, org) -> None:
    _seed(sf, "Account", [{"Name": "A"}, {"Name": "B"}])
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Id FROM Account")
    info = http.get(f"{org.instance_url}{JOBS}/{job['id']}").json()
    assert (info["state"], info["jobType"], info["numberRecordsProcessed"]) == ("JobComplete", "V2Query", 2)


def test_every_page_starts_with_the_header_row(sf: Salesforce, emulator, org) -> None:
    _seed(sf, "Account", [{"Name": "A"}, {"Name": "B"}, {"Name": "C"}])
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Name FROM Account ORDER BY Name")
    first = _results(http, org, job["id"], maxRecords=2)
    second = _results(http, org, job["id"], maxRecords=2, locator=first.headers["Sforce-Locator"])
    assert (first.text, second.text) == ('"Name"\n"A"\n"B"\n', '"Name"\n"C"\n')


def test_page_headers_count_records_and_end_with_a_null_locator(sf: Salesforce, emulator, org) -> None:
    _seed(sf, "Account", [{"Name": "A"}, {"Name": "B"}, {"Name": "C"}])
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Name FROM Account")
    first = _results(http, org, job["id"], maxRecords=2)
    last = _results(http, org, job["id"], maxRecords=2, locator=first.headers["Sforce-Locator"])
    assert (first.headers["Sforce-NumberOfRecords"], first.headers["Sforce-Locator"]) == ("2", "Mg")
    assert (last.headers["Sforce-NumberOfRecords"], last.headers["Sforce-Locator"]) == ("1", "null")
    assert last.headers["Content-Type"].startswith("text/csv")


def test_a_locator_can_be_fetched_again(sf: Salesforce, emulator, org) -> None:
    _seed(sf, "Account", [{"Name": "A"}, {"Name": "B"}, {"Name": "C"}])
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Name FROM Account ORDER BY Name")
    first = _results(http, org, job["id"], maxRecords=1).headers["Sforce-Locator"]
    again = [_results(http, org, job["id"], maxRecords=1, locator=first).text for _ in range(2)]
    assert again == ['"Name"\n"B"\n', '"Name"\n"B"\n']


@pytest.mark.parametrize(
    ("delimiter", "line_ending", "expected"),
    [
        ("COMMA", "CRLF", '"Name","NumberOfEmployees"\r\n"Acme","5"\r\n'),
        ("TAB", "LF", '"Name"\t"NumberOfEmployees"\n"Acme"\t"5"\n'),
        ("PIPE", "LF", '"Name"|"NumberOfEmployees"\n"Acme"|"5"\n'),
        ("SEMICOLON", "LF", '"Name";"NumberOfEmployees"\n"Acme";"5"\n'),
        ("CARET", "CRLF", '"Name"^"NumberOfEmployees"\r\n"Acme"^"5"\r\n'),
        ("BACKQUOTE", "LF", '"Name"`"NumberOfEmployees"\n"Acme"`"5"\n'),
    ],
)
def test_results_honour_the_delimiter_and_line_ending(
    sf: Salesforce,
    emulator,
    org,
    delimiter: str,
    line_ending: str,
    expected: str,
) -> None:
    _seed(sf, "Account", [{"Name": "Acme", "NumberOfEmployees": 5}])
    http = _http(emulator, org)
    job = _job(
        http,
        org,
        "SELECT Name, NumberOfEmployees FROM Account",
        columnDelimiter=delimiter,
        lineEnding=line_ending,
    )
    assert _results(http, org, job["id"]).text == expected


def test_a_page_larger_than_one_piece_streams_every_row_once_in_order(sf: Salesforce, emulator, org) -> None:
    # More rows than process.CHUNK_ROWS (5,000): the page is streamed piece by piece.
    count = 5_100
    for start in range(0, count, 200):
        _seed(sf, "Account", [{"Name": f"Acct {i:05d}"} for i in range(start, min(count, start + 200))])
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Name FROM Account", lineEnding="CRLF")
    response = _results(http, org, job["id"])
    lines = response.content.split(b"\r\n")
    assert response.headers.get("transfer-encoding") == "chunked"
    assert lines == [b'"Name"', *(f'"Acct {i:05d}"'.encode() for i in range(count)), b""]


def test_results_of_an_unfinished_job_are_refused(emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=1)
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Id FROM Account")
    response = http.get(f"{org.instance_url}{JOBS}/{job['id']}/results")
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALIDJOBSTATE"


def test_abort_answers_the_job_in_state_aborted(emulator, org) -> None:
    emulator.control.set_bulk(org.org_id, polls_until_complete=1)
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Id FROM Account")
    response = http.patch(f"{org.instance_url}{JOBS}/{job['id']}", json={"state": "Aborted"})
    assert (response.status_code, response.json()["state"]) == (200, "Aborted")


def test_delete_answers_204_and_forgets_the_job(emulator, org) -> None:
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Id FROM Account")
    deleted = http.delete(f"{org.instance_url}{JOBS}/{job['id']}")
    after = http.get(f"{org.instance_url}{JOBS}/{job['id']}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (after.status_code, after.json()[0]["errorCode"]) == (404, "NOT_FOUND")


def test_list_shows_the_org_query_jobs(emulator, org) -> None:
    http = _http(emulator, org)
    job = _job(http, org, "SELECT Id FROM Account")
    listing = http.get(org.instance_url + JOBS).json()
    assert (listing["done"], listing["nextRecordsUrl"]) == (True, None)
    assert [(j["id"], j["jobType"]) for j in listing["records"]] == [(job["id"], "V2Query")]
