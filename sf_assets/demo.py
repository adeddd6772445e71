"""`make demo`: a demo org on the local emulator, its catalog, and a full initial sync through Dagster.

Leaves `.env` (the demo org's logins, read by `dagster dev`) and `.dagster_home` (the run history)
so that `make ui` shows the same runs and can launch more.
"""

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from contextlib import suppress
from pathlib import Path

import dagster as dg

from amplitude_emulator.testing import AmplitudeStandIn, start_amplitude
from sf_emulator.testing import RunningEmulator, start_emulator

from .catalog.refresh import refresh_catalog
from .cli import salesforce_client
from .project import build_definitions
from .settings import load_settings

DEMO_INSTANCE = "sfdc_demo"
EMULATOR_DIR = Path(".sf_emulator/demo")
DAGSTER_HOME = Path(".dagster_home")
DEMO_PORT = "8443"
AMPLITUDE_PORT = 8444  # sf_assets.yaml's groups.amplitude.base_url
AMPLITUDE_KEY = "demo-amplitude-key"  # the local stand-in's key, not a real project's


def start_demo_emulator(scale: int) -> RunningEmulator:
    """The demo org on https://127.0.0.1:8443; its data persists in .sf_emulator/demo."""
    return start_emulator(
        EMULATOR_DIR, "--port", DEMO_PORT, "--scale", str(scale), "--seed", "1", "--no-proxy"
    )


def start_demo_amplitude() -> AmplitudeStandIn:
    """The Amplitude stand-in on http://127.0.0.1:8444, taking the demo key."""
    return start_amplitude(AMPLITUDE_PORT, api_keys=(AMPLITUDE_KEY,), log_dir=Path(".amplitude_emulator"))


def demo_environment(ready: dict) -> dict[str, str]:
    return {
        "AMPLITUDE_API_KEY": AMPLITUDE_KEY,
        "SFDC_DEMO_USERNAME": ready["username"],
        "SFDC_DEMO_PASSWORD": ready["password"],
        "SFDC_DEMO_SECURITY_TOKEN": ready["security_token"],
        "SFDC_DEMO_CA_BUNDLE": ready["ca_bundle"],
    }


def write_env_file(values: dict[str, str], path: Path = Path(".env")) -> None:
    """`dagster dev` loads .env from its working directory; these are the local emulator's logins only."""
    kept = (
        [line for line in path.read_text().splitlines() if line.split("=", 1)[0] not in values]
        if path.exists()
        else []
    )
    path.write_text("\n".join([*kept, *(f"{k}={v}" for k, v in values.items())]) + "\n")


def prepare_dagster_home() -> dg.DagsterInstance:
    DAGSTER_HOME.mkdir(exist_ok=True)
    shutil.copy("deploy/dagster.sqlite.yaml", DAGSTER_HOME / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(DAGSTER_HOME.resolve())
    return dg.DagsterInstance.get()


class SyncProgress(logging.Handler):
    """A line per collection as its step lands, and every warning or error, instead of Dagster's debug log."""

    def __init__(self, total: int) -> None:
        super().__init__(level=logging.DEBUG)
        self.total = total
        self.done: set[dg.AssetKey] = set()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {})  # Dagster puts its structured event on each record
        event = meta.get("dagster_event")
        if event is not None and event.event_type == dg.DagsterEventType.RUN_START:
            print(f"  run {meta['run_id']} started: {self.total} collections, one step each")
        elif event is not None and event.is_step_materialization and event.asset_key not in self.done:
            # A ranged run materializes every partition with the same metadata: report the first.
            self.done.add(event.asset_key)
            metadata = event.step_materialization_data.materialization.metadata
            rows, took = metadata["dagster/row_count"].value, metadata["seconds"].value
            count = f"{len(self.done):>{len(str(self.total))}}/{self.total}"
            print(f"  [{count}] {'.'.join(event.asset_key.path):<45} {rows:>9,} rows {took:6.2f} s")
        elif record.levelno >= logging.WARNING:
            print(f"  {record.levelname}: {meta.get('orig_message', record.getMessage())}")


def run_all_partitions(
    name: str,
    assets: list[dg.AssetsDefinition],
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    handler: logging.Handler,
) -> dg.ExecuteInProcessResult:
    """`assets` over all their partitions as one single-run backfill, logging only through `handler`."""
    partitions = assets[0].partitions_def
    first, last = partitions.get_first_partition_key(), partitions.get_last_partition_key()

    @dg.logger(description="Demo progress on stdout")
    def progress(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger(f"sf_assets.demo.{name}")
        logger.addHandler(handler)
        return logger

    keys = {key for a in assets for key in a.keys}
    # The assets' checks run in the same run, so the UI shows them evaluated from the start.
    checks = [c for c in defs.asset_checks or () if any(k.asset_key in keys for k in c.check_keys)]
    job = dg.Definitions(
        assets=assets,
        asset_checks=checks,
        resources=defs.resources,
        jobs=[dg.define_asset_job(name)],
        loggers={"progress": progress},
    ).resolve_job_def(name)
    # Only the loggers named in the run config run, so the progress lines replace the console log.
    return job.execute_in_process(
        instance=instance,
        run_config={"loggers": {"progress": {}}},
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
    )


def initial_sync(defs: dg.Definitions, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    """Every collection of the demo instance over all its partitions, as one single-run backfill."""
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition) and a.key.path[0] == DEMO_INSTANCE]
    return run_all_partitions("demo_initial_sync", assets, defs, instance, SyncProgress(len(assets)))


