"""sf_assets: Salesforce collections as partitioned Dagster assets."""
