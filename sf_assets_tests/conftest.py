"""Fixtures shared by every test: the emulator (one process per session, a fresh org per test)."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["sf_emulator.testing"]


@pytest.fixture(scope="session")
def shared_recordings() -> Path:
    """Real Salesforce responses (CumulusCI cassettes) in ../shared beside the repository.

    Users without that folder skip these tests; CI must have it, so there its absence fails.
    """
    path = (
        Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "recorded-salesforce"
    ).resolve()
    if not path.is_dir():
        message = f"recorded Salesforce responses not found at {path}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
