"""Asset checks: the table holds as many live rows as Salesforce does; its columns changed or not."""

import dagster as dg

from ..lib.soql import total_count_query
from .translator import CollectionSource

# Rows written between the count in Salesforce and the count in the warehouse make a small
# drift normal on a busy org; anything beyond this share of rows fails the check.
ROW_COUNT_TOLERANCE = 0.001


def build_row_count_check(source: CollectionSource, key: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=key,
        name="row_count_matches_salesforce",
        description=f"Live rows in {source.schema}.{source.spec.table} equal `SELECT COUNT() FROM {source.spec.sobject}`.",
        required_resource_keys={source.resource_key, "warehouse"},
        pool="salesforce_api",
    )
    def _row_count(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        client = getattr(context.resources, source.resource_key).get_client()
        warehouse = context.resources.warehouse.get_warehouse()
        in_salesforce = client.count(total_count_query(source.spec.sobject))
        in_warehouse = warehouse.row_count(source.schema, source.spec.table, include_deleted=False)
        difference = abs(in_salesforce - in_warehouse)
        return dg.AssetCheckResult(
            passed=difference <= max(0, int(in_salesforce * ROW_COUNT_TOLERANCE)),
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "salesforce_rows": in_salesforce,
                "warehouse_rows": in_warehouse,
                "difference": difference,
            },
        )

    return _row_count
