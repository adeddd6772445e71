from datetime import UTC, datetime, timedelta, timezone

from sf_assets.lib.alerts import (
    MAX_ERROR_CHARS,
    RunFailure,
    StepFailure,
    failure_payload,
    failure_row,
    failure_text,
)

FAILED_AT = datetime(2024, 3, 1, 9, 12, 30, 250000, tzinfo=UTC)


def failure(**changes: object) -> RunFailure:
    fields = {
        "run_id": "run-1",
        "job_name": "sfdc_prod__every_3h_sync",
        "failed_at": FAILED_AT,
        "message": "Execution of run for job failed.",
        "failed_steps": (StepFailure("sfdc_prod__accounts", "RequestLimitExceeded: quota used"),),
        "tags": {
            "dagster/partition": "2024-03-01-06:00",
            "sf/instance": "sfdc_prod",
            "sf/cadence": "every_3h",
        },
        "asset_keys": ("sfdc_prod/accounts",),
    }
    return RunFailure(**{**fields, **changes})


def test_the_partition_of_a_single_partition_run():
    assert failure().partition == "2024-03-01-06:00"


def test_the_partition_of_a_ranged_run_is_its_range():
    tags = {
        "dagster/asset_partition_range_start": "2024-03-01-00:00",
        "dagster/asset_partition_range_end": "2024-03-01-06:00",
    }
    assert failure(tags=tags).partition == "2024-03-01-00:00...2024-03-01-06:00"


def test_an_unpartitioned_run_has_no_partition():
    assert failure(tags={}).partition is None


def test_the_error_is_the_first_failed_steps_else_the_runs():
    assert failure().error == "RequestLimitExceeded: quota used"
    assert failure(failed_steps=()).error == "Execution of run for job failed."


def test_a_long_error_is_cut_for_chat_webhooks():
    error = failure(failed_steps=(StepFailure("s", "x" * 5000),)).error
    assert len(error) == MAX_ERROR_CHARS and error.endswith("…")


def test_the_text_says_what_failed_where_and_why():
    assert failure_text(failure()) == (
        "sf_assets run run-1 of sfdc_prod__every_3h_sync partition 2024-03-01-06:00 failed in "
        "sfdc_prod__accounts: RequestLimitExceeded: quota used"
    )


def test_the_webhook_payload():
    payload = failure_payload(failure(failed_at=FAILED_AT.astimezone(timezone(timedelta(hours=2)))))
    assert payload == {
        "event": "run_failed",
        "text": failure_text(failure()),
        "run_id": "run-1",
        "job_name": "sfdc_prod__every_3h_sync",
        "partition": "2024-03-01-06:00",
        "instance": "sfdc_prod",
        "cadence": "every_3h",
        "backfill_id": None,
        "assets": ["sfdc_prod/accounts"],
        "failed_steps": [{"step": "sfdc_prod__accounts", "error": "RequestLimitExceeded: quota used"}],
        "error": "RequestLimitExceeded: quota used",
        "failed_at": "2024-03-01T09:12:30.250000+00:00",
    }


def test_the_row_writes_timestamps_as_salesforce_rest_text():
    row = failure_row(failure(), "sent (HTTP 200)")
    assert row["failed_at"] == "2024-03-01T09:12:30.250+0000"
    assert (row["id"], row["partition_key"], row["failed_steps"], row["webhook"]) == (
        "run-1",
        "2024-03-01-06:00",
        "sfdc_prod__accounts",
        "sent (HTTP 200)",
    )
