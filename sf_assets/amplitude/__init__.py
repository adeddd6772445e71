"""The Amplitude Group Identify client: batching within limits, retries, bisection of refusals."""

from .client import REGIONS, AmplitudeClient
from .errors import (
    AmplitudeAuthError,
    AmplitudeConfigError,
    AmplitudeError,
    AmplitudeRateLimited,
    AmplitudeRequestError,
    AmplitudeUnavailable,
    IdentificationTooLarge,
    InvalidIdentification,
)
from .report import DeliveryReport, Rejected

__all__ = [
    "REGIONS",
    "AmplitudeAuthError",
    "AmplitudeClient",
    "AmplitudeConfigError",
    "AmplitudeError",
    "AmplitudeRateLimited",
    "AmplitudeRequestError",
    "AmplitudeUnavailable",
    "DeliveryReport",
    "IdentificationTooLarge",
    "InvalidIdentification",
    "Rejected",
]
