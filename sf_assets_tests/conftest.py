"""Fixtures shared by every test: the emulator (one process per session, a fresh org per test)."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from .projects import Project, build_project

pytest_plugins = ["sf_emulator.testing", "amplitude_emulator.testing"]

PG_SERVER = os.environ.get("SF_ASSETS_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")


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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"sf_assets_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield f"{PG_SERVER}/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def make_project(tmp_path: Path, emulator, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """Build a project over emulator orgs: `make_project({"sfdc_prod": org}, start=..., warehouse_url=...)`.

    Keyword arguments are those of `projects.build_project` (`start`, `warehouse_url`, `cadence`, `extra`).
    """

    def make(orgs: dict, **options) -> Project:
        return build_project(tmp_path, orgs, emulator.ca_bundle, monkeypatch, **options)

    return make
