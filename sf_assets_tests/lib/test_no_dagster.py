"""`sf_assets/lib/` is pure logic: nothing in it may import Dagster."""

import ast
from pathlib import Path

import sf_assets.lib

LIB = Path(sf_assets.lib.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_lib_modules_do_not_import_dagster():
    offenders = {
        path.name: sorted(m for m in _imported_modules(path) if m.split(".")[0] == "dagster")
        for path in LIB.rglob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}
    assert len(offenders) >= 5
