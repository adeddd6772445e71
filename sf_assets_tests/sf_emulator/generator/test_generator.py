"""The deterministic org generator: volumes, determinism, referential integrity, describe validity, realism."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sf_emulator.generator import generate_org_data, planned_volumes
from sf_emulator.generator.ids import IdMaker
from sf_emulator.generator.table import DAY_MS, WINDOW_DAYS
from sf_emulator.store.auth import new_credentials
from sf_emulator.store.catalog import build_schema
from sf_emulator.store.errors import SalesforceError
from sf_emulator.store.ids import make_id
from sf_emulator.store.org import Org
from sf_emulator.store.records import quote
from sf_emulator.store.schema import FieldDef, ObjectDef
from sf_emulator.store.seed import seed_base_records
from sf_emulator.store.values import to_storage

DEMO = yaml.safe_load((Path(__file__).parents[3] / "sf_emulator" / "orgs" / "demo.yaml").read_text("utf-8"))

# The standard collections (all queryable standard objects but `Name`) every generated org fills.
COLLECTIONS = (
    "Account", "AccountContactRole", "AccountTag", "Campaign", "CampaignMember", "CampaignShare", "CampaignTag",
    "Case", "CaseComment", "CaseContactRole", "CaseSolution", "CaseTag", "Contact", "ContactTag", "Contract",
    "ContractTag", "Dashboard", "DashboardTag", "Document", "DocumentTag", "Event", "EventTag", "Group", "Lead",
    "LeadTag", "Note", "NoteTag", "Opportunity", "OpportunityCompetitor", "OpportunityContactRole",
    "OpportunityFieldHistory", "OpportunityLineItem", "OpportunityLineItemSchedule", "OpportunityStage",
    "OpportunityTag", "Period", "Pricebook2", "PricebookEntry", "Product2", "Profile", "Solution", "SolutionTag",
    "Task", "TaskTag", "User", "UserLogin", "UserRole",
)  # fmt: skip
NOON = int(dt.datetime(2025, 3, 14, 12, 0, tzinfo=dt.UTC).timestamp() * 1000)


def new_org(now_ms: int | None = NOON) -> Org:
    org = Org(
        org_id=make_id("00D", 1),
        schema=build_schema(DEMO),
        org_definition=DEMO,
        credentials=new_credentials("a@b.c"),
    )
    if now_ms is not None:
        org.clock.set(now_ms, frozen=True)
    seed_base_records(org)
    return org


def generated(scale: int = 1, seed: int = 0, now_ms: int | None = NOON) -> tuple[Org, dict[str, int]]:
    org = new_org(now_ms)
    return org, generate_org_data(org, scale=scale, seed=seed)


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Org, dict[str, int]]]:
    org = new_org()
    org.base_ids = {row[0] for obj in org.schema for row in rows(org, obj, "Id")}  # seeded, not generated
    counts = generate_org_data(org, scale=2, seed=3)
    yield org, counts
    org.close()


def rows(org: Org, obj: ObjectDef, columns: str = "*") -> list[tuple]:
    return org.conn.execute(f"SELECT {columns} FROM {quote(obj.name)} ORDER BY _rowid").fetchall()


def dump(org: Org, exclude_ids: set[str] = frozenset()) -> dict[str, list[tuple]]:
    out = {}
    for obj in org.schema:
        names = [d[1] for d in org.conn.execute(f"PRAGMA table_info({quote(obj.name)})")]
        out[obj.name] = [r for r in rows(org, obj) if r[names.index("Id")] not in exclude_ids]
    return out


def api_value(f: FieldDef, stored: object) -> object:
    """The stored value as a client would send it, for `to_storage` to validate."""
    if f.type == "datetime":
        return dt.datetime.fromtimestamp(stored / 1000, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if f.type == "boolean":
        return bool(stored)
    return stored


# --- volumes ---------------------------------------------------------------------------------------
def test_scale_one_fills_every_collection_and_custom_object_with_about_a_thousand_rows():
    org, counts = generated(scale=1)
    for name in (*COLLECTIONS, "Subscription__c"):
        assert counts.get(name, 0) > 0, name
        assert org.tables.count(org.schema.require(name)) >= counts[name]
    assert 900 <= sum(counts.values()) <= 1100
    assert counts["Contact"] > counts["Account"] and counts["OpportunityLineItem"] > counts["Opportunity"]


def test_planned_volumes_match_what_is_written_and_admin_objects_do_not_scale():
    small, big = planned_volumes(new_org(), scale=1), planned_volumes(new_org(), scale=200)
    assert 0.95 * 200_000 <= sum(big.values()) <= 1.05 * 200_000
    for name in ("Profile", "UserRole", "OpportunityStage", "Period", "Pricebook2"):
        assert small[name] == big[name], name
    assert big["Account"] > 150 * small["Account"]
    _, counts = generated(scale=1)
    assert counts == {k: v for k, v in small.items() if v}


# --- determinism -----------------------------------------------------------------------------------
def test_same_seed_same_org_different_seed_different_org():
    first, _ = generated(seed=11)
    second, _ = generated(seed=11)
    other, _ = generated(seed=12)
    assert dump(first) == dump(second)
    differing = dump(other)
    same_ids = dump(first)
    assert differing["Account"] != same_ids["Account"]
    assert differing["Contact"] != same_ids["Contact"]


def test_same_seed_same_day_at_other_hours_gives_the_same_generated_rows():
    morning = new_org(NOON - 5 * 3_600_000)
    evening = new_org(NOON + 11 * 3_600_000)
    base = {row[0] for obj in morning.schema for row in rows(morning, obj, "Id")}
    generate_org_data(morning, scale=1, seed=5)
    generate_org_data(evening, scale=1, seed=5)
    assert dump(morning, base) == dump(evening, base)


# --- validity --------------------------------------------------------------------------------------
def test_every_reference_points_at_a_live_row_of_an_allowed_type(demo):
    org, _ = demo
    checked = 0
    for obj in org.schema:
        for f in obj.stored_fields:
            targets = [org.schema.get(t) for t in f.reference_to if org.schema.get(t) is not None]
            if f.type != "reference":
                continue
            live = " UNION ALL ".join(f"SELECT Id FROM {quote(t.name)} WHERE IsDeleted = 0" for t in targets)
            column = quote(f.name)
            sql = f"SELECT {column} FROM {quote(obj.name)} WHERE {column} IS NOT NULL"
            if live:
                sql += f" AND {column} NOT IN ({live})"
            dangling = org.conn.execute(sql + " LIMIT 3").fetchall()
            assert not dangling, f"{obj.name}.{f.name} → {dangling}"
            checked += 1
    assert checked > 150


def test_every_value_is_valid_for_its_field(demo):
    org, _ = demo
    for obj in org.schema:
        stored = [f for f in obj.stored_fields if f.name != "IsDeleted"]
        names = ", ".join(quote(f.name) for f in stored)
        for row in rows(org, obj, names):
            if row[0] in org.base_ids:
                continue
            for f, value in zip(stored, row, strict=True):
                if value is None:
                    modelled = any(org.schema.get(t) for t in f.reference_to)
                    assert f.nillable or f.calculated or (f.type == "reference" and not modelled), (
                        obj.name,
                        f.name,
                    )
                    continue
                try:
                    assert to_storage(f, api_value(f, value)) == value, (obj.name, f.name, value)
                except SalesforceError as exc:
                    pytest.fail(f"{obj.name}.{f.name} = {value!r}: {exc}")
                if f.type in ("picklist", "multipicklist"):
                    allowed = {p.value for p in f.picklist_values}
                    assert set(str(value).split(";")) <= allowed, (obj.name, f.name, value)
                if f.type in ("double", "currency", "percent") and f.precision:
                    assert abs(value) < 10 ** (f.precision - f.scale), (obj.name, f.name, value)
                    assert round(value, f.scale) == value, (obj.name, f.name, value)
                if f.type == "int" and f.digits:
                    assert abs(value) < 10**f.digits, (obj.name, f.name, value)


def test_unique_and_external_id_fields_are_unique_and_filled(demo):
    org, _ = demo
    for obj in org.schema:
        for f in obj.stored_fields:
            if f.unique or f.external_id or f.auto_number:
                column = quote(f.name)
                dupes = org.conn.execute(
                    f"SELECT {column}, COUNT(*) FROM {quote(obj.name)} WHERE {column} IS NOT NULL"
                    f" GROUP BY {column} HAVING COUNT(*) > 1"
                ).fetchall()
                assert not dupes, (obj.name, f.name, dupes[:3])
    accounts = rows(org, org.schema.require("Account"), "External_Id__c, Tier__c, Active__c")
    assert all(ext for ext, _, _ in accounts)
    assert {tier for _, tier, _ in accounts if tier} and {a for *_, a in accounts if a} <= {"Yes", "No"}


def test_audit_fields_are_ordered_and_not_after_now(demo):
    org, _ = demo
    now = org.now_ms()
    anchor = now // DAY_MS * DAY_MS
    for obj in org.schema:
        present = [n for n in ("CreatedDate", "LastModifiedDate", "SystemModstamp") if obj.field(n)]
        who = [n for n in ("CreatedById", "LastModifiedById", "OwnerId") if obj.field(n)]
        if not present:
            continue
        for row in rows(org, obj, ", ".join(present + who)):
            times = row[: len(present)]
            assert all(t is not None and t <= now for t in times), (obj.name, row)
            assert list(times) == sorted(times), (obj.name, row)
            assert all(row[len(present) :]), (obj.name, row)
        generated_rows = org.conn.execute(
            f"SELECT MIN({present[0]}), MAX({present[-1]}) FROM {quote(obj.name)} WHERE {present[0]} < ?",
            (now,),
        ).fetchone()
        if generated_rows[0] is not None:
            assert generated_rows[0] >= anchor - WINDOW_DAYS * DAY_MS and generated_rows[1] <= anchor


def test_person_names_are_first_and_last(demo):
    org, _ = demo
    for name in ("Contact", "Lead", "User"):
        for first, last, full in rows(org, org.schema.require(name), "FirstName, LastName, Name"):
            assert full == " ".join(p for p in (first, last) if p)


# --- realism ---------------------------------------------------------------------------------------
def test_converted_leads_point_at_their_contact_account_and_opportunity(demo):
    org, _ = demo
    converted = org.conn.execute(
        "SELECT l.ConvertedAccountId, c.AccountId, l.ConvertedOpportunityId, o.AccountId, l.Status, l.ConvertedDate,"
        " l.Company, a.Name, l.Email, c.Email"
        ' FROM "Lead" l JOIN "Contact" c ON c.Id = l.ConvertedContactId JOIN "Account" a ON a.Id = l.ConvertedAccountId'
        ' LEFT JOIN "Opportunity" o ON o.Id = l.ConvertedOpportunityId WHERE l.IsConverted = 1'
    ).fetchall()
    assert converted
    for (
        account,
        contact_account,
        opp,
        opp_account,
        status,
        day,
        company,
        account_name,
        email,
        contact_email,
    ) in converted:
        assert account == contact_account and (opp is None or opp_account == account)
        assert status == "Closed - Converted" and day and company == account_name and email == contact_email
    open_leads = org.conn.execute(
        'SELECT COUNT(*) FROM "Lead" WHERE IsConverted = 0 AND (ConvertedAccountId IS NOT NULL OR Status = ?)',
        ("Closed - Converted",),
    ).fetchone()[0]
    assert open_leads == 0


def test_line_items_use_standard_entries_and_sum_to_the_amount(demo):
    org, _ = demo
    mismatched = org.conn.execute(
        'SELECT COUNT(*) FROM "OpportunityLineItem" li JOIN "PricebookEntry" e ON e.Id = li.PricebookEntryId'
        ' JOIN "Pricebook2" b ON b.Id = e.Pricebook2Id'
        " WHERE li.Product2Id != e.Product2Id OR b.IsStandard != 1 OR li.ListPrice != e.UnitPrice"
    ).fetchone()[0]
    assert mismatched == 0
    sums = org.conn.execute(
        'SELECT o.Amount, SUM(li.TotalPrice), o.HasOpportunityLineItem FROM "Opportunity" o'
        ' JOIN "OpportunityLineItem" li ON li.OpportunityId = o.Id GROUP BY o.Id'
    ).fetchall()
    assert sums and all(abs(amount - total) < 0.05 and has for amount, total, has in sums)
    stages = org.conn.execute(
        'SELECT o.IsClosed, o.IsWon, o.Probability, s.IsClosed, s.IsWon, s.DefaultProbability FROM "Opportunity" o'
        ' JOIN "OpportunityStage" s ON s.ApiName = o.StageName'
    ).fetchall()
    assert len(stages) == org.tables.count(org.schema.require("Opportunity"))
    assert all(row[:3] == row[3:] for row in stages)


def test_roles_of_contacts_belong_to_the_same_account_when_possible(demo):
    org, _ = demo
    foreign = org.conn.execute(
        'SELECT COUNT(*) FROM "OpportunityContactRole" r JOIN "Opportunity" o ON o.Id = r.OpportunityId'
        ' JOIN "Contact" c ON c.Id = r.ContactId WHERE c.AccountId != o.AccountId'
        ' AND EXISTS (SELECT 1 FROM "Contact" x WHERE x.AccountId = o.AccountId)'
    ).fetchone()[0]
    assert foreign == 0
    case_contacts = org.conn.execute(
        'SELECT COUNT(*) FROM "Case" k JOIN "Contact" c ON c.Id = k.ContactId WHERE c.AccountId != k.AccountId'
    ).fetchone()[0]
    assert case_contacts == 0


def test_activities_follow_who_and_what_rules(demo):
    org, _ = demo
    for name in ("Task", "Event"):
        table = quote(name)
        lead_with_what = org.conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE WhoId LIKE '00Q%' AND WhatId IS NOT NULL"
        ).fetchone()[0]
        assert lead_with_what == 0
        kinds = {
            row[0]
            for row in org.conn.execute(f"SELECT substr(WhatId, 1, 3) FROM {table} WHERE WhatId IS NOT NULL")
        }
        assert {"001", "006"} <= kinds
        wrong_account = org.conn.execute(
            f'SELECT COUNT(*) FROM {table} t JOIN "Contact" c ON c.Id = t.WhoId WHERE t.AccountId != c.AccountId'
        ).fetchone()[0]
        assert wrong_account == 0
    events = org.conn.execute('SELECT StartDateTime, DurationInMinutes, EndDateTime FROM "Event"').fetchall()
    assert all(start + minutes * 60_000 == end for start, minutes, end in events)


def test_campaign_rollups_match_members(demo):
    org, _ = demo
    mismatched = org.conn.execute(
        'SELECT COUNT(*) FROM "Campaign" c WHERE NumberOfContacts !='
        ' (SELECT COUNT(*) FROM "CampaignMember" m WHERE m.CampaignId = c.Id AND m.ContactId IS NOT NULL)'
        ' OR NumberOfLeads != (SELECT COUNT(*) FROM "CampaignMember" m WHERE m.CampaignId = c.Id AND m.LeadId IS NOT NULL)'
    ).fetchone()[0]
    assert mismatched == 0
    duplicates = org.conn.execute(
        'SELECT COUNT(*) FROM (SELECT CampaignId, LeadOrContactId FROM "CampaignMember"'
        " GROUP BY CampaignId, LeadOrContactId HAVING COUNT(*) > 1)"
    ).fetchone()[0]
    assert duplicates == 0


def test_documents_carry_a_small_base64_body_of_their_length(demo):
    import base64

    org, _ = demo
    for body, length in rows(org, org.schema.require("Document"), "Body, BodyLength"):
        assert len(base64.b64decode(body)) == length <= 4096


def test_custom_objects_hang_off_accounts(demo):
    org, counts = demo
    missing = org.conn.execute('SELECT COUNT(*) FROM "Subscription__c" WHERE Account__c IS NULL').fetchone()[
        0
    ]
    assert counts["Subscription__c"] > 0 and missing == 0


def test_fast_id_encoder_matches_the_store():
    for prefix in ("001", "00k", "0tA", "a00"):
        maker = IdMaker(prefix)
        for counter in (0, 1, 61, 62, 3843, 3844, 238_327, 14_776_336, 10**12, 62**9 - 1):
            assert maker(counter) == make_id(prefix, counter)


def test_generating_twice_adds_rows_without_breaking_uniqueness():
    org, first = generated(scale=1, seed=1)
    second = generate_org_data(org, scale=1, seed=1)
    assert (
        second["Account"] >= first["Account"] and "Period" not in second and "OpportunityStage" not in second
    )
    assert 900 <= sum(second.values()) <= 1100
    ids = org.conn.execute('SELECT COUNT(DISTINCT External_Id__c), COUNT(*) FROM "Account"').fetchone()
    assert ids[0] == ids[1]


# --- over HTTPS ------------------------------------------------------------------------------------
def test_generated_org_queried_with_simple_salesforce(emulator):
    created = emulator.control.create_org(scale=1, seed=7)
    try:
        sf = emulator.client(created)
        local, counts = generated(scale=1, seed=7, now_ms=None)
        assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == counts["Contact"]
        remote = sf.query_all("SELECT Id, Name, Email, AccountId FROM Contact")["records"]
        expected = rows(local, local.schema.require("Contact"), "Id, Name, Email, AccountId")
        # Same seed, same UTC day: the server's org holds exactly the rows generated here.
        assert sorted((r["Id"], r["Name"], r["Email"], r["AccountId"]) for r in remote) == sorted(expected)
    finally:
        emulator.control.drop_org(created.org_id)
