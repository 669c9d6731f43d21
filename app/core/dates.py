"""Calendar arithmetic the Party Charter's rules are written in: local dates and full months."""

import calendar
import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, func

from app.core.problem_codes import ProblemCode

# Vietnam keeps UTC+7 all year; "not in the future" means after today's date in Hanoi.
HANOI = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


MONTHS_PER_YEAR = 12


def today() -> dt.date:
    return dt.datetime.now(HANOI).date()


def recorded_by(moment: Any, day: dt.date) -> ColumnElement[bool]:
    """SQL: the timestamp `moment` (a created_at) falls on `day` or before, in Hanoi."""
    return func.timezone(HANOI.tzname(None), moment) < day + dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 29th–31st fall back to the month's last day."""
    index = day.year * MONTHS_PER_YEAR + day.month - 1 + months
    year, month = divmod(index, MONTHS_PER_YEAR)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Completed months from start to end (age in full months when start is a birth date)."""
    months = (end.year - start.year) * MONTHS_PER_YEAR + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def ensure_not_future(day: dt.date, field: str) -> None:
    """Records describe what happened: a date after today (in Hanoi) is refused with 422."""
    from app.core.errors import RuleViolation

    if day > today():
        raise RuleViolation(
            f"{field} {day} is in the future", code=ProblemCode.DATE_IN_FUTURE, field=field
        )
