"""Cadence names, job and schedule names, and the cron of a schedule that waits after each window."""

import re

# The partition crons of the three cadences: sf_assets.extract.partitions builds partitions from them.
CADENCE_CRONS = {"hourly": "0 * * * *", "every_3h": "0 */3 * * *", "daily": "0 0 * * *"}
_CADENCE_BY_CRON = {cron: name for name, cron in CADENCE_CRONS.items()}
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


class CadenceError(ValueError):
    """A cron or lag that a window schedule cannot be made from."""


def cadence_name(cron: str, tag: str | None = None) -> str:
    """The cadence a partitions cron stands for: a known cron's name, else the `sf/cadence` tag.

    The cron wins over the tag because the partitions are what a job and its schedule run on.
    An unknown cron without a tag gets a name spelt from its fields (`0 6 * * 1` → `cron_0_6_x_x_1`).
    """
    known = _CADENCE_BY_CRON.get(" ".join(cron.split()))
    if known:
        return known
    return _name(tag) if tag else "cron_" + _name(cron.replace("*", "x").replace("/", "every"))


def job_name(prefix: str, cadence: str) -> str:
    """`<prefix>__<cadence>_sync`, e.g. `sfdc_prod__every_3h_sync` or `amplitude__daily_sync`."""
    return f"{_name(prefix)}__{_name(cadence)}_sync"


def schedule_name(job: str) -> str:
    return f"{job}_schedule"


def lagged_cron(cron: str, lag_minutes: int) -> str:
    """The cron that fires `lag_minutes` after each tick of `cron`: `0 */3 * * *`, 10 → `10 */3 * * *`.

    Only crons that tick on the hour (minute field `0`) are supported, which covers every cadence;
    the lag must stay inside the hour (0-59).
    """
    fields = cron.split()
    if len(fields) != 5 or fields[0] != "0":
        raise CadenceError(
            f"cron {cron!r}: a window schedule needs a five-field cron that ticks on the hour (minute 0)"
        )
    if not 0 <= lag_minutes <= 59:
        raise CadenceError(
            f"lag of {lag_minutes} minutes: it must be 0-59, inside the hour the window closes"
        )
    return " ".join([str(lag_minutes), *fields[1:]])


def _name(text: str) -> str:
    return _NOT_NAME.sub("_", text.lower()).strip("_") or "unnamed"
