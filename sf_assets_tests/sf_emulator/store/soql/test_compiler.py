"""compile_query against a small org built per the storage contract, running the SQL for real."""

import sqlite3
from datetime import UTC, datetime

import orjson
import pytest

from sf_emulator.store import ids
from sf_emulator.store.errors import SalesforceError
from sf_emulator.store.schema import FieldDef, ObjectDef, OrgSchema
from sf_emulator.store.shape import Shape, install_functions, record_sql
from sf_emulator.store.soql import CompiledQuery, compile_query, parse

NOW_MS = int(datetime(2024, 5, 15, 12, 0, tzinfo=UTC).timestamp() * 1000)  # a Wednesday


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def _id(prefix: str, n: int) -> str:
    return ids.make_id(prefix, n)


A1, A2, A3, A4, A5 = (_id("001", n) for n in range(1, 6))
U1, U2 = _id("005", 1), _id("005", 2)
C1, C2, C3 = (_id("003", n) for n in range(1, 4))
L1 = _id("00Q", 1)
T1, T2, T3 = (_id("00T", n) for n in range(1, 4))


def _address(prefix: str) -> list[FieldDef]:
    text = [
        FieldDef(f"{prefix}{part}", "string", compound_field_name=f"{prefix}Address")
        for part in ("Street", "City", "State", "PostalCode", "Country")
    ]
    return [
        *text,
        FieldDef(f"{prefix}Latitude", "double", compound_field_name=f"{prefix}Address"),
        FieldDef(f"{prefix}Longitude", "double", compound_field_name=f"{prefix}Address"),
        FieldDef(f"{prefix}GeocodeAccuracy", "picklist", compound_field_name=f"{prefix}Address"),
        FieldDef(f"{prefix}Address", "address", filterable=False, sortable=False, groupable=False),
    ]


def build_schema() -> OrgSchema:
    account = ObjectDef(
        "Account",
        "001",
        "Account",
        "Accounts",
        (
            FieldDef("Id", "id"),
            FieldDef("IsDeleted", "boolean"),
            FieldDef("Name", "string", name_field=True),
            FieldDef("Type", "picklist"),
            FieldDef("ParentId", "reference", reference_to=("Account",), relationship_name="Parent"),
            *_address("Billing"),
            FieldDef("AnnualRevenue", "currency"),
            FieldDef("NumberOfEmployees", "int"),
            FieldDef("Description", "textarea", filterable=False, sortable=False, groupable=False),
            FieldDef("OwnerId", "reference", reference_to=("User",), relationship_name="Owner"),
            FieldDef("CreatedDate", "datetime"),
            FieldDef("SystemModstamp", "datetime"),
            FieldDef("Regions__c", "multipicklist", custom=True, sortable=False, groupable=False),
            FieldDef("Founded__c", "date", custom=True),
            FieldDef("Active__c", "boolean", custom=True),
            FieldDef("Loc__Latitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__Longitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__c", "location", custom=True, filterable=False, sortable=False, groupable=False),
        ),
    )
    user = ObjectDef("User", "005", "User", "Users", (FieldDef("Id", "id"), FieldDef("Name", "string")))
    contact = ObjectDef(
        "Contact",
        "003",
        "Contact",
        "Contacts",
        (
            FieldDef("Id", "id"),
            FieldDef("IsDeleted", "boolean"),
            FieldDef("LastName", "string"),
            FieldDef("Name", "string"),
            FieldDef("Email", "email"),
            FieldDef("AccountId", "reference", reference_to=("Account",), relationship_name="Account"),
            FieldDef("Birthdate", "date"),
            FieldDef("Partner__c", "reference", reference_to=("Account",), custom=True),
        ),
    )
    lead = ObjectDef(
        "Lead",
        "00Q",
        "Lead",
        "Leads",
        (FieldDef("Id", "id"), FieldDef("Name", "string"), FieldDef("Company", "string")),
    )
    task = ObjectDef(
        "Task",
        "00T",
        "Task",
        "Tasks",
        (
            FieldDef("Id", "id"),
            FieldDef("Subject", "string"),
            FieldDef("WhoId", "reference", reference_to=("Contact", "Lead"), relationship_name="Who"),
        ),
    )
    name = ObjectDef(
        "Name", "000", "Name", "Names", (FieldDef("Id", "id"), FieldDef("Name", "string")), queryable=False
    )
    return OrgSchema([account, user, contact, lead, task, name])


