"""Rows → Group Identify payloads: normalisation, operations, skips, hashes and pickups."""

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from sf_assets.lib.mapping import (
    Condition,
    FilterOp,
    Pickup,
    PickupInterval,
    PropertyMapping,
    PropertyOp,
    Relation,
    RelationCadence,
)
from sf_assets.lib.payloads import BuildStats, PayloadBuilder, normalise, payload_hash, pickup_due

COLUMNS = {"Id": "id", "Name": "name", "Tier__c": "tier_c", "CreatedDate": "created_date", "Type": "type"}


def relation(*properties: PropertyMapping, **options) -> Relation:  # noqa: ANN003
    return Relation(
        name="companies",
        instance="sfdc_prod",
        sobject="Account",
        group_type="company",
        group_name_field="Id",
        properties=properties or (PropertyMapping("Name", "Name"),),
        **options,
    )


def build(rel: Relation, row: dict) -> dict | None:
    payload = PayloadBuilder(rel, COLUMNS, deleted_column="is_deleted").build(row)
    return None if payload is None else payload.identification


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("120000.00"), 120000),
        (Decimal("0.25"), 0.25),
        (True, True),
        (7, 7),
        (datetime(2026, 3, 10, 9, 30, 1, 123456, tzinfo=UTC), "2026-03-10T09:30:01.123Z"),
        (datetime(2026, 3, 10, 11, 30, tzinfo=UTC).astimezone(UTC), "2026-03-10T11:30:00.000Z"),
        (date(2026, 3, 10), "2026-03-10"),
        (time(9, 5, 0, 250000), "09:05:00.250"),
        ("plain", "plain"),
        (None, None),
    ],
)
def test_normalise_keeps_json_types(value: object, expected: object) -> None:
    assert normalise(value, BuildStats()) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN")])
def test_normalise_drops_nan_and_infinity_and_counts_them(value: object) -> None:
    stats = BuildStats()
    assert normalise(value, stats) is None
    assert stats.values_dropped == 1


def test_normalise_cuts_strings_at_1024_characters_and_counts_them() -> None:
    stats = BuildStats()
    assert normalise("x" * 1500, stats) == "x" * 1024
    assert normalise("y" * 1024, stats) == "y" * 1024
    assert stats.strings_truncated == 1


def test_each_operation_goes_under_its_amplitude_key() -> None:
    rel = relation(
        PropertyMapping("Name", "Name"),
        PropertyMapping("Tier__c", "Tier", PropertyOp.UNSET),
        PropertyMapping("CreatedDate", "First Seen", PropertyOp.SET_ONCE),
        PropertyMapping("Type", "Type", PropertyOp.DONT_SYNC),
    )
    row = {"id": "001A", "name": "Acme", "tier_c": None, "created_date": date(2026, 1, 2), "type": "Customer"}

    assert build(rel, row) == {
        "group_type": "company",
        "group_value": "001A",
        "group_properties": {
            "$set": {"Name": "Acme"},
            "$setOnce": {"First Seen": "2026-01-02"},
            "$unset": {"Tier": "-"},
        },
    }


def test_a_null_under_set_sends_nothing_for_that_property() -> None:
    rel = relation(PropertyMapping("Name", "Name"), PropertyMapping("Tier__c", "Tier"))
    assert build(rel, {"id": "001A", "name": None, "tier_c": "Gold"}) == {
        "group_type": "company",
        "group_value": "001A",
        "group_properties": {"$set": {"Tier": "Gold"}},
    }


def test_skips_are_counted_by_reason() -> None:
    rel = relation(filter=(Condition("Type", FilterOp.IN, ("Customer",)),))
    builder = PayloadBuilder(rel, COLUMNS, deleted_column="is_deleted")
    rows = [
        {"id": "001A", "name": "a", "type": "customer"},  # text compares case-insensitively, as in SOQL
        {"id": "001A", "name": "again", "type": "Customer"},
        {"id": " ", "name": "blank", "type": "Customer"},
        {"id": "001C", "name": "c", "type": "Partner"},
        {"id": "001D", "name": "d", "type": "Customer", "is_deleted": True},
    ]

    built = [p for p in map(builder.build, rows) if p]

    assert [p.group_value for p in built] == ["001A"]
    assert builder.stats.as_dict()["skipped"] == {
        "deleted_in_salesforce": 1,
        "duplicate_group_value": 1,
        "empty_group_value": 1,
        "filtered_out": 1,
    }


def test_equal_payloads_hash_equal_whatever_the_key_order() -> None:
    one = {"group_type": "t", "group_value": "v", "group_properties": {"$set": {"a": 1, "b": 2}}}
    two = {"group_properties": {"$set": {"b": 2, "a": 1}}, "group_value": "v", "group_type": "t"}
    assert payload_hash(one) == payload_hash(two)
    assert payload_hash(one) != payload_hash({**one, "group_value": "w"})


def test_weekly_pickups_cover_every_group_once_a_week() -> None:
    groups = [f"001{i:05d}" for i in range(700)]
    start = datetime(2026, 3, 2, tzinfo=UTC)
    days = [
        {
            g
            for g in groups
            if pickup_due(g, Pickup(), RelationCadence.DAILY, start + timedelta(d), start + timedelta(d + 1))
        }
        for d in range(7)
    ]

    assert sorted(g for day in days for g in day) == sorted(groups)  # each exactly once
    assert all(60 <= len(day) <= 140 for day in days)  # spread evenly, give or take


def test_a_range_as_long_as_the_interval_picks_up_everything() -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    assert all(
        pickup_due(
            f"g{i}", Pickup(PickupInterval.MONTHLY), RelationCadence.DAILY, start, start + timedelta(28)
        )
        for i in range(50)
    )


def test_hourly_pickups_use_hour_slots() -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    hits = [
        h
        for h in range(48)
        if pickup_due(
            "001X",
            Pickup(PickupInterval.DAILY),
            RelationCadence.HOURLY,
            start + timedelta(hours=h),
            start + timedelta(hours=h + 1),
        )
    ]
    assert len(hits) == 2 and hits[1] - hits[0] == 24
