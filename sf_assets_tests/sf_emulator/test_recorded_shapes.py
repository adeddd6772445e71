"""Wire shapes compared with real Salesforce responses (CumulusCI cassettes in shared/reference).

Structure is compared, not values: the same keys at every depth and the same JSON types,
a recorded `null` matching any type (the recorded org simply had no value there).
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml


def shape(value: object) -> object:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return None
    return "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__


def assert_same_shape(recorded: object, ours: object, where: str = "$") -> None:
    if recorded is None:
        return
    if isinstance(recorded, dict):
        assert isinstance(ours, dict), f"{where}: expected an object"
        assert set(ours) == set(recorded), f"{where}: keys differ: {sorted(set(ours) ^ set(recorded))}"
        for key in recorded:
            assert_same_shape(recorded[key], ours[key], f"{where}.{key}")
    elif isinstance(recorded, list):
        assert isinstance(ours, list), f"{where}: expected a list"
        if recorded and ours:
            assert_same_shape(recorded[0], ours[0], f"{where}[0]")
    else:
        assert shape(ours) == recorded, f"{where}: {shape(ours)} != {recorded}"


def recorded_exchanges(recordings, name: str) -> list[dict]:
    document = yaml.safe_load((recordings / name).read_text())
    return [item for item in document["interactions"] if "request" in item]


def recorded_body(exchange: dict) -> object:
    return shape(json.loads(exchange["response"]["body"]["string"]))


def _first(recordings, name: str, method: str, uri_part: str) -> dict:
    for exchange in recorded_exchanges(recordings, name):
        if exchange["request"]["method"] == method and uri_part in exchange["request"]["uri"]:
            return exchange
    pytest.fail(f"{name} has no {method} {uri_part}")


def test_query_record_shape_matches_a_real_account_query(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestDatasetsE2E.test_datasets_e2e.yaml", "GET", "AccountNumber")
    soql = parse_qs(urlsplit(exchange["request"]["uri"]).query)["q"][0]
    sf.Account.create({"Name": "Shape Co", "BillingCity": "Paris", "AnnualRevenue": 10.0, "NumberOfEmployees": 5})
    assert_same_shape(recorded_body(exchange), sf.query(soql))


def test_aggregate_count_shape(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestDatasetsE2E.test_datasets_e2e.yaml", "GET", "count%28Id%29")
    sf.Account.create({"Name": "Counted"})
    assert_same_shape(recorded_body(exchange), sf.query("select count(Id) from Account"))


def test_record_count_shape(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestDatasetsE2E.test_datasets_e2e.yaml", "GET", "recordCount")
    sf.Account.create({"Name": "Counted"})
    assert_same_shape(recorded_body(exchange), sf.restful("limits/recordCount", params={"sObjects": "Account"}))


def test_create_shape(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestCompositeParallelSalesforce.test_composite_parallel_salesforce.yaml", "POST", "sobjects/Account")
    assert exchange["response"]["status"]["code"] == 201
    assert_same_shape(recorded_body(exchange), sf.Account.create({"Name": "Shape"}))


def test_collection_insert_shape(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestDatasetsE2E.test_datasets_e2e.yaml", "POST", "composite/sobjects")
    records = [{"attributes": {"type": "Account"}, "Name": "A"}, {"attributes": {"type": "Account"}, "Name": "B"}]
    assert_same_shape(recorded_body(exchange), sf.restful("composite/sobjects", method="POST", json={"records": records}))


def test_collection_upsert_shape(sf, shared_recordings):
    exchange = _first(shared_recordings, "TestUpsert.test_simple_upsert__rest.yaml", "PATCH", "composite/sobjects/Contact/Email")
    records = [{"attributes": {"type": "Contact"}, "LastName": "Up", "Email": "up@example.com"}]
    ours = sf.restful("composite/sobjects/Contact/Email", method="PATCH", json={"records": records})
    assert_same_shape(recorded_body(exchange), ours)


def test_composite_not_found_shape(sf, shared_recordings):
    exchange = recorded_exchanges(shared_recordings, "TestCompositeParallelSalesforce.test_errors.yaml")[0]
    request = json.loads(exchange["request"]["body"].replace("vxx.0", "v59.0"))
    assert_same_shape(recorded_body(exchange), sf.restful("composite", method="POST", json=request))
