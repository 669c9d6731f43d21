"""What the demo seeding steps share: the session, a seeded random source, the key dates of the
reference facts, and the records created so far."""

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Campaign, Enterprise, IndustrialZone, Member, Organization, User

REFERENCE_DAY = dt.date(2024, 6, 30)  # the interview's figures are as of the first half of 2024
YEAR_START = dt.date(2024, 1, 1)
TERM_START = dt.date(2020, 8, 1)  # the committee's 2020–2025 congress term
TERM_END = dt.date(2025, 7, 31)
TERM_DUE = dt.date(2024, 9, 30)  # the committee's own deadline for the term targets


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class OrgPlan:
    organization: Organization
    weight: int = 1  # share of admissions it receives


@dataclass
class DemoContext:
    session: AsyncSession
    copy: int = 0  # benchmarks load several copies side by side; codes carry the copy number
    rng: random.Random = field(default_factory=lambda: random.Random(20240630))
    zones: list[IndustrialZone] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    closed_enterprises: list[Enterprise] = field(default_factory=list)
    organizations: list[OrgPlan] = field(default_factory=list)
    new_this_year: list[Organization] = field(default_factory=list)
    leaders: list[User] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    candidates: list[Member] = field(default_factory=list)
    serial: int = 0

    def suffix(self) -> str:
        return f"-{self.copy}" if self.copy else ""

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial
