"""`sf_assets/warehouse/` is the plain engine: Dagster only wraps it (`sf_assets.resources.warehouse`)."""

import ast
from pathlib import Path

import sf_assets.warehouse

PACKAGE = Path(sf_assets.warehouse.__file__).parent


def test_warehouse_modules_do_not_import_dagster():
    imported: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        names = imported.setdefault(path.name, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)

    assert {
        name: mods for name, mods in imported.items() if any(m.split(".")[0] == "dagster" for m in mods)
    } == {}
    assert len(imported) >= 6
