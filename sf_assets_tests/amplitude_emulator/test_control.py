"""The control API: request log, faults (counted, aimed at one group, until cleared), API keys, reset."""

import pytest
import requests


def company(value: str) -> dict:
    return {"group_type": "company", "group_value": value, "group_properties": {"$set": {"x": 1}}}


def test_requests_log_size_count_status_and_identifications(wire, amplitude) -> None:  # noqa: ANN001
    accepted = wire.post([company("a"), company("b")])
    wire.post([company("c")], api_key="wrong")

    logged = amplitude.requests()

    assert [(r["seq"], r["identifications"], r["status"], r["error"]) for r in logged] == [
        (1, 2, 200, None),
        (2, 1, 400, "Invalid API key: wrong"),
    ]
    assert logged[0]["bytes"] == len(accepted.request.body)
    assert logged[0]["body"] == [company("a"), company("b")]
    assert logged[0]["time"].endswith("+00:00")


def test_requests_log_without_bodies(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a")])

    assert "body" not in amplitude.requests(bodies=False)[0]


def test_a_fault_answers_the_next_requests_then_stops(wire, amplitude) -> None:  # noqa: ANN001
    amplitude.fail(503, times=2)

    statuses = [wire.post([company("a")]).status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert [r["status"] for r in amplitude.requests()] == [503, 503, 200]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "Invalid identification (injected fault)"),
        (413, "Payload too large"),
        (429, "Too many requests for some devices and users"),
        (500, "Internal server error (injected fault)"),
        (502, "Bad gateway (injected fault)"),
        (503, "Service unavailable (injected fault)"),
    ],
)
def test_each_fault_status_has_amplitudes_body(wire, amplitude, status: int, error: str) -> None:  # noqa: ANN001
    amplitude.fail(status)

    response = wire.post([company("a")])

    assert (response.status_code, response.json()) == (status, {"code": status, "error": error})
    assert amplitude.groups() == {}


def test_a_fault_aimed_at_a_group_spares_requests_without_it(wire, amplitude) -> None:  # noqa: ANN001
    amplitude.fail(400, times=None, group_value="poison", error="Invalid property value")

    results = [wire.post(batch).status_code for batch in ([company("a")], [company("b"), company("poison")])]
    results.append(wire.post([company("poison")]).status_code)

    assert results == [200, 400, 400]
    assert set(amplitude.groups()) == {("company", "a")}
    assert amplitude.requests()[1]["error"] == "Invalid property value"


def test_faults_apply_in_the_order_they_were_queued(wire, amplitude) -> None:  # noqa: ANN001
    amplitude.fail(429)
    amplitude.fail(500)

    assert [wire.post([company("a")]).status_code for _ in range(3)] == [429, 500, 200]


def test_clear_faults(wire, amplitude) -> None:  # noqa: ANN001
    amplitude.fail(500, times=None)
    amplitude.clear_faults()

    assert wire.post([company("a")]).status_code == 200


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"status": 418}, "fault status must be one of"),
        ({"status": 500, "times": 0}, "times must be at least 1"),
        ({"status": 500, "delay_seconds": 60}, "delay_seconds must be within 0..30"),
        ({"status": 500, "color": "red"}, "unexpected keyword argument 'color'"),
    ],
)
def test_a_bad_fault_is_400(amplitude, spec: dict, message: str) -> None:  # noqa: ANN001
    response = requests.post(f"{amplitude.url}/__emulator/faults", json=spec, timeout=30)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_faults_are_bounded(amplitude) -> None:  # noqa: ANN001
    for _ in range(100):
        amplitude.fail(500)

    with pytest.raises(RuntimeError, match="at most 100 faults may be queued"):
        amplitude.fail(500)


def test_added_api_keys_are_accepted(wire, amplitude) -> None:  # noqa: ANN001
    keys = amplitude.add_api_keys("second-key")

    assert keys == [amplitude.api_key, "second-key"]
    assert wire.post([company("a")], api_key="second-key").status_code == 200


def test_replacing_api_keys_refuses_the_old_one(wire, amplitude) -> None:  # noqa: ANN001
    amplitude.add_api_keys("only-key", replace=True)

    assert wire.post([company("a")]).json()["error"] == f"Invalid API key: {amplitude.api_key}"


def test_reset_forgets_everything_and_restores_the_keys(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a")])
    amplitude.fail(500, times=None)
    amplitude.add_api_keys("other", replace=True)

    amplitude.reset()

    assert (amplitude.groups(), amplitude.requests()) == ({}, [])
    assert wire.post([company("a")]).status_code == 200