def create_tables(conn: sqlite3.Connection, schema: OrgSchema) -> None:
    for obj in schema:
        columns = ['"_rowid" INTEGER PRIMARY KEY', '"IsDeleted" INTEGER NOT NULL DEFAULT 0']
        for field in obj.stored_fields:
            if field.name != "IsDeleted":
                collate = " COLLATE NOCASE" if field.storage_affinity == "TEXT" else ""
                columns.append(f'"{field.name}" {field.storage_affinity}{collate}')
        conn.execute(f'CREATE TABLE "{obj.name}" ({", ".join(columns)})')


def insert(conn: sqlite3.Connection, table: str, **values: object) -> None:
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" for _ in values)
    conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(values.values()))


@pytest.fixture(scope="module")
def schema() -> OrgSchema:
    return build_schema()


@pytest.fixture(scope="module")
def conn(schema: OrgSchema) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    install_functions(db)
    create_tables(db, schema)
    insert(db, "User", Id=U1, Name="Ursula")
    insert(db, "User", Id=U2, Name="Ulrich")
    insert(
        db,
        "Account",
        Id=A1,
        Name="Acme",
        Type="Customer",
        AnnualRevenue=5_000_000.0,
        NumberOfEmployees=120,
        BillingCity="Paris",
        BillingCountry="France",
        OwnerId=U1,
        CreatedDate=_ms("2024-01-01T00:00:00"),
        SystemModstamp=_ms("2024-05-15T10:00:00"),
        Regions__c="EMEA;APAC",
        Founded__c="1990-05-01",
        Active__c=1,
        Loc__Latitude__s=48.85,
        Loc__Longitude__s=2.35,
    )
    insert(
        db,
        "Account",
        Id=A2,
        Name="beta corp",
        Type="Prospect",
        NumberOfEmployees=10,
        OwnerId=U2,
        ParentId=A1,
        CreatedDate=_ms("2024-05-14T00:00:00"),
        SystemModstamp=_ms("2024-05-14T23:59:59.999"),
        Regions__c="APAC",
        Founded__c="2024-05-15",
        Active__c=0,
    )
    insert(
        db,
        "Account",
        Id=A3,
        Name="Gamma_50%",
        AnnualRevenue=100.5,
        CreatedDate=_ms("2024-05-15T00:00:00"),
        SystemModstamp=_ms("2024-05-15T00:00:00"),
        Active__c=0,
    )
    insert(db, "Account", Id=A4, Name="Deleted Co", IsDeleted=1, Type="Customer", Active__c=0)
    insert(
        db,
        "Account",
        Id=A5,
        Name="acme",
        Type="Customer",
        NumberOfEmployees=500,
        Regions__c="EMEA",
        SystemModstamp=_ms("2024-05-16T00:00:00"),
        Founded__c="2024-05-14",
        Active__c=1,
    )
    insert(db, "Contact", Id=C1, LastName="Smith", Name="Jane Smith", AccountId=A1, Birthdate="1980-02-29")
    insert(db, "Contact", Id=C2, LastName="Doe", Name="John Doe")
    insert(db, "Contact", Id=C3, LastName="Roe", Name="Rita Roe", AccountId=A2, Partner__c=A3)
    insert(db, "Lead", Id=L1, Name="Lead One", Company="Initech")
    insert(db, "Task", Id=T1, Subject="Call", WhoId=C1)
    insert(db, "Task", Id=T2, Subject="Email", WhoId=L1)
    insert(db, "Task", Id=T3, Subject="Note")
    return db


def compile_soql(schema: OrgSchema, soql: str, *, include_deleted: bool = False) -> CompiledQuery:
    return compile_query(parse(soql), schema, soql=soql, now_ms=NOW_MS, include_deleted=include_deleted)


