"""Records rendered by SQLite: REST JSON, Bulk CSV and Bulk 1.0 JSON, byte for byte as Python writes them."""

import math
import random
import sqlite3
import struct
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from sf_emulator.bulk2.csv_io import quote_row
from sf_emulator.store.records import RecordTables
from sf_emulator.store.schema import FieldDef, ObjectDef, OrgSchema
from sf_emulator.store.shape import Shape, csv_header, install_functions, record_sql
from sf_emulator.store.soql import compile_query, parse

ACC = "001000000000001AAA"
USR = "005000000000001AAA"
CON = "003000000000001AAA"
TSK = "00T000000000001AAA"
JAN_1_2024 = 1_704_067_200_000
REST = Shape("rest", "59.0")
CSV = Shape("csv")
BULK1 = Shape("bulk1", "59.0")


@pytest.fixture(scope="module")
def schema() -> OrgSchema:
    address = [
        FieldDef(f"Billing{part}", kind, compound_field_name="BillingAddress")
        for part, kind in (
            ("Street", "string"),
            ("City", "string"),
            ("State", "string"),
            ("PostalCode", "string"),
            ("Country", "string"),
            ("Latitude", "double"),
            ("Longitude", "double"),
            ("GeocodeAccuracy", "picklist"),
        )
    ]
    account = ObjectDef(
        "Account",
        "001",
        "Account",
        "Accounts",
        (
            FieldDef("Id", "id"),
            FieldDef("Name", "string"),
            FieldDef("IsDeleted", "boolean"),
            FieldDef("NumberOfEmployees", "int"),
            FieldDef("AnnualRevenue", "currency"),
            FieldDef("CreatedDate", "datetime"),
            FieldDef("Founded__c", "date", custom=True),
            FieldDef("Opens__c", "time", custom=True),
            FieldDef("Regions__c", "multipicklist", custom=True),
            FieldDef("OwnerId", "reference", reference_to=("User",), relationship_name="Owner"),
            *address,
            FieldDef("BillingAddress", "address"),
            FieldDef("Loc__Latitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__Longitude__s", "double", custom=True, compound_field_name="Loc__c"),
            FieldDef("Loc__c", "location", custom=True),
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
            FieldDef("LastName", "string"),
            FieldDef("Name", "string"),
            FieldDef("AccountId", "reference", reference_to=("Account",), relationship_name="Account"),
        ),
    )
    task = ObjectDef(
        "Task",
        "00T",
        "Task",
        "Tasks",
        (
            FieldDef("Id", "id"),
            FieldDef("WhoId", "reference", reference_to=("Contact", "User"), relationship_name="Who"),
        ),
    )
    return OrgSchema([account, user, contact, task])


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    install_functions(db)
    return db


def compiled(schema: OrgSchema, soql: str):
    return compile_query(parse(soql), schema, soql=soql, now_ms=0, include_deleted=False)


def render(conn, schema, soql: str, row: tuple, shape: Shape) -> bytes:
    """The record SQLite writes for `row`, bound as the query's column values."""
    query = compiled(schema, soql)
    assert len(row) == len(query.columns)
    record = record_sql(query.columns, [f"?{i + 1}" for i in range(len(row))], shape)
    return conn.execute(f"SELECT CAST({record} AS BLOB)", row).fetchone()[0]


def attributes(sobject: str, record_id: str, version: str = "59.0") -> dict:
    return {"type": sobject, "url": f"/services/data/v{version}/sobjects/{sobject}/{record_id}"}


def csv_line(values: list[str]) -> bytes:
    return quote_row(values, ",", "").encode()


SCALARS = "SELECT Id, Name, IsDeleted, NumberOfEmployees, AnnualRevenue, CreatedDate, Founded__c, Opens__c, Regions__c FROM Account"
SCALAR_ROW = (ACC, ACC, "Acme", 1, 120, 5000000.0, JAN_1_2024 + 5, "2024-02-29", "08:30:00.000Z", "a;b")


