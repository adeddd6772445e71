"""Warehouse fixtures: a SQLite warehouse per test, a PostgreSQL database per session, sample rows.

The PostgreSQL database is created with a unique name on 127.0.0.1:5432 (or the server in
`SF_ASSETS_TEST_PG_URL`) and dropped when the session ends; each test gets its own schema.
"""

import csv
import io
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from sf_assets.lib.batches import CsvBatch, RecordBatch
from sf_assets.lib.types import ColumnSpec, ColumnType
from sf_assets.warehouse import Warehouse

DEFAULT_PG_SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"

ACCOUNT_COLUMNS = [
    ColumnSpec("id", ColumnType.TEXT, "Id"),
    ColumnSpec("name", ColumnType.TEXT, "Name"),
    ColumnSpec("description", ColumnType.TEXT, "Description"),
    ColumnSpec("is_active_c", ColumnType.BOOLEAN, "IsActive__c"),
    ColumnSpec("number_of_employees", ColumnType.INTEGER, "NumberOfEmployees"),
    ColumnSpec("annual_revenue", ColumnType.NUMERIC, "AnnualRevenue", precision=18, scale=2),
    ColumnSpec("score_c", ColumnType.DOUBLE, "Score__c"),
    ColumnSpec("founded_c", ColumnType.DATE, "Founded__c"),
    ColumnSpec("last_activity_c", ColumnType.TIMESTAMP, "LastActivity__c"),
    ColumnSpec("opens_at_c", ColumnType.TIME, "OpensAt__c"),
    ColumnSpec("system_modstamp", ColumnType.TIMESTAMP, "SystemModstamp"),
]
ACCOUNT_FIELDS = tuple(c.sf_name for c in ACCOUNT_COLUMNS)

# REST (JSON) values; the CSV twin of each is made by `to_csv_batch`.
ACCOUNT_RECORDS = [
    {
        "Id": "001000000000001AAA",
        "Name": 'Acme, "Inc"\nsecond line',
        "Description": "",
        "IsActive__c": True,
        "NumberOfEmployees": 250,
        "AnnualRevenue": 1234567.5,
        "Score__c": 0.1,
        "Founded__c": "1999-12-31",
        "LastActivity__c": "2024-05-01T10:20:30.123+0000",
        "OpensAt__c": "09:30:00.000Z",
        "SystemModstamp": "2024-06-01T00:00:00.000+0000",
    },
    {
        "Id": "001000000000002AAA",
        "Name": None,
        "Description": None,
        "IsActive__c": None,
        "NumberOfEmployees": None,
        "AnnualRevenue": None,
        "Score__c": None,
        "Founded__c": None,
        "LastActivity__c": None,
        "OpensAt__c": None,
        "SystemModstamp": "2024-06-01T00:00:01.000+0000",
    },
    {
        "Id": "001000000000003AAA",
        "Name": "NA",
        "Description": "Zoë ☃ 日本語, tab\there",
        "IsActive__c": False,
        "NumberOfEmployees": 0,
        "AnnualRevenue": -0.01,
        "Score__c": 12345.678,
        "Founded__c": "2024-02-29",
        "LastActivity__c": "2023-12-31T23:59:59.999+0000",
        "OpensAt__c": "23:59:59.500Z",
        "SystemModstamp": "2024-06-01T00:00:02.000+0000",
    },
]


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # Bulk CSV writes UTC as "Z" where REST writes "+0000".
    return text[:-5] + "Z" if text.endswith("+0000") else text


def to_csv_batch(fields: tuple[str, ...], records: list[dict]) -> CsvBatch:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    for record in records:
        writer.writerow([_csv_text(record.get(name)) for name in fields])
    return CsvBatch(fields, buffer.getvalue().encode(), len(records))


@pytest.fixture
def csv_batch() -> Callable[..., CsvBatch]:
    """The Bulk CSV page carrying the same values as REST `records`."""
    return to_csv_batch


@pytest.fixture
def accounts() -> dict:
    """Sample Account columns, fields and REST records covering every column type."""
    return {
        "columns": list(ACCOUNT_COLUMNS),
        "fields": ACCOUNT_FIELDS,
        "records": [dict(r) for r in ACCOUNT_RECORDS],
        "rest": RecordBatch(ACCOUNT_FIELDS, [dict(r) for r in ACCOUNT_RECORDS]),
        "csv": to_csv_batch(ACCOUNT_FIELDS, ACCOUNT_RECORDS),
    }


@pytest.fixture
def received_at() -> datetime:
    return datetime(2024, 6, 2, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A PostgreSQL database of its own for this test session, dropped at the end."""
    server = sa.make_url(os.environ.get("SF_ASSETS_TEST_PG_URL", DEFAULT_PG_SERVER))
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    name = f"sf_assets_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL not reachable at {server.render_as_string(hide_password=True)}: {error.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    """The same behaviour tests run against embedded SQLite files and the local PostgreSQL."""
    if request.param == "sqlite":
        built = Warehouse(data_dir=tmp_path / "warehouse")
    else:
        built = Warehouse(request.getfixturevalue("pg_database_url"))
    assert built.url.get_backend_name() == request.param
    yield built
    built.dispose()


@pytest.fixture
def schema() -> str:
    """A schema name of the test's own (the PostgreSQL database is shared by the session)."""
    return f"sfdc_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def raw_dump() -> Callable[[Warehouse, str, str], tuple]:
    """The table exactly as stored: declared columns and the rows' native values, by id."""

    def dump(warehouse: Warehouse, schema: str, table: str) -> tuple:
        with warehouse.dialect.engine.connect() as conn:
            columns = warehouse.dialect.read_columns(conn, schema, table)
            if columns is None:
                return None, []
            rows = conn.execute(
                sa.text(
                    f"SELECT * FROM {warehouse.dialect.table(schema, table)} ORDER BY {warehouse.dialect.order_by_id()}"
                )
            ).all()
        return columns, [tuple(r) for r in rows]

    return dump