def rest(conn, schema, soql: str, **kw: bool) -> list[dict]:
    compiled = compile_soql(schema, soql, **kw)
    record = record_sql(compiled.columns, compiled.exprs, Shape("rest", "59.0"))
    return [orjson.loads(text) for (text,) in conn.execute(compiled.select(record), compiled.params)]


def names(conn, schema, soql: str, **kw: bool) -> list[str]:
    return [record["Name"] for record in rest(conn, schema, soql, **kw)]


def total(conn, schema, soql: str) -> int:
    compiled = compile_soql(schema, soql)
    return conn.execute(compiled.count_sql, compiled.count_params).fetchone()[0]


def error(schema: OrgSchema, soql: str) -> SalesforceError:
    with pytest.raises(SalesforceError) as caught:
        compile_soql(schema, soql)
    return caught.value


# --- selection and canonical names -----------------------------------------------------------------


def test_identifiers_come_back_in_canonical_case(conn, schema):
    assert rest(conn, schema, f"select name, ID from account where id = '{A1}'")[0] == {
        "attributes": {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{A1}"},
        "Name": "Acme",
        "Id": A1,
    }


def test_without_order_by_rows_come_in_creation_order(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account") == ["Acme", "beta corp", "Gamma_50%", "acme"]


def test_query_all_includes_soft_deleted_rows(conn, schema):
    assert "Deleted Co" in names(conn, schema, "SELECT Name FROM Account", include_deleted=True)


def test_is_deleted_true_on_query_returns_nothing(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE IsDeleted = true") == []


def test_object_alias_qualifies_fields(conn, schema):
    assert names(conn, schema, "SELECT a.Name FROM Account a WHERE a.Name = 'Acme'") == ["Acme", "acme"]


def test_explicit_duplicate_field_is_rejected(schema):
    err = error(schema, "SELECT Name, name FROM Account")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "MALFORMED_QUERY",
        "duplicate field selected: Name",
    )


# --- comparison operators ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("NumberOfEmployees = 120", ["Acme"]),
        ("NumberOfEmployees != 120", ["beta corp", "Gamma_50%", "acme"]),
        ("NumberOfEmployees <> 120", ["beta corp", "Gamma_50%", "acme"]),
        ("NumberOfEmployees < 120", ["beta corp"]),
        ("NumberOfEmployees <= 120", ["Acme", "beta corp"]),
        ("NumberOfEmployees > 120", ["acme"]),
        ("NumberOfEmployees >= 120", ["Acme", "acme"]),
        ("AnnualRevenue > 100.25", ["Acme", "Gamma_50%"]),
        ("NumberOfEmployees > -1", ["Acme", "beta corp", "acme"]),
    ],
)
def test_comparison_operators_on_numbers(conn, schema, where, expected):
    assert names(conn, schema, f"SELECT Name FROM Account WHERE {where}") == expected


