"""`make screenshot`: the demo's asset lineage in the Dagster UI, rendered by headless Chromium into a PNG.

Starts dagster-webserver on the project (no daemon and no emulator: the lineage comes from the
definitions, which are built from the committed catalog snapshot, and Salesforce is never called)
with the demo's run history (`.dagster_home`, left by `make demo`) when there is one, so nodes show
their materializations. Opens the global lineage page filtered to the Amplitude payloads and everything
upstream of them (all of the demo instance's collections when no relation is mapped), waits until every
selected node is drawn, and saves the page.

Chromium is Debian's (`apt-get install chromium`), driven by Playwright over CDP: Playwright can wait
for the graph's nodes to appear, where `chromium --headless --screenshot` can only wait a fixed
(virtual) time, and the lineage is laid out in the browser after several GraphQL round trips.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
DEMO_HOME = ROOT / ".dagster_home"
LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"


def default_selection() -> tuple[str, list[str]]:
    """The selection query and the node names it draws: payloads and their upstream, else the demo tables."""
    os.chdir(ROOT)
    with warnings.catch_warnings():  # Dagster's beta warnings, one per asset, say nothing to this script
        warnings.simplefilter("ignore")
        from sf_assets.definitions import defs

    keys = [spec.key for spec in defs.resolve_all_asset_specs()]
    payloads = [key for key in keys if key.path[0] == "amplitude"]
    if payloads:
        query = " or ".join(f'+key:"{key.to_user_string()}"' for key in payloads)
        upstream = {
            dep.asset_key
            for spec in defs.resolve_all_asset_specs()
            if spec.key in payloads
            for dep in spec.deps
        }
        shown = [*payloads, *upstream]
    else:
        query, shown = 'group:"sfdc_demo"', []
    return query, sorted({key.path[-1] for key in shown})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_location(url: str, webserver: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if webserver.poll() is not None:
            raise SystemExit(f"dagster-webserver exited with {webserver.returncode}")
        with suppress(requests.ConnectionError):
            body = requests.post(f"{url}/graphql", json={"query": LOCATIONS}, timeout=5).json()
            entries = body["data"]["workspaceOrError"]["locationEntries"]
            if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                return
        time.sleep(0.5)
    raise SystemExit(f"the code location did not load within {timeout_s:.0f} s")


def capture(url: str, out: Path, names: list[str], width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("Chromium not found: apt-get install -y chromium (make screenshot does it)")
    with sync_playwright() as playwright:
        # --no-sandbox: Chromium refuses to sandbox as root, which is how containers and CI run it.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.get_by_text("Hide navigation").click()  # the graph gets the room of the side menu
            # With several groups the graph opens with each group folded into one box: unfold them.
            page.locator('[aria-label="unfold_more"], [class*="AssetNode_assetName"]').first.wait_for(
                state="visible", timeout=60_000
            )
            folded = page.locator('[aria-label="unfold_more"]')
            while folded.count():
                folded.first.click()
                page.wait_for_timeout(500)
            # Nodes far outside the viewport are not drawn: wait for the first node, then the named ones.
            page.locator('[class*="AssetNode_assetName"]').first.wait_for(state="visible", timeout=60_000)
            for name in names:  # a graph node carries its name as a tooltip; the asset list does not
                page.locator(f'[data-tooltip="{name}"]').first.wait_for(state="visible", timeout=60_000)
            page.wait_for_load_state("networkidle")  # the nodes' live data (latest run, partitions)
            page.wait_for_timeout(1000)  # the graph eases into place after the layout changes
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "lineage.png")
    parser.add_argument("--select", help="asset selection query (default: payloads and their upstream)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()

    query, names = default_selection()
    if args.select:
        query, names = args.select, []
    home = (
        DEMO_HOME if (DEMO_HOME / "dagster.yaml").exists() else Path(tempfile.mkdtemp(prefix="sf_assets_ui_"))
    )
    if home != DEMO_HOME:
        shutil.copy(ROOT / "deploy" / "dagster.sqlite.yaml", home / "dagster.yaml")
        print(
            f"No demo run history (.dagster_home; run `make demo` first to show materializations): using {home}"
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"Starting dagster-webserver on {url} (DAGSTER_HOME={home}) ...")
    log = open(home / "screenshot-webserver.log", "wb")  # noqa: SIM115 - closed after the process stops
    webserver = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home), "PYTHONWARNINGS": "ignore"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_location(url, webserver)
        # The UI greets a new instance with a newsletter dialog; mark it seen, as clicking "Skip" would.
        requests.post(
            f"{url}/graphql", json={"query": "mutation { setNuxSeen }"}, timeout=10
        ).raise_for_status()
        print(f"Rendering the lineage of {query} in headless Chromium ...")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        capture(f"{url}/asset-groups~{quote(query, safe='')}/", args.out, names, args.width, args.height)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(webserver.pid, signal.SIGTERM)
        webserver.wait(timeout=30)
        log.close()
    print(
        f"Saved {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} ({args.out.stat().st_size // 1024} KB)"
    )


if __name__ == "__main__":
    main()
