"""The asset factory: one partitioned asset per collection; the body reads a window and loads it."""

import dagster as dg

from ..lib.soql import Window
from ..salesforce import ApiBudgetExhausted, RequestLimitExceeded
from .sync import SyncResult, sync_collection
from .translator import CollectionSource, SalesforceTranslator, column_schema

# Transient trouble (5xx, lock contention, dropped connections) is retried inside the client;
# these retries cover what is left, such as a worker dying mid-run.
COLLECTION_RETRY = dg.RetryPolicy(
    max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


# A budget stop is retried after `api_budget.retry_after_minutes`, up to a day of attempts at the default.
BUDGET_RETRIES = 24


def sync_window(context: dg.AssetExecutionContext) -> Window:
    """The run's window; a run that starts at the first partition reads all history."""
    time_window = context.partition_time_window
    first = context.assets_def.partitions_def.get_first_partition_key()
    starts_at_first = context.partition_key_range.start == first
    return Window(None if starts_at_first else time_window.start, time_window.end)


def result_metadata(source: CollectionSource, result: SyncResult, warehouse) -> dict:  # noqa: ANN001
    columns = warehouse.columns(source.schema, source.spec.table)
    return {
        "window": result.window.label,
        "api": result.api,
        "rows_read": result.rows_read,
        "rows_upserted": result.inserted + result.updated,
        "rows_inserted": result.inserted,
        "rows_updated": result.updated,
        "rows_unchanged": result.unchanged,
        "rows_hard_deleted": result.hard_deleted,
        "id_reconciliation": result.reconciled,
        "api_calls": result.api_calls,
        "seconds": round(result.seconds, 3),
        "schema_changes": dg.MetadataValue.json(result.schema_changes),
        "dagster/row_count": result.table_rows,
        "dagster/table_name": f"{source.schema}.{source.spec.table}",
        "dagster/column_schema": column_schema(columns),
    }


def build_collection_asset(
    source: CollectionSource,
    translator: SalesforceTranslator,
    *,
    retry_policy: dg.RetryPolicy | None = COLLECTION_RETRY,
) -> dg.AssetsDefinition:
    spec = translator.get_asset_spec(source)

    @dg.asset(
        key=spec.key,
        group_name=spec.group_name,
        kinds=spec.kinds,
        tags=spec.tags,
        metadata=spec.metadata,
        description=spec.description,
        partitions_def=spec.partitions_def,
        backfill_policy=source.backfill_policy,
        pool="salesforce_api",
        retry_policy=retry_policy,
        required_resource_keys={source.resource_key, "warehouse"},
    )
    def _collection(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        window = sync_window(context)
        client = getattr(context.resources, source.resource_key).get_client()
        warehouse = context.resources.warehouse.get_warehouse()
        context.log.info(
            f"syncing {source.spec.sobject} into {source.schema}.{source.spec.table} for {window.label}"
        )
        try:
            result = sync_collection(
                client,
                warehouse,
                schema=source.schema,
                spec=source.spec,
                window=window,
                run_id=context.run.run_id,
                instance=source.instance,
            )
        except (ApiBudgetExhausted, RequestLimitExceeded) as error:
            # Nothing was committed (the load rolls back); try again once calls have aged out.
            context.log.warning(str(error))
            raise dg.RetryRequested(
                max_retries=BUDGET_RETRIES, seconds_to_wait=source.budget_retry_minutes * 60
            ) from error
        metadata = result_metadata(source, result, warehouse)
        if client.api_usage is not None:
            metadata["salesforce/api_used"], metadata["salesforce/api_max"] = client.api_usage
        return dg.MaterializeResult(metadata=metadata)

    return _collection