def test_string_equality_ignores_case(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE Name = 'ACME'") == ["Acme", "acme"]


def test_not_equal_keeps_null_values(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE Type != 'Customer'") == [
        "beta corp",
        "Gamma_50%",
    ]


def test_equals_null(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE Type = null") == ["Gamma_50%"]


def test_not_equals_null(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE AnnualRevenue != null") == [
        "Acme",
        "Gamma_50%",
    ]


def test_boolean_literal(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE Active__c = TRUE") == ["Acme", "acme"]


def test_date_literal_value_on_date_field(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE Founded__c < 2000-01-01") == ["Acme"]


def test_id_literal_with_15_characters_matches(conn, schema):
    assert names(conn, schema, f"SELECT Name FROM Account WHERE Id = '{A2[:15]}'") == ["beta corp"]


def test_in_list(conn, schema):
    soql = f"SELECT Name FROM Account WHERE Id IN ('{A1}', '{A3}')"
    assert names(conn, schema, soql) == ["Acme", "Gamma_50%"]


def test_not_in_keeps_nulls(conn, schema):
    soql = "SELECT Name FROM Account WHERE Type NOT IN ('Customer')"
    assert names(conn, schema, soql) == ["beta corp", "Gamma_50%"]


def test_in_list_with_null(conn, schema):
    soql = "SELECT Name FROM Account WHERE Type IN ('Prospect', null)"
    assert names(conn, schema, soql) == ["beta corp", "Gamma_50%"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("'ac%'", ["Acme", "acme"]),
        ("'_eta%'", ["beta corp"]),
        ("'%\\_50\\%'", ["Gamma_50%"]),
        ("'%corp'", ["beta corp"]),
    ],
)
def test_like(conn, schema, pattern, expected):
    assert names(conn, schema, f"SELECT Name FROM Account WHERE Name LIKE {pattern}") == expected


def test_not_like_prefix_form(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE NOT Name LIKE 'a%'") == [
        "beta corp",
        "Gamma_50%",
    ]


def test_includes_any_value(conn, schema):
    soql = "SELECT Name FROM Account WHERE Regions__c INCLUDES ('apac', 'Nowhere')"
    assert names(conn, schema, soql) == ["Acme", "beta corp"]


def test_includes_semicolon_means_all_of(conn, schema):
    soql = "SELECT Name FROM Account WHERE Regions__c INCLUDES ('APAC;EMEA')"
    assert names(conn, schema, soql) == ["Acme"]


def test_excludes_keeps_nulls(conn, schema):
    soql = "SELECT Name FROM Account WHERE Regions__c EXCLUDES ('APAC')"
    assert names(conn, schema, soql) == ["Gamma_50%", "acme"]


def test_multipicklist_equals_is_the_exact_set_in_any_order(conn, schema):
    soql = "SELECT Name FROM Account WHERE Regions__c = 'APAC;EMEA'"
    assert names(conn, schema, soql) == ["Acme"]


# --- logic ---------------------------------------------------------------------------------------------


def test_and_with_parenthesised_or(conn, schema):
    soql = "SELECT Name FROM Account WHERE Type = 'Customer' AND (NumberOfEmployees > 200 OR Name = 'Acme')"
    assert names(conn, schema, soql) == ["Acme", "acme"]


def test_not_over_a_comparison_keeps_null_rows(conn, schema):
    soql = "SELECT Name FROM Account WHERE NOT (NumberOfEmployees > 100)"
    assert names(conn, schema, soql) == ["beta corp", "Gamma_50%"]


def test_mixing_and_with_or_without_parentheses_is_malformed(schema):
    with pytest.raises(SalesforceError) as caught:
        parse("SELECT Name FROM Account WHERE Type = 'x' AND Name = 'y' OR Name = 'z'")
    assert caught.value.error_code == "MALFORMED_QUERY"
    assert caught.value.message.endswith("ERROR at Row:1:Column:58\nunexpected token: 'OR'")


def test_semi_join(conn, schema):
    soql = "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName != 'Smith')"
    assert names(conn, schema, soql) == ["beta corp"]


def test_anti_join(conn, schema):
    soql = "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)"
    assert names(conn, schema, soql) == ["Gamma_50%", "acme"]


# --- date literals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("SystemModstamp = TODAY", ["Acme", "Gamma_50%"]),
        ("SystemModstamp = YESTERDAY", ["beta corp"]),
        ("SystemModstamp > TODAY", ["acme"]),
        ("SystemModstamp >= TODAY", ["Acme", "Gamma_50%", "acme"]),
        ("SystemModstamp < TODAY", ["beta corp"]),
        ("SystemModstamp <= TODAY", ["Acme", "beta corp", "Gamma_50%"]),
        ("SystemModstamp != TODAY", ["beta corp", "acme"]),
        ("CreatedDate = LAST_N_DAYS:1", ["beta corp", "Gamma_50%"]),
        ("CreatedDate = THIS_YEAR", ["Acme", "beta corp", "Gamma_50%"]),
        ("Founded__c = TODAY", ["beta corp"]),
        ("Founded__c = THIS_WEEK", ["beta corp", "acme"]),
        ("Founded__c < LAST_N_YEARS:10", ["Acme"]),
    ],
)
def test_date_literal_ranges(conn, schema, where, expected):
    assert names(conn, schema, f"SELECT Name FROM Account WHERE {where}") == expected


# --- ordering, limit, offset, count -------------------------------------------------------------------


def test_order_by_asc_puts_nulls_first(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account ORDER BY NumberOfEmployees") == [
        "Gamma_50%",
        "beta corp",
        "Acme",
        "acme",
    ]


def test_order_by_desc_puts_nulls_last(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account ORDER BY AnnualRevenue DESC") == [
        "Acme",
        "Gamma_50%",
        "beta corp",
        "acme",
    ]


def test_order_by_nulls_last_explicit(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account ORDER BY Type ASC NULLS LAST, Name DESC") == [
        "Acme",
        "acme",
        "beta corp",
        "Gamma_50%",
    ]


def test_order_by_ties_keep_creation_order(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account ORDER BY Name") == [
        "Acme",
        "acme",
        "beta corp",
        "Gamma_50%",
    ]


def test_order_by_relationship_field(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account WHERE OwnerId != null ORDER BY Owner.Name") == [
        "beta corp",
        "Acme",
    ]


def test_limit_and_offset(conn, schema):
    assert names(conn, schema, "SELECT Name FROM Account LIMIT 2 OFFSET 1") == ["beta corp", "Gamma_50%"]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [("", 4), ("LIMIT 2", 2), ("OFFSET 3", 1), ("LIMIT 2 OFFSET 3", 1), ("OFFSET 9", 0)],
)
def test_total_size_respects_limit_and_offset(conn, schema, tail, expected):
    assert total(conn, schema, f"SELECT Name FROM Account {tail}") == expected


