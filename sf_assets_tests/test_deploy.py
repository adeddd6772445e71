"""The instance configs under deploy/ for more than one machine, loaded by Dagster against PostgreSQL."""

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "dagster.k8s.yaml"
KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: test, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: test, user: {token: test}}]
contexts: [{name: test, context: {cluster: test, user: test}}]
current-context: test
"""


def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str, config: dict) -> None:
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_PG_URL", postgres_url)


def test_k8s_instance_config_queues_runs_with_its_limits_in_postgres(tmp_path, monkeypatch, postgres_url):
    """Everything but the launcher, which needs dagster-k8s (not a dependency: see the next test)."""
    config = yaml.safe_load(K8S.read_text())
    launcher = config.pop("run_launcher")
    assert (launcher["module"], launcher["class"]) == ("dagster_k8s", "K8sRunLauncher")
    _home(tmp_path, monkeypatch, postgres_url, config)

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        queue = instance.get_concurrency_config().run_queue_config
        limits = {limit["key"]: limit for limit in queue.tag_concurrency_limits}
        assert limits["dagster/backfill"]["limit"] == 3
        assert limits["sf/instance"]["value"] == {"applyLimitPerUniqueValue": True}
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 4
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] == 300


def test_k8s_run_launcher_config_is_accepted_by_dagster_k8s(tmp_path, monkeypatch, postgres_url):
    pytest.importorskip("dagster_k8s", reason="dagster-k8s is installed in the deployment image only")
    config = yaml.safe_load(K8S.read_text())
    # Outside a cluster the launcher reads a kubeconfig instead of the pod's service account.
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    config["run_launcher"]["config"].update(
        load_incluster_config=False, kubeconfig_file=str(tmp_path / "kubeconfig")
    )
    _home(tmp_path, monkeypatch, postgres_url, config)

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_launcher).__name__ == "K8sRunLauncher"
        assert instance.run_launcher.job_namespace == "dagster"


def test_a_pool_limit_set_once_holds_for_every_process_on_the_instance(tmp_path, monkeypatch, postgres_url):
    """Pool slots live in the instance's PostgreSQL: a step in one pod holds the slot another pod waits for."""
    config = yaml.safe_load(K8S.read_text())
    config.pop("run_launcher")
    _home(tmp_path, monkeypatch, postgres_url, config)
    dagster_cli = Path(sys.executable).parent / "dagster"
    subprocess.run([dagster_cli, "instance", "concurrency", "set", "salesforce_api", "1"], check=True)

    # Two instances on one storage, as the run workers of two pods have.
    with dg.DagsterInstance.get() as first_pod, dg.DagsterInstance.get() as second_pod:
        assert second_pod.event_log_storage.get_concurrency_info("salesforce_api").slot_count == 1
        held = first_pod.event_log_storage.claim_concurrency_slot(
            "salesforce_api", "run-a", "sfdc_prod__accounts"
        )
        assert held.is_claimed
        waiting = second_pod.event_log_storage.claim_concurrency_slot(
            "salesforce_api", "run-b", "sfdc_prod__contacts"
        )
        assert not waiting.is_claimed
        first_pod.event_log_storage.free_concurrency_slot_for_step("run-a", "sfdc_prod__accounts")
        retried = second_pod.event_log_storage.claim_concurrency_slot(
            "salesforce_api", "run-b", "sfdc_prod__contacts"
        )
        assert retried.is_claimed
