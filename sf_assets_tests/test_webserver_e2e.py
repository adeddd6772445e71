"""The project as operators run it: dagster-webserver and dagster-daemon, driven over GraphQL.

One bounded test of 60-90 s. The daemon's scheduler wakes on minute boundaries only (cron's
granularity), and a schedule turned on fires only for ticks after that moment, so the minutely test
schedule (`e2e_code_location.py`) first ticks 0-60 s after the daemon starts; the backfill runs meanwhile.
Select it with `-m e2e`, skip it with `-m "not e2e"`.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import dagster as dg
import pytest
import requests
import yaml

from .extract.conftest import assert_table_equals_org

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # dagster-webserver and dagster-daemon beside the Python running pytest
LOCATION_FILE = Path(__file__).with_name("e2e_code_location.py")
SCHEMA = "sfdc_e2e"
BACKFILLED = ["accounts", "contacts", "subscription_c"]
BACKFILL_PARTITIONS = ["2026-03-10-00:00", "2026-03-11-00:00", "2026-03-12-00:00"]
SCHEDULED = "leads"  # synced only by the test schedule, so its rows tell which window the tick read
# e2e_code_location.SCHEDULE_NAME; not imported, since importing that module loads the project.
SCHEDULE_NAME = "e2e_every_minute"
DEADLINE_S = 150  # a bound against hangs, not a measurement: the tick alone can take 60 s
POLL_S = 0.1


@dataclass
class Dagster:
    """dagster-webserver and dagster-daemon on one workspace: processes, logs, and a GraphQL client."""

    tmp_path: Path
    env: dict[str, str]
    port: int = field(default_factory=lambda: _free_port())
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, name: str) -> None:
        workspace = self.tmp_path / "workspace.yaml"
        if not workspace.exists():
            location = {
                "relative_path": str(LOCATION_FILE),
                "location_name": "sf_assets",
                "working_directory": str(ROOT),
            }
            workspace.write_text(yaml.safe_dump({"load_from": [{"python_file": location}]}))
        arguments = {
            "dagster-webserver": ["-w", str(workspace), "-h", "127.0.0.1", "-p", str(self.port)],
            "dagster-daemon": ["run", "-w", str(workspace)],
        }[name]
        with open(self.tmp_path / f"{name}.log", "wb") as log:
            self.processes[name] = subprocess.Popen(
                [str(BIN / name), *arguments],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopping it stops its code servers and runs
            )

    def stop(self) -> None:
        for process in self.processes.values():
            _stop(process)

    def log_tails(self, lines: int = 80) -> str:
        parts = []
        for name in self.processes:
            path = self.tmp_path / f"{name}.log"
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {name} ({path}) ---\n" + "\n".join(tail))
        return "\n".join(parts)

    def graphql(self, query: str, **variables: object) -> dict:
        response = requests.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables}, timeout=30
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def reachable(self) -> bool:
        try:
            return requests.get(f"{self.url}/server_info", timeout=2).ok
        except requests.ConnectionError:
            return False

    def wait_until(self, what: str, probe: Callable[[], object], deadline: float) -> object:
        """Poll `probe` until it returns something truthy; fail naming `what` if a process dies or time is up."""
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise AssertionError(f"{name} exited with {process.returncode} while waiting for {what}")
            found = probe()
            if found:
                return found
            time.sleep(POLL_S)
        raise AssertionError(f"timed out waiting for {what}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole process group, then SIGKILL to whatever of it is left."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with suppress(ProcessLookupError):  # stragglers of the group, even when the leader has exited
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


@contextmanager
def dagster_processes(tmp_path: Path) -> Iterator[Dagster]:
    """Processes started through the yielded object are stopped however the block ends; logs go with failures."""
    # Dagster's beta warnings (several per asset) would bury the log lines that explain a failure.
    dagster = Dagster(tmp_path, {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore"})
    try:
        yield dagster
    except BaseException as exc:
        exc.add_note(dagster.log_tails())
        raise
    finally:
        dagster.stop()


def prepare_dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's deploy/dagster.sqlite.yaml (queued runs polled every second, not five), its storage created here.

    Created once before the processes start: a webserver and a daemon migrating the same fresh SQLite
    storage at once race ("Version table 'alembic_version' has more than one head present").
    """
    home = tmp_path / "dagster_home"
    home.mkdir()
    config = yaml.safe_load((ROOT / "deploy" / "dagster.sqlite.yaml").read_text())
    config["run_coordinator"] = {
        "module": "dagster.core.run_coordinator",
        "class": "QueuedRunCoordinator",
        "config": {"dequeue_interval_seconds": 1},
    }
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get():
        pass


