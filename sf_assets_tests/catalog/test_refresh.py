import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from sf_assets.catalog.refresh import DESCRIBE_WORKERS, describe_all, refresh_catalog
from sf_assets.catalog.snapshot import Snapshot, load_catalog, load_snapshot
from sf_assets.lib.catalog import SkipReason
from sf_assets.lib.collections import STANDARD_COLLECTIONS
from sf_assets.salesforce import ClientSettings, SalesforceAuth, SalesforceClient
from sf_assets.settings import Settings, load_settings

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class EmulatorDescribeClient:
    """The two describe calls over real HTTPS, as the Salesforce client makes them."""

    def __init__(self, emulator, org, *, pause: float = 0.0) -> None:
        self.base = f"{org.instance_url}/services/data/v59.0/sobjects"
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.verify = emulator.ca_bundle
        self.http.headers["Authorization"] = f"Bearer {org.session_id}"
        self.pause = pause
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    def _get(self, url: str) -> dict:
        response = self.http.get(url, timeout=30)
        response.raise_for_status()
        return response.json()

    def describe_global(self) -> dict:
        return self._get(self.base)

    def describe(self, sobject: str) -> dict:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(self.pause)  # long enough for the pool to fill up
            return self._get(f"{self.base}/{sobject}/describe")
        finally:
            with self.lock:
                self.in_flight -= 1


def write_settings(folder: Path, include: str = "[]") -> Settings:
    config = folder / "sf_assets.yaml"
    config.write_text(
        "instances:\n  sfdc_demo:\n"
        f"    objects: {{include: {include}}}\n"
        "    auth: {mode: session, session_id_env: SFDC_DEMO_SESSION_ID}\n"
        "    instance_url: https://127.0.0.1:8443\n"
    )
    return load_settings(config)


@pytest.fixture
def few(tmp_path: Path) -> Settings:
    """An instance of three objects: enough for behaviours that do not need the whole org."""
    return write_settings(tmp_path, "[Account, Case, Subscription__c]")


@pytest.fixture(scope="module")
def demo_refresh(emulator, tmp_path_factory) -> tuple[Settings, Snapshot]:
    """One refresh of a whole demo org, shared by the tests that only read its result."""
    org = emulator.control.create_org()
    try:
        settings = write_settings(tmp_path_factory.mktemp("demo_refresh"))
        return settings, refresh_catalog(
            settings, "sfdc_demo", EmulatorDescribeClient(emulator, org), now=NOW
        )
    finally:
        emulator.control.drop_org(org.org_id)


@pytest.fixture
def client(emulator, org) -> EmulatorDescribeClient:
    return EmulatorDescribeClient(emulator, org)


def test_refresh_of_the_demo_org_selects_the_48_minus_names_plus_subscription(demo_refresh):
    _, snapshot = demo_refresh
    assert {o.table for o in snapshot.objects} == (set(STANDARD_COLLECTIONS) - {"names"}) | {"subscription_c"}
    assert [(s.table, s.reason) for s in snapshot.skipped] == [("names", SkipReason.NOT_QUERYABLE)]


def test_refresh_writes_the_snapshot_the_definitions_load(demo_refresh):
    settings, snapshot = demo_refresh
    loaded = load_catalog(settings, "sfdc_demo")
    assert loaded.plan == snapshot.plan
    assert (loaded.instance, loaded.refreshed_at, loaded.api_version) == ("sfdc_demo", NOW, "59.0")


def test_refresh_keeps_custom_fields_of_standard_objects(demo_refresh):
    accounts = demo_refresh[1].plan.object("accounts")
    assert {"active_c", "external_id_c", "tier_c"} <= {c.name for c in accounts.columns}


def test_refreshing_an_unchanged_org_rewrites_the_same_bytes(few, client):
    refresh_catalog(few, "sfdc_demo", client, now=NOW)
    first = few.catalog_path("sfdc_demo").read_bytes()
    refresh_catalog(few, "sfdc_demo", client, now=NOW)
    assert few.catalog_path("sfdc_demo").read_bytes() == first


