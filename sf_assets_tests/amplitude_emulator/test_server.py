"""`python -m amplitude_emulator serve`: a ready line, the given API keys, a clean stop."""

import requests

from amplitude_emulator.store import AmplitudeStore
from amplitude_emulator.testing import start_amplitude


def test_serve_prints_a_ready_line_and_accepts_the_given_keys(tmp_path) -> None:  # noqa: ANN001
    running = start_amplitude(api_keys=("key-one", "key-two"), log_dir=tmp_path)
    try:
        identification = '{"group_type": "company", "group_value": "a"}'
        response = requests.post(
            running.ready["groupidentify_url"],
            data={"api_key": "key-two", "identification": identification},
            timeout=30,
        )
        assert response.text == "success"
        assert running.ready["control_url"] == running.url + "/__emulator"
        assert (running.api_key, running.ready["api_keys"]) == ("key-one", ["key-one", "key-two"])
    finally:
        running.stop()
    assert running.process.returncode == 0


def test_the_request_log_keeps_bodies_within_its_byte_budget() -> None:
    store = AmplitudeStore(["k"], max_logged_body_bytes=100)
    for _ in range(3):
        store.record(
            size=60, identifications=1, status=200, error=None, body='{"group_value":"' + "x" * 50 + '"}'
        )

    assert [entry["body"] is not None for entry in store.requests()] == [False, False, True]
