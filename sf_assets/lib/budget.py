"""The Salesforce API budget: stop a sync before it eats the calls the org's other integrations need.

Salesforce allows each org a number of API requests per rolling 24 hours (`DailyApiRequests`).
A sync stops once the calls used reach `max_used_fraction` of that allowance (the floor), leaving
the rest to the org's other integrations; calls free up as they age out of the rolling window, so
a retry within hours usually finds room again.
"""

from dataclasses import dataclass

DEFAULT_MAX_USED_FRACTION = 0.8


@dataclass(frozen=True)
class BudgetVerdict:
    used: int
    maximum: int
    max_used_fraction: float

    @property
    def floor(self) -> int:
        """The number of used calls at which syncs stop."""
        return int(self.maximum * self.max_used_fraction)

    @property
    def allowed(self) -> bool:
        return self.used < self.floor

    @property
    def remaining(self) -> int:
        return max(0, self.maximum - self.used)

    def message(self, instance: str) -> str:
        return (
            f"Salesforce instance {instance!r} has used {self.used:,} of its {self.maximum:,} daily API "
            f"requests; syncs stop at {self.max_used_fraction:.0%} ({self.floor:,}) to leave the other "
            f"{self.remaining:,} to the org's other integrations. Calls free up as they age out of "
            "Salesforce's rolling 24-hour window, so the partition is retried later; raise "
            "api_budget.max_used_fraction in sf_assets.yaml to allow more"
        )


def check_budget(
    used: int, maximum: int, max_used_fraction: float = DEFAULT_MAX_USED_FRACTION
) -> BudgetVerdict:
    if not 0 < max_used_fraction <= 1:
        raise ValueError(f"max_used_fraction must be within (0, 1], got {max_used_fraction}")
    return BudgetVerdict(used=used, maximum=maximum, max_used_fraction=max_used_fraction)
