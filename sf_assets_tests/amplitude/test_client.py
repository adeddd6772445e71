"""`AmplitudeClient` against the local stand-in: delivery, limits, retries, bisection, typed failures."""

import logging
import socket

import pytest

from sf_assets.amplitude import (
    AmplitudeAuthError,
    AmplitudeClient,
    AmplitudeConfigError,
    AmplitudeRateLimited,
    AmplitudeRequestError,
    AmplitudeUnavailable,
    DeliveryReport,
)


def client_for(amplitude, **options: object) -> AmplitudeClient:  # noqa: ANN001
    """A client of the stand-in with waits too short to notice."""
    settings = {"backoff_seconds": 0.001, "rate_limit_seconds": 0.001, "timeout": 10.0, **options}
    return AmplitudeClient(amplitude.api_key, base_url=amplitude.url, **settings)


def company(value: str, **operations: dict) -> dict:
    return {
        "group_type": "company",
        "group_value": value,
        "group_properties": {f"${op}": props for op, props in operations.items()},
    }


def companies(count: int, properties: int = 1) -> list[dict]:
    return [company(f"{i:05d}", set={f"p{j}": f"v{i}-{j}" for j in range(properties)}) for i in range(count)]


def test_delivered_state_is_what_was_sent(amplitude) -> None:  # noqa: ANN001
    sent = [
        company("001A", set={"Name": "Acme", "Industry": "Tech", "ARR": 120000.5, "Active Status": True}),
        company("001B", set={"Name": "Globex", "Tags": ["a", "b"]}, setOnce={"First Seen": "2024-01-02"}),
    ]

    report = client_for(amplitude).send(sent)

    assert report.sent == sent
    assert report.rejected == []
    assert (report.requests, report.retries) == (1, 0)
    assert amplitude.groups() == {
        ("company", "001A"): {"Name": "Acme", "Industry": "Tech", "ARR": 120000.5, "Active Status": True},
        ("company", "001B"): {"Name": "Globex", "Tags": ["a", "b"], "First Seen": "2024-01-02"},
    }


def test_set_once_and_unset_apply_on_later_sends(amplitude) -> None:  # noqa: ANN001
    client = client_for(amplitude)
    client.send([company("001A", set={"Plan": "free", "Legacy": 1}, setOnce={"First Plan": "free"})])

    client.send([company("001A", set={"Plan": "pro"}, setOnce={"First Plan": "pro"}, unset={"Legacy": "-"})])

    assert amplitude.groups()[("company", "001A")] == {"Plan": "pro", "First Plan": "free"}


def test_3000_groups_go_in_three_requests(amplitude) -> None:  # noqa: ANN001
    report = client_for(amplitude).send(companies(3000))

    assert [r["identifications"] for r in amplitude.requests(bodies=False)] == [1024, 1024, 952]
    assert (report.requests, len(report.sent)) == (3, 3000)
    assert len(amplitude.groups()) == 3000


def test_a_group_with_2500_properties_arrives_whole(amplitude) -> None:  # noqa: ANN001
    properties = {f"p{i}": i for i in range(2500)}

    report = client_for(amplitude).send([company("big", set=properties)])

    assert report.requests == 3
    assert amplitude.groups()[("company", "big")] == properties


def test_requests_stay_under_1_mb(amplitude) -> None:  # noqa: ANN001
    groups = [company(f"{i:04d}", set={"Description": "d" * 1000, "Notes": "n" * 1000}) for i in range(600)]

    report = client_for(amplitude).send(groups)

    logged = amplitude.requests(bodies=False)
    assert len(logged) == 2
    assert all(r["bytes"] <= 1_000_000 and r["status"] == 200 for r in logged)
    assert sum(r["bytes"] for r in logged) == report.bytes_sent
    assert len(amplitude.groups()) == 600


