"""The columns of a warehouse table: bookkeeping columns, SQL type names, and drift planning.

Every table holds the Salesforce fields it was given plus these bookkeeping columns:

- `received_at` (timestamp, UTC, millisecond precision): when a sync run wrote this row version.
- `deleted_at` (timestamp): when a hard delete (purge) was detected, through Salesforce's `deleted`
  resource or an Id reconciliation; null otherwise, including for soft deletes seen through queryAll.
- `sync_run_id` (text): the run that last wrote the row.
- `is_deleted` (boolean, NOT NULL, default false): added only when the object has no `IsDeleted`
  field; otherwise `is_deleted` is that field, and hard deletes set it too.
"""

import re
from dataclasses import dataclass, replace

from ..lib.types import ColumnSpec, ColumnType, widened
from .errors import WarehouseSchemaError

ID = "id"
IS_DELETED = ColumnSpec(
    "is_deleted", ColumnType.BOOLEAN, description="Deleted in Salesforce (recycle bin or hard delete)"
)
DELETED_AT = ColumnSpec(
    "deleted_at",
    ColumnType.TIMESTAMP,
    description="When the row was deleted, per the deleted resource, or when an Id check found it gone",
)
RECEIVED_AT = ColumnSpec(
    "received_at", ColumnType.TIMESTAMP, description="When a sync run wrote this row version"
)
SYNC_RUN_ID = ColumnSpec("sync_run_id", ColumnType.TEXT, description="The sync run that last wrote this row")
BOOKKEEPING = (DELETED_AT, RECEIVED_AT, SYNC_RUN_ID)
RESERVED = frozenset(c.name for c in BOOKKEEPING)

_SQL_TYPES = {
    ColumnType.TEXT: "TEXT",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DOUBLE: "DOUBLE PRECISION",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMPTZ",
    ColumnType.TIME: "TIME",
}
_NUMERIC = re.compile(r"NUMERIC(?:\((\d+)(?:,\s*(\d+))?\))?")


def sql_type(spec: ColumnSpec) -> str:
    """The declared SQL type; the same names on PostgreSQL and SQLite (where they pick the affinity)."""
    if spec.type == ColumnType.NUMERIC:
        if spec.precision is None:
            return "NUMERIC"
        return f"NUMERIC({spec.precision},{spec.scale or 0})"
    return _SQL_TYPES[spec.type]


def spec_from_sql_type(name: str, declared: str) -> ColumnSpec:
    """The ColumnSpec of a column declared as `declared` (the inverse of `sql_type`)."""
    text = declared.strip().upper()
    for column_type, sql in _SQL_TYPES.items():
        if text == sql:
            return ColumnSpec(name, column_type)
    match = _NUMERIC.fullmatch(text)
    if match:
        precision = int(match[1]) if match[1] else None
        scale = int(match[2] or 0) if precision is not None else None
        return ColumnSpec(name, ColumnType.NUMERIC, precision=precision, scale=scale)
    raise WarehouseSchemaError(
        f"column {name!r} has type {declared!r}, which sf_assets did not create; "
        "alter it back to the type the catalog gives or drop the table so the next run recreates it"
    )


def described(columns: list[ColumnSpec]) -> list[ColumnSpec]:
    """Columns read back from a table, with the bookkeeping columns' descriptions restored."""
    known = {c.name: c for c in (IS_DELETED, *BOOKKEEPING)}
    return [known[c.name] if known.get(c.name, c).type == c.type and c.name in known else c for c in columns]


def type_label(spec: ColumnSpec) -> str:
    return sql_type(spec).lower()


@dataclass(frozen=True)
class SchemaChanges:
    """What a load or `ensure_table` did to a table's columns. Falsy when nothing changed."""

    created: bool = False
    added: tuple[ColumnSpec, ...] = ()
    widened: tuple[tuple[ColumnSpec, ColumnSpec], ...] = ()

    def __bool__(self) -> bool:
        return self.created or bool(self.added) or bool(self.widened)

    def as_metadata(self) -> dict:
        """JSON-ready, for materialization metadata."""
        return {
            "created": self.created,
            "added": {c.name: type_label(c) for c in self.added},
            "widened": {old.name: f"{type_label(old)} -> {type_label(new)}" for old, new in self.widened},
        }


@dataclass(frozen=True)
class TablePlan:
    """The table's columns after this load (`effective`, by name, in table order) and the DDL to get there."""

    effective: dict[str, ColumnSpec]
    changes: SchemaChanges


def check_columns(columns: list[ColumnSpec], *, max_identifier_bytes: int | None) -> None:
    names = [c.name for c in columns]
    if ID not in names:
        raise WarehouseSchemaError(f"columns must include {ID!r} (the Salesforce Id), got {names}")
    seen: set[str] = set()
    for column in columns:
        if not column.name or "\x00" in column.name:
            raise WarehouseSchemaError(f"invalid column name {column.name!r}")
        if max_identifier_bytes and len(column.name.encode()) > max_identifier_bytes:
            raise WarehouseSchemaError(
                f"column name {column.name!r} is longer than {max_identifier_bytes} bytes, "
                "which the database would silently truncate"
            )
        if column.name in seen:
            raise WarehouseSchemaError(f"column {column.name!r} appears twice")
        if column.name in RESERVED:
            raise WarehouseSchemaError(f"column {column.name!r} collides with a bookkeeping column")
        if column.name == IS_DELETED.name and column.type != ColumnType.BOOLEAN:
            raise WarehouseSchemaError(f"column {IS_DELETED.name!r} must be boolean, got {column.type}")
        seen.add(column.name)


def table_columns(columns: list[ColumnSpec]) -> list[ColumnSpec]:
    """The full column list of a new table: the data columns, then the bookkeeping columns."""
    names = {c.name for c in columns}
    extra = () if IS_DELETED.name in names else (IS_DELETED,)
    return [*columns, *extra, *BOOKKEEPING]


def plan_table(current: list[ColumnSpec] | None, wanted: list[ColumnSpec]) -> TablePlan:
    """Columns to add and widen so the table takes `wanted`; nothing is ever dropped or narrowed.

    Effective specs keep the wanted `sf_name` and description with the table's (possibly wider) type.
    """
    if current is None:
        full = table_columns(wanted)
        return TablePlan({c.name: c for c in full}, SchemaChanges(created=True))
    existing = {c.name: c for c in current}
    effective = dict(existing)
    added: list[ColumnSpec] = []
    widenings: list[tuple[ColumnSpec, ColumnSpec]] = []
    for want in table_columns(wanted):
        have = existing.get(want.name)
        if have is None:
            added.append(want)
            effective[want.name] = want
            continue
        wider = _wider(have, want)
        if wider is not None:
            widenings.append((have, wider))
        final = wider or have
        effective[want.name] = replace(want, type=final.type, precision=final.precision, scale=final.scale)
    return TablePlan(effective, SchemaChanges(added=tuple(added), widened=tuple(widenings)))


def _wider(have: ColumnSpec, want: ColumnSpec) -> ColumnSpec | None:
    # An unconstrained NUMERIC already holds any NUMERIC(p, s); `widened` would narrow it.
    if have.type == want.type == ColumnType.NUMERIC and have.precision is None:
        return None
    return widened(have, want)
