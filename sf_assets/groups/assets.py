"""One payload asset per relation: build the groups' payloads from the warehouse, send what changed.

A run reads the relation's source table (streamed in Id order), builds every group's payload and
sends those whose hash differs from what Amplitude last accepted, plus the groups whose pickup
comes up in the run's window; everything else is already in Amplitude. Accepted groups are
recorded batch by batch, so a run that fails half-way resends nothing on its retry.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice

import dagster as dg

from ..amplitude import AmplitudeAuthError, AmplitudeUnavailable, DeliveryReport
from ..lib.catalog import ObjectSpec
from ..lib.mapping import Relation
from ..lib.payloads import Payload, PayloadBuilder, pickup_due
from ..warehouse.columns import IS_DELETED
from .store import GroupStore

SAMPLE_SIZE = 3
CHUNK = 10_000  # payloads planned and delivered at a time
DELIVERY_RETRY = dg.RetryPolicy(
    max_retries=3, delay=60, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


@dataclass(frozen=True)
class RelationSource:
    """Everything one payload asset is built from."""

    relation: Relation
    schema: str  # the source instance's warehouse schema
    spec: ObjectSpec  # the source collection
    partitions_def: dg.TimeWindowPartitionsDefinition
    warehouse_kind: str
    mapping_hash: str

    @property
    def source_key(self) -> dg.AssetKey:
        return dg.AssetKey([self.schema, self.spec.table])

    @property
    def columns(self) -> dict[str, str]:
        """Salesforce field → warehouse column, for the fields the relation reads."""
        relation = self.relation
        names = {
            relation.group_name_field,
            *(p.field for p in relation.properties),
            *(c.field for c in relation.filter),
        }
        return {name: self.spec.field(name).column.name for name in names}


def column_lineage(source: RelationSource) -> dg.TableColumnLineage:
    columns = source.columns
    return dg.TableColumnLineage(
        deps_by_column={
            p.property: [dg.TableColumnDep(asset_key=source.source_key, column_name=columns[p.field])]
            for p in source.relation.synced_properties
        }
    )


@dataclass
class SendTally:
    """What a run sent and why, summed over its chunks."""

    changed: int = 0  # new groups, or payloads that differ from what Amplitude last accepted
    picked_up: int = 0  # unchanged, but their pickup came up in this window
    unchanged: int = 0
    sent: int = 0
    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0
    dead_lettered: int = 0
    dry_run: bool = False
    sample: list[dict] = field(default_factory=list)

    def add(self, chunk: list[Payload], report: DeliveryReport | None) -> None:
        self.sample.extend(p.identification for p in chunk[: SAMPLE_SIZE - len(self.sample)])
        if report is None:  # a dry run
            return
        self.sent += len({i["group_value"] for i in report.sent})
        self.requests += report.requests
        self.retries += report.retries
        self.bytes_sent += report.bytes_sent
        self.dead_lettered += len(report.rejected)


def plan_sends(
    source: RelationSource,
    rows,  # noqa: ANN001 - an iterator of row dicts
    sent: dict,
    window: tuple[datetime, datetime],
    builder: PayloadBuilder,
    tally: SendTally,
) -> Iterator[Payload]:
    """The payloads to send: changed groups, and unchanged ones whose pickup comes up in `window`.

    A group sent in a window where its pickup is due is recorded as picked up for that window
    (whatever made it go), so a rerun of the window does not send it again."""
    relation = source.relation
    label = window_label(window)
    for row in rows:
        payload = builder.build(row)
        if payload is None:
            continue
        previous = sent.get(payload.group_value)
        if previous is None and not relation.create_unseen_groups:
            builder.stats.skipped["unseen_group"] += 1
            continue
        due = pickup_due(payload.group_value, relation.pickup, relation.cadence, *window)
        changed = previous is None or previous.payload_hash != payload.hash
        if changed:
            tally.changed += 1
        elif due and previous.last_pickup != label:
            tally.picked_up += 1
        else:
            tally.unchanged += 1
            continue
        yield replace(payload, picked_up=due)


def window_label(window: tuple[datetime, datetime]) -> str:
    return f"[{window[0].isoformat()}, {window[1].isoformat()})"


def deliver(
    context: dg.AssetExecutionContext,
    store: GroupStore,
    relation: Relation,
    to_send: list[Payload],
    label: str,
) -> DeliveryReport | None:
    """Send through the Amplitude resource, recording each accepted batch; None on a dry run."""
    client = context.resources.amplitude.get_client()
    if client is None:
        store.record_dry_run(relation.name, to_send)
        return None
    by_value = {p.group_value: p for p in to_send}  # group values are unique within a run

    def payloads_of(identifications: list[dict]) -> list[Payload]:
        # A group split by its properties comes back in several parts: count it once.
        return [by_value[v] for v in dict.fromkeys(str(i["group_value"]) for i in identifications)]

    def on_batch(delta: DeliveryReport) -> None:
        rejected = {str(r.identification["group_value"]): r for r in delta.rejected}
        accepted = [p for p in payloads_of(delta.sent) if p.group_value not in rejected]
        store.record_sent(relation.name, accepted, pickup=label)
        store.record_rejected(relation.name, [(by_value[v], r.status, r.error) for v, r in rejected.items()])

    try:
        return client.send([p.identification for p in to_send], on_batch=on_batch)
    except AmplitudeAuthError as error:
        raise dg.Failure(str(error), allow_retries=False) from error
    except AmplitudeUnavailable as error:
        context.log.warning(
            f"{relation.name}: Amplitude unavailable after retries; accepted groups are recorded: {error}"
        )
        raise


def build_payload_asset(source: RelationSource) -> tuple[dg.AssetsDefinition, dg.AssetChecksDefinition]:
    relation = source.relation
    key = dg.AssetKey(["amplitude", relation.name])

    @dg.asset(
        key=key,
        group_name="amplitude",
        kinds={"amplitude", source.warehouse_kind},
        deps=[source.source_key],
        description=(
            f"Group Identify payloads of {relation.sobject} ({source.schema}.{source.spec.table}) as Amplitude "
            f"group type {relation.group_type!r}, keyed by {relation.group_name_field}; only changed groups are "
            "sent, plus each group's periodic pickup."
        ),
        tags={"sf/cadence": relation.cadence.value, "sf/instance": relation.instance},
        metadata={"dagster/column_lineage": column_lineage(source), "mapping/relation": relation.name},
        partitions_def=source.partitions_def,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool="amplitude_api",
        retry_policy=DELIVERY_RETRY,
        required_resource_keys={"amplitude", "warehouse"},
    )
    def _payloads(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        time_window = context.partition_time_window
        window = (time_window.start, time_window.end)
        label = window_label(window)
        warehouse = context.resources.warehouse.get_warehouse()
        store = GroupStore(warehouse, run_id=context.run.run_id, partition_range=label)
        columns = source.columns
        deleted = IS_DELETED.name
        rows = warehouse.stream_rows(
            source.schema, source.spec.table, ["id", deleted, *dict.fromkeys(columns.values())]
        )
        builder = PayloadBuilder(relation, columns, deleted_column=deleted)
        tally = SendTally(dry_run=context.resources.amplitude.dry_run)
        # Sent a chunk at a time, so memory holds one chunk of payloads however many groups there are.
        payloads = plan_sends(source, rows, store.sent(relation.name), window, builder, tally)
        while chunk := list(islice(payloads, CHUNK)):
            tally.add(chunk, deliver(context, store, relation, chunk, label))
        context.log.info(
            f"{relation.name}: {builder.stats.built} groups built, {tally.sent} sent for {label}"
        )
        return dg.MaterializeResult(metadata=result_metadata(source, builder, tally, store))

    @dg.asset_check(asset=key, name="no_dead_letters", required_resource_keys={"warehouse"})
    def _no_dead_letters(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        store = GroupStore(
            context.resources.warehouse.get_warehouse(), run_id=context.run.run_id, partition_range=""
        )
        count = store.dead_letter_count(relation.name)
        return dg.AssetCheckResult(
            passed=count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            description=None
            if count == 0
            else f"{count} groups refused by Amplitude; see amplitude.group_dead_letters",
            metadata={"dead_letters": count},
        )

    return _payloads, _no_dead_letters


def result_metadata(
    source: RelationSource, builder: PayloadBuilder, tally: SendTally, store: GroupStore
) -> dict:
    stats = builder.stats
    return {
        "dry_run": tally.dry_run,
        "rows_read": stats.rows_read,
        "groups_built": stats.built,
        "groups_changed": tally.changed,
        "groups_picked_up": tally.picked_up,
        "groups_unchanged": tally.unchanged,
        "groups_sent": tally.sent,
        "groups_skipped": dg.MetadataValue.json(dict(sorted(stats.skipped.items()))),
        "requests": tally.requests,
        "retries": tally.retries,
        "bytes_sent": tally.bytes_sent,
        "dead_lettered": tally.dead_lettered,
        "dead_letters_pending": store.dead_letter_count(source.relation.name),
        "strings_truncated": stats.strings_truncated,
        "values_dropped": stats.values_dropped,
        "sample": dg.MetadataValue.json(tally.sample),
        "mapping_sha256": source.mapping_hash,
        "dagster/column_lineage": column_lineage(source),
    }
