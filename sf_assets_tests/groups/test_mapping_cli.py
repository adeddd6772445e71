import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from sf_assets.catalog.snapshot import load_snapshot, write_snapshot
from sf_assets.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO = (REPO / "mappings" / "demo.json").read_text()

CONFIG = """
catalog_dir: catalog
instances:
  sfdc_demo:
    auth: {mode: session, session_id_env: SFDC_DEMO_SESSION_ID}
    instance_url: https://127.0.0.1:8443
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A project over the demo catalog snapshot, its mapping at mappings/groups.json (not yet written)."""
    (tmp_path / "catalog").mkdir()
    shutil.copy(REPO / "catalog" / "sfdc_demo.json", tmp_path / "catalog" / "sfdc_demo.json")
    path = tmp_path / "sf_assets.yaml"
    path.write_text(CONFIG + "groups: {mapping: mappings/groups.json}\n")
    return path


def installed(config: Path) -> Path:
    return config.parent / "mappings" / "groups.json"


def run(config: Path, *argv: str) -> int:
    return main([*argv, "--config", str(config)])


# --- validate -------------------------------------------------------------------------------------------
def test_validate_a_valid_file(config, tmp_path, capsys):
    (tmp_path / "demo.json").write_text(DEMO)
    assert run(config, "mapping", "validate", str(tmp_path / "demo.json")) == 0
    out, err = capsys.readouterr()
    assert out == f"{tmp_path / 'demo.json'}: valid: 1 relation, 4 properties\n"
    assert err == ""


def test_validate_prints_warnings(config, tmp_path, capsys):
    path = tmp_path / "by_name.json"
    path.write_text(DEMO.replace('"group_name_field": "Id"', '"group_name_field": "Name"'))
    assert run(config, "mapping", "validate", str(path)) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: valid: 1 relation, 4 properties",
        f"  {path}:8: warning: relation 'companies' › group_name_field: Name is not a unique field in "
        "Salesforce (neither the Id nor an external ID): records sharing a value become one group and "
        "overwrite each other's properties; prefer Id or a unique external ID, and run "
        "`sf-assets mapping verify` to check the data",
    ]


