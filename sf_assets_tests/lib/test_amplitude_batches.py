"""Group Identify requests within 1024 identifications, 1024 properties and 1 MB, nothing dropped."""

import random
from urllib.parse import quote_plus

import pytest

from sf_assets.lib.amplitude_batches import (
    IdentificationTooLarge,
    InvalidIdentification,
    batches,
    count_properties,
    encode_identification,
    form_body,
    plan_requests,
    quote_form,
    quoted_length,
    split_properties,
)

KEY = "test-key"


def group(value: str, properties: dict | None = None, **operations: dict) -> dict:
    """An identification of group `company`/`value`, with bare properties or operations."""
    group_properties = properties if properties is not None else {f"${op}": v for op, v in operations.items()}
    return {"group_type": "company", "group_value": value, "group_properties": group_properties}


def merged(parts: list[dict]) -> dict:
    """The operations of several identifications of one group, put back together."""
    result: dict = {}
    for part in parts:
        for op, values in part["group_properties"].items():
            result.setdefault(op, {}).update(values)
    return result


def body_size(identifications: list[dict], api_key: str = KEY) -> int:
    return len(form_body(api_key, [encode_identification(i) for i in identifications]))


def random_texts(count: int) -> list[str]:
    """Strings over ASCII, Latin, CJK, emoji and the characters form encoding treats specially."""
    alphabet = [chr(c) for c in range(0x250)] + ["日", "本", "✓", "😀", "%", "%25", "+", " ", "&", "="]
    rng = random.Random(5)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def test_quote_form_is_quote_plus() -> None:
    texts = [*random_texts(3000), "", "plain", '{"a b":"c+d%20"}', "".join(map(chr, range(256)))]

    assert [quote_form(t) for t in texts] == [quote_plus(t) for t in texts]


def test_quoted_length_is_the_length_of_quote_plus() -> None:
    texts = random_texts(3000)

    assert [quoted_length(t) for t in texts] == [len(quote_plus(t)) for t in texts]


def test_count_properties_counts_every_operation() -> None:
    identification = group("a", set={"x": 1, "y": 2}, setOnce={"z": 3}, unset={"w": "-"})

    assert count_properties(identification) == 4


def test_count_properties_of_bare_properties() -> None:
    assert count_properties(group("a", {"plan": "pro", "arr": 3})) == 2


def test_split_properties_returns_a_group_within_the_limit_unchanged() -> None:
    identification = group("a", set={f"p{i}": i for i in range(1024)})

    assert split_properties(identification) == [identification]


def test_split_properties_at_1025_makes_two_parts_of_the_same_group() -> None:
    identification = group("a", set={f"p{i}": i for i in range(1025)})

    parts = split_properties(identification)

    assert [count_properties(p) for p in parts] == [1024, 1]
    assert {(p["group_type"], p["group_value"]) for p in parts} == {("company", "a")}
    assert merged(parts) == identification["group_properties"]


def test_split_properties_counts_across_operations_and_keeps_their_order() -> None:
    identification = group(
        "a",
        set={f"s{i}": i for i in range(1000)},
        setOnce={f"o{i}": i for i in range(30)},
        unset={f"u{i}": "-" for i in range(10)},
    )

    first, second = split_properties(identification)

    assert {op: len(v) for op, v in first["group_properties"].items()} == {"$set": 1000, "$setOnce": 24}
    assert {op: len(v) for op, v in second["group_properties"].items()} == {"$setOnce": 6, "$unset": 10}
    assert merged([first, second]) == identification["group_properties"]


def test_split_properties_keeps_bare_properties_bare() -> None:
    identification = group("a", {f"p{i}": i for i in range(2500)})

    parts = split_properties(identification)

    assert [len(p["group_properties"]) for p in parts] == [1024, 1024, 452]
    assert all(not any(k.startswith("$") for k in p["group_properties"]) for p in parts)


def test_batches_put_1024_identifications_in_one_request() -> None:
    groups = [group(str(i), set={"plan": "pro"}) for i in range(1024)]

    assert [len(b) for b in batches(groups)] == [1024]


def test_batches_start_a_new_request_at_the_1025th_identification() -> None:
    groups = [group(str(i), {}) for i in range(1025)]

    assert [len(b) for b in batches(groups)] == [1024, 1]


def test_batches_of_3000_groups_are_three_requests_in_order() -> None:
    groups = [group(str(i), set={"plan": "pro"}) for i in range(3000)]

    sent = list(batches(groups))

    assert [len(b) for b in sent] == [1024, 1024, 952]
    assert [i["group_value"] for b in sent for i in b] == [str(i) for i in range(3000)]


def test_batches_count_properties_per_group_not_per_request() -> None:
    groups = [group(str(i), set={f"p{j}": j for j in range(20)}) for i in range(300)]

    sent = list(batches(groups))

    assert [len(b) for b in sent] == [300]


