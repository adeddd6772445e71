"""Asset checks: the table holds as many live rows as Salesforce does; its columns changed or not."""

import dagster as dg

from ..lib.soql import changed_since_query, total_count_query
from .translator import CollectionSource

# Rows written between the count in Salesforce and the count in the warehouse make a small
# drift normal on a busy org; anything beyond this share of rows fails the check.
ROW_COUNT_TOLERANCE = 0.001


def row_counts_agree(in_salesforce: int, in_warehouse: int, changed_since_sync: int) -> bool:
    """Whether the live counts agree, allowing for the rows changed since the newest synced row (each
    can add or remove at most one live row until the next sync reads it) and a small share of drift."""
    allowed = changed_since_sync + int(in_salesforce * ROW_COUNT_TOLERANCE)
    return abs(in_salesforce - in_warehouse) <= allowed


def build_row_count_check(source: CollectionSource, key: dg.AssetKey) -> dg.AssetChecksDefinition:
    spec = source.spec

    @dg.asset_check(
        asset=key,
        name="row_count_matches_salesforce",
        description=(
            f"Live rows in {source.schema}.{spec.table} equal `SELECT COUNT() FROM {spec.sobject}`, "
            "give or take the rows Salesforce changed after the newest synced one (the next sync reads them)."
        ),
        required_resource_keys={source.resource_key, "warehouse"},
        pool="salesforce_api",
    )
    def _row_count(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        client = getattr(context.resources, source.resource_key).get_client()
        warehouse = context.resources.warehouse.get_warehouse()
        in_salesforce = client.count(total_count_query(spec.sobject), include_deleted=False)
        in_warehouse = warehouse.row_count(source.schema, spec.table, include_deleted=False)
        metadata = {
            "salesforce_rows": in_salesforce,
            "warehouse_rows": in_warehouse,
            "difference": abs(in_salesforce - in_warehouse),
        }
        passed = row_counts_agree(in_salesforce, in_warehouse, changed_since_sync=0)
        if not passed and spec.cursor_column:
            # Only a difference pays for the second count: rows changed after the newest synced one.
            synced_through = warehouse.latest(source.schema, spec.table, spec.cursor_column)
            if synced_through is not None:
                # Deleted rows count too: a delete after the newest synced row is a change to read.
                changed_since_sync = client.count(
                    changed_since_query(spec.sobject, spec.cursor_field, synced_through),
                    include_deleted=spec.has_is_deleted,
                )
                metadata["changed_since_sync"] = changed_since_sync
                metadata["synced_through"] = dg.MetadataValue.timestamp(synced_through)
                passed = row_counts_agree(in_salesforce, in_warehouse, changed_since_sync)
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.WARN,
            metadata=metadata,
        )

    return _row_count
