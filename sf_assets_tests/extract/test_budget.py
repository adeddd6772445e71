"""The API budget guard through real Dagster against the emulator's daily request allowance."""

import dagster as dg

FIRST = "2026-03-10-00:00"


def _seed(emulator, org, sf) -> None:  # noqa: ANN001
    emulator.control.set_clock(org.org_id, "2026-03-10T10:00:00Z")
    for i in range(3):
        sf.Account.create({"Name": f"Account {i}"})


def test_a_sync_past_the_floor_stops_writes_nothing_and_asks_for_a_retry(emulator, org, sf, make_project):  # noqa: ANN001
    _seed(emulator, org, sf)
    project = make_project(
        {"sfdc_prod": org},
        extra={
            "instances": {"sfdc_prod": {"api_budget": {"max_used_fraction": 0.5, "retry_after_minutes": 0}}}
        },
    )
    emulator.control.set_limits(org.org_id, daily_api_requests=100, used=60)
    emulator.control.reset_requests(org.org_id)

    result = project.materialize([("sfdc_prod", "accounts")], partition=FIRST, raise_on_error=False)

    assert not result.success
    retries = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    assert retries, "the step asked to be retried later"
    error = retries[0].event_specific_data.error
    # 61: the pre-flight `/limits` call counts too; no query was sent.
    assert "has used 61 of its 100 daily API requests; syncs stop at 50% (50)" in error.cause.message
    assert not project.warehouse().table_exists("sfdc_prod", "accounts")  # nothing written
    endpoints = emulator.control.requests(org.org_id)["by_endpoint"]
    assert not any("query" in e for e in endpoints), f"no data was read past the floor: {endpoints}"


def test_within_the_budget_the_sync_reports_the_usage(emulator, org, sf, make_project):  # noqa: ANN001
    _seed(emulator, org, sf)
    project = make_project({"sfdc_prod": org})

    result = project.materialize([("sfdc_prod", "accounts")], partition=FIRST)

    [materialization] = result.asset_materializations_for_node("sfdc_prod__accounts")
    used, maximum = (
        materialization.metadata["salesforce/api_used"].value,
        materialization.metadata["salesforce/api_max"].value,
    )
    assert 0 < used < maximum


def test_crossing_the_floor_after_a_page_rolls_the_load_back(emulator, org, sf, make_project):  # noqa: ANN001
    _seed(emulator, org, sf)
    project = make_project(
        {"sfdc_prod": org},
        extra={
            "instances": {"sfdc_prod": {"api_budget": {"max_used_fraction": 0.5, "retry_after_minutes": 0}}}
        },
    )
    # /limits → 48 used, the count → 49: both below the floor of 50; the first page → 50.
    emulator.control.set_limits(org.org_id, daily_api_requests=100, used=47)

    result = project.materialize([("sfdc_prod", "accounts")], partition=FIRST, raise_on_error=False)

    first_attempt = next(
        e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY
    )
    assert (
        "has used 50 of its 100 daily API requests" in first_attempt.event_specific_data.error.cause.message
    )
    assert not project.warehouse().table_exists("sfdc_prod", "accounts")  # the page read was not committed
