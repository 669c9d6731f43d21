"""Attainment arithmetic on targets held in memory: rounding, pace, forecast, status."""

import datetime as dt
from decimal import Decimal

import pytest

from app.core.numbers import percent
from app.models import Target
from app.targets.attainment import compute_attainment, quota_rollup
from app.targets.metrics import Measure
from app.targets.schemas import AttainmentStatus


def target(**fields: object) -> Target:
    values: dict[str, object] = {
        "id": 1,
        "name": "Kết nạp 2024",
        "metric": "members_admitted",
        "scope": "committee",
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "value": 140,
    }
    values.update(fields)
    return Target(**values)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(79, 140, "56.4"), (493, 500, "98.6"), (26, 30, "86.7"), (5, 5, "100.0"), (1, 8, "12.5")],
)
def test_percent_is_one_decimal_half_up(part: int, whole: int, expected: str) -> None:
    assert percent(part, whole) == Decimal(expected)


def test_half_year_admissions_are_on_track() -> None:
    result = compute_attainment(target(), 79, dt.date(2024, 6, 30))
    assert result.percent == Decimal("56.4")
    assert result.remaining == 61
    assert result.expected == Decimal("69.6")  # 140 × 182/366
    assert result.status is AttainmentStatus.ON_TRACK
    assert result.forecast == Decimal("158.9")  # 79 × 366/182
    assert result.needed_per_month == Decimal("10.1")  # 61 over 184 days = 6.05 months


def test_within_twenty_percent_under_pace_is_at_risk_and_below_is_behind() -> None:
    assert compute_attainment(target(), 60, dt.date(2024, 6, 30)).status is AttainmentStatus.AT_RISK
    assert compute_attainment(target(), 50, dt.date(2024, 6, 30)).status is AttainmentStatus.BEHIND


def test_zero_progress_target() -> None:
    result = compute_attainment(target(), 0, dt.date(2024, 3, 1))
    assert (result.percent, result.remaining, result.forecast) == (Decimal("0.0"), 140, Decimal(0))
    assert result.status is AttainmentStatus.BEHIND


def test_as_of_before_the_period_starts() -> None:
    result = compute_attainment(target(), 0, dt.date(2023, 12, 1))
    assert result.counted_until is None
    assert result.expected == Decimal(0)
    assert result.forecast is None
    assert result.status is AttainmentStatus.ON_TRACK


def test_deadline_passed_unmet_is_missed_and_met_is_achieved() -> None:
    term = target(
        period_start=dt.date(2020, 8, 1),
        period_end=dt.date(2025, 7, 31),
        due_on=dt.date(2024, 9, 30),
        value=500,
    )
    assert compute_attainment(term, 493, dt.date(2024, 6, 30)).status is AttainmentStatus.ON_TRACK
    assert compute_attainment(term, 499, dt.date(2024, 10, 1)).status is AttainmentStatus.MISSED
    assert compute_attainment(term, 500, dt.date(2024, 10, 1)).status is AttainmentStatus.ACHIEVED
    assert compute_attainment(term, 499, dt.date(2024, 10, 1)).needed_per_month is None


@pytest.mark.parametrize(
    ("actual", "within", "status"),
    [
        (1, False, AttainmentStatus.BEHIND),
        (3, True, AttainmentStatus.ACHIEVED),
        (6, False, AttainmentStatus.ACHIEVED),
    ],
)
def test_range_target_reports_against_both_bounds(
    actual: int, within: bool, status: AttainmentStatus
) -> None:
    zones = target(value=None, min_value=2, max_value=5, metric="industrial_zones_established")
    result = compute_attainment(zones, actual, dt.date(2024, 11, 1))
    assert result.within_range is within
    assert result.status is status
    assert result.percent == percent(actual, 2)
    assert result.percent_of_max == percent(actual, 5)


def test_quota_rollup_sums_numerators_and_denominators() -> None:
    committee = target(value=140)
    # Two quotas, 1 of 1 (100%) and 0 of 3 (0%): summed, never averaged.
    rollup = quota_rollup(committee, Measure(actual=1, quotas=2, allocated=4, quota_actual=1))
    assert (rollup.allocated, rollup.actual, rollup.unallocated) == (4, 1, 136)
    assert rollup.percent == Decimal("25.0")  # 1 of 4, not the mean of 100% and 0%
