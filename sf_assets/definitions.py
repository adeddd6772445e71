"""The code location: `defs`, loaded by workspace.yaml (`sf_assets.definitions`).

Settings come from `SF_ASSETS_CONFIG` or ./sf_assets.yaml; the catalog from the describe snapshots.
Nothing here calls Salesforce.
"""

from .project import build_definitions
from .settings import load_settings

defs = build_definitions(load_settings())
