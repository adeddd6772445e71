"""Salesforce record Ids: 15 case-sensitive characters plus a 3-character case-safe suffix."""

import string

from .errors import SalesforceError

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_POD = "5e"
_COUNTER_WIDTH = 9


def checksum_suffix(id15: str) -> str:
    """The 3 characters that make an Id case-insensitively unique: one bit per upper-case letter."""
    chunks = (id15[i * 5 : i * 5 + 5] for i in range(3))
    return "".join(
        _SUFFIX_ALPHABET[sum(1 << bit for bit, char in enumerate(chunk) if "A" <= char <= "Z")]
        for chunk in chunks
    )


def to_18(record_id: str) -> str:
    """Normalise a 15- or 18-character Id to 18 characters; raise MALFORMED_ID otherwise."""
    if len(record_id) == 18 and record_id.isalnum():
        return record_id[:15] + checksum_suffix(record_id[:15])
    if len(record_id) == 15 and record_id.isalnum():
        return record_id + checksum_suffix(record_id)
    raise SalesforceError(400, "MALFORMED_ID", f"invalid record id: {record_id}")


def is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) in (15, 18) and value.isalnum()


def encode_counter(counter: int) -> str:
    digits = []
    for _ in range(_COUNTER_WIDTH):
        counter, rem = divmod(counter, 62)
        digits.append(BASE62[rem])
    if counter:
        raise OverflowError("Id counter exhausted")
    return "".join(reversed(digits))


def decode_counter(record_id: str) -> int:
    """The creation counter inside an Id made by `make_id`."""
    value = 0
    for char in record_id[6:15]:
        value = value * 62 + BASE62.index(char)
    return value


def make_id(key_prefix: str, counter: int) -> str:
    """The 18-character Id of the `counter`-th record with this key prefix (lexical = creation order)."""
    id15 = f"{key_prefix}{_POD}0{encode_counter(counter)}"
    return id15 + checksum_suffix(id15)