def deliver_payloads(defs: dg.Definitions, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult | None:
    """Every relation's payload asset over all its partitions, as one run: every group is new, so all are sent."""
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition) and a.key.path[0] == "amplitude"]
    if not assets:
        return None
    return run_all_partitions("demo_group_payloads", assets, defs, instance, WarningsOnly())


class WarningsOnly(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {})
        print(f"  {record.levelname}: {meta.get('orig_message', record.getMessage())}")


def print_payload_summary(result: dg.ExecuteInProcessResult) -> None:
    print(f"\n{'relation':<12} | {'groups built':>12} | {'sent':>6} | {'requests':>8} | dead-lettered")
    print(f"{'-' * 12}-+-{'-' * 12}-+-{'-' * 6}-+-{'-' * 8}-+--------------")
    reported = set()
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        if materialization.asset_key in reported:  # one event per partition, all with the run's metadata
            continue
        reported.add(materialization.asset_key)
        facts = {k: v.value for k, v in materialization.metadata.items()}
        print(
            f"{materialization.asset_key.path[-1]:<12} | {facts['groups_built']:>12,} | {facts['groups_sent']:>6,} | "
            f"{facts['requests']:>8} | {facts['dead_lettered']}"
        )


def describe_progress(done: int, total: int, sobject: str) -> None:
    """One line redrawn in place on a terminal; a log gets only the last."""
    if sys.stdout.isatty():
        end = "\n" if done == total else ""
        print(f"\r  described {done}/{total} objects: {sobject}\x1b[K", end=end, flush=True)
    elif done == total:
        print(f"  described {total} objects")


def print_summary(result: dg.ExecuteInProcessResult, seconds: float) -> None:
    """The totals; each collection was reported as it landed (`SyncProgress`)."""
    rows = {
        event.asset_key: event.step_materialization_data.materialization.metadata["dagster/row_count"].value
        for event in result.get_asset_materialization_events()
    }
    print(f"Synced {sum(rows.values()):,} rows in {len(rows)} collections in {seconds:.1f} s (wall clock).")
    evaluations = result.get_asset_check_evaluations()
    warned = [e for e in evaluations if not e.passed]
    print(f"Checks: {len(evaluations) - len(warned)} of {len(evaluations)} passed.")
    for evaluation in warned:
        facts = ", ".join(f"{k} {v.value}" for k, v in evaluation.metadata.items())
        print(f"  WARN {evaluation.asset_key.to_user_string()} {evaluation.check_name}: {facts}")


def main(scale: int = 20) -> None:
    print(
        f"Starting the Salesforce emulator with a demo org (about {scale * 1000:,} rows) on https://127.0.0.1:{DEMO_PORT} ..."
    )
    emulator = start_demo_emulator(scale)
    amplitude = start_demo_amplitude()
    try:
        env = demo_environment(emulator.ready)
        os.environ.update(env)
        write_env_file(env)
        settings = load_settings()
        instance_settings = settings.instance(DEMO_INSTANCE)
        print("Describing the org (sf-assets catalog refresh) ...")
        client = salesforce_client(settings, instance_settings)
        snapshot = refresh_catalog(settings, DEMO_INSTANCE, client, progress=describe_progress)
        print(f"  {len(snapshot.objects)} collections in {settings.catalog_path(DEMO_INSTANCE)}")
        defs = build_definitions(settings)
        instance = prepare_dagster_home()
        print(
            "Running the initial sync of every collection through Dagster (one run over all partitions) ..."
        )
        began = time.perf_counter()
        result = initial_sync(defs, instance)
        print_summary(result, time.perf_counter() - began)
        print(
            f"Sending group properties to the Amplitude stand-in on {amplitude.url} (mappings/demo.json) ..."
        )
        payloads = deliver_payloads(defs, instance)
        if payloads is not None:
            print_payload_summary(payloads)
        print(
            f"\nWarehouse: {settings.warehouse.data_dir}/ (SQLite; schema {instance_settings.schema} = {instance_settings.schema}.db)"
        )
        print("Open the Dagster UI on the same project and org:  make ui   → http://127.0.0.1:3000")
    finally:
        amplitude.stop()
        emulator.process.terminate()
        emulator.process.wait(timeout=30)


def stop_process_group(process: subprocess.Popen, timeout_s: float = 30) -> None:
    """Stop a process started in its own session and everything it started, as Ctrl-C would
    (SIGINT to the group: `dagster dev` then shuts down its webserver, daemon and code servers),
    then SIGKILL to the group whatever is left after `timeout_s`."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout_s)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def ui(scale: int = 20) -> None:
    """`make ui`: the same emulator org, then `dagster dev` (webserver and daemon) on this project."""
    emulator = start_demo_emulator(scale)
    amplitude = start_demo_amplitude()
    try:
        env = demo_environment(emulator.ready)
        write_env_file(env)
        prepare_dagster_home()
        command = [
            sys.executable,
            "-m",
            "dagster",
            "dev",
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            "3000",
        ]
        print("Dagster UI on http://127.0.0.1:3000 (Ctrl-C stops it and the emulator)")
        # Its own session, so that stopping it reaches every process it starts: kill, systemd and
        # `docker stop` send this process SIGTERM, which would otherwise leave them all running.
        dev = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            dev.wait()
        except KeyboardInterrupt:
            print("Stopping the Dagster UI, its daemon and the emulator ...")
        finally:
            stop_process_group(dev)
    finally:
        amplitude.stop()
        emulator.process.terminate()
        emulator.process.wait(timeout=30)


if __name__ == "__main__":
    # One BetaWarning per asset (backfill_policy) would bury the demo's own output.
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)
    command = sys.argv[1] if len(sys.argv) > 1 else "demo"
    scale = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    {"demo": main, "ui": ui}[command](scale)
