"""query, queryAll and locator paging through the real simple-salesforce."""

import pytest
from simple_salesforce import SalesforceMalformedRequest


def _create_accounts(sf, count: int, prefix: str = "Acme") -> list[str]:
    ids: list[str] = []
    for start in range(0, count, 200):
        records = [
            {"attributes": {"type": "Account"}, "Name": f"{prefix} {i:04d}"} for i in range(start, min(count, start + 200))
        ]
        results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": records})
        ids += [r["id"] for r in results]
    return ids


def test_query_all_pages_with_batch_size(sf):
    ids = _create_accounts(sf, 450)
    sf.headers["Sforce-Query-Options"] = "batchSize=200"
    first = sf.query("SELECT Id, Name FROM Account ORDER BY Name")
    assert (first["totalSize"], first["done"], len(first["records"])) == (450, False, 200)
    assert first["nextRecordsUrl"].startswith("/services/data/v59.0/query/01g")
    assert first["nextRecordsUrl"].endswith("-200")
    everything = sf.query_all("SELECT Id, Name FROM Account ORDER BY Name")
    assert [r["Id"] for r in everything["records"]] == ids


def test_default_page_is_2000_rows(sf):
    _create_accounts(sf, 2001)
    page = sf.query("SELECT Id FROM Account")
    assert (len(page["records"]), page["done"]) == (2000, False)
    last = sf.query_more(page["nextRecordsUrl"], identifier_is_url=True)
    assert (len(last["records"]), last["done"], "nextRecordsUrl" in last) == (1, True, False)


def test_query_more_by_locator_id(sf):
    _create_accounts(sf, 250)
    sf.headers["Sforce-Query-Options"] = "batchSize=200"
    first = sf.query("SELECT Id FROM Account")
    locator = first["nextRecordsUrl"].rsplit("/", 1)[1]
    second = sf.query_more(locator)
    assert len(second["records"]) == 50


def test_pages_are_a_snapshot_of_the_first_execution(sf):
    ids = _create_accounts(sf, 300)
    sf.headers["Sforce-Query-Options"] = "batchSize=200"
    first = sf.query("SELECT Id, Name FROM Account ORDER BY Name")
    sf.Account.update(ids[-1], {"Name": "Changed after the first page"})
    second = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert second["records"][-1]["Name"] == "Acme 0299"


def test_query_hides_deleted_rows_and_query_all_shows_them(sf):
    ids = _create_accounts(sf, 3)
    sf.Account.delete(ids[0])
    live = sf.query("SELECT Id FROM Account")
    everything = sf.query_all("SELECT Id, IsDeleted FROM Account", include_deleted=True)
    assert live["totalSize"] == 2
    assert {r["Id"]: r["IsDeleted"] for r in everything["records"]}[ids[0]] is True


def test_query_all_locator_keeps_deleted_rows_on_later_pages(sf):
    ids = _create_accounts(sf, 250)
    for record_id in ids[-10:]:
        sf.Account.delete(record_id)
    sf.headers["Sforce-Query-Options"] = "batchSize=200"
    result = sf.query_all("SELECT Id FROM Account", include_deleted=True)
    assert result["totalSize"] == 250


def test_count_query(sf):
    _create_accounts(sf, 5)
    assert sf.query("SELECT COUNT() FROM Account") == {"totalSize": 5, "done": True, "records": []}


def test_record_shape_has_attributes_first_and_canonical_field_case(sf):
    record_id = sf.Account.create({"Name": "Shape"})["id"]
    record = sf.query(f"SELECT name, ID FROM account WHERE id = '{record_id}'")["records"][0]
    assert list(record) == ["attributes", "Name", "Id"]
    assert record["attributes"] == {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{record_id}"}


def test_parent_relationship_fields(sf):
    account_id = sf.Account.create({"Name": "Parent Co"})["id"]
    sf.Contact.create({"LastName": "Child", "AccountId": account_id})
    sf.Contact.create({"LastName": "Orphan"})
    records = sf.query("SELECT LastName, Account.Name FROM Contact ORDER BY LastName")["records"]
    assert records[0]["Account"]["Name"] == "Parent Co"
    assert records[0]["Account"]["attributes"]["type"] == "Account"
    assert records[1]["Account"] is None


def test_datetime_literal_window_as_airbyte_sends_it(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-01-01T00:00:00Z")
    early = sf.Account.create({"Name": "Early"})["id"]
    emulator.control.set_clock(org.org_id, "2024-01-02T00:00:00Z")
    sf.Account.create({"Name": "Late"})
    soql = (
        "SELECT Id FROM Account WHERE SystemModstamp >= 2024-01-01T00:00:00.000+00:00"
        " AND SystemModstamp < 2024-01-02T00:00:00.000+00:00"
    )
    assert [r["Id"] for r in sf.query_all(soql)["records"]] == [early]


def test_datetime_values_are_utc_with_milliseconds(sf, emulator, org):
    emulator.control.set_clock(org.org_id, "2024-03-17T16:21:26.5Z")
    record_id = sf.Account.create({"Name": "Clocked"})["id"]
    record = sf.Account.get(record_id)
    assert record["CreatedDate"] == "2024-03-17T16:21:26.500+0000"
    assert record["SystemModstamp"] == record["LastModifiedDate"] == record["CreatedDate"]


def test_malformed_query_names_the_place(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query("SELECT Id FORM Account")
    error = failure.value.content[0]
    assert error["errorCode"] == "MALFORMED_QUERY"
    assert error["message"] == "\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'"


def test_unknown_field_is_invalid_field(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query("SELECT Nme FROM Account")
    assert failure.value.content[0]["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Nme' on entity 'Account'" in failure.value.content[0]["message"]


def test_name_object_is_not_queryable(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query("SELECT Id FROM Name")
    assert failure.value.content[0]["errorCode"] == "INVALID_TYPE_FOR_OPERATION"


def test_unencoded_plus_in_the_query_string_decodes_to_a_space(emulator, org):
    url = emulator.instance_url + "/services/data/v59.0/query?q=SELECT+Id+FROM+Account+WHERE+SystemModstamp+>+2024-01-01T00:00:00+00:00"
    response = emulator.https_session().get(url, headers={"Authorization": f"Bearer {org.session_id}"}, timeout=30)
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "MALFORMED_QUERY"


def test_unknown_locator_is_invalid_query_locator(sf):
    with pytest.raises(SalesforceMalformedRequest) as failure:
        sf.query_more("01g5e0000000999AAA-2000")
    assert failure.value.content == [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]