def test_batches_split_a_group_with_too_many_properties_across_requests() -> None:
    groups = [group("big", set={f"p{i}": i for i in range(2500)}), group("small", set={"plan": "pro"})]

    sent = list(batches(groups))

    # Each part of "big" goes in its own request: at most 1024 properties per group per request.
    assert [[(i["group_value"], count_properties(i)) for i in b] for b in sent] == [
        [("big", 1024)],
        [("big", 1024)],
        [("big", 452), ("small", 1)],
    ]


def test_batches_never_put_two_parts_of_one_group_in_a_request() -> None:
    groups = [group("big", set={f"p{i}": i for i in range(1500)}), group("other", set={"plan": "pro"})]

    sent = list(batches(groups))

    assert [[(i["group_value"], count_properties(i)) for i in b] for b in sent] == [
        [("big", 1024)],
        [("big", 476), ("other", 1)],
    ]


def one_mb_of_groups(max_bytes: int, api_key: str = KEY) -> list[dict]:
    """Groups whose request body is exactly `max_bytes` long, with non-ASCII text in every value."""
    groups = [group(f"{i:04d}", set={"note": "é" * 150}) for i in range(900)]
    missing = max_bytes - body_size(groups, api_key)
    assert missing > 0
    groups[-1]["group_properties"]["$set"]["pad"] = ""
    groups[-1]["group_properties"]["$set"]["pad"] = "x" * (max_bytes - body_size(groups, api_key))
    assert body_size(groups, api_key) == max_bytes
    return groups


def test_batches_fill_a_request_to_exactly_1_mb() -> None:
    groups = one_mb_of_groups(1_000_000)

    sent = list(batches(groups, max_properties=10_000, api_key=KEY))

    assert len(sent) == 1
    assert body_size(sent[0]) == 1_000_000


def test_batches_move_the_last_group_on_one_byte_past_1_mb() -> None:
    groups = one_mb_of_groups(1_000_000)
    groups[-1]["group_properties"]["$set"]["pad"] += "x"

    sent = list(batches(groups, max_properties=10_000, api_key=KEY))

    assert [len(b) for b in sent] == [899, 1]
    assert body_size(sent[0]) <= 1_000_000


def test_batches_count_the_api_key_in_the_body_size() -> None:
    groups = one_mb_of_groups(1_000_000, api_key=KEY)

    sent = list(batches(groups, max_properties=10_000, api_key=KEY + "k"))

    assert [len(b) for b in sent] == [899, 1]


def test_planned_request_body_is_what_was_measured() -> None:
    groups = one_mb_of_groups(1_000_000)

    (planned,) = plan_requests(groups, max_properties=10_000, api_key=KEY)

    assert len(planned.body(KEY)) == 1_000_000
    assert planned.body(KEY) == form_body(KEY, [encode_identification(i) for i in groups])


def test_batches_split_a_group_too_big_for_one_request_by_its_properties() -> None:
    identification = group("huge", set={f"p{i}": "v" * 900 for i in range(1500)})

    sent = list(batches([identification], max_properties=10_000))

    assert len(sent) >= 2
    assert all(body_size(b) <= 1_000_000 for b in sent)
    assert merged([i for b in sent for i in b]) == identification["group_properties"]


def test_a_single_property_over_1_mb_is_a_typed_error_naming_the_group() -> None:
    identification = group("001xx0000001", set={"notes": "n" * 1_000_000})

    with pytest.raises(
        IdentificationTooLarge, match=r"group 'company'/'001xx0000001'.*over the 1,000,000-byte limit"
    ):
        list(batches([identification]))


def test_on_reject_takes_an_oversized_group_and_packing_goes_on() -> None:
    rejected: list[InvalidIdentification] = []
    groups = [group("a", set={"x": 1}), group("b", set={"notes": "n" * 1_000_000}), group("c", set={"x": 1})]

    sent = list(batches(groups, on_reject=rejected.append))

    assert [[i["group_value"] for i in b] for b in sent] == [["a", "c"]]
    assert [(type(e), e.group_value, e.status) for e in rejected] == [(IdentificationTooLarge, "b", 413)]


@pytest.mark.parametrize(
    ("identification", "message"),
    [
        ({"group_type": "company", "group_properties": {}}, "`group_value` must be a non-empty string"),
        ({"group_type": "", "group_value": "a"}, "`group_type` must be a non-empty string"),
        ({"group_type": "company", "group_value": 7}, "`group_value` must be a non-empty string, got 7"),
        (group("a", {"$set": {"x": 1}, "plan": "pro"}), "mixes \\$-operations with bare properties"),
        (group("a", {"$clearAll": {"x": 1}}), "unsupported operation '\\$clearAll'"),
        (group("a", {"$set": ["x"]}), "`\\$set` must be a JSON object"),
        (group("a", set={"arr": float("nan")}), "not JSON-serialisable"),
    ],
)
def test_malformed_identifications_are_refused_with_the_reason(identification: dict, message: str) -> None:
    with pytest.raises(InvalidIdentification, match=message):
        list(batches([identification]))
