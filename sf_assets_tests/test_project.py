"""How runs execute their steps: in the run's process by default, or in forked step processes."""

import json
import os
import subprocess
import sys

import dagster as dg

from .extract.conftest import assert_table_equals_org

JOB = "sfdc_prod__daily_sync"
ONLY_TWO = {"instances": {"sfdc_prod": {"objects": {"include": ["Account", "Contact"]}}}}


def test_runs_execute_steps_in_process_by_default(org, make_project):
    job = make_project({"sfdc_prod": org}, extra=ONLY_TWO).defs.resolve_job_def(JOB)
    assert job.executor_def is dg.in_process_executor


def test_parallel_steps_run_each_step_in_a_forked_process(
    emulator, org, sf, make_project, tmp_path, monkeypatch
):
    emulator.control.set_clock(org.org_id, "2026-03-10T10:00:00Z")
    account = sf.Account.create({"Name": "Forked"})["id"]
    sf.Contact.create({"LastName": "Forked", "AccountId": account})
    project = make_project({"sfdc_prod": org}, extra={**ONLY_TWO, "execution": {"parallel_steps": 2}})
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry: {enabled: false}\n")

    # A run as the daemon launches it: a fresh process that loads the code location by module.
    executed = subprocess.run(
        [sys.executable, "-m", "dagster", "job", "execute", "-m", "sf_assets.definitions", "-j", JOB,
         "--tags", json.dumps({"dagster/partition": "2026-03-10-00:00"})],
        env={**os.environ, "SF_ASSETS_CONFIG": str(project.settings.path), "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert executed.returncode == 0, executed.stderr[-3000:]

    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        events = [e for e in instance.all_logs(run.run_id) if e.dagster_event is not None]
        step_pids = {
            e.dagster_event.pid
            for e in events
            if e.dagster_event.event_type == dg.DagsterEventType.STEP_START
        }
        run_pid = next(
            e.dagster_event.pid for e in events if e.dagster_event.event_type == dg.DagsterEventType.RUN_START
        )
        assert any("multiprocess executor" in (e.user_message or "") for e in events)
    steps = 2 + 2  # each collection and its row-count check; the schema-change checks are one step
    assert len(step_pids) >= steps and run_pid not in step_pids
    for table in ("accounts", "contacts"):
        assert_table_equals_org(project, "sfdc_prod", table, sf)
