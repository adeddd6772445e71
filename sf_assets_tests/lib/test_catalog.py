import json

import pytest
import yaml

from sf_assets.lib.catalog import (
    RESERVED_COLUMNS,
    CatalogError,
    DescribeFailed,
    SkipReason,
    assign_names,
    catalog_collections,
    describe_subset,
    describe_targets,
    field_spec,
    object_spec,
    table_name,
)
from sf_assets.lib.collections import STANDARD_COLLECTIONS
from sf_assets.lib.naming import snake_case
from sf_assets.lib.types import COMPOUND_TYPES, ColumnType, UnsupportedFieldType
from sf_emulator.store.catalog import DEMO_ORG, build_schema
from sf_emulator.store.describe import global_describe, sobject_describe


@pytest.fixture(scope="module")
def demo_org() -> tuple[dict, dict[str, dict]]:
    """The emulator's demo org: its global describe and every sObject describe, as the API renders them."""
    schema = build_schema(DEMO_ORG)
    return global_describe(schema, "59.0"), {o.name: sobject_describe(schema, o, "59.0") for o in schema}


def recorded_describe(recordings, sobject: str) -> dict:
    document = yaml.safe_load((recordings / f"GET_sobjects_{sobject}_describe.yaml").read_text())
    return json.loads(document["response"]["body"]["string"])


def field(name: str, type_: str = "string", **extra: object) -> dict:
    return {"name": name, "type": type_, "label": name, "filterable": True, "nillable": True, **extra}


def describe(name: str, *fields: dict, **extra: object) -> dict:
    return {
        "name": name,
        "label": name,
        "keyPrefix": "a00",
        "custom": name.endswith("__c"),
        **extra,
        "fields": list(fields),
    }


def entry(name: str, **flags: object) -> dict:
    return {"name": name, "queryable": True, "retrieveable": True, "custom": name.endswith("__c"), **flags}


# --- table names --------------------------------------------------------------------------------------
def test_table_name_of_each_classic_collection_is_its_classic_name():
    assert {table_name(sobject): sobject for sobject in STANDARD_COLLECTIONS.values()} == STANDARD_COLLECTIONS


@pytest.mark.parametrize(
    ("sobject", "table"),
    [
        ("OpportunityLineItem", "opportunity_product"),
        ("Pricebook2", "price_books"),
        ("UserRole", "role"),
        ("Group", "_group"),
        ("account", "accounts"),
        ("Subscription__c", "subscription_c"),
        ("ns__Score_Card__c", "ns_score_card_c"),
        ("Organization", "organization"),
    ],
)
def test_table_name(sobject, table):
    assert table_name(sobject) == table


# --- fields -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sf_type", "precision", "scale", "column_type", "column_precision"),
    [
        ("id", 0, 0, ColumnType.TEXT, None),
        ("reference", 0, 0, ColumnType.TEXT, None),
        ("string", 0, 0, ColumnType.TEXT, None),
        ("textarea", 0, 0, ColumnType.TEXT, None),
        ("picklist", 0, 0, ColumnType.TEXT, None),
        ("multipicklist", 0, 0, ColumnType.TEXT, None),
        ("combobox", 0, 0, ColumnType.TEXT, None),
        ("email", 0, 0, ColumnType.TEXT, None),
        ("phone", 0, 0, ColumnType.TEXT, None),
        ("url", 0, 0, ColumnType.TEXT, None),
        ("encryptedstring", 0, 0, ColumnType.TEXT, None),
        ("base64", 0, 0, ColumnType.TEXT, None),
        ("anyType", 0, 0, ColumnType.TEXT, None),
        ("boolean", 0, 0, ColumnType.BOOLEAN, None),
        ("int", 0, 0, ColumnType.INTEGER, None),
        ("long", 0, 0, ColumnType.INTEGER, None),
        ("double", 18, 6, ColumnType.NUMERIC, 18),
        ("double", 0, 0, ColumnType.DOUBLE, None),
        ("currency", 16, 2, ColumnType.NUMERIC, 16),
        ("percent", 5, 2, ColumnType.NUMERIC, 5),
        ("date", 0, 0, ColumnType.DATE, None),
        ("datetime", 0, 0, ColumnType.TIMESTAMP, None),
        ("time", 0, 0, ColumnType.TIME, None),
    ],
)
def test_field_spec_maps_each_salesforce_type(sf_type, precision, scale, column_type, column_precision):
    spec = field_spec("Thing__c", field("Some_Value__c", sf_type, precision=precision, scale=scale))
    assert (spec.column.name, spec.column.type, spec.column.precision) == (
        "some_value_c",
        column_type,
        column_precision,
    )
    assert (spec.sf_name, spec.sf_type, spec.column.sf_name) == ("Some_Value__c", sf_type, "Some_Value__c")


