"""A CSV page held in a file (a spooled Bulk page) loads exactly as the same page held as bytes."""

from datetime import datetime
from pathlib import Path

from sf_assets.lib.batches import CsvBatch
from sf_assets.warehouse import Warehouse


def _load_twice(warehouse: Warehouse, schema: str, table: str, columns, batch, received_at) -> None:  # noqa: ANN001
    # The first load creates the table (PostgreSQL COPYs into it); the second stages and merges.
    for run_id in ("run-1", "run-2"):
        with warehouse.load(schema, table, columns, run_id=run_id, received_at=received_at) as load:
            load.add(batch)


def test_a_page_in_a_file_loads_as_the_same_page_in_bytes(
    warehouse: Warehouse, schema: str, accounts: dict, received_at: datetime, raw_dump, tmp_path: Path
) -> None:  # noqa: ANN001
    page: CsvBatch = accounts["csv"]
    with open(tmp_path / "page.csv", "w+b") as body:
        body.write(page.data)
        in_file = CsvBatch(page.fields, body, page.rows)

        _load_twice(warehouse, schema, "from_file", accounts["columns"], in_file, received_at)
    _load_twice(warehouse, schema, "from_bytes", accounts["columns"], page, received_at)

    from_file = raw_dump(warehouse, schema, "from_file")
    assert len(from_file[1]) == page.rows == 3
    assert from_file == raw_dump(warehouse, schema, "from_bytes")
