"""Result sets: records rendered once at first execution, then read page by page from the temp table."""

import orjson
import pytest

from sf_emulator.registry import OrgRegistry
from sf_emulator.store.errors import SalesforceError
from sf_emulator.store.ids import make_id
from sf_emulator.store.org import Org
from sf_emulator.store.shape import Shape

ROWS = 2_500
CSV = Shape("csv")


@pytest.fixture
def org() -> Org:
    registry = OrgRegistry(None)
    org = registry.create_org()
    account = org.schema.require("Account")
    with org.transaction():
        org.tables.insert_many(
            account, ["Id", "Name"], [(make_id("001", n), f"Acme {n:05d}") for n in range(1, ROWS + 1)]
        )
    yield org
    registry.close()


def names(org: Org, result, start: int, count: int) -> list[str]:
    text = org.result_text(result, start, count, "\n").decode()
    return [line.strip('"') for line in text.split("\n")] if text else []


def stored_rows(org: Org) -> int:
    return org.conn.execute("SELECT COUNT(*) FROM temp._records").fetchone()[0]


def test_pages_of_any_size_join_to_the_whole_result(org):
    result = org.open_result_set("SELECT Name FROM Account", include_deleted=False, shape=CSV)
    pages = [names(org, result, start, 700) for start in range(0, ROWS, 700)]
    assert result.total == ROWS
    assert [name for page in pages for name in page] == [f"Acme {n:05d}" for n in range(1, ROWS + 1)]


def test_pages_keep_the_query_order(org):
    result = org.open_result_set(
        "SELECT Name FROM Account ORDER BY Name DESC", include_deleted=False, shape=CSV
    )
    assert names(org, result, 0, 2) == ["Acme 02500", "Acme 02499"]
    assert names(org, result, ROWS - 1, 5) == ["Acme 00001"]


def test_a_page_past_the_end_is_empty(org):
    result = org.open_result_set("SELECT Name FROM Account", include_deleted=False, shape=CSV)
    assert org.result_text(result, ROWS, 2000, "\n") == b""


def test_later_writes_do_not_reach_a_result_set(org):
    result = org.open_result_set("SELECT Name FROM Account", include_deleted=False, shape=CSV)
    first_id = make_id("001", 1)
    org.update("Account", first_id, {"Name": "Renamed"})
    org.delete("Account", make_id("001", 2))
    org.create("Account", {"Name": "Newcomer"})
    assert names(org, result, 0, 2) == ["Acme 00001", "Acme 00002"]
    assert result.total == ROWS


def test_closing_a_result_set_frees_its_rows_and_leaves_the_others(org):
    first = org.open_result_set("SELECT Name FROM Account", include_deleted=False, shape=CSV)
    second = org.open_result_set("SELECT Id FROM Account LIMIT 10", include_deleted=False, shape=CSV)
    org.close_result_set(first.locator)
    assert stored_rows(org) == 10
    assert names(org, second, 0, 1) == [make_id("001", 1)]


def test_result_sets_opened_in_a_rolled_back_transaction_are_forgotten(org):
    kept = org.open_result_set(
        "SELECT Name FROM Account LIMIT 3", include_deleted=False, shape=CSV, pinned=True
    )
    with pytest.raises(RuntimeError), org.transaction():
        lost = org.open_result_set("SELECT Name FROM Account", include_deleted=False, shape=CSV)
        raise RuntimeError("roll back")
    with pytest.raises(SalesforceError) as caught:
        org.result_set(lost.locator)
    assert (caught.value.error_code, stored_rows(org)) == ("INVALID_QUERY_LOCATOR", 3)
    assert names(org, kept, 0, 3) == ["Acme 00001", "Acme 00002", "Acme 00003"]


def test_rest_pages_are_json_with_the_locator_of_the_next_one(org):
    page = orjson.loads(
        orjson.dumps(
            org.query("SELECT Name FROM Account", include_deleted=False, batch_size=None, api_version="59.0")
        )
    )
    assert (page["totalSize"], page["done"], len(page["records"])) == (ROWS, False, 2000)
    locator, offset = page["nextRecordsUrl"].rsplit("/", 1)[1].split("-")
    last = orjson.loads(
        orjson.dumps(org.query_more(locator, int(offset), batch_size=None, api_version="59.0"))
    )
    assert (last["done"], len(last["records"]), last["records"][-1]["Name"]) == (True, 500, "Acme 02500")
    assert stored_rows(org) == 0


def test_count_query_holds_no_rows(org):
    page = org.query(
        "SELECT COUNT() FROM Account", include_deleted=False, batch_size=None, api_version="59.0"
    )
    assert (page["totalSize"], orjson.loads(orjson.dumps(page))["records"], stored_rows(org)) == (ROWS, [], 0)


def test_retrieve_is_the_rest_record(org):
    account = org.schema.require("Account")
    record = orjson.loads(orjson.dumps(org.retrieve(account, make_id("001", 7), ["Name"], "59.0")))
    assert record == {
        "attributes": {
            "type": "Account",
            "url": f"/services/data/v59.0/sobjects/Account/{make_id('001', 7)}",
        },
        "Name": "Acme 00007",
    }