def test_validate_lists_every_problem_and_exits_2(config, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(DEMO.replace('"weekly"', '"fortnightly"').replace('"Industry", "op"', '"Name", "op"'))
    assert run(config, "mapping", "validate", str(path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"sf-assets: error: {path}: the group-property mapping is invalid (2 errors); fix every one, then "
        f"check again with `sf-assets mapping validate {path}`:",
        f"  {path}:11: relation 'companies' › properties[1] (Industry) › property: property 'Name' already "
        "comes from field Name (properties[0], line 10); two fields in one property would overwrite each other",
        f"  {path}:17: relation 'companies' › pickup.interval: must be one of daily, weekly, monthly, "
        'every_n_days; got "fortnightly"',
    ]


def test_validate_invalid_json_gives_line_and_column(config, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text(DEMO.replace('"cadence": "daily"', '"cadence": "daily",'))
    assert run(config, "mapping", "validate", str(path)) == 2
    assert (
        f"  {path}:19: JSON: not valid JSON: Expecting property name enclosed in double quotes "
        "(line 19, column 5)"
    ) in capsys.readouterr().err


def test_validate_a_missing_file(config, tmp_path, capsys):
    assert run(config, "mapping", "validate", str(tmp_path / "nope.json")) == 2
    assert f"  {tmp_path / 'nope.json'}: file: no such file\n" in capsys.readouterr().err


# --- export and import ------------------------------------------------------------------------------------
def test_export_prints_the_installed_mapping(config, capsys):
    installed(config).parent.mkdir()
    installed(config).write_text(DEMO)
    assert run(config, "mapping", "export") == 0
    assert capsys.readouterr().out == DEMO


def test_export_to_a_file(config, tmp_path, capsys):
    installed(config).parent.mkdir()
    installed(config).write_text(DEMO)
    assert run(config, "mapping", "export", "--output", str(tmp_path / "out" / "copy.json")) == 0
    assert (tmp_path / "out" / "copy.json").read_text() == DEMO
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"exported 1 relation, 4 properties → {tmp_path / 'out' / 'copy.json'}\n")


def test_export_without_a_configured_mapping_exits_2(config, capsys):
    config.write_text(CONFIG)
    assert run(config, "mapping", "export") == 2
    assert capsys.readouterr().err == (
        f"sf-assets: error: {config}: key 'groups.mapping': not set: name the file that holds the "
        "project's mapping (groups: {mapping: mappings/groups.json})\n"
    )


def test_export_of_an_invalid_installed_mapping_exits_2(config, capsys):
    installed(config).parent.mkdir()
    installed(config).write_text(DEMO.replace('"version": 1', '"version": 2'))
    assert run(config, "mapping", "export") == 2
    assert f"{installed(config)}:2: version: must be 1" in capsys.readouterr().err


LOOSE = """{
  "relations": [{
    "cadence": "hourly",
    "name": "companies",
    "group_type": "company",
    "source": {"table": "ACCOUNTS", "instance": "sfdc_demo"},
    "group_name_field": "id",
    "properties": [{"property": "Name", "field": "name"}, {"field": "tier__c", "property": "Tier", "op": "set_once"}],
    "filter": [{"op": "not_in", "field": "type", "value": ["Other"]}],
    "pickup": {"every_days": 3, "interval": "every_n_days"}
  }],
  "version": 1
}"""

CANONICAL_LOOSE = """{
  "version": 1,
  "relations": [
    {
      "name": "companies",
      "source": {"instance": "sfdc_demo", "object": "Account"},
      "group_type": "company",
      "group_name_field": "Id",
      "properties": [
        {"field": "Name", "property": "Name", "op": "set"},
        {"field": "Tier__c", "property": "Tier", "op": "set_once"}
      ],
      "create_unseen_groups": true,
      "filter": [
        {"field": "Type", "op": "not_in", "value": ["Other"]}
      ],
      "pickup": {"interval": "every_n_days", "every_days": 3},
      "cadence": "hourly"
    }
  ]
}
"""


def test_import_validates_then_installs_the_canonical_form(config, tmp_path, capsys):
    path = tmp_path / "loose.json"
    path.write_text(LOOSE)
    assert run(config, "mapping", "import", str(path)) == 0
    assert installed(config).read_text() == CANONICAL_LOOSE
    assert capsys.readouterr().out == f"installed {path} → {installed(config)}: 1 relation, 2 properties\n"


def test_export_import_export_round_trips_byte_for_byte(config, tmp_path, capsys):
    (tmp_path / "loose.json").write_text(LOOSE)
    assert run(config, "mapping", "import", str(tmp_path / "loose.json")) == 0
    assert run(config, "mapping", "export", "--output", str(tmp_path / "first.json")) == 0
    assert run(config, "mapping", "import", str(tmp_path / "first.json")) == 0
    assert run(config, "mapping", "export", "--output", str(tmp_path / "second.json")) == 0
    first, second = (tmp_path / "first.json").read_bytes(), (tmp_path / "second.json").read_bytes()
    assert first == second == installed(config).read_bytes() == CANONICAL_LOOSE.encode()


def test_import_of_an_invalid_file_keeps_the_installed_mapping(config, tmp_path, capsys):
    installed(config).parent.mkdir()
    installed(config).write_text(DEMO)
    (tmp_path / "bad.json").write_text(DEMO.replace('"company"', '""'))
    assert run(config, "mapping", "import", str(tmp_path / "bad.json")) == 2
    assert "relation 'companies' › group_type: must be a non-empty string" in capsys.readouterr().err
    assert installed(config).read_text() == DEMO


def test_import_without_a_configured_mapping_exits_2(config, capsys):
    config.write_text(CONFIG)
    assert run(config, "mapping", "import", str(REPO / "mappings" / "demo.json")) == 2
    assert "key 'groups.mapping': not set" in capsys.readouterr().err


# --- verify against an emulated org ----------------------------------------------------------------------
def mapping_document(**relation: object) -> dict:
    document = json.loads(DEMO)
    document["relations"][0]["source"]["instance"] = "sfdc_prod"
    document["relations"][0].update(relation)
    return document


@pytest.fixture
def verify(make_project, org, tmp_path):  # noqa: ANN201
    """`verify(document)`: a project over the `org` fixture's org, with `document` as its mapping."""

    def make(document: dict):  # noqa: ANN202
        path = tmp_path / "mappings" / "groups.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(document, indent=2))
        return make_project({"sfdc_prod": org}, extra={"groups": {"mapping": str(path)}})

    return make


def accounts(sf, *records: dict) -> list[str]:  # noqa: ANN001
    return [sf.Account.create(record)["id"] for record in records]


def verify_output(project, capsys, *argv: str) -> tuple[int, list[str]]:  # noqa: ANN001
    code = main(["mapping", "verify", "--config", str(project.settings.path), *argv])
    return code, capsys.readouterr().out.splitlines()


def test_verify_passes_on_clean_data(verify, sf, capsys):
    accounts(
        sf,
        {"Name": "Acme", "Industry": "Energy", "AnnualRevenue": 1200000, "Active__c": "Yes"},
        {"Name": "Globex", "Industry": "Banking"},
        {"Name": "Initech"},
    )
    project = verify(mapping_document())
    code, out = verify_output(project, capsys)
    assert out == [
        "relation 'companies': sfdc_prod Account → group type 'company', 3 records checked",
        "  ok    5 fields readable: Id, Name, Industry, AnnualRevenue, Active__c",
        "  ok    group name Id: 3 values, non-empty and unique",
        "  ok    values of 4 synced fields convert to their types",
        "verify: ok (1 relation)",
    ]
    assert code == 0


def test_verify_counts_empty_and_shared_group_names(verify, sf, emulator, org, capsys):
    ids = accounts(
        sf,
        {"Name": "A", "Site": "HQ"},
        {"Name": "B", "Site": "HQ"},
        {"Name": "C"},
        {"Name": "D", "Site": "Branch"},
        {"Name": "E", "Site": "Plant"},
    )
    # Data changed in the org after the mapping was written: one more duplicate, one more empty.
    emulator.control.mutate(org.org_id, "update", "Account", ids=[ids[3]], values={"Site": "HQ"})
    emulator.control.mutate(org.org_id, "update", "Account", ids=[ids[4]], values={"Site": "  "})
    project = verify(mapping_document(group_name_field="Site"))
    code, out = verify_output(project, capsys, "--relation", "companies")
    assert out[1:4] == [
        "  ok    6 fields readable: Id, Site, Name, Industry, AnnualRevenue, Active__c",
        f"  FAIL  group name Site: 2 records with an empty value (skipped), e.g. {ids[2]}, {ids[4]}",
        "  FAIL  group name Site: 1 value shared by several records, whose groups would overwrite each "
        f"other, e.g. 'HQ' (3 records: {ids[0]}, {ids[1]}, {ids[3]})",
    ]
    assert out[-1] == "verify: 2 problems in 1 relation; fix the data or the mapping"
    assert code == 1


def test_verify_names_fields_the_org_refuses(verify, sf, capsys):
    accounts(sf, {"Name": "Acme"})
    project = verify(mapping_document())
    # The snapshot knows a field the org does not (deleted since, or hidden from this user).
    edit_account_fields(project, lambda fields: fields + [ghost_field()])
    document = mapping_document()
    document["relations"][0]["properties"].append({"field": "Ghost__c", "property": "Ghost"})
    project.settings.groups.mapping.write_text(json.dumps(document))
    code, out = verify_output(project, capsys)
    assert out[1] == (
        "  FAIL  Ghost__c: not readable: No such column 'Ghost__c' on entity 'Account'. If you are "
        "attempting to use a custom field, be sure to append the '__c' after the custom field name. "
        "Please reference your WSDL or the describe call for the appropriate names. (INVALID_FIELD)"
    )
    assert out[2:4] == [
        "  ok    group name Id: 1 value, non-empty and unique",
        "  ok    values of 4 synced fields convert to their types",
    ]
    assert code == 1


def test_verify_reports_values_that_do_not_convert(verify, sf, capsys):
    ids = accounts(
        sf, {"Name": "Acme", "Site": "12.5"}, {"Name": "Globex", "Site": "HQ"}, {"Name": "Initech"}
    )
    project = verify(mapping_document())
    # The field's type changed in the snapshot (text → number) while the org still holds text.
    edit_account_fields(
        project, lambda fields: [f | {"type": "double"} if f["name"] == "Site" else f for f in fields]
    )
    document = mapping_document()
    document["relations"][0]["properties"].append({"field": "Site", "property": "Site"})
    project.settings.groups.mapping.write_text(json.dumps(document))
    code, out = verify_output(project, capsys)
    assert out[3] == f"  FAIL  Site (double): 1 record not a number, e.g. {ids[1]} ('HQ')"
    assert code == 1


def test_verify_reads_only_the_records_the_filter_keeps(verify, sf, capsys):
    accounts(
        sf,
        {"Name": "A", "Type": "Customer - Direct"},
        {"Name": "B", "Type": "Customer - Channel"},
        {"Name": "O'Brien", "Type": "Customer - Direct"},
        {"Name": "C", "Type": "Prospect"},
        {"Name": "D"},
    )
    project = verify(
        mapping_document(
            filter=[
                {"field": "Type", "op": "in", "value": ["Customer - Direct", "Customer - Channel"]},
                {"field": "Name", "op": "not_equals", "value": "B"},
            ]
        )
    )
    code, out = verify_output(project, capsys)
    assert out[0] == "relation 'companies': sfdc_prod Account → group type 'company', 2 records checked"
    assert code == 0


def test_verify_an_unknown_relation_exits_2(verify, capsys):
    project = verify(mapping_document())
    assert main(["mapping", "verify", "--relation", "nope", "--config", str(project.settings.path)]) == 2
    assert "key '--relation': no relation 'nope' (relations: companies)" in capsys.readouterr().err


def ghost_field() -> dict:
    return {
        "name": "Ghost__c",
        "type": "string",
        "column": "ghost_c",
        "label": "Ghost",
        "calculated": False,
        "nillable": True,
        "externalId": False,
        "referenceTo": [],
        "precision": 0,
        "scale": 0,
        "filterable": True,
    }


def edit_account_fields(project, change) -> None:  # noqa: ANN001
    path = project.settings.catalog_path("sfdc_prod")
    snapshot = load_snapshot(path)
    describes = tuple(
        d | {"fields": change(d["fields"])} if d["name"] == "Account" else d for d in snapshot.describes
    )
    write_snapshot(dataclasses.replace(snapshot, describes=describes), path)
