"""Group payloads from the warehouse to the Amplitude stand-in: 100k groups with 20 properties.

    .venv/bin/python benchmarks/groups.py [--groups 100000] [--quick]

A project over the demo catalog (catalog/sfdc_demo.json: Account) whose mapping sends 20 Account
fields as properties of group type `company`, keyed by Id. The embedded SQLite warehouse's
`sfdc_demo.accounts` is filled with N synthetic accounts through the warehouse loader (no
Salesforce involved), then the payload asset `["amplitude", "companies"]` is materialized with
real Dagster, delivering to the stand-in (`python -m amplitude_emulator serve`, a subprocess):

* first run: every group is new, so all N are built, diffed against an empty state and sent;
* rerun: nothing changed, so all N are built and diffed and none is sent (the pickups of a rerun
  were already done by the first run).

Measured: wall seconds of each `materialize`, groups/s, requests and bytes (from the asset's
metadata), and the peak RSS of this process (warehouse fill included; the stand-in is apart).
--quick: 5,000 groups, no JSON.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import Stopwatch, print_table, self_peak_rss_mb, write_results  # noqa: E402

PROPERTIES = [
    "Name", "AccountNumber", "AccountSource", "Active__c", "AnnualRevenue", "BillingCity", "BillingCountry",
    "BillingPostalCode", "BillingState", "CreatedDate", "Industry", "IsPartner", "LastActivityDate",
    "NumberOfEmployees", "Ownership", "Phone", "Rating", "Type", "Website", "YearStarted",
]  # fmt: skip
PAGE = 5_000
KEY = "bench-amplitude-key"


def write_project(folder: Path, amplitude_url: str) -> Path:
    (folder / "catalog").mkdir(parents=True)
    shutil.copy(ROOT / "catalog" / "sfdc_demo.json", folder / "catalog" / "sfdc_demo.json")
    mapping = {
        "version": 1,
        "relations": [
            {
                "name": "companies",
                "source": {"instance": "sfdc_demo", "object": "Account"},
                "group_type": "company",
                "group_name_field": "Id",
                "properties": [{"field": f, "property": f} for f in PROPERTIES],
            }
        ],
    }
    (folder / "mapping.json").write_text(json.dumps(mapping, indent=2))
    config = f"""
warehouse: {{url_env: BENCH_UNSET_WAREHOUSE_URL, data_dir: {folder / "warehouse"}}}
catalog_dir: {folder / "catalog"}
instances:
  sfdc_demo:
    cadence: daily
    start: 2026-11-01
    auth: {{mode: password, username_env: BENCH_SF_USER, password_env: BENCH_SF_PASSWORD}}
groups:
  mapping: {folder / "mapping.json"}
  amplitude: {{base_url: "{amplitude_url}", api_key_env: BENCH_AMPLITUDE_KEY}}