def test_count_only(conn, schema):
    compiled = compile_soql(schema, "SELECT COUNT() FROM Account WHERE Type = 'Customer'")
    assert (compiled.is_count_only, conn.execute(compiled.sql, compiled.params).fetchone()[0]) == (True, 2)


def test_offset_over_2000_is_out_of_range(schema):
    err = error(schema, "SELECT Id FROM Account OFFSET 2001")
    assert (err.status, err.error_code, err.message) == (
        400,
        "NUMBER_OUTSIDE_VALID_RANGE",
        "Maximum SOQL offset allowed is 2000",
    )


def test_select_runs_the_same_query_with_another_select_list(conn, schema):
    compiled = compile_soql(schema, "SELECT Id, Account.Id, Account.Name FROM Contact ORDER BY Name LIMIT 2")
    rows = conn.execute(compiled.select(", ".join(compiled.exprs)), compiled.params).fetchall()
    assert rows == conn.execute(compiled.sql, compiled.params).fetchall()


# --- relationships ----------------------------------------------------------------------------------


def test_parent_relationship_field(conn, schema):
    record = rest(conn, schema, f"SELECT Account.Name FROM Contact WHERE Id = '{C1}'")[0]
    assert record["Account"] == {
        "attributes": {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{A1}"},
        "Name": "Acme",
    }


def test_missing_parent_is_null(conn, schema):
    assert rest(conn, schema, f"SELECT Account.Name FROM Contact WHERE Id = '{C2}'")[0]["Account"] is None


def test_two_level_relationship(conn, schema):
    record = rest(conn, schema, f"SELECT Account.Owner.Name FROM Contact WHERE Id = '{C3}'")[0]
    assert record["Account"]["Owner"]["Name"] == "Ulrich"


def test_filter_on_relationship_field(conn, schema):
    soql = "SELECT LastName FROM Contact WHERE Account.Owner.Name = 'ursula'"
    assert [r["LastName"] for r in rest(conn, schema, soql)] == ["Smith"]


def test_self_relationship(conn, schema):
    soql = "SELECT Name, Parent.Name FROM Account WHERE ParentId != null"
    assert [(r["Name"], r["Parent"]["Name"]) for r in rest(conn, schema, soql)] == [("beta corp", "Acme")]


def test_polymorphic_relationship_takes_the_matching_type(conn, schema):
    records = rest(conn, schema, "SELECT Subject, Who.Name FROM Task")
    assert [(r["Who"] or {}).get("attributes", {}).get("type") for r in records] == ["Contact", "Lead", None]


def test_polymorphic_relationship_value(conn, schema):
    records = rest(conn, schema, "SELECT Who.Name FROM Task WHERE Who.Name LIKE 'lead%'")
    assert [r["Who"]["Name"] for r in records] == ["Lead One"]


def test_polymorphic_field_missing_on_a_target_is_invalid(schema):
    err = error(schema, "SELECT Who.Email FROM Task")
    assert err.error_code == "INVALID_FIELD"
    assert err.message.splitlines()[-1].startswith("No such column 'Email' on entity 'Name'.")


def test_custom_reference_is_traversed_as_r(conn, schema):
    records = rest(conn, schema, "SELECT Partner__r.Name FROM Contact WHERE Partner__c != null")
    assert [r["Partner__r"]["Name"] for r in records] == ["Gamma_50%"]


def test_relationship_hops_select_hidden_parent_ids(schema):
    compiled = compile_soql(schema, "SELECT Account.Owner.Name FROM Contact")
    assert [(c.kind, c.path, c.hidden) for c in compiled.columns] == [
        ("root_id", (), True),
        ("parent_id", ("Account",), True),
        ("parent_id", ("Account", "Owner"), True),
        ("field", ("Account", "Owner", "Name"), False),
    ]


def test_polymorphic_hop_selects_the_parent_type(schema):
    compiled = compile_soql(schema, "SELECT Who.Name FROM Task")
    assert [c.kind for c in compiled.columns] == ["root_id", "parent_id", "parent_type", "field"]


# --- aggregates ------------------------------------------------------------------------------------


def test_group_by_with_count(conn, schema):
    soql = "SELECT Type, COUNT(Id) FROM Account GROUP BY Type ORDER BY Type"
    assert rest(conn, schema, soql) == [
        {"attributes": {"type": "AggregateResult"}, "Type": None, "expr0": 1},
        {"attributes": {"type": "AggregateResult"}, "Type": "Customer", "expr0": 2},
        {"attributes": {"type": "AggregateResult"}, "Type": "Prospect", "expr0": 1},
    ]


def test_aggregate_without_group_by(conn, schema):
    soql = "SELECT COUNT(Id) cnt, SUM(NumberOfEmployees), MAX(SystemModstamp) FROM Account"
    assert rest(conn, schema, soql) == [
        {
            "attributes": {"type": "AggregateResult"},
            "cnt": 4,
            "expr0": 630,
            "expr1": "2024-05-16T00:00:00.000+0000",
        }
    ]


def test_aggregate_total_size_counts_groups(conn, schema):
    assert total(conn, schema, "SELECT Type, COUNT(Id) FROM Account GROUP BY Type") == 3


def test_ungrouped_field_in_aggregate_query_is_malformed(schema):
    err = error(schema, "SELECT Name, COUNT(Id) FROM Account GROUP BY Type")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "MALFORMED_QUERY",
        "Field must be grouped or aggregated: Name",
    )