def test_field_spec_carries_describe_flags():
    spec = field_spec(
        "Contact",
        field(
            "AccountId",
            "reference",
            label="Account ID",
            nillable=False,
            calculated=True,
            externalId=True,
            referenceTo=["Account"],
        ),
    )
    assert (spec.label, spec.nillable, spec.calculated, spec.external_id, spec.reference_to) == (
        "Account ID",
        False,
        True,
        True,
        ("Account",),
    )
    assert spec.column.description == "Account ID"


def test_field_spec_of_an_unsupported_type_names_object_and_field():
    with pytest.raises(UnsupportedFieldType, match=r"Widget__c\.Blob__c: .*'datacategorygroupreference'"):
        field_spec("Widget__c", field("Blob__c", "datacategorygroupreference"))


def test_object_spec_skips_an_unsupported_field_with_its_reason():
    spec = object_spec(
        describe("Widget__c", field("Id", "id"), field("Odd__c", "datacategorygroupreference"))
    )
    assert [f.sf_name for f in spec.fields] == ["Id"]
    assert spec.skipped_fields == (("Odd__c", "type 'datacategorygroupreference' has no warehouse mapping"),)


def test_compound_fields_are_flattened_into_their_components(shared_recordings):
    account = recorded_describe(shared_recordings, "Account")
    columns = {f.column.name for f in object_spec(account).fields}
    assert {"billing_street", "billing_city", "billing_latitude", "billing_geocode_accuracy"} <= columns
    assert "billing_address" not in columns and "shipping_address" not in columns


def test_geolocation_custom_field_becomes_its_latitude_and_longitude(demo_org):
    spec = object_spec(demo_org[1]["Subscription__c"])
    assert spec.field("Location__c") is None
    assert spec.field("Location__Latitude__s").column.name == "location_latitude_s"
    assert spec.field("Location__Longitude__s").column.type == ColumnType.NUMERIC


@pytest.mark.parametrize(
    "sobject", ["Account", "Contact", "Lead", "Opportunity", "Case", "Event", "Custom__c"]
)
def test_every_non_compound_field_of_a_real_describe_is_one_column(shared_recordings, sobject):
    recorded = recorded_describe(shared_recordings, sobject)
    spec = object_spec(recorded)
    expected = {
        f["name"]: snake_case(f["name"]) for f in recorded["fields"] if f["type"] not in COMPOUND_TYPES
    }
    assert {f.sf_name: f.column.name for f in spec.fields} == expected
    assert spec.skipped_fields == ()


def test_fields_are_ordered_id_first_then_by_name():
    spec = object_spec(
        describe("Thing__c", field("Zeta__c"), field("alpha__c"), field("Id", "id"), field("Beta__c"))
    )
    assert [f.sf_name for f in spec.fields] == ["Id", "alpha__c", "Beta__c", "Zeta__c"]


def test_custom_fields_added_to_a_standard_object_are_columns(demo_org):
    spec = object_spec(demo_org[1]["Account"])
    assert {"active_c", "external_id_c", "tier_c"} <= {f.column.name for f in spec.fields}
    assert spec.field("External_Id__c").external_id


# --- collisions ---------------------------------------------------------------------------------------
def test_colliding_custom_fields_first_in_code_point_order_keeps_the_name():
    spec = object_spec(describe("Thing__c", field("Foo_Bar__c"), field("FooBar__c")))
    assert spec.field("FooBar__c").column.name == "foo_bar_c"
    assert spec.field("Foo_Bar__c").column.name == "foo_bar_c_2"
    assert spec.renamed_fields == (("Foo_Bar__c", "foo_bar_c_2"),)


def test_standard_field_wins_a_collision_with_a_custom_one():
    spec = object_spec(describe("Thing", field("Region_C", "string"), field("Region__c")))
    assert spec.field("Region_C").column.name == "region_c"
    assert spec.field("Region__c").column.name == "region_c_2"


def test_a_column_given_earlier_stays_with_its_field():
    spec = object_spec(
        describe("Thing__c", field("Foo_Bar__c"), field("FooBar__c")), columns={"Foo_Bar__c": "foo_bar_c"}
    )
    assert spec.field("Foo_Bar__c").column.name == "foo_bar_c"
    assert spec.field("FooBar__c").column.name == "foo_bar_c_2"


def test_a_suffixed_name_never_takes_another_fields_plain_name():
    names = assign_names([("A", "x", (0,)), ("B", "x", (1,)), ("C", "x_2", (2,))], preferred={})
    assert names == {"A": "x", "B": "x_3", "C": "x_2"}


