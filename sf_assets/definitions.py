"""The code location: `defs`, loaded by workspace.yaml (`sf_assets.definitions`).

Settings come from `SF_ASSETS_CONFIG` or ./sf_assets.yaml; the catalog from the describe snapshots.
Nothing here calls Salesforce.
"""

import warnings

import dagster as dg

from .project import build_definitions
from .settings import load_settings

# Dagster flags each use of a beta or preview API (`backfill_policy` on every collection, the
# column-schema checks, `map_resolved_asset_specs`): about 50 lines each time the location loads,
# in the webserver, the daemon and every run, which buried the project's own log lines.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)
    defs = build_definitions(load_settings())
