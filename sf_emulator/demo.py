"""`python -m sf_emulator demo`: start a demo org, log in as a client would, and read every collection."""

import logging
import tempfile
import time
from pathlib import Path

from simple_salesforce import Salesforce

from .testing import start_emulator

log = logging.getLogger(__name__)


def run_demo(scale: int, seed: int) -> list[tuple[str, int, float]]:
    """Rows and seconds per queryable object, read with simple-salesforce over HTTPS."""
    with tempfile.TemporaryDirectory() as tmp:
        emulator = start_emulator(Path(tmp))
        try:
            org = emulator.control.create_org(scale=scale, seed=seed)
            sf = Salesforce(
                username=org.username,
                password=org.password,
                security_token=org.security_token,
                session=emulator.adapter_session(),
            )
            results = []
            for entry in sf.describe()["sobjects"]:
                if not entry["queryable"]:
                    continue
                fields = [f["name"] for f in getattr(sf, entry["name"]).describe()["fields"] if f["type"] not in ("address", "location")]
                start = time.perf_counter()
                rows = sum(1 for _ in sf.query_all_iter(f"SELECT {', '.join(fields)} FROM {entry['name']}", include_deleted=True))
                results.append((entry["name"], rows, time.perf_counter() - start))
            return results
        finally:
            emulator.process.terminate()
            emulator.process.wait(timeout=30)


def print_table(results: list[tuple[str, int, float]]) -> None:
    width = max(len(name) for name, _, _ in results)
    print(f"{'collection'.ljust(width)} | {'rows':>9} | seconds")
    print(f"{'-' * width}-+-{'-' * 9}-+--------")
    for name, rows, seconds in results:
        print(f"{name.ljust(width)} | {rows:>9,} | {seconds:7.2f}")
    total_rows = sum(r for _, r, _ in results)
    total_seconds = sum(s for _, _, s in results)
    print(f"{'total'.ljust(width)} | {total_rows:>9,} | {total_seconds:7.2f}")
