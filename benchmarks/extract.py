"""A full initial sync of a generated org into PostgreSQL through Dagster, beside its floor.

    .venv/bin/python benchmarks/extract.py [--scales 100,1000] [--quick] [--repeat 1] [--days 3]
                                           [--dagster-storage sqlite|postgres] [--profile DIR]

For each scale N (an emulator org of about N × 1000 rows over its 48 collections, seed 1; --quick
is one org of scale 5), on a PostgreSQL database created for the pass and dropped after it:

* sync: what a user runs. A project config file (`sf_assets.yaml`) pointing at the org, with its
  secrets and the warehouse URL in environment variables; `refresh_catalog` (the `sf-assets
  catalog refresh` step, timed apart); then, in a fresh Python process with a fresh DAGSTER_HOME
  holding the project's `deploy/dagster.sqlite.yaml` (embedded SQLite storage, as `make demo` and `make ui`
  use; --dagster-storage postgres: `deploy/dagster.postgres.yaml` on the pass's database),
  `build_definitions` and one `dg.materialize` of every collection over all partitions as a
  single-run backfill (the `dagster/asset_partition_range_start/end` tags, as `make demo` does).
  Measured: rows loaded (the sum of each asset's `dagster/row_count`), the wall seconds of the
  `materialize` call, API calls (the emulator's request log, reset before the run) and the peak
  RSS of that process (its own `ru_maxrss`, so each scale's figure is its own).
* floor: the least any sync of the same data must do, on the same org, in a fresh process too:
  the SOQL the sync sends (`window_query` over the same fields and the same full-history window)
  read as Bulk API 2.0 CSV pages through `SalesforceClient.query_batches(..., api="bulk")`, each
  page COPYed as it comes (`COPY … FROM STDIN WITH (FORMAT csv)`) into a plain all-TEXT table,
  one transaction per table, and nothing else: no count query, no REST, no types, no keys. The
  objects Bulk cannot serve (base64 fields: Document) are paged over REST, as the sync does, and
  written as CSV with the csv module. The floor runs just before the sync.

The cadence is daily with `start` --days (default 3) days before today, so the backfill spans 3
partitions. Dagster writes a planned and a materialization event per partition for each asset of
a ranged run, each a separate commit to its event log: 30-40 ms per asset and partition here on
the SQLite instance (at scale 5, 9-17 s with 3 partitions and 54-62 s with 30), so a range of
thousands (the default every_3h cadence from 2024 is about 7,000) would measure event writing,
not extraction. The first partition reads all history, so the rows are the same whatever --days.

Each scale's org is generated once; each of --repeat passes runs the floor then the sync on a
fresh database and DAGSTER_HOME, and the table shows the fastest of each (peak RSS: the highest),
since other work on the machine slows single passes (the JSON keeps every pass with the load
average around it). Rows loaded must equal the floor's, collection by collection.

Aims (issue 4 item 10): sync ≥ 0.5 × the floor's rows/s; sync peak RSS flat from the small scale
to the large one. The verdicts also give the collection bodies' own rows/s against the floor
(`bodies_over_floor`), because the rest of a run is a cost that does not grow with the data:
Dagster's run and step machinery and its event log (about 490 events for 48 assets over 3
partitions, some 20 ms each, whatever the scale: 7-15 s here, more when the machine is busy). At
scale 100, where the whole floor takes 2-4 s, that fixed cost alone puts the run below the 0.5 aim.

Peak RSS is flat because Bulk result pages (up to 50,000 rows: 20-30 MB of CSV for wide objects)
are spooled to a temporary file as they download (`ClientSettings.bulk_spool_bytes`) and COPY
reads them in 1 MB slices; holding them in memory, as the sync first did, made its peak grow by
about 60 MB from scale 100 to 1000.

--profile DIR writes a cProfile of each sync process to DIR/sync_<scale>_<pass>.prof (profiled
timings are inflated, so it writes no JSON). Results go to benchmarks/results/extract.json. Not
part of the test suite (pytest collects sf_assets_tests only).
"""

import argparse
import cProfile
import csv
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg2
import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import Stopwatch, print_table, self_peak_rss_mb, write_results  # noqa: E402

INSTANCE = "sfdc_bench"
WAREHOUSE_URL_ENV = "SF_BENCH_WAREHOUSE_URL"
SERVER_URL_ENV = "SF_BENCH_PG_URL"  # the server's maintenance database; per-scale databases go beside it
DEFAULT_SERVER_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
FLOOR_SCHEMA = "floor"
COPY_SLICE = 1 << 20  # as the warehouse's COPY reads pages
AIM_RATIO = 0.5
RSS_FLAT = 1.05  # peak RSS growth from the small scale to the large one still called flat
# The instance a user has: the project's embedded SQLite one, or the production PostgreSQL one.
DAGSTER_YAML = {"sqlite": "deploy/dagster.sqlite.yaml", "postgres": "deploy/dagster.postgres.yaml"}