def test_429_then_success(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(429, times=2)

    report = client_for(amplitude).send(companies(10))

    assert (report.requests, report.retries, len(report.sent)) == (3, 2, 10)
    assert [r["status"] for r in amplitude.requests(bodies=False)] == [429, 429, 200]
    assert len(amplitude.groups()) == 10


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success(amplitude, status: int) -> None:  # noqa: ANN001
    amplitude.fail(status, times=1)

    report = client_for(amplitude).send(companies(10))

    assert (report.requests, report.retries, len(report.sent)) == (2, 1, 10)
    assert len(amplitude.groups()) == 10


def test_a_timeout_is_retried(amplitude, caplog) -> None:  # noqa: ANN001
    amplitude.fail(503, times=1, delay_seconds=0.1)

    report = client_for(amplitude, timeout=0.03).send(companies(3))

    assert (report.requests, report.retries) == (2, 1)
    assert "failed (ReadTimeout" in caplog.text
    assert len(amplitude.groups()) == 3


def test_413_bisects_the_batch(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(413, times=1)

    report = client_for(amplitude).send(companies(8))

    assert [(r["status"], r["identifications"]) for r in amplitude.requests(bodies=False)] == [
        (413, 8),
        (200, 4),
        (200, 4),
    ]
    assert (len(report.sent), report.rejected, report.retries) == (8, [], 0)


def test_a_poisoned_group_is_isolated_and_the_others_delivered(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(400, times=None, group_value="00007", error="Invalid group property value")

    report = client_for(amplitude).send(companies(16))

    assert [(r.identification["group_value"], r.status, r.error) for r in report.rejected] == [
        ("00007", 400, "Invalid group property value")
    ]
    assert sorted(i["group_value"] for i in report.sent) == [f"{i:05d}" for i in range(16) if i != 7]
    assert set(amplitude.groups()) == {("company", f"{i:05d}") for i in range(16) if i != 7}
    assert report.requests == 9  # 16 → 8 → 4 → 2 → 1 refused, each sibling half accepted


def test_an_oversized_group_is_rejected_without_being_sent(amplitude) -> None:  # noqa: ANN001
    groups = [company("ok", set={"x": 1}), company("huge", set={"Notes": "n" * 1_000_000})]

    report = client_for(amplitude).send(groups)

    assert [(r.identification["group_value"], r.status) for r in report.rejected] == [("huge", 413)]
    assert report.rejected[0].error.startswith("not sent: group 'company'/'huge'")
    assert set(amplitude.groups()) == {("company", "ok")}


def test_on_batch_deltas_add_up_to_the_report(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(400, times=None, group_value="02999")
    deltas: list[DeliveryReport] = []

    report = client_for(amplitude).send(companies(3000), on_batch=deltas.append)

    assert [i for d in deltas for i in d.sent] == report.sent
    assert [r for d in deltas for r in d.rejected] == report.rejected
    assert sum(d.requests for d in deltas) == report.requests
    assert sum(d.bytes_sent for d in deltas) == report.bytes_sent
    assert len(report.sent) == 2999


def test_an_invalid_api_key_fails_the_run_without_showing_the_key(amplitude, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    client = AmplitudeClient("not-a-real-key-123", base_url=amplitude.url)

    with pytest.raises(AmplitudeAuthError, match="Amplitude refused the API key") as raised:
        client.send(companies(3))

    assert raised.value.status == 400
    assert "not-a-real-key-123" not in str(raised.value)
    assert "not-a-real-key-123" not in caplog.text
    assert "not-a-real-key-123" not in repr(client)
    assert amplitude.groups() == {}


def test_exhausted_retries_raise_with_what_was_delivered(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(503, times=None, group_value="02000")

    with pytest.raises(AmplitudeUnavailable, match="failed 3 times; last: HTTP 503") as raised:
        client_for(amplitude, max_attempts=3).send(companies(3000))

    assert type(raised.value) is AmplitudeUnavailable
    assert len(raised.value.report.sent) == 1024
    assert (raised.value.report.requests, raised.value.report.retries) == (4, 2)
    assert len(amplitude.groups()) == 1024


def test_exhausted_429s_raise_rate_limited(amplitude) -> None:  # noqa: ANN001
    amplitude.fail(429, times=None)

    with pytest.raises(AmplitudeRateLimited, match="HTTP 429: Too many requests"):
        client_for(amplitude, max_attempts=2).send(companies(3))


def test_connection_refused_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = AmplitudeClient("k", base_url=f"http://127.0.0.1:{port}", max_attempts=2, backoff_seconds=0.001)

    with pytest.raises(AmplitudeUnavailable, match="last: ConnectionError") as raised:
        client.send(companies(1))

    assert raised.value.report.requests == 2


def test_a_wrong_base_url_is_a_request_error(amplitude) -> None:  # noqa: ANN001
    client = AmplitudeClient(amplitude.api_key, base_url=amplitude.url + "/nowhere")

    with pytest.raises(AmplitudeRequestError, match="answered 404") as raised:
        client.send(companies(1))

    assert raised.value.status == 404


@pytest.mark.parametrize(
    ("region", "url"),
    [
        ("us", "https://api2.amplitude.com/groupidentify"),
        ("eu", "https://api.eu.amplitude.com/groupidentify"),
    ],
)
def test_regions_choose_the_endpoint(region: str, url: str) -> None:
    assert AmplitudeClient("k", region=region).url == url


@pytest.mark.parametrize(
    ("options", "setting"),
    [
        ({"api_key": " "}, "api_key"),
        ({"region": "ap"}, "region"),
        ({"base_url": "api2.amplitude.com"}, "base_url"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"timeout": 0}, "timeout_seconds"),
    ],
)
def test_bad_settings_name_the_setting(options: dict, setting: str) -> None:
    arguments = {"api_key": "k", **options}

    with pytest.raises(AmplitudeConfigError, match=f"Fix the `{setting}` setting") as raised:
        AmplitudeClient(arguments.pop("api_key"), **arguments)

    assert raised.value.setting == setting
