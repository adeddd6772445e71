"""`SalesforceResource`: one Salesforce org's settings as a Dagster resource; it hands out the client.

The definitions pass `dg.EnvVar(...)` for secrets, so their values are read at run time and
never shown in the UI; they are also kept out of `repr` and out of every message.
"""

import dagster as dg
from pydantic import Field, PrivateAttr

from ..salesforce import ClientSettings, SalesforceAuth, SalesforceClient

_SECRET = "A secret: pass dg.EnvVar(...) so that the value is read at run time and never shown."


class SalesforceResource(dg.ConfigurableResource):
    """How to reach and log in to one Salesforce org.

    `auth_mode` is one of `password` (username, password, security_token), `refresh_token`
    (consumer_key, consumer_secret, refresh_token), `client_credentials` (consumer_key,
    consumer_secret, login_url = the org's My Domain), `jwt` (consumer_key, username,
    private_key) or `session` (session_id, instance_url; cannot renew an expired session).
    """

    auth_mode: str = Field(description="password, refresh_token, client_credentials, jwt or session.")
    login_url: str | None = Field(
        default=None,
        description="Where to log in; default https://login.salesforce.com (https://test.salesforce.com with sandbox).",
    )
    instance_url: str | None = Field(default=None, description="The org's URL, for auth_mode 'session'.")
    sandbox: bool = Field(
        default=False, description="Log in at test.salesforce.com (and use it as JWT audience)."
    )
    api_version: str = Field(default="59.0", description="Salesforce API version, e.g. 59.0.")
    username: str | None = Field(default=None, description="The integration user (password and jwt modes).")
    password: str | None = Field(default=None, repr=False, description=_SECRET)
    security_token: str | None = Field(default=None, repr=False, description=_SECRET)
    consumer_key: str | None = Field(default=None, repr=False, description=_SECRET)
    consumer_secret: str | None = Field(default=None, repr=False, description=_SECRET)
    refresh_token: str | None = Field(default=None, repr=False, description=_SECRET)
    private_key: str | None = Field(
        default=None, repr=False, description=_SECRET + " PEM text of the RSA key."
    )
    session_id: str | None = Field(default=None, repr=False, description=_SECRET)
    ca_bundle: str | None = Field(
        default=None, description="PEM file of CAs to trust instead of the system's (e.g. the emulator's)."
    )
    timeout_seconds: float = Field(default=120, description="Read timeout of each call, in seconds.")
    max_attempts: int = Field(
        default=5, description="Tries per call on transient errors, the first included."
    )
    retry_base_seconds: float = Field(default=1.0, description="First retry delay; it doubles per retry.")
    api_budget_fraction: float = Field(
        default=0.8, description="Stop syncing when this share of the org's daily API requests is used."
    )

    _client: SalesforceClient | None = PrivateAttr(default=None)

    def get_client(self) -> SalesforceClient:
        """The client for this org, made on first use and kept; it logs in at its first call."""
        if self._client is None:
            auth = SalesforceAuth(
                mode=self.auth_mode,
                login_url=self.login_url,
                instance_url=self.instance_url,
                sandbox=self.sandbox,
                api_version=self.api_version,
                username=self.username,
                password=self.password,
                security_token=self.security_token,
                consumer_key=self.consumer_key,
                consumer_secret=self.consumer_secret,
                refresh_token=self.refresh_token,
                private_key=self.private_key,
                session_id=self.session_id,
            )
            settings = ClientSettings(
                ca_bundle=self.ca_bundle,
                timeout_seconds=self.timeout_seconds,
                max_attempts=self.max_attempts,
                retry_base_seconds=self.retry_base_seconds,
                api_budget_fraction=self.api_budget_fraction,
            )
            self._client = SalesforceClient(auth, settings)
        return self._client