def test_a_preferred_name_unrelated_to_the_field_is_ignored():
    assert assign_names([("A", "x", (0,))], preferred={"A": "something_else"}) == {"A": "x"}


def test_warehouse_bookkeeping_columns_are_never_given_to_a_field():
    spec = object_spec(describe("Thing", field("ReceivedAt", "datetime"), field("SyncRunId")))
    assert {f.column.name for f in spec.fields} == {"received_at_2", "sync_run_id_2"}
    assert {"received_at", "deleted_at", "sync_run_id"} == RESERVED_COLUMNS


def test_reserved_columns_match_the_warehouse_bookkeeping_columns():
    from sf_assets.warehouse.columns import RESERVED

    assert RESERVED_COLUMNS == RESERVED


# --- cursor, flags, description ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sobject", "cursor", "cursor_column"),
    [
        ("Account", "SystemModstamp", "system_modstamp"),
        ("Subscription__c", "SystemModstamp", "system_modstamp"),
        ("CampaignShare", "LastModifiedDate", "last_modified_date"),
        ("OpportunityFieldHistory", "CreatedDate", "created_date"),
        ("UserLogin", "LastModifiedDate", "last_modified_date"),
    ],
)
def test_cursor_field_of_emulator_objects(demo_org, sobject, cursor, cursor_column):
    spec = object_spec(demo_org[1][sobject])
    assert (spec.cursor_field, spec.cursor_column) == (cursor, cursor_column)


def test_login_time_is_the_last_resort_cursor():
    spec = object_spec(describe("LoginHistory", field("Id", "id"), field("LoginTime", "datetime")))
    assert spec.cursor_field == "LoginTime"


def test_a_cursor_must_be_filterable():
    spec = object_spec(
        describe(
            "Thing", field("SystemModstamp", "datetime", filterable=False), field("CreatedDate", "datetime")
        )
    )
    assert spec.cursor_field == "CreatedDate"


def test_an_object_without_a_timestamp_has_no_cursor():
    spec = object_spec(describe("Thing", field("Id", "id")))
    assert (spec.cursor_field, spec.cursor_column) == (None, None)


def test_base64_fields_make_an_object_rest_only(demo_org):
    assert object_spec(demo_org[1]["Document"]).bulk_compatible is False
    assert object_spec(demo_org[1]["Account"]).bulk_compatible is True


def test_flags_from_describe(demo_org):
    share = object_spec(demo_org[1]["CampaignShare"])
    assert (share.replicateable, share.has_is_deleted, share.custom) == (False, True, False)
    group = object_spec(demo_org[1]["Group"])
    assert group.has_is_deleted is False


def test_description_is_one_line_naming_label_api_name_key_prefix_and_kind(demo_org):
    assert object_spec(demo_org[1]["Subscription__c"]).description == (
        "Subscription (Subscription__c): Salesforce custom object, key prefix a00."
    )
    assert (
        object_spec(demo_org[1]["Account"]).description
        == "Account (Account): Salesforce standard object, key prefix 001."
    )


def test_describe_subset_builds_the_same_spec_as_the_full_describe(demo_org):
    for full in demo_org[1].values():
        assert object_spec(describe_subset(full)) == object_spec(full)


# --- collections ------------------------------------------------------------------------------------
def test_demo_org_collections_are_the_48_minus_names_plus_subscription(demo_org):
    global_describe, describes = demo_org
    plan = catalog_collections(global_describe, describes)
    assert {o.table for o in plan.objects} == (set(STANDARD_COLLECTIONS) - {"names"}) | {"subscription_c"}
    assert [(s.table, s.sobject, s.reason) for s in plan.skipped] == [
        ("names", "Name", SkipReason.NOT_QUERYABLE)
    ]
    assert [o.table for o in plan.objects] == sorted(o.table for o in plan.objects)
    assert plan.warnings == ()


def test_describe_targets_are_the_selected_readable_objects(demo_org):
    targets = describe_targets(demo_org[0], exclude=["accounts"])
    assert "Subscription__c" in targets and "Name" not in targets and "Account" not in targets
    assert "Organization" not in targets and len(targets) == 47  # 48 - Name - Account + Subscription__c


def test_a_classic_collection_missing_from_the_org_is_skipped():
    plan = catalog_collections(
        {"sobjects": [entry("Account")]}, {"Account": describe("Account", field("Id", "id"))}
    )
    skipped = {s.sobject: s for s in plan.skipped}
    assert skipped["AccountTag"].reason == SkipReason.NOT_IN_ORG
    assert skipped["AccountTag"].table == "account_tags"
    assert len(plan.skipped) == 47


