"""What a delivery did: accepted identifications, rejected ones with Amplitude's answer, and its cost."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejected:
    """One identification Amplitude refused even alone (or that could not be sent at all).

    `status` is Amplitude's (400, 413), or the one it would give for a payload refused before sending.
    """

    identification: dict
    status: int
    error: str


@dataclass
class DeliveryReport:
    """Outcome of `AmplitudeClient.send` (or of one step of it, for `on_batch`).

    `sent` holds identifications as sent, after splitting (a big group may appear several times).
    `requests` counts every HTTP request, retries included; `bytes_sent` their bodies.
    """

    sent: list[dict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0
