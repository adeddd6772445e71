"""WHERE conditions → SQL with bound parameters, type-checked against the fields as Salesforce does.

SOQL has two-valued logic: `Name != 'x'`, `NOT IN` and `NOT (…)` keep rows whose field is null.
Positive predicates stay plain (NULL counts as false, indexes stay usable); a NOT wraps its operand
in IFNULL(…, 0) so that unknown becomes false before it is negated.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .. import ids
from ..errors import SalesforceError
from ..schema import INTEGER_TYPES, REAL_TYPES, TEXT_TYPES
from . import date_literals
from .ast import And, Call, Comparison, Condition, Includes, InList, Like, Not, Or, Query, SemiJoin, Value
from .diagnostics import (
    INVALID_QUERY_FILTER_OPERATOR,
    MALFORMED_QUERY,
    filter_type_error,
    query_error,
    unsupported,
)
from .parser import unescape
from .scope import Resolved, Scope, check_capability

# The type names Salesforce uses in "must be of type …" messages, where they differ from describe's.
_TYPE_NAMES = {
    "int": "integer",
    "long": "long",
    "double": "double",
    "currency": "double",
    "percent": "double",
    "date": "date",
    "datetime": "dateTime",
}
_LIKE_ESCAPE = " ESCAPE '\\'"


def _like_literal(text: str) -> str:
    """`text` matched literally inside a LIKE pattern whose escape character is a backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class _Range:
    """A date literal bound to a field: the SQL bounds [start, end) in the field's storage form."""

    start: object
    end: object