def test_sum_of_a_text_field_is_malformed(schema):
    err = error(schema, "SELECT SUM(Name) FROM Account")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "MALFORMED_QUERY",
        "field Name does not support aggregate operator SUM",
    )


def test_order_by_aggregate(conn, schema):
    soql = "SELECT Type, COUNT(Id) n FROM Account GROUP BY Type ORDER BY COUNT(Id) DESC, Type"
    assert [(r["Type"], r["n"]) for r in rest(conn, schema, soql)] == [
        ("Customer", 2),
        (None, 1),
        ("Prospect", 1),
    ]


def test_count_only_with_limit(conn, schema):
    compiled = compile_soql(schema, "SELECT COUNT() FROM Account LIMIT 3")
    assert conn.execute(compiled.sql, compiled.params).fetchone()[0] == 3


def test_count_only_with_group_by_counts_groups(conn, schema):
    assert total(conn, schema, "SELECT COUNT() FROM Account GROUP BY Type") == 3


def test_count_distinct(conn, schema):
    assert rest(conn, schema, "SELECT COUNT_DISTINCT(Type) FROM Account")[0]["expr0"] == 2


# --- FIELDS() and compound fields -----------------------------------------------------------------------


def test_fields_all_expands_in_describe_order(conn, schema):
    record = rest(conn, schema, f"SELECT FIELDS(ALL) FROM Account WHERE Id = '{A1}' LIMIT 1")[0]
    assert list(record) == ["attributes", *(f.name for f in schema.get("Account").fields)]