def seed_org(emulator, org, sf, partitions: dg.TimeWindowPartitionsDefinition) -> dict[str, str]:  # noqa: ANN001
    """Rows on each backfilled day, and one lead in each of the two windows a tick can read."""
    emulator.control.set_clock(org.org_id, "2026-03-10T05:00:00Z")
    accounts = [sf.Account.create({"Name": f"Account {i}", "Industry": "Energy"})["id"] for i in range(3)]
    sf.Contact.create({"LastName": "Early", "AccountId": accounts[0]})
    emulator.control.set_clock(org.org_id, "2026-03-11T05:00:00Z")
    sf.Subscription__c.create(
        {"Name": "Sub", "Account__c": accounts[1], "Plan__c": "Pro", "Status__c": "Active"}
    )
    sf.Account.update(accounts[2], {"Name": "Renamed"})
    emulator.control.set_clock(org.org_id, "2026-03-12T05:00:00Z")
    sf.Contact.create({"LastName": "Late", "AccountId": accounts[1]})
    sf.Account.delete(accounts[0])
    # The tick reads the latest closed window, which moves at midnight UTC: seed it and the next.
    latest = partitions.get_last_partition_key()
    window = partitions.time_window_for_partition_key(latest)
    leads = {}
    for start in (window.start, window.end):
        emulator.control.set_clock(org.org_id, (start + timedelta(hours=1)).isoformat())
        key = partitions.get_partition_key_for_timestamp(start.timestamp())
        leads[key] = sf.Lead.create({"LastName": f"Lead {key}", "Company": "Acme"})["id"]
    return leads


