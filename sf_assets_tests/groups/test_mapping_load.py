import json
import shutil
from pathlib import Path

import pytest

from sf_assets.groups.mapping import load_mapping_file, load_project_mapping, relation_object
from sf_assets.lib.mapping import PropertyMapping, PropertyOp
from sf_assets.lib.mapping_rules import MappingError, canonical_json
from sf_assets.project import build_definitions
from sf_assets.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]

CONFIG = """
catalog_dir: catalog
instances:
  sfdc_demo:
    auth: {mode: session, session_id_env: SFDC_DEMO_SESSION_ID}
    instance_url: https://127.0.0.1:8443
"""


def project(tmp_path: Path, groups: str = "groups: {mapping: mappings/groups.json}\n") -> Settings:
    """A project over the demo org's catalog snapshot (no org needed), with `groups` config."""
    (tmp_path / "catalog").mkdir(exist_ok=True)
    shutil.copy(REPO / "catalog" / "sfdc_demo.json", tmp_path / "catalog" / "sfdc_demo.json")
    (tmp_path / "sf_assets.yaml").write_text(CONFIG + groups)
    return load_settings(tmp_path / "sf_assets.yaml")


def write_mapping(settings: Settings, document: dict | str) -> Path:
    path = settings.groups.mapping
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=2))
    return path


def demo_document() -> dict:
    return json.loads((REPO / "mappings" / "demo.json").read_text())


def test_no_mapping_configured_means_no_relations(tmp_path):
    assert load_project_mapping(project(tmp_path, groups="")) is None


def test_the_demo_mapping_loads_from_the_project_config_and_is_canonical():
    settings = load_settings(REPO / "sf_assets.yaml")
    mapping = load_project_mapping(settings)
    companies = mapping.relation("companies")
    assert (companies.instance, companies.sobject, companies.group_type, companies.group_name_field) == (
        "sfdc_demo",
        "Account",
        "company",
        "Id",
    )
    assert companies.properties == (
        PropertyMapping("Name", "Name", PropertyOp.SET),
        PropertyMapping("Industry", "Industry", PropertyOp.SET),
        PropertyMapping("AnnualRevenue", "Annual Revenue", PropertyOp.SET),
        PropertyMapping("Active__c", "Active Status", PropertyOp.SET),
    )
    assert (companies.pickup.interval, companies.cadence) == ("weekly", "daily")
    assert canonical_json(mapping) == (REPO / "mappings" / "demo.json").read_text()


def test_relation_object_is_the_collection_from_the_catalog_snapshot(tmp_path):
    settings = project(tmp_path)
    write_mapping(settings, demo_document())
    relation = load_project_mapping(settings).relation("companies")
    spec = relation_object(settings, relation)
    assert (spec.sobject, spec.table) == ("Account", "accounts")
    assert spec.field("Active__c").column.name == "active_c"


def test_a_missing_mapping_file_says_which_setting_names_it(tmp_path):
    settings = project(tmp_path)
    with pytest.raises(MappingError) as info:
        load_project_mapping(settings)
    assert str(info.value).splitlines()[1] == (
        f"  {settings.groups.mapping}: file: no such file; fix groups.mapping in {settings.path} or "
        "install one with `sf-assets mapping import FILE`"
    )


def test_an_invalid_mapping_raises_with_every_problem(tmp_path):
    text = (REPO / "mappings" / "demo.json").read_text()
    text = text.replace('"group_type": "company"', '"group_type": ""').replace('"Active__c"', '"Active_c"')
    settings = project(tmp_path)
    path = write_mapping(settings, text)
    with pytest.raises(MappingError) as info:
        load_project_mapping(settings)
    # Lines 7 and 13 of mappings/demo.json
    assert [(p.where, p.line) for p in info.value.problems] == [
        ("relation 'companies' › group_type", 7),
        ("relation 'companies' › properties[3] (Active_c) › field", 13),
    ]
    assert (
        f"  {path}:13: relation 'companies' › properties[3] (Active_c) › field: no field 'Active_c' on "
        in str(info.value)
    )


def test_a_missing_catalog_snapshot_is_reported_at_the_relation(tmp_path):
    settings = project(tmp_path)
    write_mapping(settings, demo_document())
    (tmp_path / "catalog" / "sfdc_demo.json").unlink()
    with pytest.raises(MappingError) as info:
        load_project_mapping(settings)
    [problem] = info.value.problems
    assert problem.where == "relation 'companies' › source.instance"
    assert problem.message == (
        f"{tmp_path / 'catalog' / 'sfdc_demo.json'}: no catalog snapshot for instance 'sfdc_demo'; "
        "run `sf-assets catalog refresh --instance sfdc_demo`"
    )


def test_any_file_can_be_checked_against_the_project(tmp_path):
    settings = project(tmp_path)
    other = tmp_path / "elsewhere.json"
    other.write_text(json.dumps(demo_document()))
    mapping, warnings = load_mapping_file(settings, other)
    assert [r.name for r in mapping.relations] == ["companies"] and warnings == []


def test_an_invalid_mapping_stops_the_definitions_from_loading(tmp_path, monkeypatch):  # noqa: ANN001
    """The demo project, pointed at a mapping with an unknown field: building definitions fails readably."""
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "catalog", tmp_path / "catalog")
    mapping = json.loads((root / "mappings" / "demo.json").read_text())
    mapping["relations"][0]["properties"][0]["field"] = "Nmae"
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "demo.json").write_text(json.dumps(mapping, indent=2))
    shutil.copy(root / "sf_assets.yaml", tmp_path / "sf_assets.yaml")

    with pytest.raises(MappingError) as raised:
        build_definitions(load_settings(tmp_path / "sf_assets.yaml"))

    assert "Nmae" in str(raised.value) and "relation 'companies'" in str(raised.value)
