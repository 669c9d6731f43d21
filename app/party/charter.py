"""The Party Charter's numbers, defined once (docs/domain.md, "Members and candidates" and
"Party organizations"); rules are written with these names, never with bare numbers."""

import datetime as dt

from app.core.dates import add_months

# Admission (kết nạp): 18 to 60 years old, counted in full months on the admission date.
MIN_ADMISSION_AGE_MONTHS = 18 * 12
MAX_ADMISSION_AGE_MONTHS = 60 * 12
# Probation (dự bị) lasts 12 months from admission before recognition as official.
PROBATION_MONTHS = 12
# A candidate's dossier older than this without admission is stale.
DOSSIER_STALE_MONTHS = 12
# A grassroots organization needs at least 3 official members.
MINIMUM_OFFICIAL = 3
# From 30 party members a grassroots cell should become a grassroots committee.
COMMITTEE_SIZE = 30


def probation_ends_on(admitted_on: dt.date) -> dt.date:
    """The day probation is complete: PROBATION_MONTHS after admission, month ends clamped."""
    return add_months(admitted_on, PROBATION_MONTHS)


def below_minimum_official(official: int) -> bool:
    """An organization with fewer official members than the Charter's minimum."""
    return official < MINIMUM_OFFICIAL


def size_suggests_committee(members: int) -> bool:
    """A grassroots cell large enough to become a grassroots committee."""
    return members >= COMMITTEE_SIZE
