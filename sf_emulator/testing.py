"""Pytest fixtures: one emulator process per test session, a fresh org per test.

Enable with `pytest_plugins = ["sf_emulator.testing"]` in a conftest.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from simple_salesforce import Salesforce

from .control.client import EmulatedOrg, EmulatorControl
from .transport import EmulatorAdapter


@dataclass
class RunningEmulator:
    process: subprocess.Popen
    ready: dict
    control: EmulatorControl

    @property
    def instance_url(self) -> str:
        return self.ready["instance_url"]

    @property
    def ca_bundle(self) -> str:
        return self.ready["ca_bundle"]

    def https_session(self) -> requests.Session:
        """A requests session that trusts the emulator's CA whatever REQUESTS_CA_BUNDLE says."""
        session = requests.Session()
        session.trust_env = False
        session.verify = self.ca_bundle
        return session

    def adapter_session(self) -> requests.Session:
        """A session whose https:// requests (login.salesforce.com included) go to the emulator in-process."""
        session = requests.Session()
        session.trust_env = False
        session.mount("https://", EmulatorAdapter(self.ready["http_url"]))
        return session

    def client(self, org: EmulatedOrg, *, new_session: bool = False, **kwargs: object) -> Salesforce:
        """simple-salesforce on a session token, over HTTPS to the emulator.

        `new_session` mints a token first: sessions expire when a test moves the org clock past 2 hours.
        """
        token = self.control.mint_session(org.org_id) if new_session else org.session_id
        return Salesforce(instance_url=org.instance_url, session_id=token, session=self.https_session(), **kwargs)


def start_emulator(data_dir: Path, *extra: str) -> RunningEmulator:
    """Start `python -m sf_emulator serve` on free ports and wait for its ready line."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "emulator.log"
    with open(log_path, "ab") as log_file:  # a file, not a pipe: an unread pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "sf_emulator", "serve", "--port", "0", "--data-dir", str(data_dir), *extra],
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    line = process.stdout.readline()
    if not line:
        process.kill()
        raise RuntimeError(f"sf_emulator did not start:\n{log_path.read_text()}")
    ready = json.loads(line)
    return RunningEmulator(process, ready, EmulatorControl(ready["instance_url"], ready["ca_bundle"]))


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    running = start_emulator(tmp_path_factory.mktemp("sf_emulator"))
    yield running
    running.process.terminate()
    try:
        running.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.process.kill()


@pytest.fixture
def org(emulator: RunningEmulator) -> Iterator[EmulatedOrg]:
    """A fresh org (standard objects plus the demo org definition), dropped after the test."""
    created = emulator.control.create_org()
    yield created
    emulator.control.drop_org(created.org_id)


@pytest.fixture
def sf(emulator: RunningEmulator, org: EmulatedOrg) -> Salesforce:
    return emulator.client(org)
