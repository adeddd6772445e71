"""The API budget floor: when a sync must stop, and what it says."""

import pytest

from sf_assets.lib.budget import check_budget


def test_below_the_floor_is_allowed() -> None:
    verdict = check_budget(799, 1000, 0.8)
    assert verdict.allowed and verdict.floor == 800 and verdict.remaining == 201


def test_at_the_floor_stops() -> None:
    assert not check_budget(800, 1000, 0.8).allowed


def test_the_message_says_what_remains_and_when_it_frees_up() -> None:
    message = check_budget(850, 1000, 0.8).message("sfdc_prod")
    assert "'sfdc_prod' has used 850 of its 1,000 daily API requests" in message
    assert "stop at 80% (800)" in message and "other 150" in message
    assert "rolling 24-hour window" in message and "retried later" in message


@pytest.mark.parametrize("fraction", [0, -0.1, 1.01])
def test_a_fraction_outside_0_to_1_is_refused(fraction: float) -> None:
    with pytest.raises(ValueError, match="max_used_fraction"):
        check_budget(1, 10, fraction)
