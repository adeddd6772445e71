"""Warehouse settings: which URLs work, and errors that name the setting without leaking the password."""

import pytest

from sf_assets.warehouse import (
    Warehouse,
    WarehouseConfigError,
    WarehouseConnectionError,
    mask_url,
    warehouse_kind,
)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url at all", "is not a database URL"),
        ("mysql://user:secret@db/warehouse", "names a 'mysql' database"),
        ("postgresql+psycopg://user:secret@db/warehouse", "uses driver 'psycopg'"),
        ("sqlite://", "must name a SQLite file"),
    ],
)
def test_unusable_urls_name_the_setting(url: str, message: str):
    with pytest.raises(WarehouseConfigError, match=message) as caught:
        Warehouse(url)

    assert "SF_ASSETS_WAREHOUSE_URL" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_nothing_connects_until_first_use_and_failures_mask_the_password():
    warehouse = Warehouse("postgresql+psycopg2://sync:s3cret@127.0.0.1:1/warehouse")
    assert repr(warehouse) == "Warehouse(postgresql+psycopg2://sync:***@127.0.0.1:1/warehouse)"

    with pytest.raises(WarehouseConnectionError, match="SF_ASSETS_WAREHOUSE_URL") as caught:
        warehouse.table_exists("sfdc_prod", "accounts")

    assert "sync:***@127.0.0.1:1" in str(caught.value) and "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "kind"),
    [(None, "sqlite"), ("sqlite:////tmp/w.db", "sqlite"), ("postgresql+psycopg2://u@h/db", "postgres")],
)
def test_warehouse_kind_reads_the_setting_only(url: str | None, kind: str):
    assert warehouse_kind(url) == kind


def test_mask_url_hides_passwords_and_unparsable_text():
    assert mask_url("postgresql+psycopg2://u:pw@h/db") == "postgresql+psycopg2://u:***@h/db"
    assert mask_url("pw-only-garbage") == "<not a database URL>"
