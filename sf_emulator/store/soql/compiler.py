"""`ast.Query` → one SQLite statement over the store's tables, plus the columns that shape its rows.

Storage contract: one table per sObject named like it, `_rowid` in insertion order, `IsDeleted`
0/1 on every table, one column per stored field (TEXT columns are COLLATE NOCASE).
"""

import itertools
from dataclasses import dataclass

from ..errors import SalesforceError
from ..schema import INTEGER_TYPES, REAL_TYPES, FieldDef, ObjectDef, OrgSchema
from .ast import Call, FieldPath, Pos, Query
from .diagnostics import MALFORMED_QUERY, query_error, unknown_sobject, unsupported
from .filters import FilterCompiler
from .scope import Resolved, Scope, check_capability, quote

FIELD = "field"
COMPONENT = "component"
ROOT_ID = "root_id"
PARENT_ID = "parent_id"
PARENT_TYPE = "parent_type"
AGGREGATE = "aggregate"
HIDDEN_KINDS = frozenset({ROOT_ID, PARENT_ID, PARENT_TYPE})

MAX_OFFSET = 2000
FIELDS_MAX_LIMIT = 200
# Longest first, so that BillingStateCode is a stateCode and not a state.
_COMPONENT_SUFFIXES = (
    "GeocodeAccuracy", "PostalCode", "StateCode", "CountryCode", "Latitude", "Longitude", "Street", "City",
    "State", "Country",
)  # fmt: skip


@dataclass(frozen=True)
class OutputColumn:
    """One column of `CompiledQuery.sql`'s result, in order.

    kind: `field` (a value at `path`); `component` (one part of the compound field at `path`, under
    JSON `key`); `root_id` (hidden: the record's Id, for attributes.url); `parent_id` (hidden: the Id of
    the parent record at relationship `path`, null when there is none); `parent_type` (hidden: that
    parent's sObject name, for polymorphic hops); `aggregate` (`function` over `field`, named `alias`).
    objects: the root's ObjectDef then each relationship hop's target (None where polymorphic).
    """

    kind: str
    path: tuple[str, ...]
    field: FieldDef | None = None
    objects: tuple[ObjectDef | None, ...] = ()
    key: str | None = None
    alias: str | None = None
    function: str | None = None

    @property
    def hidden(self) -> bool:
        return self.kind in HIDDEN_KINDS

    @property
    def name(self) -> str:
        """The CSV header or AggregateResult key: the alias, else the dotted path."""
        return self.alias if self.alias is not None else ".".join(self.path)


@dataclass(frozen=True)
class CompiledQuery:
    """`sql`/`params` give the whole result in order, LIMIT and OFFSET applied (one row per record or
    group; a COUNT() query's `sql` is its count). `count_sql`/`count_params` give totalSize.

    `exprs` are the SQL of `columns` and `tail` the rest of the statement from FROM on, so that
    `select(...)` runs the same query with another select list (records rendered by SQLite).
    """

    sobject: ObjectDef
    sql: str
    params: tuple
    count_sql: str
    count_params: tuple
    columns: tuple[OutputColumn, ...]
    is_count_only: bool
    is_aggregate: bool
    limit: int | None
    offset: int | None
    has_order_by: bool
    has_compound: bool
    exprs: tuple[str, ...]
    tail: str

    def select(self, select_list: str) -> str:
        """This query (same `params`) with `select_list` instead of its columns."""
        return f"SELECT {select_list} {self.tail}"


def component_key(name: str) -> str:
    """The compound JSON key of a component field: BillingPostalCode → postalCode, Loc__Latitude__s → latitude."""
    base = name[:-3] if name.endswith("__s") else name
    for suffix in _COMPONENT_SUFFIXES:
        if base.endswith(suffix):
            return suffix[0].lower() + suffix[1:]
    tail = base.rsplit("__", 1)[-1]
    return tail[0].lower() + tail[1:]


def compile_query(
    query: Query, schema: OrgSchema, *, soql: str, now_ms: int, include_deleted: bool
) -> CompiledQuery:
    """Resolve `query` against `schema`; raise SalesforceError as Salesforce would for what it rejects."""
    return _Compiler(schema, soql, now_ms, include_deleted).compile(query)


