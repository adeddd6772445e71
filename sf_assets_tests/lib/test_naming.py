import pytest

from sf_assets.lib.naming import snake_case


@pytest.mark.parametrize(
    ("api_name", "column"),
    [
        ("Id", "id"),
        ("AnnualRevenue", "annual_revenue"),
        ("SystemModstamp", "system_modstamp"),
        ("Product2Id", "product_2_id"),
        ("BillingURL", "billing_url"),
        ("Active__c", "active_c"),
        ("ns__Score__c", "ns_score_c"),
        ("Location__Latitude__s", "location_latitude_s"),
        ("Subscription__c", "subscription_c"),
    ],
)
def test_snake_case(api_name, column):
    assert snake_case(api_name) == column