class FilterCompiler:
    """Compiles one scope's WHERE; parameters accumulate in `params` in SQL text order."""

    def __init__(
        self, scope: Scope, now_ms: int, compile_semi_join: Callable[[Query], tuple[str, list]]
    ) -> None:
        self.scope = scope
        self.soql = scope.soql
        self.now_ms = now_ms
        self.compile_semi_join = compile_semi_join
        self.params: list = []

    def condition(self, cond: Condition) -> str:
        if isinstance(cond, And):
            return "(" + " AND ".join(self.condition(item) for item in cond.items) + ")"
        if isinstance(cond, Or):
            return "(" + " OR ".join(self.condition(item) for item in cond.items) + ")"
        if isinstance(cond, Not):
            return f"NOT IFNULL({self.condition(cond.item)}, 0)"
        target = self._field(cond.field)
        if isinstance(cond, Comparison):
            return self._compare(target, cond.op, cond.value)
        if isinstance(cond, InList):
            return self._in_list(target, cond)
        if isinstance(cond, Like):
            return self._like(target, cond)
        if isinstance(cond, Includes):
            return self._includes(target, cond)
        return self._semi_join(target, cond)

    def _field(self, expr: object) -> Resolved:
        if isinstance(expr, Call):
            raise query_error(
                MALFORMED_QUERY,
                self.soql,
                expr.pos,
                f"Aggregate function {expr.name}() is not allowed in WHERE",
            )
        resolved = self.scope.resolve(expr)
        check_capability(self.soql, resolved, "filtered")
        return resolved

    def _bind(self, target: Resolved, value: Value) -> object:
        """The parameter for `value` compared with the field (a _Range for date literals)."""
        field = target.field
        kind = value.kind
        if kind == "null":
            return None
        if field.type in ("date", "datetime"):
            if kind == "date_literal":
                start, end = date_literals.date_range(*value.value, self.now_ms)
                if field.type == "date":
                    return _Range(start.isoformat(), end.isoformat())
                return _Range(date_literals.date_to_ms(start), date_literals.date_to_ms(end))
            if kind == field.type:
                return value.value
            raise filter_type_error(self.soql, value.pos, field.name, _TYPE_NAMES[field.type], False)
        if field.type in ("id", "reference"):
            if kind != "string":
                raise filter_type_error(self.soql, value.pos, field.name, "id", True)
            try:
                return ids.to_18(value.value)
            except SalesforceError:
                raise query_error(
                    INVALID_QUERY_FILTER_OPERATOR, self.soql, value.pos, f"invalid ID field: {value.value}"
                ) from None
        if field.type in TEXT_TYPES:
            if kind != "string":
                raise filter_type_error(self.soql, value.pos, field.name, "string", True)
            return value.value
        if field.type in INTEGER_TYPES or field.type in REAL_TYPES:
            if kind != "number":
                raise filter_type_error(self.soql, value.pos, field.name, _TYPE_NAMES[field.type], False)
            return value.value
        if kind != "boolean":
            raise filter_type_error(self.soql, value.pos, field.name, "boolean", False)
        return int(value.value)

    def _param(self, value: object) -> str:
        self.params.append(value)
        return "?"

    def _compare(self, target: Resolved, op: str, value: Value) -> str:
        bound = self._bind(target, value)
        sql = target.sql
        if isinstance(bound, _Range):
            return self._compare_range(sql, op, bound)
        if bound is None:
            if op == "=":
                return f"{sql} IS NULL"
            if op == "!=":
                return f"{sql} IS NOT NULL"
            return "0"
        if target.field.type == "multipicklist" and op in ("=", "!="):
            equal = self._multipicklist_equals(sql, bound)
            return equal if op == "=" else f"({sql} IS NULL OR NOT {equal})"
        if op == "!=":
            return f"{sql} IS NOT {self._param(bound)}"
        return f"{sql} {op} {self._param(bound)}"

    def _compare_range(self, sql: str, op: str, bound: _Range) -> str:
        if op == "=":
            return f"({sql} >= {self._param(bound.start)} AND {sql} < {self._param(bound.end)})"
        if op == "!=":
            return (
                f"({sql} IS NULL OR {sql} < {self._param(bound.start)} OR {sql} >= {self._param(bound.end)})"
            )
        if op == ">":
            return f"{sql} >= {self._param(bound.end)}"
        if op == ">=":
            return f"{sql} >= {self._param(bound.start)}"
        if op == "<":
            return f"{sql} < {self._param(bound.start)}"
        return f"{sql} < {self._param(bound.end)}"

    def _multipicklist_equals(self, sql: str, text: str) -> str:
        """Exactly the set of values in `a;b`, in any stored order."""
        values = [v.strip() for v in text.split(";") if v.strip()]
        contains = [self._contains(sql, v) for v in values]
        separators = f"length({sql}) - length(replace({sql}, ';', '')) = {self._param(len(values) - 1)}"
        return "(" + " AND ".join([*contains, separators]) + ")"

    def _contains(self, sql: str, value: str) -> str:
        pattern = self._param(f"%;{_like_literal(value)};%")
        return f"(';' || {sql} || ';') LIKE {pattern}{_LIKE_ESCAPE}"

    def _in_list(self, target: Resolved, cond: InList) -> str:
        # Type-check every value first; parameters are added as the SQL is written, keeping their order.
        bound = [self._bind(target, value) for value in cond.values]
        plain = [b for b in bound if b is not None]
        if target.field.type == "multipicklist" or any(isinstance(b, _Range) for b in plain):
            alternatives = " OR ".join(self._compare(target, "=", value) for value in cond.values)
            return f"NOT IFNULL(({alternatives}), 0)" if cond.negated else f"({alternatives})"
        has_null = len(plain) < len(bound)
        sql = target.sql
        if not plain:
            return f"{sql} IS NOT NULL" if cond.negated else f"{sql} IS NULL"
        markers = ", ".join(self._param(b) for b in plain)
        if cond.negated:
            return (
                f"({sql} IS NOT NULL AND {sql} NOT IN ({markers}))"
                if has_null
                else (f"({sql} IS NULL OR {sql} NOT IN ({markers}))")
            )
        return f"({sql} IS NULL OR {sql} IN ({markers}))" if has_null else f"{sql} IN ({markers})"

    def _like(self, target: Resolved, cond: Like) -> str:
        field = target.field
        if field.type not in TEXT_TYPES or field.type in ("multipicklist", "time"):
            raise query_error(
                INVALID_QUERY_FILTER_OPERATOR,
                self.soql,
                cond.pattern.pos,
                f"invalid operator on {field.type} field: LIKE",
            )
        if cond.pattern.kind != "string":
            raise filter_type_error(self.soql, cond.pattern.pos, field.name, "string", True)
        pattern = self._param(unescape(cond.pattern.text, keep_like_escapes=True))
        if cond.negated:
            return f"({target.sql} IS NULL OR {target.sql} NOT LIKE {pattern}{_LIKE_ESCAPE})"
        return f"{target.sql} LIKE {pattern}{_LIKE_ESCAPE}"

    def _includes(self, target: Resolved, cond: Includes) -> str:
        if target.field.type != "multipicklist":
            raise query_error(
                INVALID_QUERY_FILTER_OPERATOR,
                self.soql,
                cond.values[0].pos,
                "includes or excludes operator only valid on multipicklist field",
            )
        alternatives = []
        for value in cond.values:
            if value.kind != "string":
                raise filter_type_error(self.soql, value.pos, target.field.name, "string", True)
            # `'a;b'` inside INCLUDES means both a and b.
            parts = [p.strip() for p in value.value.split(";") if p.strip()]
            alternatives.append("(" + " AND ".join(self._contains(target.sql, p) for p in parts) + ")")
        any_of = "(" + " OR ".join(alternatives) + ")"
        if cond.excludes:
            return f"({target.sql} IS NULL OR NOT {any_of})"
        return any_of

    def _semi_join(self, target: Resolved, cond: SemiJoin) -> str:
        if target.field.type not in ("id", "reference"):
            raise unsupported(
                self.soql, target.pos, "A semi-join on a field that is not an Id or a reference"
            )
        sub_sql, sub_params = self.compile_semi_join(cond.query)
        self.params.extend(sub_params)
        if cond.negated:
            return f"({target.sql} IS NULL OR {target.sql} NOT IN ({sub_sql}))"
        return f"{target.sql} IN ({sub_sql})"