class _Compiler:
    def __init__(self, schema: OrgSchema, soql: str, now_ms: int, include_deleted: bool) -> None:
        self.schema = schema
        self.soql = soql
        self.now_ms = now_ms
        self.include_deleted = include_deleted
        self.aliases = itertools.count()

    def compile(self, query: Query) -> CompiledQuery:
        sobject = self._sobject(query.sobject, query.sobject_pos)
        if query.offset is not None and query.offset > MAX_OFFSET:
            raise SalesforceError(400, "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")
        scope = Scope(self.schema, sobject, query.alias, self.soql, self.aliases)
        where_sql, where_params = self._where(scope, query)
        # The WHERE's joins are made first; counting needs only those.
        counted_from = f"FROM {scope.from_sql(len(scope.joins))}" + (
            f" WHERE {where_sql}" if where_sql else ""
        )
        count_only = len(query.select) == 1 and _is_count_all(query.select[0])
        aggregate = not count_only and (
            bool(query.group_by)
            or any(isinstance(item, Call) and item.name != "FIELDS" for item in query.select)
        )
        builder = _SelectBuilder(self.soql, scope)
        builder.group_by(query)
        if aggregate:
            builder.aggregate(query)
        elif not count_only:
            builder.records(query)
        order_sql = builder.order_by(query, grouped=aggregate or bool(query.group_by))
        group_clause = f" GROUP BY {', '.join(builder.group_exprs)}" if builder.group_exprs else ""
        limit_clause, limit_params = "", []
        if query.limit is not None or query.offset is not None:
            limit_clause = " LIMIT ? OFFSET ?"
            limit_params = [query.limit if query.limit is not None else -1, query.offset or 0]
        if count_only and group_clause:
            count_sql = f"SELECT COUNT(*) FROM (SELECT 1 {counted_from}{group_clause}{limit_clause})"
            count_params = [*where_params, *limit_params]
        else:
            count_sql, count_params = _record_count(counted_from, where_params, query)
        tail = ""
        if count_only:
            sql, params = count_sql, count_params
        else:
            # Named c0, c1, … so that CREATE TABLE AS (result snapshots) gets distinct column names.
            select_sql = ", ".join(f"{expr} AS c{index}" for index, expr in enumerate(builder.exprs))
            order_clause = f" ORDER BY {order_sql}" if order_sql else ""
            tail = f"FROM {scope.from_sql()}"
            tail += (f" WHERE {where_sql}" if where_sql else "") + group_clause + order_clause + limit_clause
            sql = f"SELECT {select_sql} {tail}"
            params = [*where_params, *limit_params]
            if aggregate:
                count_sql, count_params = f"SELECT COUNT(*) FROM ({sql})", params
        return CompiledQuery(
            sobject=sobject,
            sql=sql,
            params=tuple(params),
            count_sql=count_sql,
            count_params=tuple(count_params),
            columns=tuple(builder.columns),
            is_count_only=count_only,
            is_aggregate=aggregate,
            limit=query.limit,
            offset=query.offset,
            has_order_by=bool(query.order_by),
            has_compound=any(column.kind == COMPONENT for column in builder.columns),
            exprs=tuple(builder.exprs),
            tail=tail,
        )

    def _sobject(self, name: str, pos: Pos) -> ObjectDef:
        sobject = self.schema.get(name)
        if sobject is None:
            raise unknown_sobject(self.soql, pos, name)
        if not sobject.queryable:
            raise SalesforceError(
                400, "INVALID_TYPE_FOR_OPERATION", f"entity type {sobject.name} does not support query"
            )
        return sobject

    def _where(self, scope: Scope, query: Query) -> tuple[str, list]:
        filters = FilterCompiler(scope, self.now_ms, self._semi_join)
        parts = [] if self.include_deleted else [f'{scope.table}."IsDeleted" = 0']
        if query.where is not None:
            parts.append(filters.condition(query.where))
        return " AND ".join(parts), filters.params

    def _semi_join(self, query: Query) -> tuple[str, list]:
        """`… IN (SELECT Id FROM Obj WHERE …)`: the inner SELECT and its parameters."""
        extras = [
            ("GROUP BY", bool(query.group_by)),
            ("ORDER BY", bool(query.order_by)),
            ("LIMIT", query.limit is not None),
            ("OFFSET", query.offset is not None),
        ]
        for clause, present in extras:
            if present:
                raise unsupported(self.soql, query.pos, f"{clause} in a semi-join subquery")
        sobject = self._sobject(query.sobject, query.sobject_pos)
        item = query.select[0]
        if len(query.select) != 1 or not isinstance(item, FieldPath):
            raise unsupported(self.soql, query.pos, "A semi-join subquery not selecting one Id field")
        scope = Scope(self.schema, sobject, query.alias, self.soql, self.aliases)
        where_sql, where_params = self._where(scope, query)
        selected = scope.resolve(item)
        if selected.field.type not in ("id", "reference"):
            raise unsupported(self.soql, item.pos, "A semi-join subquery not selecting one Id field")
        conditions = " AND ".join(filter(None, [f"{selected.sql} IS NOT NULL", where_sql]))
        return f"SELECT {selected.sql} FROM {scope.from_sql()} WHERE {conditions}", where_params


