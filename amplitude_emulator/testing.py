"""Pytest fixtures: one stand-in process per test session, reset before each test.

Enable with `pytest_plugins = ["amplitude_emulator.testing"]`. A subprocess (not a thread) so that
both in-process `dg.materialize` and runs launched by a Dagster daemon can reach it.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests


class AmplitudeStandIn:
    """A running stand-in: `.url` to send to, `.api_key`, and the control API as methods."""

    def __init__(self, process: subprocess.Popen, ready: dict, log_path: Path) -> None:
        self.process = process
        self.ready = ready
        self.log_path = log_path
        self.url: str = ready["url"]
        self.api_key: str = ready["api_key"]
        self._http = requests.Session()
        self._http.trust_env = False  # proxies from the environment must not see 127.0.0.1

    def _call(self, method: str, path: str, body: dict | None = None, **params: object) -> dict:
        response = self._http.request(
            method, f"{self.url}/__emulator/{path}", json=body, params=params or None, timeout=60
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"stand-in control {method} {path} failed with {response.status_code}: {response.text}"
            )
        return response.json()

    def groups(self, group_type: str | None = None) -> dict[tuple[str, str], dict]:
        """Current properties of every group, keyed by (group_type, group_value)."""
        params = {"group_type": group_type} if group_type else {}
        found = self._call("GET", "groups", **params)["groups"]
        return {(g["group_type"], g["group_value"]): g["properties"] for g in found}

    def requests(self, *, bodies: bool = True) -> list[dict]:
        """/groupidentify requests received, oldest first: seq, time, bytes, identifications, status, error, body."""
        return self._call("GET", "requests", bodies=int(bodies))["requests"]

    def fail(
        self,
        status: int,
        times: int | None = 1,
        group_value: str | None = None,
        *,
        error: str | None = None,
        delay_seconds: float = 0.0,
    ) -> None:
        """Answer `status` to the next `times` requests (None: until cleared), or only those naming `group_value`."""
        spec = {"status": status, "times": times, "group_value": group_value, "error": error}
        self._call("POST", "faults", {**spec, "delay_seconds": delay_seconds})

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def add_api_keys(self, *keys: str, replace: bool = False) -> list[str]:
        return self._call("POST", "api_keys", {"api_keys": list(keys), "replace": replace})["api_keys"]

    def reset(self) -> None:
        """Forget groups, requests and faults; back to the starting API keys."""
        self._call("POST", "reset")

    def stop(self) -> None:
        self._http.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_amplitude(
    port: int = 0, *, api_keys: tuple[str, ...] = (), log_dir: Path | None = None
) -> AmplitudeStandIn:
    """Start `python -m amplitude_emulator serve` and wait for its ready line; `stop()` it when done."""
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="amplitude_emulator_"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "amplitude_emulator.log"
    command = [sys.executable, "-m", "amplitude_emulator", "serve", "--port", str(port)]
    for key in api_keys:
        command += ["--api-key", key]
    with open(log_path, "ab") as log_file:  # a file, not a pipe: an unread pipe would block the server
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    line = process.stdout.readline()
    if not line:
        process.kill()
        process.wait()
        raise RuntimeError(f"amplitude_emulator did not start:\n{log_path.read_text()}")
    return AmplitudeStandIn(process, json.loads(line), log_path)


@pytest.fixture(scope="session")
def amplitude_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AmplitudeStandIn]:
    running = start_amplitude(log_dir=tmp_path_factory.mktemp("amplitude_emulator"))
    yield running
    running.stop()


@pytest.fixture
def amplitude(amplitude_server: AmplitudeStandIn) -> AmplitudeStandIn:
    """The session's stand-in, reset: no groups, no requests, no faults, the default API key."""
    amplitude_server.reset()
    return amplitude_server