"""
    (folder / "sf_assets.yaml").write_text(config)
    return folder / "sf_assets.yaml"


def account(i: int, now: datetime) -> dict:
    return {
        "Id": f"001BENCH{i:010d}",
        "Name": f"Company {i}",
        "AccountNumber": f"A-{i:08d}",
        "AccountSource": "Web",
        "Active__c": "Yes" if i % 3 else "No",
        "AnnualRevenue": 1000 * (i % 5000),
        "BillingCity": "Springfield",
        "BillingCountry": "US",
        "BillingPostalCode": f"{10000 + i % 89999}",
        "BillingState": "IL",
        "CreatedDate": (now - timedelta(days=i % 700)).strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "Industry": ["Energy", "Retail", "Banking", "Media"][i % 4],
        "IsPartner": i % 7 == 0,
        "LastActivityDate": (now - timedelta(days=i % 30)).strftime("%Y-%m-%d"),
        "NumberOfEmployees": 10 + i % 10_000,
        "Ownership": "Private",
        "Phone": f"+1 555 {i % 10_000:04d}",
        "Rating": "Hot",
        "Type": "Customer - Direct",
        "Website": f"https://company{i}.example.com",
        "YearStarted": str(1950 + i % 70),
        "IsDeleted": False,
        "SystemModstamp": now.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
    }


def fill_warehouse(settings, groups: int) -> None:  # noqa: ANN001
    from sf_assets.catalog.snapshot import load_catalog
    from sf_assets.lib.batches import RecordBatch
    from sf_assets.warehouse import Warehouse

    spec = load_catalog(settings, "sfdc_demo").plan.object("Account")
    warehouse = Warehouse(None, data_dir=settings.warehouse.data_dir)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    fields = tuple(account(0, now))
    columns = [f.column for f in spec.fields if f.sf_name in fields]
    with warehouse.load("sfdc_demo", "accounts", columns, run_id="benchmark") as load:
        for start in range(0, groups, PAGE):
            load.add(RecordBatch(fields, [account(i, now) for i in range(start, min(groups, start + PAGE))]))


def materialize(defs, instance) -> tuple[float, dict]:  # noqa: ANN001
    import dagster as dg

    asset = next(a for a in defs.assets if a.key == dg.AssetKey(["amplitude", "companies"]))
    with Stopwatch() as watch:
        result = dg.materialize(
            [asset], instance=instance, resources=defs.resources, partition_key="2026-11-01-00:00"
        )
    if not result.success:
        raise RuntimeError("the payload run failed")
    [event] = result.asset_materializations_for_node("amplitude__companies")
    return watch.seconds, {k: v.value for k, v in event.metadata.items()}


def result_row(run: str, seconds: float, facts: dict, peak_rss_mb: int) -> dict:
    return {
        "run": run,
        "groups": facts["groups_built"],
        "sent": facts["groups_sent"],
        "seconds": round(seconds, 2),
        "groups_per_s": round(facts["groups_built"] / seconds),
        "requests": facts["requests"],
        "mb_sent": round(facts["bytes_sent"] / 1e6, 1),
        "peak_rss_mb": peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="5,000 groups as a smoke run; no JSON")
    args = parser.parse_args()
    groups = 5_000 if args.quick else args.groups
    warnings.filterwarnings("ignore")

    import dagster as dg

    from amplitude_emulator.testing import start_amplitude
    from sf_assets.project import build_definitions
    from sf_assets.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="sf_bench_groups_") as tmp:
        amplitude = start_amplitude(api_keys=(KEY,), log_dir=Path(tmp) / "amplitude")
        try:
            os.environ["BENCH_AMPLITUDE_KEY"] = KEY
            settings = load_settings(write_project(Path(tmp) / "project", amplitude.url))
            with Stopwatch() as fill:
                fill_warehouse(settings, groups)
            defs = build_definitions(settings)
            instance = dg.DagsterInstance.ephemeral()
            first_s, first = materialize(defs, instance)
            rerun_s, rerun = materialize(defs, instance)
            peak = round(self_peak_rss_mb())  # before reading every group back from the stand-in below
            delivered = len(amplitude.groups())
        finally:
            amplitude.stop()

    rows = [
        result_row("first (all new)", first_s, first, peak),
        result_row("rerun (unchanged)", rerun_s, rerun, peak),
    ]
    if delivered != groups or first["groups_sent"] != groups or rerun["groups_sent"] != 0:
        raise RuntimeError(f"expected {groups} groups delivered once, got {delivered} ({first}, {rerun})")
    context = {
        "properties_per_group": len(PROPERTIES),
        "warehouse": "embedded SQLite",
        "fill_warehouse_s": round(fill.seconds, 2),
        "stand_in_groups_after": delivered,
        "peak_rss": "this process: warehouse fill, Dagster and the payload runs (the stand-in is a subprocess)",
    }
    if args.quick:
        print_table(rows)
        print(context)
    else:
        write_results("groups", rows, context)


if __name__ == "__main__":
    main()