# --- REST ---------------------------------------------------------------------------------------------
def test_rest_scalars(conn, schema):
    assert render(conn, schema, SCALARS, SCALAR_ROW, REST) == orjson.dumps(
        {
            "attributes": attributes("Account", ACC),
            "Id": ACC,
            "Name": "Acme",
            "IsDeleted": True,
            "NumberOfEmployees": 120,
            "AnnualRevenue": 5000000.0,
            "CreatedDate": "2024-01-01T00:00:00.005+0000",
            "Founded__c": "2024-02-29",
            "Opens__c": "08:30:00.000Z",
            "Regions__c": "a;b",
        }
    )


def test_rest_nulls_stay_null(conn, schema):
    record = orjson.loads(render(conn, schema, SCALARS, (ACC, ACC, None, 0, *[None] * 6), REST))
    assert [record[k] for k in list(record)[2:]] == [None, False, None, None, None, None, None, None]


def test_rest_url_carries_the_api_version(conn, schema):
    record = orjson.loads(render(conn, schema, "SELECT Id FROM Account", (ACC, ACC), Shape("rest", "62.0")))
    assert record["attributes"] == attributes("Account", ACC, "62.0")


def test_rest_parent_record(conn, schema):
    soql = "SELECT LastName, Account.Owner.Name, Account.Name FROM Contact"
    assert render(conn, schema, soql, (CON, "Doe", ACC, USR, "Ursula", "Acme"), REST) == orjson.dumps(
        {
            "attributes": attributes("Contact", CON),
            "LastName": "Doe",
            "Account": {
                "attributes": attributes("Account", ACC),
                "Owner": {"attributes": attributes("User", USR), "Name": "Ursula"},
                "Name": "Acme",
            },
        }
    )


def test_rest_missing_parent_is_null(conn, schema):
    record = render(conn, schema, "SELECT Account.Name FROM Contact", (CON, None, None), REST)
    assert orjson.loads(record)["Account"] is None


def test_rest_missing_grandparent_is_null_inside_the_parent(conn, schema):
    record = render(conn, schema, "SELECT Account.Owner.Name FROM Contact", (CON, ACC, None, None), REST)
    assert orjson.loads(record)["Account"]["Owner"] is None


def test_rest_polymorphic_parent_type_comes_from_the_row(conn, schema):
    record = render(conn, schema, "SELECT Who.Name FROM Task", (TSK, USR, "User", "Ursula"), REST)
    assert orjson.loads(record)["Who"] == {"attributes": attributes("User", USR), "Name": "Ursula"}


def test_rest_address_in_alphabetical_keys(conn, schema):
    # Components come in key order: city, country, geocodeAccuracy, latitude, longitude, postalCode, state, street.
    row = (ACC, "Paris", "France", None, 48.85, 2.35, "75001", None, "1 Rue")
    record = render(conn, schema, "SELECT BillingAddress FROM Account", row, REST)
    assert record == orjson.dumps(
        {
            "attributes": attributes("Account", ACC),
            "BillingAddress": {
                "city": "Paris",
                "country": "France",
                "geocodeAccuracy": None,
                "latitude": 48.85,
                "longitude": 2.35,
                "postalCode": "75001",
                "state": None,
                "street": "1 Rue",
            },
        }
    )


def test_rest_address_with_no_component_is_null(conn, schema):
    record = render(conn, schema, "SELECT BillingAddress FROM Account", (ACC, *[None] * 8), REST)
    assert orjson.loads(record)["BillingAddress"] is None


def test_rest_location(conn, schema):
    record = render(conn, schema, "SELECT Loc__c FROM Account", (ACC, 48.85, 2.35), REST)
    assert orjson.loads(record)["Loc__c"] == {"latitude": 48.85, "longitude": 2.35}


