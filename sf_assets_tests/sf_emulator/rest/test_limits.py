"""API quota: the Sforce-Limit-Info header, /limits, recordCount, REQUEST_LIMIT_EXCEEDED."""

import pytest
from simple_salesforce import SalesforceRefusedRequest


def test_api_usage_counts_each_request(sf):
    sf.query("SELECT Id FROM User")
    used_after_one = sf.api_usage["api-usage"].used
    sf.query("SELECT Id FROM User")
    assert sf.api_usage["api-usage"].used == used_after_one + 1
    assert sf.api_usage["api-usage"].total == 100_000


def test_limit_header_is_exactly_api_usage(emulator, org):
    response = emulator.https_session().get(
        emulator.instance_url + "/services/data/v59.0/limits", headers={"Authorization": f"Bearer {org.session_id}"}, timeout=30
    )
    assert response.headers["Sforce-Limit-Info"] == "api-usage=1/100000"


def test_limits_resource_reports_remaining(sf):
    limits = sf.limits()
    assert limits["DailyApiRequests"]["Max"] == 100_000
    assert limits["DailyApiRequests"]["Remaining"] == 100_000 - 1
    assert "DailyBulkApiBatches" in limits


def test_quota_exhausted_is_request_limit_exceeded(sf, emulator, org):
    emulator.control.set_limits(org.org_id, daily_api_requests=10, used=10)
    with pytest.raises(SalesforceRefusedRequest) as failure:
        sf.query("SELECT Id FROM User")
    assert failure.value.content == [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]


def test_quota_window_rolls_over_after_24_hours(sf, emulator, org):
    emulator.control.set_limits(org.org_id, daily_api_requests=10, used=10)
    emulator.control.advance_clock(org.org_id, 86_400 + 60)
    fresh = emulator.control.mint_session(org.org_id)  # the old session expired with the clock
    response = emulator.https_session().get(
        emulator.instance_url + "/services/data/v59.0/limits", headers={"Authorization": f"Bearer {fresh}"}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Sforce-Limit-Info"] == "api-usage=1/10"


def test_record_count(sf):
    sf.Account.create({"Name": "A"})
    counts = sf.restful("limits/recordCount", params={"sObjects": "Account,Contact"})
    assert counts == {"sObjects": [{"count": 1, "name": "Account"}, {"count": 0, "name": "Contact"}]}
