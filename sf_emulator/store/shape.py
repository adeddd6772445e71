"""The one code path that turns stored rows into records: REST JSON, Bulk CSV and Bulk 1.0 JSON.

`make_shaper` writes one small Python function per query (its columns fixed) and compiles it, so
that a row costs one tuple unpacking, one dict built from a tuple (or one list), and a converter
call only for the columns whose stored form differs from the wire form (datetimes, booleans, Bulk
1.0 dates). Stored forms are the store's contract: datetimes ms since the epoch, dates
`YYYY-MM-DD`, booleans 0/1.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

from .schema import INTEGER_TYPES, REAL_TYPES, FieldDef
from .soql.compiler import AGGREGATE, COMPONENT, FIELD, PARENT_ID, PARENT_TYPE, ROOT_ID, OutputColumn

Format = Literal["rest", "csv", "bulk1"]

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_MS = 86_400_000
# Datetimes are assembled from small tables ("YYYY-MM-DDT" per day seen, "HH:MM:", "SS",
# ".mmm+0000"): cheaper than strftime and robust to timestamps that never repeat.
_DAY_PREFIX: dict[int, str] = {}
_HOUR_MINUTE = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SECOND = [f"{s:02d}" for s in range(60)]
_MILLIS_REST = [f".{ms:03d}+0000" for ms in range(1000)]
_MILLIS_CSV = [f".{ms:03d}Z" for ms in range(1000)]
_CACHE_MAX = 100_000
_last_rest: tuple[int | None, str | None] = (None, None)
_last_csv: tuple[int | None, str] = (None, "")
_DATE_MS: dict[str, int] = {}
_BOOL = {None: None, 0: False, 1: True}
_BOOL_CSV = {None: "", 0: "false", 1: "true"}


def _day_prefix(days: int) -> str:
    prefix = date.fromordinal(_EPOCH_ORDINAL + days).isoformat() + "T"
    if len(_DAY_PREFIX) < _CACHE_MAX:
        _DAY_PREFIX[days] = prefix
    return prefix


def _format_datetime(ms: int, millis_suffixes: list[str]) -> str:
    days, rest = divmod(ms, _DAY_MS)
    seconds, millis = divmod(rest, 1000)
    minutes, second = divmod(seconds, 60)
    day = _DAY_PREFIX.get(days) or _day_prefix(days)
    return day + _HOUR_MINUTE[minutes] + _SECOND[second] + millis_suffixes[millis]


def datetime_rest(ms: int | None) -> str | None:
    """Stored ms since the epoch → `2024-01-01T00:00:00.000+0000` (REST and SOAP)."""
    global _last_rest
    # CreatedDate, LastModifiedDate and SystemModstamp are often one instant: remember the last
    # conversion (one tuple, so concurrent callers always read a matching pair).
    last = _last_rest
    if last[0] == ms:
        return last[1]
    if ms is None:
        return None
    text = _format_datetime(ms, _MILLIS_REST)
    _last_rest = (ms, text)
    return text


def datetime_csv(ms: int | None) -> str:
    """Stored ms since the epoch → `2024-01-01T00:00:00.000Z` (Bulk CSV); null → empty."""
    global _last_csv
    last = _last_csv
    if last[0] == ms:
        return last[1]
    if ms is None:
        return ""
    text = _format_datetime(ms, _MILLIS_CSV)
    _last_csv = (ms, text)
    return text


def date_epoch_ms(value: str | None) -> int | None:
    """Stored `YYYY-MM-DD` → midnight UTC in ms since the epoch (Bulk 1.0 JSON)."""
    if value is None:
        return None
    found = _DATE_MS.get(value)
    if found is None:
        found = (date.fromisoformat(value).toordinal() - _EPOCH_ORDINAL) * _DAY_MS
        if len(_DATE_MS) < _CACHE_MAX:
            _DATE_MS[value] = found
    return found


_HELPERS = {
    "_dt": datetime_rest,
    "_dt_csv": datetime_csv,
    "_date_ms": date_epoch_ms,
    "_B": _BOOL,
    "_BC": _BOOL_CSV,
}


def csv_header(columns: Sequence[OutputColumn]) -> list[str]:
    """Bulk CSV header: dotted paths (`Account.Name`), aggregate aliases, component field names."""
    return [_csv_name(column) for column in columns if not column.hidden]


def _csv_name(column: OutputColumn) -> str:
    if column.kind == COMPONENT:
        return ".".join((*column.path[:-1], column.field.name))
    return column.name


def make_shaper(
    columns: Sequence[OutputColumn], fmt: Format, api_version: str
) -> Callable[[tuple], dict | list[str]]:
    """A function from one SQL row (values in `columns` order) to a record in `fmt`.

    rest: REST JSON dict with `attributes`, parents as nested dicts (None without a parent),
    compound fields as dicts (None when every component is null). bulk1: the same with dates and
    datetimes as epoch milliseconds. csv: the visible values as strings, null as "".
    """
    names = [f"c{i}" for i in range(len(columns))]
    namespace = dict(_HELPERS)
    if fmt == "csv":
        values = [_csv_value(col, var) for col, var in zip(columns, names, strict=True) if not col.hidden]
        body = [f"return [{', '.join(values)}]"]
    else:
        if any(column.kind == ROOT_ID for column in columns):
            root = _record_tree(columns, names, fmt)
            attributes = root.attributes_code(f"/services/data/v{api_version}/sobjects/")
            keys, values = root.entry_codes(f"/services/data/v{api_version}/sobjects/")
        else:
            attributes = "{'type': 'AggregateResult'}"
            keys = [col.name for col in columns]
            values = [_json_value(col, var, fmt) for col, var in zip(columns, names, strict=True)]
        namespace["_KEYS"] = tuple(keys)
        # dict.update(zip(keys, values)) beats a wide dict display, and `attributes` stays first.
        body = [f"record = {{'attributes': {attributes}}}"]
        if keys:
            body.append(f"record.update(zip(_KEYS, ({', '.join(values)},)))")
        body.append("return record")
    lines = ([f"{', '.join(names)}, = row"] if names else []) + body
    source = "def shape(row):\n" + "".join(f"    {line}\n" for line in lines)
    # Only repr()'d names and generated variable names reach the source.
    exec(compile(source, f"<shaper {fmt}>", "exec"), namespace)
    return namespace["shape"]


def _converter(field: FieldDef | None, fmt: Format) -> str | None:
    """The helper applied to a stored value of `field`, or None when the stored value is the wire value."""
    if field is None:
        return None
    if field.type == "boolean":
        return "_BC" if fmt == "csv" else "_B"
    if field.type == "datetime":
        return {"rest": "_dt", "csv": "_dt_csv", "bulk1": None}[fmt]
    if field.type == "date" and fmt == "bulk1":
        return "_date_ms"
    return None


def _value_field(column: OutputColumn) -> FieldDef | None:
    """The field whose type decides the wire form: aggregates keep it only for MIN and MAX."""
    if column.kind == AGGREGATE and column.function not in ("MIN", "MAX"):
        return None
    return column.field


def _json_value(column: OutputColumn, var: str, fmt: Format) -> str:
    helper = _converter(_value_field(column), fmt)
    if helper is None:
        return var
    return f"{helper}[{var}]" if helper in ("_B", "_BC") else f"{helper}({var})"


def _csv_value(column: OutputColumn, var: str) -> str:
    field = _value_field(column)
    helper = _converter(field, "csv")
    if helper is not None:
        return f"{helper}[{var}]" if helper == "_BC" else f"{helper}({var})"
    numeric = column.kind == AGGREGATE or field.type in INTEGER_TYPES or field.type in REAL_TYPES
    if numeric:
        return f"('' if {var} is None else str({var}))"
    return f"({var} or '')"


class _Node:
    """One record level of a REST record: its Id variable, its type and its keys in first-seen order."""

    def __init__(self, id_var: str, type_name: str | None) -> None:
        self.id_var = id_var
        self.type_name = type_name
        self.type_var: str | None = None
        self.entries: list[tuple[str, object]] = []

    def attributes_code(self, url_prefix: str) -> str:
        if self.type_var is not None:
            return (
                f"{{'type': {self.type_var}, 'url': {url_prefix!r} + {self.type_var} + '/' + {self.id_var}}}"
            )
        return f"{{'type': {self.type_name!r}, 'url': {url_prefix + self.type_name + '/'!r} + {self.id_var}}}"

    def entry_codes(self, url_prefix: str) -> tuple[list[str], list[str]]:
        keys, values = [], []
        for key, value in self.entries:
            keys.append(key)
            if isinstance(value, _Node):
                values.append(value.code(url_prefix))
            elif isinstance(value, list):
                values.append(_compound_code(value))
            else:
                values.append(value)
        return keys, values

    def code(self, url_prefix: str) -> str:
        """An expression for this parent record: None when its Id is null."""
        keys, values = self.entry_codes(url_prefix)
        items = [f"'attributes': {self.attributes_code(url_prefix)}"]
        items += [f"{key!r}: {value}" for key, value in zip(keys, values, strict=True)]
        return f"(None if {self.id_var} is None else {{{', '.join(items)}}})"


def _compound_code(parts: list[tuple[str, str]]) -> str:
    all_null = " and ".join(f"{var} is None" for _, var in parts)
    return f"(None if {all_null} else {{{', '.join(f'{key!r}: {var}' for key, var in parts)}}})"


def _record_tree(columns: Sequence[OutputColumn], names: list[str], fmt: Format) -> _Node:
    nodes: dict[tuple[str, ...], _Node] = {}
    for column, var in zip(columns, names, strict=True):
        if column.kind == ROOT_ID:
            nodes[()] = _Node(var, column.objects[0].name)
        elif column.kind == PARENT_ID:
            target = column.objects[-1]
            node = _Node(var, target.name if target is not None else None)
            nodes[column.path] = node
            nodes[column.path[:-1]].entries.append((column.path[-1], node))
        elif column.kind == PARENT_TYPE:
            nodes[column.path].type_var = var
        elif column.kind == FIELD:
            nodes[column.path[:-1]].entries.append((column.path[-1], _json_value(column, var, fmt)))
        elif column.kind == COMPONENT:
            entries = nodes[column.path[:-1]].entries
            if not entries or entries[-1][0] != column.path[-1] or not isinstance(entries[-1][1], list):
                entries.append((column.path[-1], []))
            entries[-1][1].append((column.key, var))
    return nodes[()]
