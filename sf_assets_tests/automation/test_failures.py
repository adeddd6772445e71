"""The run-failure sensor: a real failed run, the row it leaves, the webhook it calls over real HTTP."""

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest

from sf_assets.automation.failures import (
    FAILURES_SCHEMA,
    FAILURES_TABLE,
    build_failure_sensor,
    record_failure,
)
from sf_assets.extract.partitions import partitions_for
from sf_assets.lib.alerts import RunFailure
from sf_assets.resources.warehouse import WarehouseResource
from sf_assets.warehouse import Warehouse

from .conftest import settings_for

HOOK_ENV = "SF_ASSETS_TEST_ALERT_WEBHOOK"
TOKEN = "T0KEN-in-the-url"
RUN_TAGS = {"sf/instance": "sfdc_prod", "sf/cadence": "daily"}


def logged(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture) -> str:
    """Python logging (but urllib3's own DEBUG request lines, off unless a user turns them on), plus
    what Dagster's console logger wrote (it does not propagate to the root logger)."""
    out, err = capfd.readouterr()
    records = [r.getMessage() for r in caplog.records if not r.name.startswith("urllib3")]
    return "\n".join([*records, out, err])


class Hook:
    """A local webhook receiver: answers `status` and keeps each JSON body it was sent."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers["Content-Length"])
                hook.bodies.append(json.loads(self.rfile.read(length)))
                hook.paths.append(self.path)
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/{TOKEN}"


@pytest.fixture
def hook() -> Iterator[Hook]:
    running = Hook(204)
    running.thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


@dg.asset(partitions_def=partitions_for("daily", date(2024, 1, 1)))
def flaky_accounts() -> None:
    raise ValueError("the org refused the query")


def handle_failure(tmp_path, settings) -> tuple[dg.DagsterRun, list[dict]]:  # noqa: ANN001
    """Fail a real run, hand its failure to the sensor, return the run and the recorded rows."""
    sensor = build_failure_sensor(settings)
    data_dir = tmp_path / "warehouse"
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [flaky_accounts],
            instance=instance,
            partition_key="2024-03-01-00:00",
            tags=RUN_TAGS,
            raise_on_error=False,
        )
        assert not result.success
        with dg.build_run_status_sensor_context(
            sensor_name=sensor.name,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=result.get_run_failure_event(),
            resources={"warehouse": WarehouseResource(data_dir=str(data_dir))},
        ) as context:
            sensor(context.for_run_failure())
    return result.dagster_run, Warehouse(data_dir=data_dir).fetch_all(FAILURES_SCHEMA, FAILURES_TABLE)


def test_a_failed_run_is_recorded_in_the_warehouse(tmp_path):
    run, [row] = handle_failure(tmp_path, settings_for(tmp_path, {"sfdc_prod": {}}))
    assert row["id"] == run.run_id
    assert (row["partition_key"], row["instance"], row["cadence"]) == (
        "2024-03-01-00:00",
        "sfdc_prod",
        "daily",
    )
    assert row["failed_steps"] == "flaky_accounts"
    assert row["error"] == "ValueError: the org refused the query"
    assert row["webhook"] == "not configured"
    assert row["failed_at"] is not None


def test_the_webhook_receives_the_failure_and_its_url_is_never_logged(
    tmp_path, hook, monkeypatch, caplog, capfd
):
    monkeypatch.setenv(HOOK_ENV, hook.url)
    settings = settings_for(tmp_path, {"sfdc_prod": {}}, alerts={"webhook_url_env": HOOK_ENV})
    with caplog.at_level(logging.DEBUG):
        run, [row] = handle_failure(tmp_path, settings)
    [body] = hook.bodies
    assert hook.paths == [f"/hooks/{TOKEN}"]
    assert (body["event"], body["run_id"], body["partition"]) == (
        "run_failed",
        run.run_id,
        "2024-03-01-00:00",
    )
    assert body["error"] == "ValueError: the org refused the query"
    assert body["text"].startswith(
        f"sf_assets run {run.run_id} of __ephemeral_asset_job__ partition 2024-03-01"
    )
    assert row["webhook"] == "sent (HTTP 204)"
    text = logged(caplog, capfd)
    assert "alert webhook ($SF_ASSETS_TEST_ALERT_WEBHOOK): sent (HTTP 204)" in text
    assert "ValueError: the org refused the query" in text
    assert TOKEN not in text


def test_a_webhook_error_is_recorded_and_does_not_stop_the_record(tmp_path, hook, monkeypatch):
    hook.status = 500
    monkeypatch.setenv(HOOK_ENV, hook.url)
    settings = settings_for(tmp_path, {"sfdc_prod": {}}, alerts={"webhook_url_env": HOOK_ENV})
    _, [row] = handle_failure(tmp_path, settings)
    assert len(hook.bodies) == 1
    assert row["webhook"] == "failed: HTTP 500"


def test_an_unreachable_webhook_is_reported_without_its_url(tmp_path, hook, monkeypatch, caplog, capfd):
    url = hook.url
    hook.server.shutdown()
    hook.server.server_close()  # nothing listens on the port any more
    monkeypatch.setenv(HOOK_ENV, url)
    settings = settings_for(tmp_path, {"sfdc_prod": {}}, alerts={"webhook_url_env": HOOK_ENV})
    with caplog.at_level(logging.DEBUG):
        _, [row] = handle_failure(tmp_path, settings)
    assert row["webhook"] == "failed: ConnectionError"
    text = logged(caplog, capfd)
    assert "failed: ConnectionError" in text
    assert TOKEN not in text and TOKEN not in row["webhook"]


def test_an_unset_webhook_variable_is_named_in_the_record(tmp_path, monkeypatch):
    monkeypatch.delenv(HOOK_ENV, raising=False)
    settings = settings_for(tmp_path, {"sfdc_prod": {}}, alerts={"webhook_url_env": HOOK_ENV})
    _, [row] = handle_failure(tmp_path, settings)
    assert row["webhook"] == f"not configured (${HOOK_ENV} is unset)"


def test_failures_are_recorded_in_postgresql_too(tmp_path, postgres_url):
    warehouse = Warehouse(postgres_url)
    failed_at = datetime(2024, 3, 1, 9, 12, tzinfo=UTC)
    first = RunFailure("run-9", "sfdc_prod__daily_sync", failed_at, "run failed", tags=RUN_TAGS)
    record_failure(warehouse, first, "failed: HTTP 502")
    record_failure(warehouse, first, "sent (HTTP 200)")  # a re-record replaces the row
    [row] = warehouse.fetch_all(FAILURES_SCHEMA, FAILURES_TABLE)
    assert (row["id"], row["failed_at"], row["webhook"]) == ("run-9", failed_at, "sent (HTTP 200)")
    warehouse.dispose()