def _is_count_all(item: object) -> bool:
    return isinstance(item, Call) and item.name == "COUNT" and item.arg is None


def _record_count(counted_from: str, where_params: list, query: Query) -> tuple[str, list]:
    """totalSize of a record query: the matching rows, then OFFSET and LIMIT applied arithmetically."""
    if query.limit is None and query.offset is None:
        return f"SELECT COUNT(*) {counted_from}", list(where_params)
    if query.limit is None:
        return f"SELECT MAX(COUNT(*) - ?, 0) {counted_from}", [query.offset, *where_params]
    return f"SELECT MAX(MIN(COUNT(*) - ?, ?), 0) {counted_from}", [
        query.offset or 0,
        query.limit,
        *where_params,
    ]


class _SelectBuilder:
    """The SELECT list (SQL expressions and OutputColumns), GROUP BY and ORDER BY of one query."""

    def __init__(self, soql: str, scope: Scope) -> None:
        self.soql = soql
        self.scope = scope
        self.exprs: list[str] = []
        self.columns: list[OutputColumn] = []
        self.group_exprs: list[str] = []
        self._grouped: dict[tuple[str, ...], Resolved] = {}
        self._selected: dict[tuple[str, ...], bool] = {}  # lower-cased path → selected explicitly
        self._hops: set[tuple[str, ...]] = set()

    def _add(self, expr: str, column: OutputColumn) -> None:
        self.exprs.append(expr)
        self.columns.append(column)

    def records(self, query: Query) -> None:
        self._add(self.scope.root_id_sql(), OutputColumn(ROOT_ID, (), objects=(self.scope.sobject,)))
        for item in query.select:
            if isinstance(item, FieldPath):
                self._field(item, explicit=True)
                continue
            if item.arg.parts[0] != "STANDARD" and (query.limit is None or query.limit > FIELDS_MAX_LIMIT):
                raise query_error(
                    MALFORMED_QUERY,
                    self.soql,
                    item.pos,
                    "The SOQL FIELDS function must have a LIMIT of at most 200",
                )
            for field in _fields_function(self.scope.sobject, item.arg.parts[0]):
                self._field(FieldPath((field.name,), item.pos), explicit=False)

    def _field(self, path: FieldPath, *, explicit: bool) -> None:
        resolved = self.scope.resolve(path)
        key = tuple(part.lower() for part in resolved.path)
        if key in self._selected:
            if explicit and self._selected[key]:
                raise query_error(
                    MALFORMED_QUERY,
                    self.soql,
                    path.pos,
                    f"duplicate field selected: {'.'.join(resolved.path)}",
                )
            return
        self._selected[key] = explicit
        objects = resolved.objects
        for index, join in enumerate(resolved.joins):
            hop = tuple(part.lower() for part in join.path)
            if hop in self._hops:
                continue
            self._hops.add(hop)
            hop_objects = objects[: index + 2]
            self._add(join.id_sql(), OutputColumn(PARENT_ID, join.path, join.reference, hop_objects))
            if join.polymorphic:
                self._add(join.type_sql(), OutputColumn(PARENT_TYPE, join.path, join.reference, hop_objects))
        if not resolved.field.is_compound:
            self._add(resolved.sql, OutputColumn(FIELD, resolved.path, resolved.field, objects))
            return
        components = [f for f in resolved.owner.fields if f.compound_field_name == resolved.field.name]
        for component in sorted(components, key=lambda f: component_key(f.name)):
            column = OutputColumn(
                COMPONENT, resolved.path, component, objects, key=component_key(component.name)
            )
            self._add(self.scope.sibling_sql(resolved, component.name), column)

    def group_by(self, query: Query) -> None:
        for expr in query.group_by:
            if isinstance(expr, Call):
                raise query_error(MALFORMED_QUERY, self.soql, expr.pos, f"{expr.name}() can not be grouped")
            resolved = self.scope.resolve(expr)
            check_capability(self.soql, resolved, "grouped")
            self._grouped[tuple(p.lower() for p in resolved.path)] = resolved
            self.group_exprs.append(resolved.sql)

    def aggregate(self, query: Query) -> None:
        unnamed = itertools.count()
        for item in query.select:
            if isinstance(item, FieldPath):
                resolved = self._grouped_field(item, "Field must be grouped or aggregated")
                column = OutputColumn(
                    FIELD, resolved.path, resolved.field, resolved.objects, alias=resolved.field.name
                )
                self._add(resolved.sql, column)
            elif item.name == "FIELDS":
                raise query_error(
                    MALFORMED_QUERY, self.soql, item.pos, "FIELDS() can not be used with GROUP BY"
                )
            else:
                sql, resolved = self._aggregate_sql(item)
                alias = item.alias if item.alias is not None else f"expr{next(unnamed)}"
                objects = resolved.objects if resolved else (self.scope.sobject,)
                field = resolved.field if resolved else None
                self._add(
                    sql, OutputColumn(AGGREGATE, (alias,), field, objects, alias=alias, function=item.name)
                )

    def _grouped_field(self, path: FieldPath, message: str) -> Resolved:
        resolved = self.scope.resolve(path)
        if tuple(p.lower() for p in resolved.path) not in self._grouped:
            raise query_error(MALFORMED_QUERY, self.soql, path.pos, f"{message}: {'.'.join(path.parts)}")
        return resolved

    def _aggregate_sql(self, call: Call) -> tuple[str, Resolved | None]:
        if call.arg is None:
            return "COUNT(*)", None
        resolved = self.scope.resolve(call.arg)
        field = resolved.field
        numeric = field.type in INTEGER_TYPES or field.type in REAL_TYPES
        if field.is_compound or (call.name in ("SUM", "AVG") and not numeric):
            raise query_error(
                MALFORMED_QUERY,
                self.soql,
                call.arg.pos,
                f"field {field.name} does not support aggregate operator {call.name}",
            )
        if call.name == "COUNT_DISTINCT":
            return f"COUNT(DISTINCT {resolved.sql})", resolved
        return f"{call.name}({resolved.sql})", resolved

    def order_by(self, query: Query, *, grouped: bool) -> str:
        items = []
        for item in query.order_by:
            if isinstance(item.expr, Call):
                if not grouped or item.expr.name == "FIELDS":
                    raise query_error(
                        MALFORMED_QUERY,
                        self.soql,
                        item.expr.pos,
                        f"{item.expr.name}() can not be used in ORDER BY",
                    )
                sql = self._aggregate_sql(item.expr)[0]
            elif grouped:
                sql = self._grouped_field(item.expr, "Ordered field must be grouped or aggregated").sql
            else:
                resolved = self.scope.resolve(item.expr)
                check_capability(self.soql, resolved, "sorted")
                sql = resolved.sql
            nulls_first = (not item.descending) if item.nulls_first is None else item.nulls_first
            direction = "DESC" if item.descending else "ASC"
            items.append(f"{sql} {direction} NULLS {'FIRST' if nulls_first else 'LAST'}")
        if not grouped:
            # Creation order breaks ties, so paging through equal sort keys is stable.
            items.append(f"{self.scope.table}.{quote('_rowid')}")
        return ", ".join(items)


def _fields_function(sobject: ObjectDef, kind: str) -> list[FieldDef]:
    if kind == "ALL":
        return list(sobject.fields)
    return [f for f in sobject.fields if f.custom == (kind == "CUSTOM")]
