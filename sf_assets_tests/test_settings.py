from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from sf_assets.settings import (
    AmplitudeSettings,
    AuthMode,
    Cadence,
    GroupsSettings,
    SettingsError,
    load_settings,
)

REPO = Path(__file__).resolve().parents[1]

MINIMAL = """
instances:
  sfdc_prod:
    auth: {mode: password, username_env: PROD_USER, password_env: PROD_PASSWORD}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sf_assets.yaml"
    path.write_text(dedent(text))
    return path


def error_for(tmp_path: Path, text: str) -> SettingsError:
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, text))
    return info.value


def instance_yaml(body: str, auth: str = "{mode: password, username_env: U, password_env: P}") -> str:
    lines = "\n".join(f"    {line}" for line in dedent(body).strip().splitlines())
    return f"instances:\n  sfdc_prod:\n{lines}\n    auth: {auth}\n"


# --- happy paths --------------------------------------------------------------------------------------
def test_defaults_of_a_minimal_file(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL))
    prod = settings.instance("sfdc_prod")
    assert (prod.schema, prod.cadence, prod.start, prod.sandbox, prod.api_version) == (
        "sfdc_prod",
        Cadence.EVERY_3H,
        date(2024, 1, 1),
        False,
        "59.0",
    )
    assert (prod.login_url, prod.instance_url, prod.ca_bundle_env) == (None, None, None)
    assert (prod.objects.include, prod.objects.exclude) == ((), ())
    assert settings.warehouse.url_env == "SF_ASSETS_WAREHOUSE_URL"
    assert settings.warehouse.data_dir == tmp_path / "data" / "warehouse"
    assert settings.catalog_dir == tmp_path / "catalog"
    assert settings.catalog_path("sfdc_prod") == tmp_path / "catalog" / "sfdc_prod.json"


def test_example_file_shows_two_instances_with_every_option():
    settings = load_settings(REPO / "sf_assets.example.yaml")
    assert settings.instance_names == ("sfdc_prod", "sfdc_sandbox")
    prod, sandbox = settings.instances
    assert (prod.schema, prod.cadence, prod.start, prod.api_version) == (
        "sfdc_prod",
        "every_3h",
        date(2024, 1, 1),
        "59.0",
    )
    assert (prod.login_url, prod.ca_bundle_env, prod.auth.mode) == (
        "https://acme.my.salesforce.com",
        "SFDC_PROD_CA_BUNDLE",
        AuthMode.JWT,
    )
    assert prod.objects.exclude == ("account_tags", "CampaignShare")
    assert (sandbox.sandbox, sandbox.cadence, sandbox.start) == (True, Cadence.DAILY, date(2025, 1, 1))
    assert "Subscription__c" in sandbox.objects.include


def test_project_file_declares_the_demo_instance_on_the_emulator():
    demo = load_settings(REPO / "sf_assets.yaml").instance("sfdc_demo")
    assert (demo.schema, demo.login_url, demo.auth.mode) == (
        "sfdc_demo",
        "https://127.0.0.1:8443",
        AuthMode.PASSWORD,
    )


def test_config_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SF_ASSETS_CONFIG", str(write(tmp_path, MINIMAL)))
    assert load_settings().instance_names == ("sfdc_prod",)


def test_config_path_defaults_to_the_working_directory(tmp_path, monkeypatch):
    write(tmp_path, MINIMAL)
    monkeypatch.delenv("SF_ASSETS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().path == Path("sf_assets.yaml")


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(SettingsError, match=r"config file not found .*SF_ASSETS_CONFIG"):
        load_settings(tmp_path / "nope.yaml")


def test_api_version_may_be_an_unquoted_number(tmp_path):
    settings = load_settings(write(tmp_path, instance_yaml("api_version: 60.0")))
    assert settings.instance("sfdc_prod").api_version == "60.0"


def test_paths_are_relative_to_the_config_file(tmp_path):
    text = "catalog_dir: snapshots\nwarehouse: {data_dir: wh}\n" + MINIMAL
    settings = load_settings(write(tmp_path, text))
    assert (settings.catalog_dir, settings.warehouse.data_dir) == (tmp_path / "snapshots", tmp_path / "wh")


# --- env var names --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("auth", "extra", "expected"),
    [
        (
            "{mode: password, username_env: U, password_env: P, security_token_env: T}",
            "",
            {"username": "U", "password": "P", "security_token": "T"},
        ),
        (
            "{mode: refresh_token, consumer_key_env: K, consumer_secret_env: S, refresh_token_env: R}",
            "",
            {"consumer_key": "K", "consumer_secret": "S", "refresh_token": "R"},
        ),
        (
            "{mode: client_credentials, consumer_key_env: K, consumer_secret_env: S}",
            "login_url: https://acme.my.salesforce.com",
            {"consumer_key": "K", "consumer_secret": "S"},
        ),
        (
            "{mode: jwt, consumer_key_env: K, username_env: U, private_key_env: PK}",
            "",
            {"consumer_key": "K", "username": "U", "private_key": "PK"},
        ),
        (
            "{mode: session, session_id_env: SID}",
            "instance_url: https://acme.my.salesforce.com",
            {"session_id": "SID"},
        ),
    ],
)
def test_env_vars_each_auth_mode_reads(tmp_path, auth, extra, expected):
    settings = load_settings(write(tmp_path, instance_yaml(extra or "cadence: hourly", auth)))
    assert settings.instance("sfdc_prod").env_vars() == expected
    assert settings.env_vars() == {"sfdc_prod": expected}


def test_env_vars_include_the_ca_bundle(tmp_path):
    settings = load_settings(write(tmp_path, instance_yaml("ca_bundle_env: PROD_CA")))
    assert settings.instance("sfdc_prod").env_vars()["ca_bundle"] == "PROD_CA"


def test_resolve_env_reads_the_given_mapping(tmp_path):
    prod = load_settings(write(tmp_path, MINIMAL)).instance("sfdc_prod")
    assert prod.resolve_env({"PROD_USER": "u@x", "PROD_PASSWORD": "pw"}) == {
        "username": "u@x",
        "password": "pw",
    }


def test_resolve_env_names_the_unset_variable_and_its_setting(tmp_path):
    prod = load_settings(write(tmp_path, MINIMAL)).instance("sfdc_prod")
    with pytest.raises(SettingsError, match=r"PROD_PASSWORD \(instances\.sfdc_prod\.auth\.password_env\)"):
        prod.resolve_env({"PROD_USER": "u@x"})


# --- errors -------------------------------------------------------------------------------------------
def test_unknown_instance_key_names_file_instance_key_and_allowed(tmp_path):
    error = error_for(tmp_path, instance_yaml("cadense: hourly"))
    assert str(error).startswith(
        f"{tmp_path / 'sf_assets.yaml'}: instance 'sfdc_prod': key 'cadense': unknown key"
    )
    assert "allowed: schema, cadence, start" in str(error) and "did you mean 'cadence'?" in str(error)
    assert (error.instance, error.key) == ("sfdc_prod", "cadense")


def test_unknown_top_level_key(tmp_path):
    error = error_for(tmp_path, "instancez: {}\n" + MINIMAL)
    assert (
        "key 'instancez': unknown key (allowed: warehouse, catalog_dir, instances, groups, alerts, execution); did you mean 'instances'?"
        in str(error)
    )


def test_unknown_auth_key(tmp_path):
    error = error_for(
        tmp_path, instance_yaml("", "{mode: password, username_env: U, password_env: P, user_env: X}")
    )
    assert "instance 'sfdc_prod': key 'auth.user_env': unknown key" in str(error)


def test_bad_cadence_lists_the_cadences(tmp_path):
    error = error_for(tmp_path, instance_yaml("cadence: weekly"))
    assert "instance 'sfdc_prod': key 'cadence': must be one of hourly, every_3h, daily; got 'weekly'" in str(
        error
    )


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ("schema: Prod-Schema", "schema", "must be a SQL identifier"),
        ("start: 2024-13-01", "start", "must be an ISO date"),
        ("sandbox: 'yes'", "sandbox", "must be true or false"),
        ("api_version: v59", "api_version", 'must be a version such as "59.0"'),
        ("login_url: https://acme.my.salesforce.com/services", "login_url", "must be a base URL"),
        (
            "login_url: http://acme.my.salesforce.com",
            "login_url",
            "http:// is only allowed for a local emulator",
        ),
        (
            "objects: {include: Account}",
            "objects.include",
            "must be a list of sObject API names or table names",
        ),
    ],
)
def test_bad_values_name_the_key(tmp_path, body, key, message):
    error = error_for(tmp_path, instance_yaml(body))
    assert (error.instance, error.key) == ("sfdc_prod", key)
    assert message in str(error)


@pytest.mark.parametrize(
    ("auth", "missing"),
    [
        ("{mode: password, username_env: U}", "password_env"),
        ("{mode: refresh_token, consumer_key_env: K, consumer_secret_env: S}", "refresh_token_env"),
        ("{mode: client_credentials, consumer_key_env: K}", "consumer_secret_env"),
        ("{mode: jwt, consumer_key_env: K, username_env: U}", "private_key_env"),
        ("{mode: session}", "session_id_env"),
    ],
)
def test_missing_auth_env_names_for_the_mode(tmp_path, auth, missing):
    extra = {
        "client_credentials": "login_url: https://acme.my.salesforce.com",
        "session": "instance_url: https://acme.my.salesforce.com",
    }
    mode = auth.split(",")[0].split(": ")[1].rstrip("}")
    error = error_for(tmp_path, instance_yaml(extra.get(mode, "sandbox: false"), auth))
    assert (error.instance, error.key) == ("sfdc_prod", "auth")
    assert f"auth mode '{mode}' needs {missing}: the names of the environment variables" in str(error)
    assert f"e.g. {missing}: SFDC_PROD_{missing.removesuffix('_env').upper()}" in str(error)


def test_unknown_auth_mode_lists_the_modes(tmp_path):
    error = error_for(tmp_path, instance_yaml("", "{mode: oauth}"))
    assert (
        "key 'auth.mode': must be one of password, refresh_token, client_credentials, jwt, session; got 'oauth'"
        in str(error)
    )


def test_missing_auth_section(tmp_path):
    error = error_for(tmp_path, "instances:\n  sfdc_prod:\n    cadence: daily\n")
    assert "instance 'sfdc_prod': key 'auth': required" in str(error)


def test_an_env_key_the_mode_does_not_read_is_an_error(tmp_path):
    error = error_for(
        tmp_path, instance_yaml("", "{mode: password, username_env: U, password_env: P, private_key_env: K}")
    )
    assert "key 'auth.private_key_env': not used by auth mode 'password'" in str(error)


@pytest.mark.parametrize(
    ("section", "key", "suggestion"),
    [
        ("auth", "password", "password_env"),
        ("auth", "security_token", "security_token_env"),
        ("auth", "consumer_secret", "consumer_secret_env"),
        ("auth", "private_key", "private_key_env"),
        ("instance", "session_id", "auth.session_id_env"),
    ],
)
def test_a_secret_value_in_the_file_is_refused(tmp_path, section, key, suggestion):
    secret = "hunter2-s3cret"
    if section == "auth":
        text = instance_yaml("", f"{{mode: password, username_env: U, password_env: P, {key}: {secret}}}")
    else:
        text = instance_yaml(f"{key}: {secret}")
    error = error_for(tmp_path, text)
    assert (
        "looks like a secret value, and secrets never go in the file: name the environment variable"
        in str(error)
    )
    assert f"({suggestion}: MY_ENV_VAR)" in str(error)
    assert secret not in str(error)


def test_a_warehouse_url_in_the_file_is_refused(tmp_path):
    error = error_for(tmp_path, "warehouse: {url: 'postgresql://u:pw@db/wh'}\n" + MINIMAL)
    assert "key 'warehouse.url': looks like a secret value" in str(error) and "warehouse.url_env" in str(
        error
    )
    assert "pw@db" not in str(error)


def test_an_env_key_holding_a_secret_is_refused_without_echoing_it(tmp_path):
    error = error_for(
        tmp_path, instance_yaml("", "{mode: password, username_env: U, password_env: 'hunter2!'}")
    )
    assert "key 'auth.password_env': must be the NAME of an environment variable" in str(error)
    assert "hunter2" not in str(error)


def test_duplicate_schema_names_both_instances(tmp_path):
    text = """
    instances:
      sfdc_prod:
        auth: {mode: session, session_id_env: A}
        instance_url: https://a.my.salesforce.com
      sfdc_copy:
        schema: sfdc_prod
        auth: {mode: session, session_id_env: B}
        instance_url: https://b.my.salesforce.com
    """
    error = error_for(tmp_path, text)
    assert (
        "instance 'sfdc_copy': key 'schema': schema 'sfdc_prod' is already used by instance 'sfdc_prod'"
        in str(error)
    )


def test_duplicate_yaml_keys_are_refused(tmp_path):
    error = error_for(tmp_path, MINIMAL + "  sfdc_prod:\n    auth: {mode: session, session_id_env: S}\n")
    assert "not valid YAML" in str(error) and "duplicate key 'sfdc_prod'" in str(error)


def test_session_mode_needs_the_instance_url(tmp_path):
    error = error_for(tmp_path, instance_yaml("", "{mode: session, session_id_env: S}"))
    assert (error.key, "auth mode 'session' needs the org's instance_url" in str(error)) == (
        "instance_url",
        True,
    )


def test_instance_url_is_only_for_session_mode(tmp_path):
    error = error_for(tmp_path, instance_yaml("instance_url: https://acme.my.salesforce.com"))
    assert "key 'instance_url': only used by auth mode 'session'" in str(error)


def test_client_credentials_needs_a_my_domain_login_url(tmp_path):
    error = error_for(
        tmp_path, instance_yaml("", "{mode: client_credentials, consumer_key_env: K, consumer_secret_env: S}")
    )
    assert "key 'login_url': auth mode 'client_credentials' needs login_url" in str(error)


def test_instance_names_must_be_identifiers(tmp_path):
    error = error_for(tmp_path, "instances:\n  SFDC-Prod:\n    auth: {mode: session, session_id_env: S}\n")
    assert "instance 'SFDC-Prod': instance names are lowercase letters, digits and _" in str(error)


def test_at_least_one_instance(tmp_path):
    error = error_for(tmp_path, "catalog_dir: catalog\n")
    assert "key 'instances': declare at least one Salesforce instance" in str(error)


def test_unknown_instance_lists_the_declared_ones(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL))
    with pytest.raises(SettingsError, match=r"no instance 'sfdc_stage' \(declared: sfdc_prod\)"):
        settings.instance("sfdc_stage")


# --- groups ---------------------------------------------------------------------------------------------
def test_groups_default_to_no_mapping_and_the_us_region(tmp_path):
    groups = load_settings(write(tmp_path, MINIMAL)).groups
    assert groups == GroupsSettings(mapping=None, amplitude=AmplitudeSettings())
    assert (groups.amplitude.region, groups.amplitude.base_url, groups.amplitude.api_key_env) == (
        "us",
        None,
        "AMPLITUDE_API_KEY",
    )


def test_groups_section_is_read_and_the_mapping_path_is_relative_to_the_file(tmp_path):
    text = MINIMAL + dedent("""
        groups:
          mapping: mappings/prod.json
          amplitude: {region: eu, base_url: "http://127.0.0.1:8444/", api_key_env: AMP_KEY}
        """)
    groups = load_settings(write(tmp_path, text)).groups
    assert groups.mapping == tmp_path / "mappings" / "prod.json"
    assert groups.amplitude == AmplitudeSettings(
        region="eu", base_url="http://127.0.0.1:8444", api_key_env="AMP_KEY"
    )


def test_project_file_points_groups_at_the_demo_mapping_and_the_stand_in():
    groups = load_settings(REPO / "sf_assets.yaml").groups
    assert groups.mapping == REPO / "mappings" / "demo.json"
    assert groups.amplitude == AmplitudeSettings(base_url="http://127.0.0.1:8444")


def test_example_file_documents_the_groups_section():
    groups = load_settings(REPO / "sf_assets.example.yaml").groups
    assert groups.mapping == REPO / "mappings" / "groups.json"
    assert groups.amplitude == AmplitudeSettings(
        region="us", base_url="https://api2.amplitude.com", api_key_env="AMPLITUDE_API_KEY"
    )


@pytest.mark.parametrize(
    ("groups", "key", "message"),
    [
        ("{colour: red}", "groups.colour", "unknown key (allowed: mapping, amplitude)"),
        ("{amplitude: {regoin: eu}}", "groups.amplitude.regoin", "did you mean 'region'?"),
        ("{amplitude: {region: apac}}", "groups.amplitude.region", "must be one of us, eu; got 'apac'"),
        ("{mapping: ''}", "groups.mapping", "must be the path of a mapping JSON file"),
        (
            "{amplitude: {base_url: 'http://amplitude.example.com'}}",
            "groups.amplitude.base_url",
            "http:// is only allowed for a local emulator or stand-in",
        ),
        (
            "{amplitude: {base_url: 'https://api2.amplitude.com/groupidentify'}}",
            "groups.amplitude.base_url",
            "must be a base URL such as https://api2.amplitude.com (no path)",
        ),
        ("{amplitude: {api_key_env: 'abc-123'}}", "groups.amplitude.api_key_env", "must be the NAME"),
    ],
)
def test_bad_groups_values_name_the_key(tmp_path, groups, key, message):
    error = error_for(tmp_path, MINIMAL + f"groups: {groups}\n")
    assert f"key {key!r}: " in str(error)
    assert message in str(error)


def test_an_amplitude_api_key_in_the_file_is_refused(tmp_path):
    error = error_for(tmp_path, MINIMAL + "groups: {amplitude: {api_key: 0123abcd}}\n")
    assert "key 'groups.amplitude.api_key': looks like a secret value" in str(error)
    assert "(groups.amplitude.api_key_env: AMPLITUDE_API_KEY)" in str(error)
    assert "0123abcd" not in str(error)


def test_api_budget_defaults_and_bounds(tmp_path):  # noqa: ANN001
    from sf_assets.settings import ApiBudget

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "sf_assets.example.yaml").read_text())
    path = tmp_path / "sf_assets.yaml"
    path.write_text(yaml.safe_dump(config))
    assert load_settings(path).instance("sfdc_prod").api_budget == ApiBudget(0.8, 60.0)
    config["instances"]["sfdc_prod"]["api_budget"] = {"max_used_fraction": 1.5}
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(SettingsError, match=r"api_budget.max_used_fraction'?: must be a share"):
        load_settings(path)


def test_parallel_steps_defaults_to_one_and_is_validated(tmp_path):
    assert load_settings(write(tmp_path, MINIMAL)).execution.parallel_steps == 1
    assert load_settings(write(tmp_path, MINIMAL + "execution: {parallel_steps: 4}\n")).execution.parallel_steps == 4
    for bad in ("0", "two", "true", "1.5"):
        error = error_for(tmp_path, MINIMAL + f"execution: {{parallel_steps: {bad}}}\n")
        assert "key 'execution.parallel_steps': must be a whole number of steps, 1 or more" in str(error)
