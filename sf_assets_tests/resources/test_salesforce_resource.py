"""`SalesforceResource`: settings in, a lazily logged-in client out, secrets kept out of sight."""

import dagster as dg
import pytest

from sf_assets.resources.salesforce import SalesforceResource
from sf_assets.salesforce import SalesforceAuthError, SalesforceConfigError

SECRETS = (
    "password",
    "security_token",
    "consumer_key",
    "consumer_secret",
    "refresh_token",
    "private_key",
    "session_id",
)


def password_resource(emulator, org, **overrides: object) -> SalesforceResource:  # noqa: ANN001
    settings = {
        "auth_mode": "password",
        "login_url": org.login_url,
        "username": org.username,
        "password": org.password,
        "security_token": org.security_token,
        "ca_bundle": emulator.ca_bundle,
        "retry_base_seconds": 0.001,
        **overrides,
    }
    return SalesforceResource(**settings)


@pytest.mark.parametrize(
    ("mode", "settings"),
    [
        ("password", ("username", "password", "security_token")),
        ("refresh_token", ("consumer_key", "consumer_secret", "refresh_token")),
        ("client_credentials", ("consumer_key", "consumer_secret")),
        ("jwt", ("consumer_key", "username", "jwt_private_key")),
        ("session", ("session_id",)),
    ],
)
def test_every_auth_mode_gets_a_working_client(emulator, org, mode: str, settings: tuple[str, ...]) -> None:
    values = {name.removeprefix("jwt_"): getattr(org, name) for name in settings}
    urls = {"instance_url": org.instance_url} if mode == "session" else {"login_url": org.login_url}
    resource = SalesforceResource(auth_mode=mode, ca_bundle=emulator.ca_bundle, **urls, **values)

    assert resource.get_client().count("SELECT COUNT() FROM Account") == 0


def test_an_asset_reads_through_the_resource_with_secrets_from_the_environment(
    emulator, org, monkeypatch
) -> None:
    monkeypatch.setenv("SFDC_TEST_PASSWORD", org.password)
    monkeypatch.setenv("SFDC_TEST_TOKEN", org.security_token)
    resource = password_resource(
        emulator, org, password=dg.EnvVar("SFDC_TEST_PASSWORD"), security_token=dg.EnvVar("SFDC_TEST_TOKEN")
    )

    @dg.asset
    def account_count(salesforce: SalesforceResource) -> dg.MaterializeResult:
        client = salesforce.get_client()
        return dg.MaterializeResult(
            metadata={"rows": client.count("SELECT COUNT() FROM Account"), "api_calls": client.api_calls}
        )

    result = dg.materialize([account_count], resources={"salesforce": resource})

    assert result.success
    (materialization,) = result.asset_materializations_for_node("account_count")
    assert materialization.metadata["rows"].value == 0
    assert materialization.metadata["api_calls"].value == 1


def test_get_client_is_lazy_and_kept(emulator, org) -> None:
    resource = password_resource(emulator, org, login_url="https://127.0.0.1:1")

    client = resource.get_client()

    assert client is resource.get_client()
    assert client.api_calls == 0


def test_missing_setting_names_it_and_where_to_set_it(emulator, org) -> None:
    resource = password_resource(emulator, org, password=None)

    with pytest.raises(SalesforceConfigError) as caught:
        resource.get_client()

    assert str(caught.value) == (
        "auth_mode 'password' needs `password` (set the environment variable named in sf_assets.yaml)"
    )


def test_wrong_password_fails_without_showing_it(emulator, org) -> None:
    resource = password_resource(emulator, org, password="hunter2-wrong")

    with pytest.raises(SalesforceAuthError, match="`password`") as caught:
        resource.get_client().login()

    assert "hunter2-wrong" not in str(caught.value)


def test_repr_holds_no_secret(emulator, org) -> None:
    values = {name: f"secret-{name}" for name in SECRETS}
    resource = password_resource(emulator, org, **values)

    assert not [value for value in values.values() if value in repr(resource) or value in str(resource)]
    assert org.username in repr(resource)
