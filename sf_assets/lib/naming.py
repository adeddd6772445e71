"""Warehouse names: snake_case, as the classic connector writes them.

`AnnualRevenue` → `annual_revenue`, `Product2Id` → `product_2_id`, `BillingURL` → `billing_url`,
`Active__c` → `active_c`, `ns__Score__c` → `ns_score_c`, `Location__Latitude__s` → `location_latitude_s`.
"""

import re

_BOUNDARIES = (
    re.compile(r"([A-Z]+)([A-Z][a-z])"),  # an acronym before a word: URLField → URL_Field
    re.compile(r"([a-z])([A-Z])"),  # camelCase
    re.compile(r"([A-Za-z])([0-9])"),  # Product2 → Product_2
    re.compile(r"([0-9])([A-Za-z])"),  # 2Id → 2_Id
)


def snake_case(name: str) -> str:
    """The warehouse name of a Salesforce field or object API name."""
    text = name
    for pattern in _BOUNDARIES:
        text = pattern.sub(r"\1_\2", text)
    return re.sub(r"_+", "_", text).strip("_").lower()
