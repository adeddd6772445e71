"""Every auth mode logs in from the project settings; bad settings fail naming the setting."""

import pytest
import yaml

from sf_assets.catalog.refresh import refresh_catalog
from sf_assets.cli import salesforce_client
from sf_assets.lib.catalog import CatalogError
from sf_assets.salesforce import SalesforceAuthError
from sf_assets.settings import SettingsError, load_settings


def _settings(tmp_path, auth: dict, **instance):  # noqa: ANN001, ANN202
    config = {"instances": {"sfdc_prod": {"auth": auth, "ca_bundle_env": "PROD_CA", **instance}}}
    path = tmp_path / "sf_assets.yaml"
    path.write_text(yaml.safe_dump(config))
    return load_settings(path)


AUTH_MODES = {
    "password": ({"mode": "password", "username_env": "U", "password_env": "P", "security_token_env": "T"}, {}),
    "refresh_token": (
        {"mode": "refresh_token", "consumer_key_env": "K", "consumer_secret_env": "S", "refresh_token_env": "R"},
        {},
    ),
    "client_credentials": ({"mode": "client_credentials", "consumer_key_env": "K", "consumer_secret_env": "S"}, {}),
    "jwt": ({"mode": "jwt", "consumer_key_env": "K", "username_env": "U", "private_key_env": "J"}, {}),
    "session": ({"mode": "session", "session_id_env": "SID"}, {"instance_url": True}),
}


@pytest.mark.parametrize("mode", sorted(AUTH_MODES))
def test_every_auth_mode_logs_in(mode, tmp_path, emulator, org, monkeypatch):
    auth, extra = AUTH_MODES[mode]
    urls = {"instance_url": org.instance_url} if extra.get("instance_url") else {"login_url": org.instance_url}
    settings = _settings(tmp_path, auth, **urls)
    values = {
        "U": org.username, "P": org.password, "T": org.security_token, "K": org.consumer_key,
        "S": org.consumer_secret, "R": org.refresh_token, "J": org.jwt_private_key, "SID": org.session_id,
        "PROD_CA": emulator.ca_bundle,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    client = salesforce_client(settings, settings.instance("sfdc_prod"))
    assert client.count("SELECT COUNT() FROM User") == 1


def test_missing_secret_names_the_variable_and_the_setting(tmp_path, org, monkeypatch):
    settings = _settings(tmp_path, AUTH_MODES["password"][0], login_url=org.instance_url)
    for name in ("U", "P", "T", "PROD_CA"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError) as failure:
        salesforce_client(settings, settings.instance("sfdc_prod"))
    assert "P (instances.sfdc_prod.auth.password_env)" in str(failure.value)


def test_bad_credentials_name_the_setting_and_not_the_secret(tmp_path, emulator, org, monkeypatch):
    settings = _settings(tmp_path, AUTH_MODES["password"][0], login_url=org.instance_url)
    for name, value in {"U": org.username, "P": "hunter2-wrong", "T": org.security_token, "PROD_CA": emulator.ca_bundle}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SalesforceAuthError) as failure:
        salesforce_client(settings, settings.instance("sfdc_prod")).count("SELECT COUNT() FROM User")
    assert failure.value.code == "INVALID_LOGIN"
    assert "password" in str(failure.value)
    assert "hunter2-wrong" not in str(failure.value)


def test_login_url_with_a_path_is_refused_naming_the_setting(tmp_path, org):
    with pytest.raises(SettingsError) as failure:
        _settings(tmp_path, AUTH_MODES["password"][0], login_url=org.instance_url + "/services/Soap/u/59.0")
    assert "login_url" in str(failure.value)


def test_unknown_object_in_include_is_named(org, make_project):
    project = make_project({"sfdc_prod": org})
    config = yaml.safe_load(project.settings.path.read_text())
    config["instances"]["sfdc_prod"]["objects"] = {"include": ["Account", "Acount"]}
    project.settings.path.write_text(yaml.safe_dump(config))
    settings = load_settings(project.settings.path)
    with pytest.raises(CatalogError, match="Acount"):
        refresh_catalog(settings, "sfdc_prod", salesforce_client(settings, settings.instance("sfdc_prod")))


def test_unknown_settings_key_is_named(tmp_path):
    path = tmp_path / "sf_assets.yaml"
    path.write_text(yaml.safe_dump({"instances": {"sfdc_prod": {"cadense": "daily", "auth": AUTH_MODES["session"][0]}}}))
    with pytest.raises(SettingsError, match="cadense"):
        load_settings(path)
