from pathlib import Path

import pytest

from sf_assets.cli import build_parser, main
from sf_emulator.store.catalog import DEMO_ORG, build_schema
from sf_emulator.store.describe import global_describe, sobject_describe

CONFIG = """
instances:
  sfdc_demo:
    auth: {mode: session, session_id_env: SFDC_DEMO_SESSION_ID}
    instance_url: https://127.0.0.1:8443
  sfdc_sandbox:
    objects: {include: [Account, subscription_c]}
    auth: {mode: session, session_id_env: SFDC_SANDBOX_SESSION_ID}
    instance_url: https://127.0.0.1:8443
"""


class SchemaDescribeClient:
    """Describes rendered by the emulator's describe module for its demo org, without a server."""

    def __init__(self) -> None:
        self.schema = build_schema(DEMO_ORG)

    def describe_global(self) -> dict:
        return global_describe(self.schema, "59.0")

    def describe(self, sobject: str) -> dict:
        return sobject_describe(self.schema, self.schema.get(sobject), "59.0")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "sf_assets.yaml"
    path.write_text(CONFIG)
    return path


def run(*argv: str) -> int:
    return main(list(argv), client_factory=lambda settings, instance: SchemaDescribeClient())


def test_catalog_refresh_writes_each_instance_snapshot_and_reports_progress(config, capsys):
    assert run("catalog", "refresh", "--config", str(config)) == 0
    out, err = capsys.readouterr()
    assert f"sfdc_demo: 48 collections, 1 skipped → {config.parent / 'catalog' / 'sfdc_demo.json'}" in out
    assert "sfdc_sandbox: 2 collections, 47 skipped" in out
    assert "[48/48] " in err and "[2/2] " in err
    assert (config.parent / "catalog" / "sfdc_sandbox.json").is_file()


def test_catalog_refresh_reports_warnings(config, capsys):
    config.write_text(
        CONFIG.replace("  sfdc_sandbox:", "    objects: {exclude: [Nope__c]}\n  sfdc_sandbox:", 1)
    )
    assert run("catalog", "refresh", "--config", str(config), "--instance", "sfdc_demo") == 0
    assert "  warning: objects.exclude: 'Nope__c' matches no collection or sObject" in capsys.readouterr().out


def test_catalog_refresh_of_one_instance(config, capsys):
    assert run("--config", str(config), "catalog", "refresh", "--instance", "sfdc_sandbox") == 0
    assert not (config.parent / "catalog" / "sfdc_demo.json").exists()
    assert "sfdc_sandbox: 2 collections" in capsys.readouterr().out


def test_catalog_show_lists_collections_and_skipped_objects(config, capsys):
    run("catalog", "refresh", "--config", str(config), "--instance", "sfdc_demo")
    capsys.readouterr()
    assert run("catalog", "show", "--config", str(config), "--instance", "sfdc_demo") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sfdc_demo (schema sfdc_demo): 48 collections, 1 skipped; ")
    assert lines[1].split() == ["table", "sObject", "columns", "cursor", "bulk"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:50]}
    assert rows["accounts"] == ["Account", "65", "SystemModstamp", "yes"]
    assert rows["documents"][-1] == "no"
    assert rows["opportunity_field_history"][2] == "CreatedDate"
    assert lines[50:] == [
        "  skipped:",
        "  names                            Name                         not queryable",
    ]


def test_catalog_show_gives_the_reason_of_each_skipped_object(config, capsys):
    run("catalog", "refresh", "--config", str(config), "--instance", "sfdc_sandbox")
    capsys.readouterr()
    run("catalog", "show", "--config", str(config), "--instance", "sfdc_sandbox")
    out = capsys.readouterr().out
    assert "contacts" in out and "excluded by config (not in objects.include)" in out
    assert "not queryable" not in out


def test_catalog_show_flags_a_snapshot_made_with_another_selection(config, capsys):
    run("catalog", "refresh", "--config", str(config), "--instance", "sfdc_demo")
    config.write_text(
        CONFIG.replace("  sfdc_sandbox:", "    objects: {exclude: [Account]}\n  sfdc_sandbox:", 1)
    )
    capsys.readouterr()
    assert run("catalog", "show", "--config", str(config), "--instance", "sfdc_demo") == 0
    assert "  out of date: " in capsys.readouterr().out


def test_catalog_show_without_a_snapshot_says_to_refresh(config, capsys):
    assert run("catalog", "show", "--config", str(config), "--instance", "sfdc_demo") == 2
    assert "run `sf-assets catalog refresh --instance sfdc_demo`" in capsys.readouterr().err


def test_an_unknown_instance_fails_before_any_call(config, capsys):
    assert (
        run(
            "catalog",
            "refresh",
            "--config",
            str(config),
            "--instance",
            "sfdc_demo",
            "--instance",
            "sfdc_prod",
        )
        == 2
    )
    assert "no instance 'sfdc_prod' (declared: sfdc_demo, sfdc_sandbox)" in capsys.readouterr().err
    assert not (config.parent / "catalog").exists()


def test_a_bad_config_exits_2_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("instances: {sfdc_demo: {cadence: weekly, auth: {mode: session, session_id_env: S}}}\n")
    assert run("catalog", "show", "--config", str(bad)) == 2
    assert capsys.readouterr().err.startswith(f"sf-assets: error: {bad}: instance 'sfdc_demo': key 'cadence'")


def test_the_default_client_reads_secrets_from_the_environment(config, capsys, monkeypatch):
    monkeypatch.delenv("SFDC_DEMO_SESSION_ID", raising=False)
    assert main(["catalog", "refresh", "--config", str(config), "--instance", "sfdc_demo"]) == 2
    assert "SFDC_DEMO_SESSION_ID (instances.sfdc_demo.auth.session_id_env)" in capsys.readouterr().err


def test_catalog_refresh_through_the_salesforce_resource(tmp_path, emulator, org, monkeypatch, capsys):
    config = tmp_path / "sf_assets.yaml"
    config.write_text(
        "instances:\n  sfdc_demo:\n"
        f"    instance_url: {org.instance_url}\n"
        "    ca_bundle_env: TEST_DEMO_CA_BUNDLE\n"
        "    auth: {mode: session, session_id_env: TEST_DEMO_SESSION_ID}\n"
    )
    monkeypatch.setenv("TEST_DEMO_CA_BUNDLE", emulator.ca_bundle)
    monkeypatch.setenv("TEST_DEMO_SESSION_ID", org.session_id)
    monkeypatch.setenv("SF_ASSETS_CONFIG", str(config))
    assert main(["catalog", "refresh"]) == 0
    assert "sfdc_demo: 48 collections, 1 skipped" in capsys.readouterr().out


def test_a_salesforce_refusal_exits_1(tmp_path, emulator, org, monkeypatch, capsys):
    config = tmp_path / "sf_assets.yaml"
    config.write_text(
        f"instances:\n  sfdc_demo:\n    instance_url: {org.instance_url}\n    ca_bundle_env: TEST_CA\n"
        "    auth: {mode: session, session_id_env: TEST_SID}\n"
    )
    monkeypatch.setenv("TEST_CA", emulator.ca_bundle)
    monkeypatch.setenv("TEST_SID", "not-a-session")
    assert main(["catalog", "refresh", "--config", str(config)]) == 1
    assert capsys.readouterr().err.startswith("sf-assets: Salesforce error: ")


def test_command_groups_are_listed_in_help():
    assert "catalog" in build_parser().format_help()
