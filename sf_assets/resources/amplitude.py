"""`AmplitudeResource`: where and how to send group properties; without an API key, a dry run.

The definitions pass `dg.EnvVar(...)` for the key, so it is read at run time and never shown in
the UI; it is also kept out of `repr` and out of every message.
"""

import dagster as dg
from pydantic import Field, PrivateAttr

from ..amplitude import AmplitudeClient


class AmplitudeResource(dg.ConfigurableResource):
    """One Amplitude project's Group Identify endpoint and the client's retry pacing."""

    api_key: str | None = Field(
        default=None,
        repr=False,
        description="The project API key: pass dg.EnvVar(...). Unset or empty: nothing is sent (dry run).",
    )
    region: str = Field(default="us", description="Data residency: us (api2.amplitude.com) or eu.")
    base_url: str | None = Field(
        default=None, description="Overrides the region's URL, e.g. the local stand-in http://127.0.0.1:8444."
    )
    timeout_seconds: float = Field(default=30.0, description="Read timeout of each request, in seconds.")
    max_attempts: int = Field(
        default=6, description="Tries per request on 429/5xx/timeouts, the first included."
    )
    backoff_seconds: float = Field(default=1.0, description="First delay after a 5xx or timeout; it doubles.")
    rate_limit_seconds: float = Field(
        default=30.0, description="Least wait after a 429 (Amplitude asks for 30 s), plus jitter."
    )

    _client: AmplitudeClient | None = PrivateAttr(default=None)

    @property
    def dry_run(self) -> bool:
        return not (self.api_key or "").strip()

    def get_client(self) -> AmplitudeClient | None:
        """The client, made on first use and kept; None without an API key (the caller does a dry run)."""
        if self.dry_run:
            return None
        if self._client is None:
            self._client = AmplitudeClient(
                self.api_key or "",
                region=self.region,
                base_url=self.base_url,
                timeout=self.timeout_seconds,
                max_attempts=self.max_attempts,
                backoff_seconds=self.backoff_seconds,
                rate_limit_seconds=self.rate_limit_seconds,
            )
        return self._client
