"""The server process: the ready line, plain-HTTP mode, and data that survives a restart."""

import json
import subprocess
import sys

import requests
from simple_salesforce import Salesforce

from sf_emulator.testing import start_emulator


def _stop(running) -> None:
    running.process.terminate()
    running.process.wait(timeout=10)


def test_ready_line_has_connection_details(emulator):
    assert set(emulator.ready) >= {
        "instance_url", "login_url", "ca_bundle", "username", "password", "security_token", "session_id", "proxy_url",
    }
    assert emulator.ready["instance_url"].startswith("https://127.0.0.1:")


def test_data_and_credentials_survive_a_restart(tmp_path):
    first = start_emulator(tmp_path)
    try:
        sf = Salesforce(instance_url=first.instance_url, session_id=first.ready["session_id"], session=first.https_session())
        record_id = sf.Account.create({"Name": "Durable"})["id"]
    finally:
        _stop(first)
    second = start_emulator(tmp_path)
    try:
        assert second.ready["username"] == first.ready["username"]
        assert second.ready["password"] == first.ready["password"]
        sf = Salesforce(instance_url=second.instance_url, session_id=second.ready["session_id"], session=second.https_session())
        assert sf.Account.get(record_id)["Name"] == "Durable"
        assert sf.Account.create({"Name": "Next"})["id"] > record_id
    finally:
        _stop(second)


def test_http_mode_serves_plain_http(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "sf_emulator", "serve", "--http", "--port", "0", "--no-proxy", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = json.loads(process.stdout.readline())
        assert ready["instance_url"].startswith("http://")
        response = requests.get(ready["instance_url"] + "/services/data", timeout=30)
        assert response.json()[0] == {"label": "API 20.0", "url": "/services/data/v20.0", "version": "20.0"}
    finally:
        process.terminate()
        process.wait(timeout=10)
