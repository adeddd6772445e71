"""REST datetime text: always UTC with milliseconds and `+0000`."""

from datetime import UTC, datetime

from ..store.errors import SalesforceError
from ..store.values import parse_datetime_ms


def rest_datetime(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+0000"


def parse_param_datetime(name: str, text: str | None) -> int:
    if not text:
        raise SalesforceError(400, "MALFORMED_QUERY", f"Missing required parameter: {name}")
    ms = parse_datetime_ms(text)
    if ms is None:
        raise SalesforceError(400, "MALFORMED_QUERY", f"{name}: unable to parse datetime '{text}'")
    return ms
