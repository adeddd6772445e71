"""SOQL text → `ast.Query`, with Salesforce's MALFORMED_QUERY messages for anything that does not parse."""

import functools
import re
from datetime import date
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import date_literals
from .ast import (
    And,
    Call,
    Comparison,
    Condition,
    FieldPath,
    Includes,
    InList,
    Like,
    Not,
    Or,
    OrderItem,
    Pos,
    Query,
    SemiJoin,
    Value,
)
from .diagnostics import MALFORMED_QUERY, query_error, unexpected_token, unsupported

AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})
# Real SOQL functions the emulator does not implement: named in the error rather than "unexpected".
_UNSUPPORTED_FUNCTIONS = frozenset(
    {
        "CONVERTCURRENCY", "TOLABEL", "FORMAT", "GROUPING", "ROLLUP", "CUBE", "DISTANCE", "GEOLOCATION",
        "CONVERTTIMEZONE", "CALENDAR_MONTH", "CALENDAR_QUARTER", "CALENDAR_YEAR", "DAY_IN_MONTH",
        "DAY_IN_WEEK", "DAY_IN_YEAR", "DAY_ONLY", "FISCAL_MONTH", "FISCAL_QUARTER", "FISCAL_YEAR",
        "HOUR_IN_DAY", "WEEK_IN_MONTH", "WEEK_IN_YEAR",
    }
)  # fmt: skip
# Words that start clauses the emulator does not implement; the grammar lets them fall through as
# names, so a failed parse is blamed on them when they come first.
_UNSUPPORTED_WORDS = {
    "TYPEOF": "TYPEOF",
    "WITH": "WITH clause",
    "HAVING": "HAVING clause",
    "USING": "USING SCOPE",
    "FOR": "FOR VIEW/REFERENCE/UPDATE",
}
_RESERVED = frozenset(
    {
        "AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN", "INCLUDES", "LAST",
        "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT", "WHERE", "WITH", "TYPEOF", "USING",
        "FOR", "ORDER", "BY", "OFFSET", "TRUE", "FALSE", "WHEN", "THEN", "ELSE", "END",
    }
)  # fmt: skip
_ESCAPES = {"'": "'", '"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):?(\d{2}))", re.IGNORECASE
)
_WORD = re.compile(r"'(?:[^'\\]|\\.)*'|\w+", re.DOTALL)


@functools.cache
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text()
    return Lark(grammar, parser="lalr", maybe_placeholders=True)


@functools.lru_cache(maxsize=512)
def parse(soql: str) -> Query:
    """Parse the whole of `soql`; raise SalesforceError MALFORMED_QUERY on anything else."""
    try:
        tree = _lark().parse(soql)
    except UnexpectedInput as exc:
        raise _syntax_error(soql, exc) from None
    return _Builder(soql).query(tree.children[0])


def _syntax_error(soql: str, exc: UnexpectedInput) -> Exception:
    pos = Pos(max(exc.line, 1), max(exc.column, 1))
    blamed = _unsupported_before(soql, pos)
    if blamed is not None:
        return blamed
    if isinstance(exc, UnexpectedToken):
        token = "<EOF>" if exc.token.type == "$END" else str(exc.token)
        return unexpected_token(soql, pos, token)
    if isinstance(exc, UnexpectedCharacters):
        word = re.match(r"\w+|\S", soql[exc.pos_in_stream :])
        return unexpected_token(soql, pos, word.group(0) if word else soql[exc.pos_in_stream])
    return unexpected_token(soql, pos, "<EOF>")


def _unsupported_before(soql: str, error_pos: Pos) -> Exception | None:
    """An unsupported clause keyword at or before the syntax error, which it most likely caused."""
    for match in _WORD.finditer(soql):
        pos = _pos_at(soql, match.start())
        if (pos.line, pos.column) > (error_pos.line, error_pos.column):
            return None
        word = match.group(0).upper()
        if word in _UNSUPPORTED_WORDS:
            return unsupported(soql, pos, _UNSUPPORTED_WORDS[word])
    return None


