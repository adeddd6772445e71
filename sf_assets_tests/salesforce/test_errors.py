"""Failures mapped to typed errors: transient ones retried inside the client, the rest raised at once."""

import pytest

from sf_assets.salesforce import (
    ClientSettings,
    FunctionalityNotEnabled,
    InvalidQuery,
    ObjectNotQueryable,
    RequestLimitExceeded,
    SalesforceAuth,
    SalesforceClient,
    SalesforceRequestFailed,
    SalesforceUnavailable,
    TooManyConcurrentRequests,
)
from sf_assets.salesforce.errors import classify, wire_error

QUERY_ALL = "GET /services/data/v{version}/queryAll"
COUNT = "SELECT COUNT() FROM Account"
ATTEMPTS = 3


@pytest.fixture
def client(emulator, org) -> SalesforceClient:  # noqa: ANN001
    auth = SalesforceAuth(
        "password",
        login_url=org.login_url,
        username=org.username,
        password=org.password,
        security_token=org.security_token,
    )
    return SalesforceClient(
        auth, ClientSettings(ca_bundle=emulator.ca_bundle, max_attempts=ATTEMPTS, retry_base_seconds=0.001)
    )


def requests_to(emulator, org, endpoint: str) -> int:  # noqa: ANN001
    return emulator.control.requests(org.org_id)["by_endpoint"].get(endpoint, 0)


@pytest.mark.parametrize(
    ("status", "error_code"),
    [(503, "SERVER_UNAVAILABLE"), (500, "UNKNOWN_EXCEPTION"), (400, "UNABLE_TO_LOCK_ROW")],
)
def test_transient_errors_are_retried_then_succeed(
    emulator, org, client, status: int, error_code: str
) -> None:
    emulator.control.add_fault(org.org_id, r"/queryAll$", status=status, error_code=error_code, remaining=2)

    assert client.count(COUNT) == 0
    assert requests_to(emulator, org, QUERY_ALL) == 3


def test_transient_errors_past_max_attempts_raise_unavailable(emulator, org, client) -> None:
    emulator.control.add_fault(
        org.org_id, r"/queryAll$", status=503, error_code="SERVER_UNAVAILABLE", remaining=ATTEMPTS
    )

    with pytest.raises(SalesforceUnavailable, match=f"failed after {ATTEMPTS} attempts") as caught:
        client.count(COUNT)

    assert (caught.value.code, caught.value.status) == ("SERVER_UNAVAILABLE", 503)
    assert requests_to(emulator, org, QUERY_ALL) == ATTEMPTS


def test_json_body_cut_short_is_retried(emulator, org, client) -> None:
    emulator.control.add_fault(org.org_id, r"/sobjects/Account/describe$", kind="truncate", remaining=1)

    assert client.describe("Account")["name"] == "Account"


def test_post_is_not_retried_as_it_may_have_taken_effect(emulator, org, client) -> None:
    emulator.control.add_fault(
        org.org_id, r"/composite/sobjects$", status=503, error_code="SERVER_UNAVAILABLE"
    )
    body = {"allOrNone": True, "records": [{"attributes": {"type": "Account"}, "Name": "Acme"}]}

    with pytest.raises(SalesforceUnavailable) as caught:
        client.transport.rest("POST", "composite/sobjects", json=body)

    assert "attempts" not in str(caught.value)
    assert requests_to(emulator, org, "POST /services/data/v{version}/composite/sobjects") == 1


def test_request_limit_exceeded_carries_usage_and_is_not_retried(emulator, org, client) -> None:
    emulator.control.set_limits(org.org_id, daily_api_requests=10, used=10)

    with pytest.raises(RequestLimitExceeded) as caught:
        client.count(COUNT)

    error = caught.value
    assert (error.code, error.status, error.used, error.max) == ("REQUEST_LIMIT_EXCEEDED", 403, 10, 10)
    assert "api-usage 10/10" in str(error)
    assert requests_to(emulator, org, QUERY_ALL) == 1


@pytest.mark.parametrize(
    ("soql", "code"),
    [
        ("SELECT Id FORM Account", "MALFORMED_QUERY"),
        ("SELECT Nme FROM Account", "INVALID_FIELD"),
        ("SELECT Id FROM Acount", "INVALID_TYPE"),
    ],
)
def test_bad_soql_is_invalid_query_at_once(emulator, org, client, soql: str, code: str) -> None:
    with pytest.raises(InvalidQuery) as caught:
        list(client.query_batches(soql))

    assert (caught.value.code, caught.value.status) == (code, 400)
    assert requests_to(emulator, org, QUERY_ALL) == 1


@pytest.mark.parametrize("api", ["rest", "bulk"])
def test_object_that_cannot_be_queried(client, api: str) -> None:
    with pytest.raises(ObjectNotQueryable, match="does not support query") as caught:
        list(client.query_batches("SELECT Id FROM Name", api=api))

    assert caught.value.code == "INVALID_TYPE_FOR_OPERATION"


def test_bulk_refusing_compound_fields_says_to_use_rest(client) -> None:
    with pytest.raises(FunctionalityNotEnabled, match="api='rest'"):
        list(client.query_batches("SELECT BillingAddress FROM Account", api="bulk"))


def test_unknown_resource_is_a_request_failure(client) -> None:
    with pytest.raises(SalesforceRequestFailed) as caught:
        client.describe("Acount")

    assert (caught.value.code, caught.value.status) == ("NOT_FOUND", 404)


# --- the mapping itself, on literal wire bodies -----------------------------------------------------
SOAP_FAULT = (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    ' xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>INVALID_LOGIN</faultcode>'
    "<detail><sf:LoginFault><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>"
    "<sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage>"
    "</sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
            "INVALID_SESSION_ID",
        ),
        (b'{"error":"invalid_grant","error_description":"authentication failure"}', "invalid_grant"),
        (b'{"exceptionCode":"InvalidSessionId","exceptionMessage":"Invalid session id"}', "InvalidSessionId"),
        (SOAP_FAULT.encode(), "INVALID_LOGIN"),
        (b"<html>Bad gateway</html>", "http_502"),
    ],
)
def test_wire_error_reads_every_error_shape(body: bytes, expected: str) -> None:
    assert wire_error(502, body)[0] == expected


def test_concurrent_request_limit_is_transient_unlike_the_daily_quota() -> None:
    concurrent = classify("REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", 403)
    daily = classify("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", 403)

    assert isinstance(concurrent, TooManyConcurrentRequests) and concurrent.retryable
    assert isinstance(daily, RequestLimitExceeded) and not daily.retryable
