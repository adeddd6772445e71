"""The one code path that turns stored rows into records: REST JSON, Bulk CSV and Bulk 1.0 JSON.

SQLite writes every record's wire text itself: `record_sql` gives one SQL expression per query whose
value is a whole record (a JSON object, or a CSV line without its line ending), so that a page is a
string join done in C and no row ever becomes Python objects. `_RULES` holds the per-type rendering
for each format, keyed by how a type is stored: datetimes INTEGER ms since the epoch, dates TEXT
`YYYY-MM-DD`, booleans 0/1, numbers INTEGER or REAL, everything else TEXT.

Numbers follow Python's conventions, as records shaped in Python did: REST and Bulk 1.0 JSON write a
REAL as `orjson.dumps` does, CSV as `str` does. Integral values and those with at most six decimals
are written with exact integer arithmetic in SQL; the rest go through `sf_float_json`/`sf_float_text`,
which `install_functions` registers on a connection.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from sqlite3 import Connection
from typing import Literal

import orjson

from .schema import INTEGER_TYPES, REAL_TYPES, FieldDef
from .soql.compiler import AGGREGATE, COMPONENT, FIELD, PARENT_ID, PARENT_TYPE, ROOT_ID, OutputColumn
from .soql.scope import sql_string

Format = Literal["rest", "csv", "bulk1"]

# SQLite's default SQLITE_MAX_FUNCTION_ARG: json_object takes 63 pairs, printf 126 values.
_MAX_ARGS = 127
_PAIRS_PER_CALL = (_MAX_ARGS - 1) // 2


@dataclass(frozen=True)
class Shape:
    """How a query's records are written: the format, the API version in `attributes.url`, the CSV delimiter."""

    fmt: Format
    api_version: str = "59.0"
    delimiter: str = ","


def _float_json(value: float) -> str:
    return orjson.dumps(value).decode()


def install_functions(conn: Connection) -> None:
    """Register the SQL functions `record_sql` relies on (once per connection)."""
    conn.create_function("sf_float_json", 1, _float_json, deterministic=True)
    conn.create_function("sf_float_text", 1, str, deterministic=True)


# The exact micro-units of |v|: a candidate that `… / 1000000.0 = abs(v)` then proves right, since an
# IEEE division of two exact doubles is correctly rounded, as Python's float(text) is.
_MICROS = "CAST(abs({v}) * 1000000 + 0.5 AS INTEGER)"
# A REAL as Python writes it. Integral values below 1e15 and values in [1e-4, 1e9) with at most six
# decimals have at most 15 significant digits, so that text is the shortest one that round-trips,
# in fixed notation: Python's repr and orjson agree on it. Anything else asks Python.
_REAL = (
    "CASE WHEN {v} IS NULL THEN NULL"
    " WHEN abs({v}) < 1e15 AND {v} = CAST({v} AS INTEGER) THEN CAST({v} AS INTEGER) || '.0'"
    " WHEN abs({v}) >= 0.0001 AND abs({v}) < 1e9 AND " + _MICROS + " / 1000000.0 = abs({v})"
    " THEN rtrim(printf('%s%d.%06d', CASE WHEN {v} < 0 THEN '-' END, "
    + _MICROS
    + " / 1000000, "
    + _MICROS
    + " % 1000000), '0')"
    " ELSE {fallback}({v}) END"
)
_JSON_REAL = _REAL.replace("{fallback}", "sf_float_json")
_TEXT_REAL = _REAL.replace("{fallback}", "sf_float_text")
# Floor division, so that instants before 1970 keep a millisecond part in [0, 999].
_DATETIME = (
    "strftime('%Y-%m-%dT%H:%M:%S', {v} / 1000 - ({v} % 1000 < 0), 'unixepoch')"
    " || printf('.%03d{zone}', ({v} % 1000 + 1000) % 1000)"
)