# --- the project a user would have ------------------------------------------------------------------
def secrets_env(org, ca_bundle: str) -> dict[str, str]:  # noqa: ANN001 - sf_emulator EmulatedOrg
    return {
        "SF_BENCH_USERNAME": org.username,
        "SF_BENCH_PASSWORD": org.password,
        "SF_BENCH_SECURITY_TOKEN": org.security_token,
        "SF_BENCH_CA_BUNDLE": ca_bundle,
    }


def write_project(folder: Path, org, start: date) -> Path:  # noqa: ANN001
    """`sf_assets.yaml` for the org: secrets named by environment variable, never written."""
    config = {
        "warehouse": {"url_env": WAREHOUSE_URL_ENV, "data_dir": "warehouse"},
        "catalog_dir": "catalog",
        "instances": {
            INSTANCE: {
                "schema": INSTANCE,
                "cadence": "daily",
                "start": start.isoformat(),
                "login_url": org.instance_url,
                "ca_bundle_env": "SF_BENCH_CA_BUNDLE",
                "auth": {
                    "mode": "password",
                    "username_env": "SF_BENCH_USERNAME",
                    "password_env": "SF_BENCH_PASSWORD",
                    "security_token_env": "SF_BENCH_SECURITY_TOKEN",
                },
            }
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sf_assets.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def dagster_home(folder: Path, dagster_storage: str) -> Path:
    """A fresh DAGSTER_HOME holding the instance config a user has, so every sync is an initial one."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / DAGSTER_YAML[dagster_storage], folder / "dagster.yaml")
    return folder


def sync_end(start: date) -> datetime:
    """Where the backfill's window ends: the end of the last partition (today 00:00 UTC)."""
    from sf_assets.extract.partitions import partitions_for

    partitions = partitions_for("daily", start)
    return partitions.time_window_for_partition_key(partitions.get_last_partition_key()).end.astimezone(UTC)


# --- PostgreSQL -------------------------------------------------------------------------------------
def server_url() -> sa.URL:
    return sa.make_url(os.environ.get(SERVER_URL_ENV, DEFAULT_SERVER_URL))


def recreate_database(name: str) -> sa.URL:
    with _maintenance() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    return server_url().set(database=name)


def drop_database(name: str) -> None:
    with _maintenance() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _maintenance:  # noqa: N801 - used as a context manager
    def __enter__(self):  # noqa: ANN204
        self.conn = psycopg2.connect(_dsn(server_url()))
        self.conn.autocommit = True
        return self.conn.cursor()

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _dsn(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# --- child processes --------------------------------------------------------------------------------
def run_child(kind: str, config: Path, env: dict[str, str], log: Path, *extra: str) -> dict:
    """Run this file as `--child kind` in a fresh interpreter; its last stdout line is its JSON report."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--config",
        str(config),
        *extra,
    ]
    with open(log, "w") as stderr:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, env={**os.environ, **env}
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-40:])
        raise RuntimeError(f"the {kind} process failed with exit code {done.returncode}:\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_sync(config: Path, profile: Path | None) -> dict:
    """The sync as a user runs it: definitions from the config file, one run over every partition."""
    import dagster as dg

    from sf_assets.project import build_definitions
    from sf_assets.settings import load_settings

    settings = load_settings(config)
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.get()
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    partitions = assets[0].partitions_def
    first, last = partitions.get_first_partition_key(), partitions.get_last_partition_key()
    rss_before = self_peak_rss_mb()
    cpu_before = _cpu_seconds()
    profiler = cProfile.Profile() if profile else None
    with Stopwatch() as watch:
        if profiler:
            profiler.enable()
        result = dg.materialize(
            assets,
            instance=instance,
            resources=defs.resources,
            tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
        )
        if profiler:
            profiler.disable()
    if profiler:
        profiler.dump_stats(profile)
    if not result.success:
        raise RuntimeError("the sync run failed")
    events = result.get_asset_materialization_events()
    collections: dict[str, dict] = {}
    for event in events:  # one event per partition of each asset, all with the same metadata
        materialization = event.step_materialization_data.materialization
        metadata = {key: value.value for key, value in materialization.metadata.items()}
        collections[materialization.asset_key.path[-1]] = {
            "rows": metadata["dagster/row_count"],
            "rows_read": metadata["rows_read"],
            "api": metadata["api"],
            "api_calls": metadata["api_calls"],
            "seconds": metadata["seconds"],
            "window": metadata["window"],
        }
    return {
        "rows": sum(c["rows"] for c in collections.values()),
        "seconds": watch.seconds,
        "collections": collections,
        "partitions": len(partitions.get_partition_keys_in_range(dg.PartitionKeyRange(first, last))),
        "materialization_events": len(events),
        "run_id": result.run_id,
        "rss_before_run_mb": rss_before,
        "peak_rss_mb": self_peak_rss_mb(),
        "cpu_s": _cpu_seconds() - cpu_before,
    }


def child_floor(config: Path, end: datetime) -> dict:
    """Bulk CSV pages of the sync's SOQL, COPYed as they come into all-TEXT tables, and nothing else."""
    from sf_assets.catalog.snapshot import load_catalog
    from sf_assets.cli import salesforce_client
    from sf_assets.lib.batches import CsvBatch
    from sf_assets.lib.soql import DEFAULT_OVERLAP, Window, window_query
    from sf_assets.settings import load_settings

    settings = load_settings(config)
    instance = settings.instance(INSTANCE)
    specs = load_catalog(settings, INSTANCE).objects
    client = salesforce_client(settings, instance)
    window = Window(None, end).widened(DEFAULT_OVERLAP)  # what the sync reads from the first partition
    conn = psycopg2.connect(_dsn(sa.make_url(os.environ[WAREHOUSE_URL_ENV])))
    collections: dict[str, dict] = {}
    cpu_before = _cpu_seconds()
    with Stopwatch() as watch:
        client.login()
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {FLOOR_SCHEMA}")
        conn.commit()
        for spec in specs:
            fields = [f.sf_name for f in spec.fields]
            soql = window_query(spec.sobject, fields, spec.cursor_field, window)
            api = "bulk" if spec.bulk_compatible else "rest"
            table = f'{FLOOR_SCHEMA}."{spec.table}"'
            rows = 0
            with conn.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {table} ({', '.join(f'{_q(name)} TEXT' for name in fields)})")
                for batch in client.query_batches(soql, include_deleted=True, api=api):
                    data = batch.open() if isinstance(batch, CsvBatch) else io.BytesIO(_records_csv(batch))
                    copy = f"COPY {table} ({', '.join(_q(n) for n in batch.fields)}) FROM STDIN WITH (FORMAT csv)"
                    cursor.copy_expert(copy, data, size=COPY_SLICE)
                    rows += cursor.rowcount
            conn.commit()
            collections[spec.table] = {"rows": rows, "api": api, "soql": soql}
    conn.close()
    return {
        "rows": sum(c["rows"] for c in collections.values()),
        "seconds": watch.seconds,
        "window": window.label,
        "collections": collections,
        "api_calls": client.api_calls,
        "peak_rss_mb": self_peak_rss_mb(),
        "cpu_s": _cpu_seconds() - cpu_before,
    }


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process: less sensitive than wall time to other work on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _q(name: str) -> str:
    return '"' + name.lower() + '"'


def _records_csv(batch) -> bytes:  # noqa: ANN001 - a RecordBatch
    def text(value: object) -> object:
        return ("true" if value else "false") if isinstance(value, bool) else value

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(
        [text(record.get(name)) for name in batch.fields] for record in batch.records
    )
    return buffer.getvalue().encode("utf-8")


# --- one scale --------------------------------------------------------------------------------------
def measure_scale(  # noqa: ANN001
    emulator, scale: int, folder: Path, *, days: int, repeat: int, dagster_storage: str, profile: Path | None
) -> tuple[dict, dict]:
    """Generate the org, refresh the catalog, then `repeat` passes of floor and sync, each on a fresh database."""
    from sf_assets.catalog.refresh import refresh_catalog
    from sf_assets.cli import salesforce_client
    from sf_assets.settings import load_settings

    print(f"\nscale {scale}: generating the org (about {scale * 1000:,} rows) ...", flush=True)
    with Stopwatch() as generation:
        org = emulator.control.create_org(scale=scale, seed=1)
    try:
        start = datetime.now(UTC).date() - timedelta(days=days)
        config = write_project(folder, org, start)
        os.environ.update(secrets_env(org, emulator.ca_bundle))
        settings = load_settings(config)
        with Stopwatch() as refresh:
            snapshot = refresh_catalog(
                settings, INSTANCE, salesforce_client(settings, settings.instance(INSTANCE))
            )
        end = sync_end(start)
        passes = []
        for attempt in range(1, repeat + 1):
            print(
                f"scale {scale}, pass {attempt}/{repeat}: floor (Bulk CSV + bare COPY of "
                f"{len(snapshot.objects)} collections), then the sync (one Dagster run over all partitions) ...",
                flush=True,
            )
            profile_path = profile / f"sync_{scale}_{attempt}.prof" if profile else None
            passes.append(
                one_pass(
                    emulator,
                    org,
                    scale,
                    config,
                    folder / f"pass_{attempt}",
                    end,
                    dagster_storage,
                    profile_path,
                )
            )
    finally:
        emulator.control.drop_org(org.org_id)

    floor = min((p["floor"] for p in passes), key=lambda f: f["seconds"])
    sync = min((p["sync"] for p in passes), key=lambda s: s["seconds"])
    sync_peak = max(p["sync"]["peak_rss_mb"] for p in passes)
    floor_peak = max(p["floor"]["peak_rss_mb"] for p in passes)
    sync_rate = sync["rows"] / sync["seconds"]
    floor_rate = floor["rows"] / floor["seconds"]
    in_steps = sum(c["seconds"] for c in sync["collections"].values())
    row = {
        "scale": scale,
        "rows": sync["rows"],
        "sync_s": round(sync["seconds"], 2),
        "sync_rows_per_s": round(sync_rate),
        "sync_api_calls": sync["requests"]["total"],
        "sync_peak_rss_mb": round(sync_peak),
        "floor_s": round(floor["seconds"], 2),
        "floor_rows_per_s": round(floor_rate),
        "floor_api_calls": floor["requests"]["total"],
        "floor_peak_rss_mb": round(floor_peak),
        "sync_over_floor": round(sync_rate / floor_rate, 2),
        "bodies_over_floor": round(sync["rows"] / in_steps / floor_rate, 2),
    }
    by_api = {
        api: sum(1 for c in sync["collections"].values() if c["api"] == api) for api in ("rest", "bulk")
    }
    detail = {
        "scale": scale,
        "collections": len(sync["collections"]),
        "partitions": sync["partitions"],
        "materialization_events": sync["materialization_events"],
        "window": floor["window"],
        "generate_org_s": round(generation.seconds, 2),
        "catalog_refresh_s": round(refresh.seconds, 2),
        "passes": [
            {
                "sync_s": round(p["sync"]["seconds"], 2),
                "floor_s": round(p["floor"]["seconds"], 2),
                "sync_cpu_s": round(p["sync"]["cpu_s"], 2),
                "floor_cpu_s": round(p["floor"]["cpu_s"], 2),
                "sync_peak_rss_mb": round(p["sync"]["peak_rss_mb"]),
                "floor_peak_rss_mb": round(p["floor"]["peak_rss_mb"]),
                "load_average": p["load_average"],
            }
            for p in passes
        ],
        # The collection bodies (sync_collection: Salesforce reads and the warehouse load) against the
        # rest of the run: Dagster's run and step machinery and its event log writes.
        "sync_in_collection_bodies_s": round(in_steps, 2),
        "sync_outside_collection_bodies_s": round(sync["seconds"] - in_steps, 2),
        "sync_rss_before_run_mb": round(sync["rss_before_run_mb"]),
        "sync_collections_by_api": by_api,
        "sync_requests_by_endpoint": sync["requests"]["by_endpoint"],
        "floor_requests_by_endpoint": floor["requests"]["by_endpoint"],
        "floor_client_api_calls": floor["api_calls"],
        "per_collection": {
            table: {**c, "floor_rows": floor["collections"][table]["rows"]}
            for table, c in sorted(sync["collections"].items())
        },
    }
    return row, detail


def one_pass(  # noqa: ANN001
    emulator,
    org,
    scale: int,
    config: Path,
    folder: Path,
    end: datetime,
    dagster_storage: str,
    profile: Path | None,
) -> dict:
    """The floor, then the sync, into a database created for them and dropped afterwards."""
    database = f"sf_bench_extract_{scale}"
    url = recreate_database(database).render_as_string(hide_password=False)
    folder.mkdir(parents=True)
    env = {
        WAREHOUSE_URL_ENV: url,
        "DAGSTER_HOME": str(dagster_home(folder / "dagster_home", dagster_storage)),
    }
    if dagster_storage == "postgres":  # Dagster's own tables go in the same database's public schema
        env["DAGSTER_PG_URL"] = url
    load_before = os.getloadavg()[0]
    try:
        emulator.control.reset_requests(org.org_id)
        floor = run_child("floor", config, env, folder / "floor.log", "--end", end.isoformat())
        floor["requests"] = emulator.control.requests(org.org_id)
        emulator.control.reset_requests(org.org_id)
        extra = ("--profile", str(profile)) if profile else ()
        sync = run_child("sync", config, env, folder / "sync.log", *extra)
        sync["requests"] = emulator.control.requests(org.org_id)
    finally:
        drop_database(database)
    windows = {c["window"] for c in sync["collections"].values()}
    if windows != {floor["window"]}:
        raise RuntimeError(f"the sync read windows {sorted(windows)}, the floor {floor['window']}")
    mismatched = {
        table: (c["rows"], floor["collections"].get(table, {}).get("rows"))
        for table, c in sync["collections"].items()
        if c["rows"] != floor["collections"].get(table, {}).get("rows")
    }
    if mismatched or len(sync["collections"]) != len(floor["collections"]):
        raise RuntimeError(f"sync and floor loaded different rows (table: sync, floor): {mismatched}")
    return {
        "floor": floor,
        "sync": sync,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100,1000", help="org sizes, comma-separated (× 1000 rows)")
    parser.add_argument(
        "--quick", action="store_true", help="one small org (scale 5) as a smoke run; no JSON"
    )
    parser.add_argument("--days", type=int, default=3, help="daily partitions in the backfill")
    parser.add_argument(
        "--repeat", type=int, default=1, help="passes per scale (fresh database each); the fastest counts"
    )
    parser.add_argument(
        "--dagster-storage",
        choices=tuple(DAGSTER_YAML),
        default="sqlite",
        help="the Dagster instance: the project's dagster.yaml (SQLite) or deploy/dagster.postgres.yaml",
    )
    parser.add_argument("--profile", type=Path, help="folder for a cProfile of each sync process; no JSON")
    parser.add_argument("--child", choices=("sync", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--end", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        if args.child == "sync":
            report = child_sync(args.config, args.profile)
        else:
            report = child_floor(args.config, datetime.fromisoformat(args.end))
        print(json.dumps(report))
        return

    from sf_emulator.testing import start_emulator

    scales = [5] if args.quick else [int(s) for s in args.scales.split(",")]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    rows, details = [], []
    with tempfile.TemporaryDirectory(prefix="sf_bench_extract_") as tmp:
        emulator = start_emulator(Path(tmp) / "emulator")
        try:
            for scale in scales:
                row, detail = measure_scale(
                    emulator,
                    scale,
                    Path(tmp) / f"scale_{scale}",
                    days=args.days,
                    repeat=args.repeat,
                    dagster_storage=args.dagster_storage,
                    profile=args.profile,
                )
                rows.append(row)
                details.append(detail)
        finally:
            emulator.process.terminate()
            emulator.process.wait(timeout=30)

    print()
    verdicts = []
    for row, detail in zip(rows, details, strict=True):
        outside = detail["sync_outside_collection_bodies_s"]
        verdicts.append(
            f"scale {row['scale']}: sync at {row['sync_over_floor']:.2f} × the floor's speed "
            f"({'meets' if row['sync_over_floor'] >= AIM_RATIO else 'misses'} the {AIM_RATIO} aim); "
            f"the collection bodies alone at {row['bodies_over_floor']:.2f} × "
            f"({detail['sync_in_collection_bodies_s']:.1f} s), Dagster around them {outside:.1f} s "
            f"({outside / row['sync_s']:.0%} of the run, {detail['materialization_events']} materializations)"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        growth = large["sync_peak_rss_mb"] / small["sync_peak_rss_mb"]
        verdicts.append(
            f"sync peak RSS {small['sync_peak_rss_mb']} MB at scale {small['scale']} → "
            f"{large['sync_peak_rss_mb']} MB at scale {large['scale']} (× {growth:.2f}; "
            f"{'flat' if growth <= RSS_FLAT else 'not flat'}: within × {RSS_FLAT} counts as flat); "
            f"{details[-1]['sync_rss_before_run_mb']} MB before the run"
        )
    context = {
        "aim": "sync rows/s ≥ 0.5 × floor rows/s; sync peak RSS flat across scales",
        "warehouse": "PostgreSQL " + _server_version(),
        "cadence": f"daily, start {args.days} days before today (one materialization event per partition per asset)",
        "dagster_instance": DAGSTER_YAML[args.dagster_storage],
        "passes_per_scale": args.repeat,
        "executor": "dg.materialize: in-process, one step at a time",
        "verdicts": verdicts,
        "scales": details,
    }
    if args.quick or args.profile:
        print_table(rows)
        if args.profile:
            print(f"\nprofiles in {args.profile}/ (no JSON: profiled timings are inflated)")
    else:
        write_results("extract", rows, context)
    print()
    for verdict in verdicts:
        print(verdict)


def _server_version() -> str:
    with _maintenance() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