def _pos_at(text: str, offset: int) -> Pos:
    line_start = text.rfind("\n", 0, offset) + 1
    return Pos(text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _pos(token: Token) -> Pos:
    return Pos(token.line, token.column)


def unescape(token_text: str, *, keep_like_escapes: bool) -> str:
    """The value of a quoted SOQL string. With `keep_like_escapes`, `\\%`, `\\_` and `\\\\` stay
    escaped (for `LIKE ? ESCAPE '\\'`); otherwise they are the plain characters.
    Raise ValueError naming the character after a backslash that is no escape."""
    body = token_text[1:-1]
    if "\\" not in body:
        return body
    out = []
    chars = iter(body)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        escaped = next(chars)
        if escaped in "%_":
            out.append("\\" + escaped if keep_like_escapes else escaped)
        elif escaped == "\\" and keep_like_escapes:
            out.append("\\\\")
        elif escaped in _ESCAPES:
            out.append(_ESCAPES[escaped])
        else:
            raise ValueError(escaped)
    return "".join(out)


class _Builder:
    """Turns the lark tree into ast nodes, raising positioned errors for what the grammar lets through."""

    def __init__(self, soql: str) -> None:
        self.soql = soql

    def query(self, tree: Tree) -> Query:
        select_kw, select_list, _, sobject, alias, where, group, order, limit, offset = tree.children
        items = tuple(self.select_item(child) for child in select_list.children)
        count_all = [
            item for item in items if isinstance(item, Call) and item.name == "COUNT" and not item.arg
        ]
        if count_all and len(items) > 1:
            raise query_error(
                MALFORMED_QUERY,
                self.soql,
                count_all[0].pos,
                "COUNT() must be the only element in the SELECT list",
            )
        if alias is not None:
            self.check_alias(alias)
        return Query(
            select=items,
            sobject=str(sobject),
            sobject_pos=_pos(sobject),
            alias=str(alias) if alias is not None else None,
            where=self.condition(where.children[1]) if where is not None else None,
            group_by=tuple(self.expr(child) for child in group.children[2:]) if group is not None else (),
            order_by=tuple(self.order_item(child) for child in order.children[2:])
            if order is not None
            else (),
            limit=self.count(limit.children[1]) if limit is not None else None,
            offset=self.count(offset.children[1]) if offset is not None else None,
            pos=_pos(select_kw),
        )

    def count(self, token: Token) -> int:
        """A LIMIT or OFFSET: a non-negative integer."""
        if not str(token).isdigit():
            raise unexpected_token(self.soql, _pos(token), str(token))
        return int(token)

    def check_alias(self, alias: Token) -> None:
        word = str(alias).upper()
        if word in _UNSUPPORTED_WORDS:
            raise unsupported(self.soql, _pos(alias), _UNSUPPORTED_WORDS[word])
        if word in _RESERVED:
            raise unexpected_token(self.soql, _pos(alias), str(alias))

    def select_item(self, tree: Tree) -> FieldPath | Call:
        if tree.data == "subquery_item":
            raise unsupported(self.soql, _pos(tree.children[0]), "A child relationship subquery")
        if tree.data == "field_path":
            return self.field_path(tree)
        call = self.call(tree)
        if call.name == "FIELDS" and call.alias is not None:
            raise unexpected_token(self.soql, call.alias_pos or call.pos, call.alias)
        return call

    def expr(self, tree: Tree) -> FieldPath | Call:
        """A field or function outside the SELECT list, where aliases are not allowed."""
        if tree.data == "field_path":
            return self.field_path(tree)
        call = self.call(tree)
        if call.alias is not None:
            raise unexpected_token(self.soql, call.alias_pos or call.pos, call.alias)
        return call

    def field_path(self, tree: Tree) -> FieldPath:
        return FieldPath(tuple(str(part) for part in tree.children), _pos(tree.children[0]))

    def call(self, tree: Tree) -> Call:
        name_token, lpar, arg_tree, alias = tree.children
        name = str(name_token).upper()
        pos = _pos(name_token)
        arg = self.field_path(arg_tree) if arg_tree is not None else None
        if name in _UNSUPPORTED_FUNCTIONS:
            raise unsupported(self.soql, pos, f"{name}()")
        if name == "FIELDS":
            if (
                arg is None
                or len(arg.parts) != 1
                or arg.parts[0].upper() not in ("ALL", "STANDARD", "CUSTOM")
            ):
                raise unexpected_token(
                    self.soql, arg.pos if arg else _pos(lpar), arg.parts[0] if arg else ")"
                )
            arg = FieldPath((arg.parts[0].upper(),), arg.pos)
        elif name not in AGGREGATES:
            raise unexpected_token(self.soql, _pos(lpar), "(")
        elif arg is None and name != "COUNT":
            raise unexpected_token(self.soql, _pos(lpar), ")")
        if alias is not None:
            self.check_alias(alias)
        return Call(
            name=name,
            arg=arg,
            alias=str(alias) if alias is not None else None,
            pos=pos,
            alias_pos=_pos(alias) if alias is not None else None,
        )

    def order_item(self, tree: Tree) -> OrderItem:
        expr, direction, nulls, first_last = tree.children
        descending = direction is not None and direction.type == "DESC"
        nulls_first = None if nulls is None else first_last.type == "FIRST"
        return OrderItem(self.expr(expr), descending, nulls_first)

    def condition(self, tree: Tree) -> Condition:
        kind = tree.data
        children = tree.children
        if kind == "and_cond":
            return And(tuple(self.condition(c) for c in children if isinstance(c, Tree)))
        if kind == "or_cond":
            return Or(tuple(self.condition(c) for c in children if isinstance(c, Tree)))
        if kind == "not_cond":
            return Not(self.condition(children[1]))
        if kind == "comparison":
            return Comparison(self.expr(children[0]), self.op(children[1]), self.value(children[2]))
        if kind == "in_list":
            values = tuple(self.value(v) for v in children[3:])
            return InList(self.expr(children[0]), children[1] is not None, values)
        if kind == "semi_join":
            return SemiJoin(self.expr(children[0]), children[1] is not None, self.query(children[3]))
        if kind == "like":
            return Like(self.expr(children[0]), children[1] is not None, self.value(children[3]))
        values = tuple(self.value(v) for v in children[2:])
        return Includes(self.expr(children[0]), kind == "excludes", values)

    @staticmethod
    def op(token: Token) -> str:
        return "!=" if str(token) == "<>" else str(token)

    def value(self, token: Token) -> Value:
        text = str(token)
        pos = _pos(token)
        kind = token.type
        if kind == "STRING":
            return Value("string", self.string(text, pos), text, pos)
        if kind == "NUMBER":
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return Value("number", number, text, pos)
        if kind in ("TRUE", "FALSE"):
            return Value("boolean", kind == "TRUE", text, pos)
        if kind == "NULL":
            return Value("null", None, text, pos)
        if kind == "DATE":
            try:
                date.fromisoformat(text)
            except ValueError:
                raise unexpected_token(self.soql, pos, text) from None
            return Value("date", text, text, pos)
        if kind == "DATETIME":
            return Value("datetime", self.datetime_ms(text, pos), text, pos)
        return Value("date_literal", self.date_literal(text, pos), text, pos)

    def string(self, text: str, pos: Pos) -> str:
        try:
            return unescape(text, keep_like_escapes=False)
        except ValueError as bad:
            raise query_error(
                MALFORMED_QUERY,
                self.soql,
                pos,
                f"Invalid string literal '{text[1:-1]}'. Illegal character sequence '\\{bad}' in string literal.",
            ) from None

    def datetime_ms(self, text: str, pos: Pos) -> int:
        year, month, day, hour, minute, second, fraction, sign, tz_h, tz_m = _DATETIME.fullmatch(
            text
        ).groups()
        try:
            days = date(int(year), int(month), int(day)).toordinal() - date(1970, 1, 1).toordinal()
        except ValueError:
            raise unexpected_token(self.soql, pos, text) from None
        if int(hour) > 23 or int(minute) > 59 or int(second) > 59 or (sign and int(tz_m) > 59):
            raise unexpected_token(self.soql, pos, text)
        offset = 0 if not sign else (int(tz_h) * 3600 + int(tz_m) * 60) * (1 if sign == "+" else -1)
        seconds = days * 86400 + int(hour) * 3600 + int(minute) * 60 + int(second) - offset
        # Salesforce keeps milliseconds: longer fractions (dlt sends microseconds) are truncated.
        millis = int((fraction or "0")[:3].ljust(3, "0"))
        return seconds * 1000 + millis

    def date_literal(self, text: str, pos: Pos) -> tuple[str, int | None]:
        name, _, number = text.upper().partition(":")
        if date_literals.is_fiscal(name):
            raise unsupported(self.soql, pos, f"The date literal {name}")
        if number and date_literals.is_parametrised(name) and int(number) >= 0:
            return name, int(number)
        if not number and date_literals.is_fixed(name):
            return name, None
        raise unexpected_token(self.soql, pos, text)
