"""Logging in with every auth mode against the emulator, session renewal, and refused logins."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sf_assets.salesforce import (
    ClientSettings,
    SalesforceAuth,
    SalesforceAuthError,
    SalesforceClient,
    SalesforceConfigError,
    SalesforceUnavailable,
    SessionExpired,
    TlsVerificationFailed,
    jwt_audience,
)

MODES = ("password", "refresh_token", "client_credentials", "jwt", "session")
RENEWABLE = ("password", "refresh_token", "client_credentials", "jwt")


def credentials(org, mode: str) -> dict:  # noqa: ANN001 - sf_emulator's EmulatedOrg
    return {
        "password": {
            "username": org.username,
            "password": org.password,
            "security_token": org.security_token,
        },
        "refresh_token": {
            "consumer_key": org.consumer_key,
            "consumer_secret": org.consumer_secret,
            "refresh_token": org.refresh_token,
        },
        "client_credentials": {"consumer_key": org.consumer_key, "consumer_secret": org.consumer_secret},
        "jwt": {
            "consumer_key": org.consumer_key,
            "username": org.username,
            "private_key": org.jwt_private_key,
        },
        "session": {"session_id": org.session_id, "instance_url": org.instance_url},
    }[mode]


def make_client(emulator, org, mode: str, **overrides: object) -> SalesforceClient:  # noqa: ANN001
    fields = {
        "login_url": None if mode == "session" else org.login_url,
        **credentials(org, mode),
        **overrides,
    }
    settings = ClientSettings(ca_bundle=emulator.ca_bundle, max_attempts=3, retry_base_seconds=0.001)
    return SalesforceClient(SalesforceAuth(mode, **fields), settings)


def seed_accounts(sf, names: list[str]) -> list[str]:  # noqa: ANN001 - simple_salesforce.Salesforce
    body = {"allOrNone": True, "records": [{"attributes": {"type": "Account"}, "Name": n} for n in names]}
    return [result["id"] for result in sf.restful("composite/sobjects", method="POST", json=body)]


@pytest.mark.parametrize("mode", MODES)
def test_each_auth_mode_logs_in_and_queries(emulator, org, sf, mode: str) -> None:
    seed_accounts(sf, ["Acme", "Globex"])
    client = make_client(emulator, org, mode)

    (batch,) = client.query_batches("SELECT Name FROM Account ORDER BY Name")

    assert [r["Name"] for r in batch.records] == ["Acme", "Globex"]
    assert client.instance_url == org.instance_url


def test_construction_makes_no_call(emulator, org) -> None:
    client = make_client(emulator, org, "password", login_url="https://127.0.0.1:1")
    assert client.api_calls == 0
    with pytest.raises(SalesforceUnavailable, match="login failed after 3 attempts") as caught:
        client.login()
    assert caught.value.code == "connection_error"


@pytest.mark.parametrize("mode", RENEWABLE)
def test_expired_session_is_renewed_and_the_call_retried(emulator, org, mode: str) -> None:
    client = make_client(emulator, org, mode)
    client.login()
    before = client.transport.session().session_id
    emulator.control.expire_sessions(org.org_id)

    assert client.count("SELECT COUNT() FROM Account") >= 0
    assert client.transport.session().session_id != before


def test_session_mode_cannot_renew_and_says_what_to_configure(emulator, org) -> None:
    client = make_client(emulator, org, "session")
    emulator.control.expire_sessions(org.org_id)

    with pytest.raises(SessionExpired) as caught:
        client.describe("Account")

    assert (caught.value.code, caught.value.status) == ("INVALID_SESSION_ID", 401)
    assert "configure a renewable auth_mode" in str(caught.value)
    assert org.session_id not in str(caught.value)


def test_wrong_password_names_the_settings_not_the_secret(emulator, org) -> None:
    client = make_client(emulator, org, "password", password="not-the-password")

    with pytest.raises(SalesforceAuthError) as caught:
        client.login()

    error = caught.value
    assert (error.code, error.status) == ("INVALID_LOGIN", 500)
    assert error.settings == ("username", "password", "security_token")
    assert "`password`" in str(error)
    assert "not-the-password" not in str(error) and org.security_token not in str(error)


def test_revoked_refresh_token_is_invalid_grant_naming_refresh_token(emulator, org) -> None:
    emulator.control.expire_sessions(org.org_id, refresh_tokens=True)
    client = make_client(emulator, org, "refresh_token")

    with pytest.raises(SalesforceAuthError) as caught:
        client.login()

    assert (caught.value.code, caught.value.status) == ("invalid_grant", 400)
    assert caught.value.settings == ("refresh_token",)
    assert "`refresh_token`" in str(caught.value)
    assert org.refresh_token not in str(caught.value) and org.consumer_secret not in str(caught.value)


@pytest.mark.parametrize(
    ("override", "code", "setting"),
    [
        ({"consumer_key": "3MVG9unknown"}, "invalid_client_id", "consumer_key"),
        ({"consumer_secret": "WRONG"}, "invalid_client", "consumer_secret"),
    ],
)
def test_refused_client_credentials_name_the_setting(
    emulator, org, override: dict, code: str, setting: str
) -> None:
    client = make_client(emulator, org, "client_credentials", **override)

    with pytest.raises(SalesforceAuthError) as caught:
        client.login()

    assert caught.value.code == code
    assert f"`{setting}`" in str(caught.value)
    assert "WRONG" not in str(caught.value)


def test_jwt_signed_by_another_key_is_refused(emulator, org) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    client = make_client(emulator, org, "jwt", private_key=pem)

    with pytest.raises(SalesforceAuthError) as caught:
        client.login()

    assert caught.value.code == "invalid_grant"
    assert caught.value.settings == ("private_key", "username")


def test_jwt_key_that_is_not_pem_is_a_config_error(emulator, org) -> None:
    client = make_client(emulator, org, "jwt", private_key="not a key")

    with pytest.raises(SalesforceConfigError, match="`private_key` to be an RSA private key") as caught:
        client.login()

    assert caught.value.setting == "private_key"
    assert "not a key" not in str(caught.value)


def test_login_url_that_is_not_salesforce_names_login_url(emulator, org) -> None:
    client = make_client(emulator, org, "refresh_token", login_url=f"{org.login_url}/not-salesforce")

    with pytest.raises(SalesforceAuthError) as caught:
        client.login()

    assert caught.value.status == 404
    assert caught.value.settings == ("login_url",)


def test_untrusted_certificate_is_not_retried_and_names_ca_bundle(org) -> None:
    settings = ClientSettings(max_attempts=3, retry_base_seconds=0.001)
    client = SalesforceClient(
        SalesforceAuth("password", login_url=org.login_url, **credentials(org, "password")), settings
    )

    with pytest.raises(TlsVerificationFailed, match="`ca_bundle`") as caught:
        client.login()

    assert "attempts" not in str(caught.value)


@pytest.mark.parametrize(
    ("mode", "missing"),
    [
        ("password", "password"),
        ("refresh_token", "refresh_token"),
        ("client_credentials", "login_url"),
        ("jwt", "private_key"),
        ("session", "instance_url"),
    ],
)
def test_missing_setting_is_named(org, mode: str, missing: str) -> None:
    fields = {"login_url": org.login_url, **credentials(org, mode), missing: None}

    with pytest.raises(SalesforceConfigError, match=f"auth_mode '{mode}' needs `{missing}`") as caught:
        SalesforceAuth(mode, **fields)

    assert caught.value.setting == missing


def test_unknown_auth_mode_lists_the_modes() -> None:
    with pytest.raises(
        SalesforceConfigError, match="password, refresh_token, client_credentials, jwt, session"
    ):
        SalesforceAuth("oauth")


def test_repr_holds_no_secret(emulator, org) -> None:
    auth = SalesforceAuth("password", login_url=org.login_url, **credentials(org, "password"))
    client = make_client(emulator, org, "password")
    client.login()

    for text in (repr(auth), repr(client), repr(client.transport)):
        assert org.password not in text and org.security_token not in text
    assert client.transport.session().session_id not in repr(client.transport.session())


@pytest.mark.parametrize(
    ("login_url", "sandbox", "audience"),
    [
        (None, False, "https://login.salesforce.com"),
        (None, True, "https://test.salesforce.com"),
        ("https://login.salesforce.com/", False, "https://login.salesforce.com"),
        ("https://acme.my.salesforce.com", False, "https://acme.my.salesforce.com"),
        ("https://127.0.0.1:8443", True, "https://127.0.0.1:8443"),
    ],
)
def test_jwt_audience(login_url: str | None, sandbox: bool, audience: str) -> None:
    auth = SalesforceAuth(
        "jwt", login_url=login_url, sandbox=sandbox, consumer_key="k", username="u", private_key="pem"
    )
    assert jwt_audience(auth) == audience
