"""The data checks of `sf-assets mapping verify`: a relation's rows as the org holds them.

Group names must be non-empty and unique (two records with one value would become one group and
overwrite each other), and every synced value must convert to what its field type promises
(numbers, dates, booleans), since a payload carries the converted value. Pure: the caller reads
the rows (`verify_query`) and feeds them to `RelationData.add`.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from .catalog import FieldSpec, ObjectSpec
from .mapping import Condition, FilterOp, Relation
from .soql import soql_datetime
from .types import ColumnType

MAX_STRING = 1024  # Amplitude cuts longer string values
EXAMPLES = 3  # record Ids shown per finding

_NUMBER_TYPES = (ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DOUBLE)


def mapped_fields(relation: Relation) -> list[str]:
    """Id, the group-name field and every property field, each once, in that order."""
    return list(dict.fromkeys(["Id", relation.group_name_field, *(p.field for p in relation.properties)]))


def verify_query(relation: Relation, spec: ObjectSpec, fields: Sequence[str]) -> str:
    """SELECT `fields` of the relation's live records that pass its filter."""
    soql = f"SELECT {', '.join(fields)} FROM {relation.sobject}"
    conditions = [_condition(c, spec.field(c.field)) for c in relation.filter]
    return f"{soql} WHERE {' AND '.join(conditions)}" if conditions else soql


def probe_query(sobject: str, field_name: str) -> str:
    """A one-row query of one field: does the user's profile let it be read?"""
    return f"SELECT {field_name} FROM {sobject} LIMIT 1"


def _condition(condition: Condition, spec: FieldSpec | None) -> str:
    name, value = condition.field, condition.value
    if condition.op == FilterOp.IS_NULL:
        return f"{name} {'=' if value else '!='} null"
    if condition.op in (FilterOp.IN, FilterOp.NOT_IN):
        listed = ", ".join(soql_literal(v, spec) for v in value)  # type: ignore[union-attr]
        return f"{name} {'IN' if condition.op == FilterOp.IN else 'NOT IN'} ({listed})"
    operator = "=" if condition.op == FilterOp.EQUALS else "!="
    return f"{name} {operator} {soql_literal(value, spec)}"


def soql_literal(value: object, spec: FieldSpec | None) -> str:
    """A SOQL literal for a filter value of a field; dates and datetimes are unquoted, as SOQL wants."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    column = spec.column.type if spec else ColumnType.TEXT
    if column == ColumnType.DATE:
        return date.fromisoformat(str(value)).isoformat()
    if column == ColumnType.TIMESTAMP:
        moment = datetime.fromisoformat(str(value))
        return soql_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    escaped = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return f"'{escaped}'"


def conversion_error(spec: FieldSpec, value: object) -> str | None:
    """Why `value` (REST JSON or Bulk CSV text) is not a valid value of its field type; None when it is."""
    if value is None:
        return None
    column = spec.column.type
    try:
        if column == ColumnType.BOOLEAN:
            ok = isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
            return None if ok else "not a boolean"
        if column in _NUMBER_TYPES:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                return "not a number"
            number = float(value)
            if not math.isfinite(number):
                return "not a finite number"
            if column == ColumnType.INTEGER and not number.is_integer():
                return "not a whole number"
            return None
        if column in (ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIME) and not isinstance(value, str):
            return f"not a {column.value}"
        if column == ColumnType.DATE:
            date.fromisoformat(value)
        elif column == ColumnType.TIMESTAMP:
            datetime.fromisoformat(value)  # 3.11 reads REST's `.000+0000` and Bulk's `.000Z`
        elif column == ColumnType.TIME:
            time.fromisoformat(value)
        elif isinstance(value, dict | list):
            return "not a plain value"
    except ValueError:
        return "not a number" if column in _NUMBER_TYPES else f"not a {column.value}"
    return None


@dataclass
class _Tally:
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, example: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass(frozen=True)
class Finding:
    """One line of the report; `problem` findings fail the verify, notes do not."""

    problem: bool
    text: str


class RelationData:
    """Tallies a relation's records: empty and shared group names, unconvertible and long values."""

    def __init__(self, relation: Relation, spec: ObjectSpec, readable: Sequence[str]) -> None:
        self.relation = relation
        self.records = 0
        self.group_name = relation.group_name_field if relation.group_name_field in readable else None
        self.fields = [
            spec.field(p.field)
            for p in relation.synced_properties
            if p.field in readable and spec.field(p.field)
        ]
        self.empty = _Tally()
        self.names: dict[str, _Tally] = {}
        self.unconvertible: dict[str, dict[str, _Tally]] = {}  # field → reason → tally
        self.long: dict[str, _Tally] = {}

    def add(self, record: dict) -> None:
        self.records += 1
        record_id = str(record.get("Id"))
        if self.group_name is not None:
            value = record.get(self.group_name)
            if value is None or str(value).strip() == "":
                self.empty.add(record_id)
            else:
                self.names.setdefault(str(value), _Tally()).add(record_id)
        for spec in self.fields:
            value = record.get(spec.sf_name)
            reason = conversion_error(spec, value)
            if reason is not None:
                by_reason = self.unconvertible.setdefault(spec.sf_name, {})
                by_reason.setdefault(reason, _Tally()).add(f"{record_id} ({_short(value)})")
            elif spec.column.type == ColumnType.TEXT and isinstance(value, str) and len(value) > MAX_STRING:
                self.long.setdefault(spec.sf_name, _Tally()).add(record_id)

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        name = self.group_name
        if name is not None:
            shared = {value: tally for value, tally in self.names.items() if tally.count > 1}
            if self.empty.count:
                found.append(
                    Finding(
                        True,
                        f"group name {name}: {_records(self.empty.count)} with an empty value "
                        f"(skipped), e.g. {', '.join(self.empty.examples)}",
                    )
                )
            if shared:
                examples = "; ".join(
                    f"{value!r} ({_records(t.count)}: {', '.join(t.examples)})"
                    for value, t in sorted(shared.items(), key=lambda item: (-item[1].count, item[0]))[
                        :EXAMPLES
                    ]
                )
                found.append(
                    Finding(
                        True,
                        f"group name {name}: {len(shared)} value{'s' if len(shared) != 1 else ''} shared by "
                        f"several records, whose groups would overwrite each other, e.g. {examples}",
                    )
                )
            if not self.empty.count and not shared:
                values = _plural(len(self.names), "value")
                found.append(Finding(False, f"group name {name}: {values}, non-empty and unique"))
        for field_name, by_reason in self.unconvertible.items():
            spec = next(s for s in self.fields if s.sf_name == field_name)
            for reason, tally in by_reason.items():
                found.append(
                    Finding(
                        True,
                        f"{field_name} ({spec.sf_type}): {_records(tally.count)} {reason}, "
                        f"e.g. {', '.join(tally.examples)}",
                    )
                )
        if self.fields and not self.unconvertible:
            fields = _plural(len(self.fields), "synced field")
            found.append(Finding(False, f"values of {fields} convert to their types"))
        for field_name, tally in self.long.items():
            found.append(
                Finding(
                    False,
                    f"{field_name}: {_records(tally.count)} longer than {MAX_STRING} characters, to be cut, "
                    f"e.g. {', '.join(tally.examples)}",
                )
            )
        return found


def _records(count: int) -> str:
    return _plural(count, "record")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
