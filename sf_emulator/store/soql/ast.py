"""The parsed form of a SOQL query: names as written, with the (line, column) of everything an error may cite."""

from dataclasses import dataclass
from typing import Literal as TypingLiteral

ValueKind = TypingLiteral["string", "number", "boolean", "null", "date", "datetime", "date_literal"]


@dataclass(frozen=True)
class Pos:
    """1-based row and column of a token in the SOQL text."""

    line: int
    column: int


@dataclass(frozen=True)
class FieldPath:
    """`Name`, `Account.Owner.Name` or `a.Name` (alias first), as written."""

    parts: tuple[str, ...]
    pos: Pos


@dataclass(frozen=True)
class Call:
    """`COUNT()`, `COUNT(Id) cnt`, `MAX(CreatedDate)`, `FIELDS(ALL)`: the name is upper-cased."""

    name: str
    arg: FieldPath | None
    alias: str | None
    pos: Pos
    alias_pos: Pos | None = None


@dataclass(frozen=True)
class Value:
    """A literal. `value` by kind: string → unescaped str, number → int|float, boolean → bool,
    null → None, date → 'YYYY-MM-DD', datetime → ms since epoch UTC, date_literal → (NAME, n|None)."""

    kind: ValueKind
    value: object
    text: str
    pos: Pos


@dataclass(frozen=True)
class Comparison:
    field: FieldPath | Call
    op: str
    value: Value


@dataclass(frozen=True)
class InList:
    field: FieldPath | Call
    negated: bool
    values: tuple[Value, ...]


@dataclass(frozen=True)
class SemiJoin:
    field: FieldPath | Call
    negated: bool
    query: "Query"


@dataclass(frozen=True)
class Like:
    field: FieldPath | Call
    negated: bool
    pattern: Value


@dataclass(frozen=True)
class Includes:
    """INCLUDES (excludes=False) or EXCLUDES over a multipicklist; each value may hold `a;b` (both)."""

    field: FieldPath | Call
    excludes: bool
    values: tuple[Value, ...]


@dataclass(frozen=True)
class And:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    item: "Condition"


Condition = Comparison | InList | SemiJoin | Like | Includes | And | Or | Not


@dataclass(frozen=True)
class OrderItem:
    expr: FieldPath | Call
    descending: bool
    nulls_first: bool | None  # None: the default for the direction


@dataclass(frozen=True)
class Query:
    select: tuple[FieldPath | Call, ...]
    sobject: str
    sobject_pos: Pos
    alias: str | None
    where: Condition | None
    group_by: tuple[FieldPath | Call, ...]
    order_by: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None
    pos: Pos
