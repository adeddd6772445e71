"""Amplitude failures as exceptions named for the condition, each saying what to do.

Transient failures (429, 5xx, timeouts) are retried inside the client; these are raised when that
is over or pointless. Errors raised during `send` carry `.report`: what was delivered before, so the
caller can record partial progress. Payloads refused before sending are `InvalidIdentification` /
`IdentificationTooLarge` (from `sf_assets.lib.amplitude_batches`, which has no client to depend on).
"""

from ..lib.amplitude_batches import IdentificationTooLarge, InvalidIdentification
from .report import DeliveryReport

__all__ = [
    "AmplitudeAuthError",
    "AmplitudeConfigError",
    "AmplitudeError",
    "AmplitudeRateLimited",
    "AmplitudeRequestError",
    "AmplitudeUnavailable",
    "IdentificationTooLarge",
    "InvalidIdentification",
]


class AmplitudeError(Exception):
    """Base of the client's failures: `status` (None without a response), `action`, `report`."""

    default_action = "See Amplitude's answer in the message."

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        action: str | None = None,
        report: DeliveryReport | None = None,
    ) -> None:
        self.status = status
        self.action = action or self.default_action
        self.report = report if report is not None else DeliveryReport()
        self.detail = message
        wire = "" if status is None else f" (HTTP {status})"
        super().__init__(f"{message}{wire}. {self.action}")


class AmplitudeConfigError(AmplitudeError, ValueError):
    """A client setting is unusable before any request is made; `setting` names it."""

    def __init__(self, message: str, *, setting: str) -> None:
        self.setting = setting
        super().__init__(message, action=f"Fix the `{setting}` setting of the Amplitude resource.")


class AmplitudeAuthError(AmplitudeError):
    """Amplitude refused the API key: nothing more can be sent with it, so the whole run stops."""

    default_action = (
        "Check the Amplitude project API key (the `api_key` of the Amplitude resource, from its "
        "environment variable) and that it belongs to the project of this region (`region`/`base_url`)."
    )


class AmplitudeUnavailable(AmplitudeError):
    """Transient failures (5xx, timeouts, connection errors) went on past `max_attempts`."""

    default_action = (
        "Amplitude (or the network to it) is failing; the groups not in `.report.sent` are sent again "
        "on the next run. Raise `max_attempts`/`backoff_seconds` if this is frequent."
    )


class AmplitudeRateLimited(AmplitudeUnavailable):
    """Amplitude kept answering 429 (throttled) past `max_attempts`."""

    default_action = (
        "Amplitude is throttling this project; the unsent groups go on the next run. Send less often, "
        "or raise `rate_limit_seconds`/`max_attempts`."
    )


class AmplitudeRequestError(AmplitudeError):
    """An answer the client cannot act on (403 WAF block, 404 wrong URL, …); it is not retried."""

    default_action = "Check `base_url`/`region` of the Amplitude resource; a 403 is a firewall block to raise with Amplitude."