def test_fields_standard_needs_no_limit(conn, schema):
    record = rest(conn, schema, f"SELECT FIELDS(STANDARD) FROM User WHERE Id = '{U1}'")[0]
    assert list(record) == ["attributes", "Id", "Name"]


def test_fields_custom_selects_custom_fields_only(conn, schema):
    record = rest(conn, schema, f"SELECT FIELDS(CUSTOM) FROM Account WHERE Id = '{A1}' LIMIT 200")[0]
    assert list(record) == [
        "attributes",
        "Regions__c",
        "Founded__c",
        "Active__c",
        "Loc__Latitude__s",
        "Loc__Longitude__s",
        "Loc__c",
    ]


def test_fields_all_without_limit_is_malformed(schema):
    err = error(schema, "SELECT FIELDS(ALL) FROM Account")
    assert err.error_code == "MALFORMED_QUERY"
    assert err.message == (
        "\nSELECT FIELDS(ALL) FROM Account\n       ^\nERROR at Row:1:Column:8\n"
        "The SOQL FIELDS function must have a LIMIT of at most 200"
    )


def test_fields_custom_with_limit_over_200_is_malformed(schema):
    assert error(schema, "SELECT FIELDS(CUSTOM) FROM Account LIMIT 201").error_code == "MALFORMED_QUERY"


def test_compound_field_sets_has_compound(schema):
    assert compile_soql(schema, "SELECT BillingAddress FROM Account").has_compound is True


def test_compound_field_cannot_be_filtered(schema):
    err = error(schema, "SELECT Id FROM Account WHERE BillingAddress = null")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "INVALID_FIELD",
        "field 'BillingAddress' can not be filtered in a query call",
    )


def test_unfilterable_field_is_rejected(schema):
    assert error(schema, "SELECT Id FROM Account WHERE Description = 'x'").error_code == "INVALID_FIELD"


# --- errors ------------------------------------------------------------------------------------------


def test_unknown_field(schema):
    err = error(schema, "SELECT Nme FROM Account")
    assert (err.status, err.error_code) == (400, "INVALID_FIELD")
    assert err.message == (
        "\nSELECT Nme FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Account'. "
        "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. "
        "Please reference your WSDL or the describe call for the appropriate names."
    )


def test_unknown_field_on_a_later_row(schema):
    err = error(schema, "SELECT Id\nFROM Account\nWHERE  Nme = 'x'")
    assert err.message.startswith(
        "\nWHERE  Nme = 'x'\n       ^\nERROR at Row:3:Column:8\nNo such column 'Nme'"
    )


def test_unknown_field_through_a_relationship_names_the_parent(schema):
    err = error(schema, "SELECT Account.Nme FROM Contact")
    assert err.message.splitlines()[-1].startswith("No such column 'Nme' on entity 'Account'.")


def test_unknown_relationship(schema):
    err = error(schema, "SELECT Acount.Name FROM Contact")
    assert (err.error_code, err.message) == (
        "INVALID_FIELD",
        "\nSELECT Acount.Name FROM Contact\n       ^\nERROR at Row:1:Column:8\nDidn't understand relationship "
        "'Acount' in field path. If you are attempting to use a custom relationship, be sure to append the "
        "'__r' after the custom relationship name. Please reference your WSDL or the describe call for the "
        "appropriate names.",
    )