def test_rest_aggregate_row(conn, schema):
    soql = "SELECT Name, COUNT(Id), MAX(CreatedDate) latest, AVG(AnnualRevenue) FROM Account GROUP BY Name"
    assert render(conn, schema, soql, ("Acme", 3, JAN_1_2024, 2.5), REST) == orjson.dumps(
        {
            "attributes": {"type": "AggregateResult"},
            "Name": "Acme",
            "expr0": 3,
            "latest": "2024-01-01T00:00:00.000+0000",
            "expr1": 2.5,
        }
    )


# --- CSV ----------------------------------------------------------------------------------------------
def test_csv_values(conn, schema):
    assert render(conn, schema, SCALARS, SCALAR_ROW, CSV) == csv_line(
        [
            ACC,
            "Acme",
            "true",
            "120",
            "5000000.0",
            "2024-01-01T00:00:00.005Z",
            "2024-02-29",
            "08:30:00.000Z",
            "a;b",
        ]
    )


def test_csv_nulls_are_empty(conn, schema):
    assert render(conn, schema, SCALARS, (ACC, ACC, *[None] * 8), CSV) == csv_line([ACC, *[""] * 8])


def test_csv_false_boolean(conn, schema):
    assert render(conn, schema, "SELECT IsDeleted FROM Account", (ACC, 0), CSV) == b'"false"'


def test_csv_quotes_are_doubled_and_the_delimiter_is_the_jobs(conn, schema):
    row = (ACC, ACC, 'say "hi"; bye')
    assert render(conn, schema, "SELECT Id, Name FROM Account", row, Shape("csv", delimiter=";")) == (
        f'"{ACC}";"say ""hi""; bye"'.encode()
    )


def test_csv_header_uses_dotted_paths(schema):
    assert csv_header(compiled(schema, "SELECT Id, Account.Owner.Name FROM Contact").columns) == [
        "Id",
        "Account.Owner.Name",
    ]


def test_csv_relationship_values_without_parent_are_empty(conn, schema):
    row = (CON, CON, None, None)
    assert render(conn, schema, "SELECT Id, Account.Name FROM Contact", row, CSV) == csv_line([CON, ""])


# --- Bulk 1.0 -----------------------------------------------------------------------------------------
def test_bulk1_dates_and_datetimes_are_epoch_milliseconds(conn, schema):
    soql = "SELECT CreatedDate, Founded__c, IsDeleted FROM Account"
    record = orjson.loads(render(conn, schema, soql, (ACC, JAN_1_2024 + 5, "2024-01-01", 0), BULK1))
    assert (record["CreatedDate"], record["Founded__c"], record["IsDeleted"]) == (
        JAN_1_2024 + 5,
        JAN_1_2024,
        False,
    )


def test_bulk1_null_date_stays_null(conn, schema):
    record = orjson.loads(render(conn, schema, "SELECT Founded__c FROM Account", (ACC, None), BULK1))
    assert record["Founded__c"] is None


def test_bulk1_keeps_attributes(conn, schema):
    record = orjson.loads(render(conn, schema, "SELECT Id FROM Account", (ACC, ACC), BULK1))
    assert record["attributes"] == attributes("Account", ACC)


# --- wide records -------------------------------------------------------------------------------------
def test_records_wider_than_one_sql_call(conn):
    # json_object takes 63 pairs and printf 126 values: wider records are assembled from several calls.
    fields = tuple(FieldDef(f"F{i}__c", "string", custom=True) for i in range(150))
    wide = OrgSchema(
        [ObjectDef("Wide__c", "a00", "Wide", "Wides", (FieldDef("Id", "id"), *fields), custom=True)]
    )
    soql = f"SELECT {', '.join(f.name for f in fields)} FROM Wide__c"
    values = tuple(None if i % 7 == 0 else f"v{i}" for i in range(150))
    row = ("a00000000000001AAA", *values)
    expected = {"attributes": attributes("Wide__c", row[0])} | {
        f.name: v for f, v in zip(fields, values, strict=True)
    }
    assert render(conn, wide, soql, row, REST) == orjson.dumps(expected)
    assert render(conn, wide, soql, row, CSV) == csv_line([v or "" for v in values])