# Stored kind → format → SQL template over the stored value `{v}`. JSON templates give a value for
# json_object (TEXT becomes a JSON string, INTEGER a number, NULL null, json(...) raw JSON); CSV
# templates give the text inside the quotes, NULL for an empty cell. REAL-affinity columns hold
# only REALs (SQLite converts what is stored), so `real` skips the type test that `number`, for
# values of no declared type (COUNT, SUM, AVG, integer fields), needs.
_RULES: dict[str, dict[Format, str]] = {
    "text": {"rest": "{v}", "bulk1": "{v}", "csv": "{v}"},
    "id": {"rest": "{v}", "bulk1": "{v}", "csv": "{v}"},
    "real": {"rest": f"json({_JSON_REAL})", "bulk1": f"json({_JSON_REAL})", "csv": _TEXT_REAL},
    "number": {
        "rest": f"CASE typeof({{v}}) WHEN 'real' THEN json({_JSON_REAL}) ELSE {{v}} END",
        "bulk1": f"CASE typeof({{v}}) WHEN 'real' THEN json({_JSON_REAL}) ELSE {{v}} END",
        "csv": f"CASE typeof({{v}}) WHEN 'real' THEN {_TEXT_REAL} ELSE {{v}} END",
    },
    "boolean": {
        "rest": "CASE {v} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END",
        "bulk1": "CASE {v} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END",
        "csv": "CASE {v} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END",
    },
    "datetime": {
        "rest": _DATETIME.replace("{zone}", "+0000"),
        "bulk1": "{v}",
        "csv": _DATETIME.replace("{zone}", "Z"),
    },
    "date": {"rest": "{v}", "bulk1": "unixepoch({v}) * 1000", "csv": "{v}"},
}
# CSV kinds whose text never holds '"' go through printf's %s, which also writes NULL as nothing;
# text goes through %w, which doubles quotes but writes NULL as "(NULL)".
_CSV_UNQUOTED = frozenset({"id", "real", "number", "boolean", "datetime", "date"})


def _kind(field: FieldDef | None) -> str:
    """The rule for a value of `field`; None (COUNT, SUM, AVG …) is a number."""
    if field is None or field.type in INTEGER_TYPES:
        return "number"
    if field.type in REAL_TYPES:
        return "real"
    if field.type in ("boolean", "datetime", "date"):
        return field.type
    if field.type in ("id", "reference"):
        return "id"  # Salesforce Ids are letters and digits only
    return "text"


def _value_sql(field: FieldDef | None, fmt: Format, expr: str) -> str:
    """The SQL rendering of one stored value of `field` (an SQL expression) in `fmt`."""
    return _RULES[_kind(field)][fmt].replace("{v}", f"({expr})")


def _value_field(column: OutputColumn) -> FieldDef | None:
    """The field whose type decides the wire form: aggregates keep it only for MIN and MAX."""
    if column.kind == AGGREGATE and column.function not in ("MIN", "MAX"):
        return None
    return column.field


def csv_header(columns: Sequence[OutputColumn]) -> list[str]:
    """Bulk CSV header: dotted paths (`Account.Name`), aggregate aliases, component field names."""
    return [_csv_name(column) for column in columns if not column.hidden]


def _csv_name(column: OutputColumn) -> str:
    if column.kind == COMPONENT:
        return ".".join((*column.path[:-1], column.field.name))
    return column.name


def record_sql(columns: Sequence[OutputColumn], exprs: Sequence[str], shape: Shape) -> str:
    """One SQL expression whose value is the record made of `exprs` (one per column) in `shape`.

    rest: a REST JSON object with `attributes`, parents as nested objects (null without a parent),
    compound fields as objects (null when every component is null). bulk1: the same with dates and
    datetimes as epoch milliseconds. csv: the visible values, each double-quoted, joined by the
    delimiter, null as "".
    """
    if shape.fmt == "csv":
        return _csv_line(columns, exprs, shape.delimiter)
    url_prefix = f"/services/data/v{shape.api_version}/sobjects/"
    if not any(column.kind == ROOT_ID for column in columns):
        pairs = [
            (column.name, _value_sql(_value_field(column), shape.fmt, expr))
            for column, expr in zip(columns, exprs, strict=True)
        ]
        return _object_sql([("attributes", "json_object('type', 'AggregateResult')"), *_unique(pairs)])
    return _record_tree(columns, exprs, shape.fmt).sql(url_prefix)


