"""Helpers shared by the benchmarks: a result table and JSON file, peak RSS of a child process."""

import json
import platform
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def child_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def self_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_results(name: str, rows: list[dict], context: dict) -> Path:
    """Print `rows` as a table and write them with `context` to benchmarks/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    print_table(rows)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpu_count": _cpus(),
            "platform": platform.platform(),
        },
        "context": context,
        "results": rows,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten to {path}")
    return path


def print_table(rows: list[dict]) -> None:
    """`rows` (dicts with the same keys) as an aligned text table, one column per key."""
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(_fmt(r[c])) for r in rows)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-+-".join("-" * widths[c] for c in columns))
    for row in rows:
        print(" | ".join(_fmt(row[c]).ljust(widths[c]) for c in columns))


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class Stopwatch:
    def __enter__(self) -> "Stopwatch":
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
