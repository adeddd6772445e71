"""SOQL error messages in Salesforce's shape: the offending row, a caret, `ERROR at Row:r:Column:c`, the detail."""

from ..errors import SalesforceError
from .ast import Pos

MALFORMED_QUERY = "MALFORMED_QUERY"
INVALID_FIELD = "INVALID_FIELD"
INVALID_TYPE = "INVALID_TYPE"
INVALID_QUERY_FILTER_OPERATOR = "INVALID_QUERY_FILTER_OPERATOR"


def located(soql: str, pos: Pos, detail: str) -> str:
    """The message body Salesforce gives for an error at `pos` (1-based row and column)."""
    lines = soql.split("\n")
    row = lines[pos.line - 1].rstrip("\r") if 0 < pos.line <= len(lines) else ""
    caret = " " * (pos.column - 1) + "^"
    return f"\n{row}\n{caret}\nERROR at Row:{pos.line}:Column:{pos.column}\n{detail}"


def query_error(code: str, soql: str, pos: Pos, detail: str) -> SalesforceError:
    return SalesforceError(400, code, located(soql, pos, detail))


def unexpected_token(soql: str, pos: Pos, token: str) -> SalesforceError:
    return query_error(MALFORMED_QUERY, soql, pos, f"unexpected token: '{token}'")


def unsupported(soql: str, pos: Pos, construct: str) -> SalesforceError:
    """A valid SOQL construct the emulator does not implement: said plainly, never silently ignored."""
    return query_error(MALFORMED_QUERY, soql, pos, f"{construct} is not supported by the emulator")


def no_such_column(soql: str, pos: Pos, name: str, entity: str) -> SalesforceError:
    return query_error(
        INVALID_FIELD,
        soql,
        pos,
        f"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, "
        "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
        "describe call for the appropriate names.",
    )


def unknown_relationship(soql: str, pos: Pos, name: str) -> SalesforceError:
    return query_error(
        INVALID_FIELD,
        soql,
        pos,
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a custom "
        "relationship, be sure to append the '__r' after the custom relationship name. Please reference "
        "your WSDL or the describe call for the appropriate names.",
    )


def unknown_sobject(soql: str, pos: Pos, name: str) -> SalesforceError:
    return query_error(
        INVALID_TYPE,
        soql,
        pos,
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure "
        "to append the '__c' after the entity name. Please reference your WSDL or the describe call for "
        "the appropriate names.",
    )


def filter_type_error(soql: str, pos: Pos, field_name: str, type_name: str, quoted: bool) -> SalesforceError:
    enclosed = "should be enclosed in quotes" if quoted else "should not be enclosed in quotes"
    return query_error(
        INVALID_QUERY_FILTER_OPERATOR,
        soql,
        pos,
        f"value of filter criterion for field '{field_name}' must be of type {type_name} and {enclosed}",
    )