def _csv_line(columns: Sequence[OutputColumn], exprs: Sequence[str], delimiter: str) -> str:
    cells = []
    for column, expr in zip(columns, exprs, strict=True):
        if column.hidden:
            continue
        field = _value_field(column)
        value = _value_sql(field, "csv", expr)
        cells.append(('"%s"', value) if _kind(field) in _CSV_UNQUOTED else ('"%w"', f"ifnull({value}, '')"))
    if not cells:
        return "''"
    separator = delimiter.replace("%", "%%")
    pieces = []
    for start in range(0, len(cells), _MAX_ARGS - 1):
        chunk = cells[start : start + _MAX_ARGS - 1]
        template = (separator if start else "") + separator.join(spec for spec, _ in chunk)
        pieces.append(f"printf({sql_string(template)}, {', '.join(value for _, value in chunk)})")
    return " || ".join(pieces)


def _object_sql(pairs: list[tuple[str, str]]) -> str:
    """A JSON object of (key, SQL value) pairs in order, however many (json_set appends past 63)."""
    first, rest = pairs[:_PAIRS_PER_CALL], pairs[_PAIRS_PER_CALL:]
    sql = f"json_object({', '.join(f'{sql_string(key)}, {value}' for key, value in first)})"
    for start in range(0, len(rest), _PAIRS_PER_CALL):
        chunk = rest[start : start + _PAIRS_PER_CALL]
        sets = ", ".join(f"{_member_path(key)}, {value}" for key, value in chunk)
        sql = f"json_set({sql}, {sets})"
    return sql


def _member_path(key: str) -> str:
    """The json_set path of a top-level member, quoted so that any key is taken literally."""
    return sql_string('$."' + key + '"')


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A key given twice keeps its first place and its last value, as a dict update would."""
    merged: dict[str, str] = {}
    for key, value in pairs:
        merged[key] = value
    return list(merged.items())


class _Node:
    """One record level of a JSON record: its Id, its type and its entries in first-seen order."""

    def __init__(self, id_sql: str, type_name: str | None) -> None:
        self.id_sql = id_sql
        self.type_name = type_name
        self.type_sql: str | None = None
        self.entries: list[tuple[str, object]] = []

    def attributes_sql(self, url_prefix: str) -> str:
        if self.type_sql is not None:
            url = f"{sql_string(url_prefix)} || {self.type_sql} || '/' || {self.id_sql}"
            return f"json_object('type', {self.type_sql}, 'url', {url})"
        url = f"{sql_string(url_prefix + self.type_name + '/')} || {self.id_sql}"
        return f"json_object('type', {sql_string(self.type_name)}, 'url', {url})"

    def sql(self, url_prefix: str) -> str:
        pairs = [("attributes", self.attributes_sql(url_prefix))]
        for key, value in self.entries:
            if isinstance(value, _Node):
                pairs.append((key, f"CASE WHEN {value.id_sql} IS NOT NULL THEN {value.sql(url_prefix)} END"))
            elif isinstance(value, list):
                pairs.append((key, _compound_sql(value)))
            else:
                pairs.append((key, str(value)))
        return _object_sql(_unique(pairs))


def _compound_sql(parts: list[tuple[str, str, str]]) -> str:
    """(key, stored expression, rendered value) per component: null when every component is null."""
    any_set = " OR ".join(f"{stored} IS NOT NULL" for _, stored, _ in parts)
    return f"CASE WHEN {any_set} THEN {_object_sql([(key, value) for key, _, value in parts])} END"


def _record_tree(columns: Sequence[OutputColumn], exprs: Sequence[str], fmt: Format) -> _Node:
    nodes: dict[tuple[str, ...], _Node] = {}
    for column, raw in zip(columns, exprs, strict=True):
        expr = f"({raw})"
        if column.kind == ROOT_ID:
            nodes[()] = _Node(expr, column.objects[0].name)
        elif column.kind == PARENT_ID:
            target = column.objects[-1]
            node = _Node(expr, target.name if target is not None else None)
            nodes[column.path] = node
            nodes[column.path[:-1]].entries.append((column.path[-1], node))
        elif column.kind == PARENT_TYPE:
            nodes[column.path].type_sql = expr
        elif column.kind == FIELD:
            nodes[column.path[:-1]].entries.append((column.path[-1], _value_sql(column.field, fmt, raw)))
        elif column.kind == COMPONENT:
            entries = nodes[column.path[:-1]].entries
            if not entries or entries[-1][0] != column.path[-1] or not isinstance(entries[-1][1], list):
                entries.append((column.path[-1], []))
            entries[-1][1].append((column.key, expr, _value_sql(column.field, fmt, raw)))  # type: ignore[union-attr]
    return nodes[()]