def test_unknown_object(schema):
    err = error(schema, "SELECT Id FROM Acount")
    assert (err.error_code, err.message) == (
        "INVALID_TYPE",
        "\nSELECT Id FROM Acount\n               ^\nERROR at Row:1:Column:16\nsObject type 'Acount' is not "
        "supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity "
        "name. Please reference your WSDL or the describe call for the appropriate names.",
    )


def test_object_that_is_not_queryable(schema):
    err = error(schema, "SELECT Id FROM Name")
    assert (err.status, err.error_code, err.message) == (
        400,
        "INVALID_TYPE_FOR_OPERATION",
        "entity type Name does not support query",
    )


def test_quoted_value_for_a_datetime_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE SystemModstamp > '2024-01-01T00:00:00Z'")
    assert err.error_code == "INVALID_QUERY_FILTER_OPERATOR"
    assert err.message.endswith(
        "ERROR at Row:1:Column:47\nvalue of filter criterion for field 'SystemModstamp' must be of type dateTime "
        "and should not be enclosed in quotes"
    )


def test_date_value_for_a_datetime_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE CreatedDate > 2024-01-01")
    assert err.message.splitlines()[-1] == (
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes"
    )


def test_datetime_value_for_a_date_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE Founded__c > 2024-01-01T00:00:00Z")
    assert err.message.splitlines()[-1] == (
        "value of filter criterion for field 'Founded__c' must be of type date and should not be enclosed in quotes"
    )


def test_unquoted_value_for_a_string_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE Name = 5")
    assert err.message.splitlines()[-1] == (
        "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"
    )


def test_quoted_value_for_a_number_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE NumberOfEmployees = '5'")
    assert err.message.splitlines()[-1] == (
        "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be "
        "enclosed in quotes"
    )


def test_quoted_value_for_a_boolean_field(schema):
    err = error(schema, "SELECT Id FROM Account WHERE Active__c = 'true'")
    assert err.message.splitlines()[-1] == (
        "value of filter criterion for field 'Active__c' must be of type boolean and should not be enclosed in quotes"
    )


def test_malformed_id_literal(schema):
    err = error(schema, "SELECT Id FROM Account WHERE Id = 'xyz'")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "INVALID_QUERY_FILTER_OPERATOR",
        "invalid ID field: xyz",
    )


def test_includes_on_a_plain_field_is_rejected(schema):
    err = error(schema, "SELECT Id FROM Account WHERE Name INCLUDES ('a')")
    assert (err.error_code, err.message.splitlines()[-1]) == (
        "INVALID_QUERY_FILTER_OPERATOR",
        "includes or excludes operator only valid on multipicklist field",
    )


# --- the queries the clients send (reference §12.3) ---------------------------------------------------


def test_dlt_incremental_query(conn, schema):
    soql = (
        "SELECT Id, Name FROM Account  WHERE SystemModstamp > 2024-05-15T00:00:00.000000Z "
        "ORDER BY SystemModstamp ASC LIMIT 100"
    )
    assert names(conn, schema, soql) == ["Acme", "acme"]


def test_airbyte_window_query(conn, schema):
    soql = (
        "SELECT Id,Name FROM Account WHERE SystemModstamp >= 2024-05-14T00:00:00.000+00:00 AND "
        "SystemModstamp < 2024-05-15T10:00:00.000+00:00 ORDER BY Id ASC"
    )
    assert names(conn, schema, soql) == ["beta corp", "Gamma_50%"]


def test_tap_salesforce_window_query(conn, schema):
    soql = (
        "SELECT Id,Name FROM Account WHERE SystemModstamp >= 2024-05-14T23:59:59.999000Z  AND "
        "SystemModstamp < 2024-05-15T12:00:00.000000Z ORDER BY SystemModstamp ASC"
    )
    assert names(conn, schema, soql) == ["beta corp", "Gamma_50%", "Acme"]


def test_datetime_literal_with_offset_without_colon(conn, schema):
    soql = "SELECT Name FROM Account WHERE SystemModstamp = 2024-05-15T12:00:00.000+0200"
    assert names(conn, schema, soql) == ["Acme"]
