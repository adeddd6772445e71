"""The stand-in applies each operation to its group's properties, in order, as Amplitude does."""


def company(value: str, properties: dict) -> dict:
    return {"group_type": "company", "group_value": value, "group_properties": properties}


def test_set_overwrites(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a", {"$set": {"plan": "free", "seats": 3}})])
    wire.post([company("a", {"$set": {"plan": "pro"}})])

    assert amplitude.groups() == {("company", "a"): {"plan": "pro", "seats": 3}}


def test_set_once_fills_only_an_absent_property(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a", {"$setOnce": {"first_plan": "free"}})])
    wire.post([company("a", {"$setOnce": {"first_plan": "pro", "first_seen": "2024-01-01"}})])

    assert amplitude.groups()[("company", "a")] == {"first_plan": "free", "first_seen": "2024-01-01"}


def test_unset_removes_and_ignores_absent_properties(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a", {"$set": {"plan": "free", "legacy": 1}})])
    wire.post([company("a", {"$unset": {"legacy": "-", "never_set": "-"}})])

    assert amplitude.groups()[("company", "a")] == {"plan": "free"}


def test_bare_properties_are_an_implicit_set(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a", {"plan": "free", "arr": 10.5})])
    wire.post([company("a", {"plan": "pro"})])

    assert amplitude.groups()[("company", "a")] == {"plan": "pro", "arr": 10.5}


def test_add_append_and_prepend(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("a", {"$set": {"seats": 2, "tags": ["b"]}})])
    wire.post([company("a", {"$add": {"seats": 3}, "$append": {"tags": "c"}, "$prepend": {"tags": ["a"]}})])

    assert amplitude.groups()[("company", "a")] == {"seats": 5, "tags": ["a", "b", "c"]}


def test_operations_in_one_request_apply_in_order(wire, amplitude) -> None:  # noqa: ANN001
    wire.post(
        [
            company("a", {"$set": {"plan": "free"}}),
            company("a", {"$setOnce": {"plan": "ignored"}, "$set": {"tier": 1}}),
            company("a", {"$unset": {"plan": "-"}}),
        ]
    )

    assert amplitude.groups()[("company", "a")] == {"tier": 1}


def test_groups_are_kept_per_type_and_value(wire, amplitude) -> None:  # noqa: ANN001
    wire.post(
        [
            company("1", {"$set": {"plan": "free"}}),
            {"group_type": "workspace", "group_value": "1", "group_properties": {"$set": {"plan": "team"}}},
            {"group_type": "company", "group_value": 2, "group_properties": {"$set": {"plan": "pro"}}},
        ]
    )

    assert amplitude.groups() == {
        ("company", "1"): {"plan": "free"},
        ("workspace", "1"): {"plan": "team"},
        ("company", "2"): {"plan": "pro"},
    }
    assert amplitude.groups("workspace") == {("workspace", "1"): {"plan": "team"}}


def test_an_identification_without_properties_creates_the_group(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([{"group_type": "company", "group_value": "a"}])

    assert amplitude.groups() == {("company", "a"): {}}
