"""From one collection of one Salesforce instance to its Dagster asset spec (dagster-dlt style)."""

from dataclasses import dataclass
from datetime import date

import dagster as dg

from ..lib.catalog import ObjectSpec
from ..lib.types import ColumnSpec
from .partitions import partitions_for


@dataclass(frozen=True)
class CollectionSource:
    """Everything one collection asset is built from."""

    instance: str
    schema: str
    cadence: str
    start: date
    spec: ObjectSpec
    warehouse_kind: str
    max_partitions_per_run: int | None = None  # None: a backfill of any length is one run
    budget_retry_minutes: float = 60.0  # wait before retrying a sync stopped by the API budget

    @property
    def resource_key(self) -> str:
        return f"salesforce_{self.instance}"

    @property
    def backfill_policy(self) -> dg.BackfillPolicy:
        """One run per backfill (one Bulk query over the range), or runs of at most N partitions."""
        if self.max_partitions_per_run is None:
            return dg.BackfillPolicy.single_run()
        return dg.BackfillPolicy.multi_run(max_partitions_per_run=self.max_partitions_per_run)


def column_schema(columns: list[ColumnSpec]) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(c.name, _type_label(c), description=c.description or None) for c in columns]
    )


def _type_label(column: ColumnSpec) -> str:
    if column.precision is not None:
        return f"{column.type.value}({column.precision},{column.scale or 0})"
    return column.type.value


class SalesforceTranslator:
    """Override `get_asset_spec` to change keys, groups, tags or descriptions in one place."""

    def get_asset_spec(self, source: CollectionSource) -> dg.AssetSpec:
        spec = source.spec
        return dg.AssetSpec(
            key=dg.AssetKey([source.schema, spec.table]),
            group_name=source.schema,
            kinds={"salesforce", source.warehouse_kind},
            tags={"sf/cadence": source.cadence, "sf/instance": source.instance},
            description=spec.description,
            metadata={
                "dagster/table_name": f"{source.schema}.{spec.table}",
                "dagster/column_schema": column_schema([f.column for f in spec.fields]),
                "salesforce/object": spec.sobject,
                "salesforce/cursor_field": spec.cursor_field or "none (full read each run)",
            },
            partitions_def=partitions_for(source.cadence, source.start),
        )
