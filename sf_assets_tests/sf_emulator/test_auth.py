"""Logins as simple-salesforce and other connectors make them: SOAP, OAuth grants, sessions."""

import time

import jwt
import pytest
import requests
from simple_salesforce import Salesforce, SalesforceAuthenticationFailed, SalesforceExpiredSession


def test_soap_login_on_default_domain_through_adapter(emulator, org):
    sf = Salesforce(
        username=org.username,
        password=org.password,
        security_token=org.security_token,
        session=emulator.adapter_session(),
    )
    assert sf.sf_instance == "sf-emulator.my.salesforce.com"
    assert sf.query("SELECT Id FROM Organization")["totalSize"] == 1


def test_soap_login_through_connect_proxy(emulator, org, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", emulator.ready["proxy_url"])
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", emulator.ca_bundle)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    sf = Salesforce(username=org.username, password=org.password, security_token=org.security_token)
    assert sf.base_url.startswith("https://sf-emulator.my.salesforce.com/services/data/")
    assert sf.query("SELECT Username FROM User")["records"][0]["Username"] == org.username


def test_soap_login_with_wrong_password_is_invalid_login(emulator, org):
    with pytest.raises(SalesforceAuthenticationFailed) as failure:
        Salesforce(
            username=org.username, password="wrong", security_token=org.security_token, session=emulator.adapter_session()
        )
    assert failure.value.code == "INVALID_LOGIN"
    assert failure.value.content == b"Invalid username, password, security token; or user locked out."


def test_soap_login_of_a_production_user_at_the_sandbox_host_fails(emulator, org):
    with pytest.raises(SalesforceAuthenticationFailed) as failure:
        Salesforce(
            username=org.username,
            password=org.password,
            security_token=org.security_token,
            domain="test",
            session=emulator.adapter_session(),
        )
    assert failure.value.code == "INVALID_LOGIN"


def test_sandbox_org_logs_in_at_the_sandbox_host(emulator):
    sandbox = emulator.control.create_org(sandbox=True)
    try:
        sf = Salesforce(
            username=sandbox.username,
            password=sandbox.password,
            security_token=sandbox.security_token,
            domain="test",
            session=emulator.adapter_session(),
        )
        assert sf.is_sandbox() is True
    finally:
        emulator.control.drop_org(sandbox.org_id)


def test_oauth_password_grant(emulator, org):
    sf = Salesforce(
        username=org.username,
        password=org.password,
        consumer_key=org.consumer_key,
        consumer_secret=org.consumer_secret,
        session=emulator.adapter_session(),
    )
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1


def test_oauth_password_grant_with_wrong_secret_is_invalid_client(emulator, org):
    with pytest.raises(SalesforceAuthenticationFailed) as failure:
        Salesforce(
            username=org.username,
            password=org.password,
            consumer_key=org.consumer_key,
            consumer_secret="nope",
            session=emulator.adapter_session(),
        )
    assert failure.value.code == "invalid_client"


def test_oauth_password_grant_with_wrong_password_is_invalid_grant(emulator, org):
    with pytest.raises(SalesforceAuthenticationFailed) as failure:
        Salesforce(
            username=org.username,
            password="wrong",
            consumer_key=org.consumer_key,
            consumer_secret=org.consumer_secret,
            session=emulator.adapter_session(),
        )
    assert (failure.value.code, failure.value.content) == ("invalid_grant", b"authentication failure")


def test_oauth_client_credentials_on_my_domain(emulator, org):
    sf = Salesforce(
        consumer_key=org.consumer_key,
        consumer_secret=org.consumer_secret,
        domain="sf-emulator.my",
        session=emulator.adapter_session(),
    )
    assert sf.query("SELECT COUNT() FROM Organization")["totalSize"] == 1


def test_oauth_jwt_bearer(emulator, org):
    sf = Salesforce(
        username=org.username,
        consumer_key=org.consumer_key,
        privatekey=org.jwt_private_key,
        session=emulator.adapter_session(),
    )
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1


def _token_post(emulator, form: dict) -> requests.Response:
    session = emulator.adapter_session()
    return session.post("https://login.salesforce.com/services/oauth2/token", data=form, timeout=30)


def test_oauth_jwt_with_expired_assertion_is_invalid_grant(emulator, org):
    claims = {"iss": org.consumer_key, "sub": org.username, "aud": "https://login.salesforce.com", "exp": int(time.time()) - 60}
    assertion = jwt.encode(claims, org.jwt_private_key, algorithm="RS256")
    response = _token_post(emulator, {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_oauth_refresh_token_grant_as_airbyte_sends_it(emulator, org):
    response = _token_post(
        emulator,
        {
            "grant_type": "refresh_token",
            "client_id": org.consumer_key,
            "client_secret": org.consumer_secret,
            "refresh_token": org.refresh_token,
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["instance_url"] == "https://sf-emulator.my.salesforce.com"
    assert set(body) >= {"access_token", "instance_url", "id", "token_type", "issued_at", "signature"}


def test_oauth_revoked_refresh_token_is_invalid_grant_with_salesforce_wording(emulator, org):
    emulator.control.expire_sessions(org.org_id, refresh_tokens=True)
    response = _token_post(
        emulator,
        {"grant_type": "refresh_token", "client_id": org.consumer_key, "client_secret": org.consumer_secret, "refresh_token": org.refresh_token},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "expired access/refresh token"}


def test_oauth_unknown_grant_type(emulator, org):
    response = _token_post(emulator, {"grant_type": "authorization_code_x"})
    assert response.json() == {"error": "unsupported_grant_type", "error_description": "grant type not supported"}


def test_expired_session_is_renewed_by_simple_salesforce(emulator, org):
    sf = Salesforce(
        username=org.username, password=org.password, security_token=org.security_token, session=emulator.adapter_session()
    )
    first_session = sf.session_id
    emulator.control.expire_sessions(org.org_id)
    assert sf.query("SELECT COUNT() FROM User")["totalSize"] == 1
    assert sf.session_id != first_session


def test_session_lifetime_follows_the_org_clock(emulator, org):
    sf = emulator.client(org)
    emulator.control.advance_clock(org.org_id, 2 * 3600 + 1)
    with pytest.raises(SalesforceExpiredSession) as failure:
        sf.query("SELECT Id FROM User")
    assert failure.value.content == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def test_unknown_token_gets_401_with_a_json_list(emulator):
    response = emulator.https_session().get(
        emulator.instance_url + "/services/data/v59.0/limits", headers={"Authorization": "Bearer 00Dnope!x"}, timeout=30
    )
    assert response.status_code == 401
    assert response.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
