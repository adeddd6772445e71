"""Helpers for extraction tests: the warehouse compared with the org, column by column."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sf_assets.catalog.snapshot import load_catalog
from sf_assets.lib.types import ColumnType

from ..projects import Project


def expected_value(column_type: ColumnType, value: object) -> object:
    """A REST JSON value as the warehouse should give it back."""
    if value is None:
        return None
    if column_type == ColumnType.TIMESTAMP:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)
    if column_type == ColumnType.DATE:
        return date.fromisoformat(value)
    if column_type == ColumnType.TIME:
        return time.fromisoformat(value.rstrip("Z"))
    if column_type in (ColumnType.NUMERIC, ColumnType.DOUBLE):
        return float(value)
    return value


def comparable(value: object) -> object:
    return float(value) if isinstance(value, Decimal | float) else value


def assert_table_equals_org(project: Project, schema: str, table: str, sf) -> list[dict]:  # noqa: ANN001
    """Every column of every row equals the org's (queryAll); purged rows stay, marked deleted."""
    instance = next(i for i in project.settings.instances if i.schema == schema)
    spec = load_catalog(project.settings, instance.name).plan.object(table)
    by_sf = {f.sf_name: f.column for f in spec.fields}
    soql = f"SELECT {', '.join(by_sf)} FROM {spec.sobject}"
    org_rows = {r["Id"]: r for r in sf.query_all(soql, include_deleted=True)["records"]}
    warehouse_rows = {r["id"]: r for r in project.warehouse().fetch_all(schema, table)}
    missing = set(org_rows) - set(warehouse_rows)
    assert not missing, f"{schema}.{table} lacks {sorted(missing)[:5]}"
    for record_id, warehouse_row in warehouse_rows.items():
        if record_id not in org_rows:
            assert warehouse_row["is_deleted"] is True and warehouse_row["deleted_at"] is not None, record_id
            continue
        org_row = org_rows[record_id]
        for sf_name, column in by_sf.items():
            expected = comparable(expected_value(column.type, org_row[sf_name]))
            actual = comparable(warehouse_row[column.name])
            assert actual == expected, (
                f"{schema}.{table} {record_id} {column.name}: {actual!r} != {expected!r}"
            )
    return list(warehouse_rows.values())