def test_a_custom_field_added_in_the_org_appears_after_a_refresh(few, client, emulator, org):
    refresh_catalog(few, "sfdc_demo", client, now=NOW)
    emulator.control.add_field(org.org_id, "Subscription__c", {"name": "Churn_Risk__c", "type": "percent"})
    subscriptions = refresh_catalog(few, "sfdc_demo", client, now=NOW).plan.object("subscription_c")
    assert subscriptions.field("Churn_Risk__c").column.name == "churn_risk_c"


@pytest.mark.parametrize(("status", "code"), [(403, "INSUFFICIENT_ACCESS"), (404, "NOT_FOUND")])
def test_an_object_whose_describe_is_refused_is_skipped_with_the_reason(
    few, client, emulator, org, status, code
):
    emulator.control.add_fault(
        org.org_id, "/sobjects/Case/describe$", status=status, error_code=code, message="no"
    )
    snapshot = refresh_catalog(few, "sfdc_demo", client, now=NOW)
    skipped = {s.sobject: s for s in snapshot.skipped}
    assert skipped["Case"].reason == SkipReason.NOT_READABLE
    assert skipped["Case"].detail.startswith(f"describe failed ({status}): {status} Client Error")
    assert snapshot.plan.object("cases") is None and snapshot.plan.object("accounts") is not None


def test_any_other_describe_failure_fails_the_refresh_and_keeps_the_old_snapshot(few, client, emulator, org):
    refresh_catalog(few, "sfdc_demo", client, now=NOW)
    before = few.catalog_path("sfdc_demo").read_bytes()
    emulator.control.add_fault(
        org.org_id, "/sobjects/Account/describe$", status=500, error_code="UNKNOWN_EXCEPTION"
    )
    with pytest.raises(requests.HTTPError, match="500"):
        refresh_catalog(few, "sfdc_demo", client, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert few.catalog_path("sfdc_demo").read_bytes() == before


def test_describes_run_in_parallel_but_bounded(emulator, org):
    client = EmulatorDescribeClient(emulator, org, pause=0.02)
    names = sorted(STANDARD_COLLECTIONS.values())[:16]
    describes = describe_all(client, names)
    assert set(describes) == set(names)
    assert 1 < client.max_in_flight <= DESCRIBE_WORKERS


def test_progress_counts_every_describe(few, client):
    seen: list[tuple[int, int, str]] = []
    refresh_catalog(few, "sfdc_demo", client, now=NOW, progress=lambda *event: seen.append(event))
    assert [(done, total) for done, total, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert {name for _, _, name in seen} == {"Account", "Case", "Subscription__c"}


def test_a_broken_previous_snapshot_is_replaced(few, client):
    path = few.catalog_path("sfdc_demo")
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    refresh_catalog(few, "sfdc_demo", client, now=NOW)
    assert len(load_snapshot(path).objects) == 3


def test_refresh_through_the_salesforce_client_skips_an_object_it_may_not_read(few, emulator, org):
    auth = SalesforceAuth(mode="session", instance_url=org.instance_url, session_id=org.session_id)
    client = SalesforceClient(auth, ClientSettings(ca_bundle=emulator.ca_bundle, max_attempts=1))
    emulator.control.add_fault(
        org.org_id,
        "/sobjects/Subscription__c/describe$",
        status=403,
        error_code="INSUFFICIENT_ACCESS",
        message="no access",
    )
    snapshot = refresh_catalog(few, "sfdc_demo", client, now=NOW)
    skipped = {s.sobject: s for s in snapshot.skipped}
    assert skipped["Subscription__c"].reason == SkipReason.NOT_READABLE
    assert skipped["Subscription__c"].detail.startswith(
        "describe failed (403): no access (INSUFFICIENT_ACCESS, HTTP 403)"
    )
    assert [o.table for o in snapshot.objects] == ["accounts", "cases"]
