"""Group Identify requests that stay within Amplitude's limits without dropping anything.

Limits (Group Identify API docs): at most 1024 identifications and 1 MB per request, and at most
1024 properties per group per request. A group with more properties becomes several identifications
of the same group, each sent in a different request (Amplitude's SDK replaces such a dict with `{}`
and reports success instead).

Sizes are those of the encoded form body the client sends (`form_body`), api key included, so
what is measured here is what goes on the wire.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus

MAX_IDENTIFICATIONS = 1024
MAX_PROPERTIES = 1024
MAX_BODY_BYTES = 1_000_000
OPERATIONS = ("$set", "$setOnce", "$add", "$append", "$prepend", "$unset")

_COMMA = len(quote_plus(","))
_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_BYTES = [bytes([b]) for b in range(256)]
_ESCAPES = [b"%%%02X" % b for b in range(256)]


class InvalidIdentification(ValueError):
    """An identification Amplitude would refuse; it is never sent. `status` is what Amplitude would answer."""

    status = 400

    def __init__(self, identification: object, problem: str) -> None:
        self.identification = identification
        self.group_type = identification.get("group_type") if isinstance(identification, dict) else None
        self.group_value = identification.get("group_value") if isinstance(identification, dict) else None
        self.problem = problem
        super().__init__(
            f"group {self.group_type!r}/{self.group_value!r}: {problem}. "
            "Fix the payload (mapping or source row); this group was not sent."
        )


class IdentificationTooLarge(InvalidIdentification):
    """One property of one group is bigger than a whole request may be (1 MB encoded)."""

    status = 413

    def __init__(self, identification: dict, size: int, max_bytes: int) -> None:
        self.size = size
        self.max_bytes = max_bytes
        super().__init__(
            identification,
            f"a single property makes a {size:,}-byte request, over the {max_bytes:,}-byte limit "
            "(shorten or drop that property)",
        )


@dataclass(frozen=True)
class PlannedRequest:
    """The identifications of one request and their JSON texts, in the same order."""

    identifications: list[dict]
    encoded: list[str]

    def __len__(self) -> int:
        return len(self.identifications)

    def body(self, api_key: str) -> bytes:
        """The form body, byte for byte `form_body(api_key, <JSON texts>)`."""
        return (_prefix(api_key) + quote_form("[" + ",".join(self.encoded) + "]")).encode("ascii")

    def halves(self) -> tuple["PlannedRequest", "PlannedRequest"]:
        """Split in two (for a 400 or 413 on a batch); the first half gets the smaller part."""
        middle = len(self.identifications) // 2
        return (
            PlannedRequest(self.identifications[:middle], self.encoded[:middle]),
            PlannedRequest(self.identifications[middle:], self.encoded[middle:]),
        )


def encode_identification(identification: dict) -> str:
    """Compact JSON, UTF-8 kept as is (smaller on the wire than \\u escapes); NaN is refused."""
    try:
        return json.dumps(identification, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise InvalidIdentification(identification, f"not JSON-serialisable ({e})") from e


def form_body(api_key: str, encoded: Sequence[str]) -> bytes:
    """`api_key=…&identification=[…]`, form-encoded, exactly as sent."""
    return (_prefix(api_key) + quote_plus("[" + ",".join(encoded) + "]")).encode("ascii")


def quote_form(text: str) -> str:
    """`urllib.parse.quote_plus(text)`, about 20× faster on long JSON.

    urllib escapes byte by byte in Python; this replaces each distinct unsafe byte in one C pass
    (`%` first, so that no escape is escaped again; space last, as `+`, after `+` became `%2B`).
    """
    data = text.encode("utf-8")
    unsafe = set(data.translate(None, _SAFE))
    if len(unsafe) > 128:  # past this, many passes cost more than urllib's one
        return quote_plus(text)
    if 37 in unsafe:
        data = data.replace(b"%", b"%25")
    for byte in unsafe - {32, 37}:
        data = data.replace(_BYTES[byte], _ESCAPES[byte])
    if 32 in unsafe:
        data = data.replace(b" ", b"+")
    return data.decode("ascii")


def quoted_length(text: str) -> int:
    """`len(quote_plus(text))` without building it: each unsafe byte but space takes 3 bytes."""
    data = text.encode("utf-8")
    return len(data) + 2 * len(data.translate(None, _SAFE + b" "))


def _prefix(api_key: str) -> str:
    return "api_key=" + quote_plus(api_key) + "&identification="


def count_properties(identification: dict) -> int:
    """Properties of one identification, counted over every operation ($set, $setOnce, $unset, …)."""
    properties = identification.get("group_properties") or {}
    if _has_operations(properties):
        return sum(len(value) for value in properties.values())
    return len(properties)


def split_properties(identification: dict, max_properties: int = MAX_PROPERTIES) -> list[dict]:
    """The same group as several identifications of at most `max_properties` properties each.

    Operations and their order are kept; other keys of the identification are copied to every part.
    An identification within the limit comes back as the only element, unchanged.
    """
    if max_properties < 1:
        raise ValueError(f"max_properties must be at least 1, got {max_properties}")
    properties = identification.get("group_properties") or {}
    if count_properties(identification) <= max_properties:
        return [identification]
    items = _flatten(properties)
    return [
        _with_items(identification, items[start : start + max_properties], _has_operations(properties))
        for start in range(0, len(items), max_properties)
    ]


def batches(
    identifications: Iterable[dict],
    max_count: int = MAX_IDENTIFICATIONS,
    max_bytes: int = MAX_BODY_BYTES,
    max_properties: int = MAX_PROPERTIES,
    *,
    api_key: str = "",
    on_reject: Callable[[InvalidIdentification], None] | None = None,
) -> Iterator[list[dict]]:
    """The identifications grouped into requests within every limit, in input order.

    See `plan_requests` for splitting and for what happens to an identification that cannot be sent.
    """
    for request in plan_requests(
        identifications, max_count, max_bytes, max_properties, api_key=api_key, on_reject=on_reject
    ):
        yield request.identifications


def plan_requests(
    identifications: Iterable[dict],
    max_count: int = MAX_IDENTIFICATIONS,
    max_bytes: int = MAX_BODY_BYTES,
    max_properties: int = MAX_PROPERTIES,
    *,
    api_key: str = "",
    on_reject: Callable[[InvalidIdentification], None] | None = None,
) -> Iterator[PlannedRequest]:
    """Greedy packing into requests of ≤`max_count` identifications and ≤`max_bytes`, in order.

    A group over `max_properties`, or too big for `max_bytes` on its own, is split into several
    identifications of that group, never two of them in one request (≤`max_properties` per group
    per request). One that still cannot be sent (malformed, or a single property
    over `max_bytes`) raises `InvalidIdentification` / `IdentificationTooLarge`; with `on_reject`, it
    is passed there instead and packing goes on.
    """
    if max_count < 1 or max_properties < 1:
        raise ValueError("max_count and max_properties must be at least 1")
    base = len(form_body(api_key, []))
    if base >= max_bytes:
        raise ValueError(f"max_bytes={max_bytes} leaves no room for any identification")
    idents: list[dict] = []
    encoded: list[str] = []
    size = base
    groups_in_request: set[tuple[object, object]] = set()

    def parts_of(identification: dict) -> Iterator[tuple[dict, str, int]]:
        _check(identification)
        for part in split_properties(identification, max_properties):
            yield from _fit(part, base, max_bytes)

    for identification in identifications:
        try:
            parts = list(parts_of(identification))
        except InvalidIdentification as rejected:
            if on_reject is None:
                raise
            on_reject(rejected)
            continue
        for part, text, cost in parts:
            key = (part.get("group_type"), part.get("group_value"))
            added = cost + (_COMMA if idents else 0)
            if idents and (len(idents) >= max_count or size + added > max_bytes or key in groups_in_request):
                yield PlannedRequest(idents, encoded)
                idents, encoded, size = [], [], base
                groups_in_request = set()
                added = cost
            idents.append(part)
            encoded.append(text)
            size += added
            groups_in_request.add(key)
    if idents:
        yield PlannedRequest(idents, encoded)


def _fit(identification: dict, base: int, max_bytes: int) -> Iterator[tuple[dict, str, int]]:
    """(part, JSON text, form-encoded size) of parts each small enough for a request of its own."""
    text = encode_identification(identification)
    cost = quoted_length(text)
    if base + cost <= max_bytes:
        yield identification, text, cost
        return
    properties = identification.get("group_properties") or {}
    items = _flatten(properties)
    if len(items) <= 1:
        raise IdentificationTooLarge(identification, base + cost, max_bytes)
    operations = _has_operations(properties)
    middle = len(items) // 2
    yield from _fit(_with_items(identification, items[:middle], operations), base, max_bytes)
    yield from _fit(_with_items(identification, items[middle:], operations), base, max_bytes)


def _check(identification: object) -> None:
    """Refuse locally what Amplitude answers with 400, so one bad group never costs a bisection."""
    if not isinstance(identification, dict):
        raise InvalidIdentification(
            identification, f"an identification must be a JSON object, got {type(identification).__name__}"
        )
    for key in ("group_type", "group_value"):
        value = identification.get(key)
        if not isinstance(value, str) or not value:
            raise InvalidIdentification(identification, f"`{key}` must be a non-empty string, got {value!r}")
    properties = identification.get("group_properties", {})
    if not isinstance(properties, dict):
        raise InvalidIdentification(identification, "`group_properties` must be a JSON object")
    operations = [key for key in properties if key.startswith("$")]
    if operations and len(operations) != len(properties):
        raise InvalidIdentification(
            identification, "`group_properties` mixes $-operations with bare properties (put those in $set)"
        )
    for operation in operations:
        if operation not in OPERATIONS:
            raise InvalidIdentification(identification, f"unsupported operation {operation!r}")
        if not isinstance(properties[operation], dict):
            raise InvalidIdentification(identification, f"`{operation}` must be a JSON object")


def _has_operations(properties: dict) -> bool:
    return any(key.startswith("$") for key in properties)


def _flatten(properties: dict) -> list[tuple[str | None, str, object]]:
    """(operation or None for bare properties, name, value), in order."""
    if not _has_operations(properties):
        return [(None, name, value) for name, value in properties.items()]
    return [(op, name, value) for op, values in properties.items() for name, value in values.items()]


def _with_items(identification: dict, items: list[tuple[str | None, str, object]], operations: bool) -> dict:
    if operations:
        grouped: dict[str, dict] = {}
        for op, name, value in items:
            grouped.setdefault(op, {})[name] = value
    else:
        grouped = {name: value for _, name, value in items}
    return {**identification, "group_properties": grouped}