# One relation, so that the lineage holds a payload asset ["amplitude", "companies"] downstream of accounts.
MAPPING = {
    "version": 1,
    "relations": [
        {
            "name": "companies",
            "source": {"instance": SCHEMA, "object": "Account"},
            "group_type": "company",
            "group_name_field": "Id",
            "properties": [{"field": "Name", "property": "Name", "op": "set"}],
        }
    ],
}
ASSET_NODES = "{ assetNodes { assetKey { path } dependencyKeys { path } } }"
LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries {
  name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
LAUNCH_BACKFILL = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message stack } } }"""
BACKFILL = """query($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status } ... on PythonError { message } } }"""
RUNS = """query($key: String!, $value: String!) { runsOrError(filter: {tags: [{key: $key, value: $value}]}) {
  ... on Runs { results { runId status tags { key value } } } } }"""
PARTITION_STATS = """query($keys: [AssetKeyInput!]) { assetNodes(assetKeys: $keys) {
  assetKey { path } partitionStats { numMaterialized } } }"""


def location_loaded(dagster: Dagster) -> bool:
    entries = dagster.graphql(LOCATIONS)["workspaceOrError"]["locationEntries"]
    for entry in entries:
        error = entry["locationOrLoadError"]
        if error and error["__typename"] == "PythonError":
            raise AssertionError(f"code location {entry['name']} failed to load: {error['message']}")
    return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)


def runs_tagged(dagster: Dagster, key: str, value: str) -> list[dict]:
    runs = dagster.graphql(RUNS, key=key, value=value)["runsOrError"]["results"]
    return [{**run, "tags": {t["key"]: t["value"] for t in run["tags"]}} for run in runs]


def assert_no_failed_runs(runs: list[dict]) -> None:
    failed = [(r["runId"], r["status"]) for r in runs if r["status"] in ("FAILURE", "CANCELED")]
    assert not failed, f"runs that did not succeed: {failed}"


def test_webserver_and_daemon_serve_the_lineage_run_a_backfill_and_tick_a_schedule(
    tmp_path, emulator, org, sf, make_project, monkeypatch
):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    project = make_project({SCHEMA: org}, start="2026-03-10", extra={"groups": {"mapping": str(mapping)}})
    partitions = project.asset(SCHEMA, SCHEDULED).partitions_def
    leads = seed_org(emulator, org, sf, partitions)
    prepare_dagster_home(tmp_path, monkeypatch)
    monkeypatch.setenv("SF_ASSETS_CONFIG", str(project.settings.path))
    monkeypatch.setenv("SF_ASSETS_E2E_SCHEDULED_ASSET", f"{SCHEMA}/{SCHEDULED}")
    deadline = time.monotonic() + DEADLINE_S

    with dagster_processes(tmp_path) as dagster:
        dagster.start("dagster-webserver")
        dagster.wait_until(
            "the code location to load", lambda: dagster.reachable() and location_loaded(dagster), deadline
        )

        # The lineage: every asset of the definitions (collections, and payloads when the project maps
        # relations), each with exactly its dependencies.
        served = {
            tuple(node["assetKey"]["path"]): {tuple(d["path"]) for d in node["dependencyKeys"]}
            for node in dagster.graphql(ASSET_NODES)["assetNodes"]
        }
        defined = {
            tuple(spec.key.path): {tuple(dep.asset_key.path) for dep in spec.deps}
            for spec in project.defs.resolve_all_asset_specs()
        }
        assert served == defined
        assert len([key for key in served if key[0] == SCHEMA]) >= 48
        assert served[("amplitude", "companies")] == {(SCHEMA, "accounts")}  # the payload of MAPPING

        # Launched as from the UI, before the daemon starts: its backfill loop runs every 30 s, the
        # first time right after it starts, so the run is submitted at once and completion seen 30 s on.
        selection = [{"path": [SCHEMA, table]} for table in BACKFILLED]
        params = {"assetSelection": selection, "partitionNames": BACKFILL_PARTITIONS}
        launched = dagster.graphql(LAUNCH_BACKFILL, params=params)["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill_id = launched["backfillId"]
        dagster.start("dagster-daemon")

        def backfill_done() -> bool:
            status = dagster.graphql(BACKFILL, id=backfill_id)["partitionBackfillOrError"]["status"]
            assert status in ("REQUESTED", "COMPLETED_SUCCESS"), f"backfill {backfill_id} is {status}"
            assert_no_failed_runs(runs_tagged(dagster, "dagster/backfill", backfill_id))
            return status == "COMPLETED_SUCCESS"

        def scheduled_run() -> dict | None:
            runs = runs_tagged(dagster, "dagster/schedule_name", SCHEDULE_NAME)
            assert_no_failed_runs(runs)
            return next((r for r in runs if r["status"] == "SUCCESS"), None)

        dagster.wait_until("the backfill to complete", backfill_done, deadline)
        tick_run = dagster.wait_until("a run from the schedule's tick", scheduled_run, deadline)

        backfill_runs = runs_tagged(dagster, "dagster/backfill", backfill_id)
        assert [r["status"] for r in backfill_runs] == ["SUCCESS"]  # single-run policy: one run for the range
        tags = backfill_runs[0]["tags"]
        assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == (
            BACKFILL_PARTITIONS[0],
            BACKFILL_PARTITIONS[-1],
        )
        stats = dagster.graphql(PARTITION_STATS, keys=selection)["assetNodes"]
        assert {s["partitionStats"]["numMaterialized"] for s in stats} == {len(BACKFILL_PARTITIONS)}

    for table in BACKFILLED:
        assert assert_table_equals_org(project, SCHEMA, table, sf)
    tick_partition = tick_run["tags"]["dagster/partition"]
    assert tick_partition in leads
    synced_leads = {row["id"] for row in project.warehouse().fetch_all(SCHEMA, SCHEDULED)}
    assert synced_leads == {leads[tick_partition]}