# --- every stored type, SQL against Python ------------------------------------------------------------
def _datetime_text(ms: int, zone: str) -> str:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    return moment.isoformat(timespec="milliseconds")[:23] + zone


def python_json(kind: str, value: object, fmt: str) -> object:
    """The value a REST (or Bulk 1.0) record holds for a stored value, as the Python shaper made it."""
    if value is None:
        return None
    if kind == "boolean":
        return {0: False, 1: True}[value]
    if kind == "datetime":
        return value if fmt == "bulk1" else _datetime_text(value, "+0000")
    if kind == "date" and fmt == "bulk1":
        return (
            datetime.fromisoformat(value).replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)
        ) // timedelta(milliseconds=1)
    return value


def python_csv(kind: str, value: object) -> str:
    """The text a Bulk CSV cell holds for a stored value, as the Python shaper made it."""
    if value is None:
        return ""
    if kind == "boolean":
        return {0: "false", 1: "true"}[value]
    if kind == "datetime":
        return _datetime_text(value, "Z")
    return str(value)


def _floats() -> list[float]:
    edges = [
        0.0, -0.0, 1.0, -1.0, 0.5, 5000000.0, 0.1, 0.1 + 0.2, 1 / 3, 2.675, 0.125, -0.005, 1234.56, -1234.56,
        48.946478, -75.09287, 1e-4, 0.00012, 9.99999e-5, 1e-5, 1.5e-7, 123456789.123456, 999999999.999999,
        1e9 - 0.5, 1e9 + 0.5, 1e13 + 0.01, 99999999999999.9, 1e15 - 1, 1e15, 1e16, 2.0**53, -(2.0**53),
        1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, math.inf, -math.inf, 0.000100000000000001,
        123456.7890125, 0.1234565, 7.000001, 7.0000005,
    ]  # fmt: skip
    rng = random.Random(20240229)
    drawn = []
    for _ in range(1500):
        decimals = rng.randint(0, 9)
        magnitude = 10.0 ** rng.randint(-6, 15)
        drawn.append(round(rng.uniform(-magnitude, magnitude), decimals))
    for _ in range(500):
        (value,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        if not math.isnan(value):
            drawn.append(value)
    return edges + drawn


def _datetimes() -> list[int]:
    edges = [
        0, 1, -1, 999, 1000, 1001, -999, -1000, -1001, JAN_1_2024, JAN_1_2024 + 1, JAN_1_2024 + 999,
        JAN_1_2024 - 1, 1_709_251_199_999, 1_709_251_200_000, 253_402_300_799_999, -62_135_596_800_000,
        951_782_400_000, 4_107_542_399_001,
    ]  # fmt: skip
    rng = random.Random(7)
    return edges + [rng.randint(-62_135_596_800_000, 253_402_300_799_999) for _ in range(1000)]


TEXTS = [
    "", "plain", 'quote " inside', '""', "comma, and\nnewline\r\nend", "tab\tand back\\slash", "unicode é 日本 🎉",
    "control \x01\x08\x0c\x1f\x7f", "line sep \u2028 para \u2029", "'single'", "%s %w %% %d", "trailing ",
    "{\"json\": [1, 2]}", "a;b;c", "08:30:00.000Z",
]  # fmt: skip
PROBES = {
    "string": TEXTS,
    "textarea": TEXTS,
    "multipicklist": ["a", "a;b;c", "x y;z"],
    "time": ["00:00:00.000Z", "08:30:15.250Z", "23:59:59.999Z"],
    "double": _floats(),
    "currency": [0.0, 1.0, 1234.56, -0.01, 99.99, 1e12 + 0.25, 12345678.9],
    "percent": [0.0, 12.5, 100.0, 33.333333, 1e-7],
    "int": [0, 1, -1, 2**31 - 1, -(2**31), 2.5, 7.0],
    "long": [0, 2**53 + 1, 2**63 - 1, -(2**63)],
    "boolean": [0, 1],
    "date": ["2024-02-29", "1969-12-31", "1970-01-01", "0001-01-01", "9999-12-31"],
    "datetime": _datetimes(),
}


@pytest.fixture(scope="module")
def probe() -> tuple[sqlite3.Connection, OrgSchema]:
    """A real table holding every probe value under its field's storage affinity."""
    fields = tuple(FieldDef(f"{kind.capitalize()}__c", kind, custom=True) for kind in PROBES)
    obj = ObjectDef("Probe__c", "a01", "Probe", "Probes", (FieldDef("Id", "id"), *fields), custom=True)
    db = sqlite3.connect(":memory:")
    install_functions(db)
    tables = RecordTables(db)
    tables.ensure_table(obj)
    counter = 0
    rows = []
    for field in fields:
        for value in [None, *PROBES[field.type]]:
            counter += 1
            rows.append((f"a01{counter:012d}AAA", field.name, value))
    for record_id, name, value in rows:
        tables.insert_many(obj, ["Id", name], [(record_id, value)])
    return db, OrgSchema([obj])


def _stored_and_rendered(probe, kind: str, shape: Shape) -> list[tuple[str, object, bytes]]:
    db, schema = probe
    name = f"{kind.capitalize()}__c"
    query = compiled(schema, f"SELECT Id, {name} FROM Probe__c WHERE {name} != null ORDER BY Id")
    raw = query.select(", ".join(query.exprs[1:]))
    stored = db.execute(raw, query.params).fetchall()
    rendered = db.execute(
        query.select(record_sql(query.columns, query.exprs, shape)), query.params
    ).fetchall()
    nulls = compiled(schema, f"SELECT Id, {name} FROM Probe__c WHERE {name} = null LIMIT 1")
    stored += db.execute(nulls.select(", ".join(nulls.exprs[1:])), nulls.params).fetchall()
    rendered += db.execute(
        nulls.select(record_sql(nulls.columns, nulls.exprs, shape)), nulls.params
    ).fetchall()
    return [(record_id, value, text) for (record_id, value), (text,) in zip(stored, rendered, strict=True)]


@pytest.mark.parametrize("kind", list(PROBES))
def test_rest_values_are_what_python_writes(probe, kind):
    name = f"{kind.capitalize()}__c"
    for record_id, value, text in _stored_and_rendered(probe, kind, REST):
        expected = {
            "attributes": attributes("Probe__c", record_id),
            "Id": record_id,
            name: python_json(kind, value, "rest"),
        }
        assert text.encode() == orjson.dumps(expected), (kind, value)


@pytest.mark.parametrize("kind", list(PROBES))
def test_bulk1_values_are_what_python_writes(probe, kind):
    name = f"{kind.capitalize()}__c"
    for record_id, value, text in _stored_and_rendered(probe, kind, BULK1):
        expected = {
            "attributes": attributes("Probe__c", record_id),
            "Id": record_id,
            name: python_json(kind, value, "bulk1"),
        }
        assert text.encode() == orjson.dumps(expected), (kind, value)


@pytest.mark.parametrize("kind", list(PROBES))
def test_csv_values_are_what_python_writes(probe, kind):
    for record_id, value, text in _stored_and_rendered(probe, kind, CSV):
        assert text.encode() == csv_line([record_id, python_csv(kind, value)]), (kind, value)


def test_rest_numbers_parse_back_to_the_stored_values(probe):
    for _, value, text in _stored_and_rendered(probe, "double", REST):
        parsed = orjson.loads(text)["Double__c"]
        assert parsed == value or (value is not None and math.isinf(value) and parsed is None)


def test_csv_numbers_parse_back_to_the_stored_values(probe):
    for _, value, text in _stored_and_rendered(probe, "double", CSV):
        cell = text.rsplit(",", 1)[1].strip('"')
        assert (float(cell) if cell else None) == value