def test_a_non_queryable_custom_object_is_skipped():
    plan = catalog_collections({"sobjects": [entry("Hidden__c", queryable=False)]}, {})
    assert [(s.sobject, s.reason) for s in plan.skipped if s.sobject == "Hidden__c"] == [
        ("Hidden__c", SkipReason.NOT_QUERYABLE)
    ]


def test_objects_the_user_cannot_read_are_skipped_with_the_reason():
    global_describe = {
        "sobjects": [entry("Secret__c", retrieveable=False), entry("Gone__c"), entry("Locked__c")]
    }
    plan = catalog_collections(
        global_describe, {"Locked__c": DescribeFailed(403, "INSUFFICIENT_ACCESS: no read")}
    )
    skipped = {s.sobject: (s.reason, s.detail) for s in plan.skipped if s.sobject.endswith("__c")}
    assert skipped == {
        "Secret__c": (SkipReason.NOT_READABLE, "retrieveable is false"),
        "Gone__c": (SkipReason.NOT_READABLE, "not described"),
        "Locked__c": (SkipReason.NOT_READABLE, "describe failed (403): INSUFFICIENT_ACCESS: no read"),
    }
    assert plan.objects == ()


def test_exclude_takes_table_and_api_names_case_insensitively(demo_org):
    plan = catalog_collections(*demo_org, exclude=["ACCOUNTS", "subscription__C", "opportunity_product"])
    tables = {o.table for o in plan.objects}
    assert not tables & {"accounts", "subscription_c", "opportunity_product"}
    excluded = {s.sobject for s in plan.skipped if s.reason == SkipReason.EXCLUDED}
    assert excluded == {"Account", "Subscription__c", "OpportunityLineItem"}


def test_an_exclude_entry_that_matches_nothing_is_a_warning(demo_org):
    plan = catalog_collections(*demo_org, exclude=["Nope__c"])
    assert plan.warnings == ("objects.exclude: 'Nope__c' matches no collection or sObject",)


def test_include_selects_exactly_its_entries(demo_org):
    plan = catalog_collections(*demo_org, include=["accounts", "Subscription__c", "organization"])
    assert [(o.table, o.sobject) for o in plan.objects] == [
        ("accounts", "Account"),
        ("organization", "Organization"),
        ("subscription_c", "Subscription__c"),
    ]
    not_included = {s.sobject for s in plan.skipped if s.detail == "not in objects.include"}
    assert "Contact" in not_included and "Name" in not_included


def test_include_of_an_unknown_name_is_an_error_naming_it(demo_org):
    with pytest.raises(CatalogError, match=r"objects\.include: 'Acount' matches no collection or sObject"):
        catalog_collections(*demo_org, include=["accounts", "Acount"])


def test_exclude_wins_over_include(demo_org):
    plan = catalog_collections(*demo_org, include=["Account", "Contact"], exclude=["contacts"])
    assert [o.table for o in plan.objects] == ["accounts"]


COLLIDING = {"sobjects": [entry("Foo_Bar__c"), entry("FooBar__c")]}
COLLIDING_DESCRIBES = {n: describe(n, field("Id", "id")) for n in ("Foo_Bar__c", "FooBar__c")}


def test_custom_objects_colliding_on_a_table_name_get_a_suffix():
    plan = catalog_collections(COLLIDING, COLLIDING_DESCRIBES)
    assert {o.sobject: o.table for o in plan.objects} == {
        "FooBar__c": "foo_bar_c",
        "Foo_Bar__c": "foo_bar_c_2",
    }
    assert plan.warnings == ("Foo_Bar__c: table foo_bar_c_2 (foo_bar_c is taken by another object)",)


def test_an_object_keeps_the_table_a_previous_plan_gave_it():
    # FooBar__c arrives after Foo_Bar__c took the plain name: the older object keeps it.
    previous = catalog_collections({"sobjects": [entry("Foo_Bar__c")]}, COLLIDING_DESCRIBES)
    plan = catalog_collections(COLLIDING, COLLIDING_DESCRIBES, previous=previous)
    assert {o.sobject: o.table for o in plan.objects} == {
        "Foo_Bar__c": "foo_bar_c",
        "FooBar__c": "foo_bar_c_2",
    }


def test_a_field_keeps_the_column_a_previous_plan_gave_it():
    old = {"sobjects": [entry("Thing__c")]}
    before = catalog_collections(old, {"Thing__c": describe("Thing__c", field("Foo_Bar__c"))})
    after = catalog_collections(
        old, {"Thing__c": describe("Thing__c", field("Foo_Bar__c"), field("FooBar__c"))}, previous=before
    )
    thing = after.object("thing_c")
    assert (thing.field("Foo_Bar__c").column.name, thing.field("FooBar__c").column.name) == (
        "foo_bar_c",
        "foo_bar_c_2",
    )
