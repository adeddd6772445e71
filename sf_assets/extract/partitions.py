"""Time-window partitions per cadence: one partition is one sync window on the cursor field."""

from datetime import date

import dagster as dg

from ..lib.cadence import CADENCE_CRONS

KEY_FORMAT = "%Y-%m-%d-%H:%M"


def partitions_for(cadence: str, start: date) -> dg.TimeWindowPartitionsDefinition:
    """UTC windows on the cadence's cron from `start`; every cadence shares one key format."""
    if cadence not in CADENCE_CRONS:
        raise ValueError(f"cadence must be one of {', '.join(CADENCE_CRONS)}, not {cadence!r}")
    return dg.TimeWindowPartitionsDefinition(
        cron_schedule=CADENCE_CRONS[cadence],
        start=start.strftime("%Y-%m-%d-00:00"),
        fmt=KEY_FORMAT,
        timezone="UTC",
    )
