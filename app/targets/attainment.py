"""Attainment arithmetic: percentages, linear pace, forecast and status, from counts."""

import datetime as dt
from decimal import Decimal

from app.core.numbers import one_decimal, percent
from app.models import Target
from app.targets.constants import AT_RISK_SHARE, DAYS_PER_MONTH
from app.targets.metrics import Measure
from app.targets.schemas import Attainment, AttainmentStatus, QuotaRollup, TargetTerms

# The target's own fields an attainment repeats: read from it, validated once with the rest.
_TERMS = tuple(TargetTerms.model_fields)


def _days(start: dt.date, end: dt.date) -> int:
    """Days from start to end, both included."""
    return (end - start).days + 1


def compute_attainment(
    target: Target, actual: int, as_of: dt.date, rollup: QuotaRollup | None = None
) -> Attainment:
    lower = target.value if target.value is not None else target.min_value or 0
    deadline = target.due_on or target.period_end
    started = as_of >= target.period_start
    counted_until = min(as_of, target.period_end) if started else None

    if started:
        paced_days = _days(target.period_start, min(as_of, deadline))
        expected = Decimal(lower) * paced_days / _days(target.period_start, deadline)
        elapsed = _days(target.period_start, min(as_of, target.period_end))
        forecast: Decimal | None = one_decimal(
            Decimal(actual) * _days(target.period_start, target.period_end) / elapsed
        )
    else:
        expected, forecast = Decimal(0), None

    remaining = max(lower - actual, 0)
    if as_of >= deadline:
        needed: Decimal | None = None
    else:
        months_left = Decimal((deadline - max(as_of, target.period_start)).days) / DAYS_PER_MONTH
        needed = one_decimal(Decimal(remaining) / months_left) if months_left else None

    if actual >= lower:
        status = AttainmentStatus.ACHIEVED
    elif as_of > deadline:
        status = AttainmentStatus.MISSED
    elif actual >= expected:
        status = AttainmentStatus.ON_TRACK
    elif actual >= expected * AT_RISK_SHARE:
        status = AttainmentStatus.AT_RISK
    else:
        status = AttainmentStatus.BEHIND

    is_range = target.value is None
    return Attainment(
        **{name: getattr(target, name) for name in _TERMS},
        target_id=target.id,
        as_of=as_of,
        counted_until=counted_until,
        actual=actual,
        target=target.value,
        min_value=target.min_value,
        max_value=target.max_value,
        percent=percent(actual, lower),
        percent_of_max=percent(actual, target.max_value) if is_range else None,
        within_range=(
            (target.min_value or 0) <= actual <= (target.max_value or 0) if is_range else None
        ),
        remaining=remaining,
        expected=one_decimal(expected),
        forecast=forecast,
        needed_per_month=needed,
        status=status,
        quota_rollup=rollup,
    )


def quota_rollup(committee: Target, measured: Measure) -> QuotaRollup:
    return QuotaRollup(
        quotas=measured.quotas,
        allocated=measured.allocated,
        unallocated=(committee.value or committee.min_value or 0) - measured.allocated,
        actual=measured.quota_actual,
        percent=percent(measured.quota_actual, measured.allocated),
    )
