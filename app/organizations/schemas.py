"""Party organizations in and out."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from app import models
from app.core.schemas import (
    CodeText,
    Date,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.models import OrganizationKind, Ownership
from app.party.asof import MemberCounts
from app.party.charter import (
    COMMITTEE_SIZE,
    MINIMUM_OFFICIAL,
    below_minimum_official,
    size_suggests_committee,
)

Name = Annotated[
    str, Field(min_length=1, max_length=300, examples=["Chi bộ Công ty TNHH ABC"]), Label
]
DecisionNo = Annotated[str, Field(min_length=1, max_length=100, examples=["45-QĐ/ĐU"]), CodeText]
Notes = Annotated[str, Field(max_length=5000)]


class Sector(StrEnum):
    """The ownership of the enterprise an organization sits in; none outside enterprises."""

    STATE = "state"
    DOMESTIC_PRIVATE = "domestic_private"
    FDI = "fdi"
    NONE = "none"


class OrganizationFlag(StrEnum):
    BELOW_MINIMUM_OFFICIAL = "below_minimum_official"
    SIZE_SUGGESTS_COMMITTEE = "size_suggests_committee"


class OrganizationCreate(InputModel):
    name: Name
    kind: OrganizationKind
    parent_id: Int | None = Field(
        default=None, description="The grassroots committee an affiliated cell belongs to."
    )
    enterprise_id: Int | None = Field(
        default=None, description="Null for organizations outside enterprises."
    )
    established_on: Date
    decision_no: DecisionNo | None = None
    campaign_id: Int | None = Field(
        default=None, description="The outreach working group credited with establishing it."
    )
    notes: Notes | None = None


class OrganizationUpdate(InputModel):
    """Kind, parent and enterprise are fixed: restructuring is a dissolution and a new decision."""

    name: Patch[Name] = None
    established_on: Patch[Date] = None
    decision_no: DecisionNo | None = None
    campaign_id: Int | None = None
    notes: Notes | None = None


class OrganizationFilters(FilterModel):
    as_of: Date | None = Field(
        default=None,
        description="Organizations active on this date, with their members then.",
    )
    kind: OrganizationKind | None = None
    parent_id: ParamInt | None = None
    enterprise_id: ParamInt | None = None
    zone_id: ParamInt | None = None
    sector: Sector | None = None
    active_on: Date | None = Field(default=None, description="Active on this date.")
    q: str | None = Field(default=None, max_length=200, description="Name or decision number.")


class Dissolution(InputModel):
    dissolved_on: Date
    reason: Annotated[str, Field(min_length=1, max_length=2000), Label]
    decision_no: DecisionNo | None = None


class Organization(OutputModel):
    id: int
    name: str
    kind: OrganizationKind
    parent_id: int | None
    enterprise_id: int | None
    sector: Sector = Sector.NONE
    established_on: dt.date
    decision_no: str | None
    campaign_id: int | None
    notes: str | None
    dissolved_on: dt.date | None
    dissolution_reason: str | None
    dissolution_decision_no: str | None
    is_active: bool = Field(True, description="Not dissolved on the date asked (today by default).")
    official_members: int = Field(
        0, description="Official members on the date; a committee's include its affiliated cells'."
    )
    probationary_members: int = 0
    affiliated_cells: int = Field(0, description="Active affiliated cells (committees only).")
    flags: list[OrganizationFlag] = Field(
        default_factory=list,
        description=f"below_minimum_official: fewer than {MINIMUM_OFFICIAL} official members; "
        f"size_suggests_committee: a grassroots cell with {COMMITTEE_SIZE} or more members.",
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: "OrganizationRow", on: dt.date) -> "Organization":
        """The read model on `on` from an organization, its enterprise's ownership, its active
        affiliated cells and its members (`OrganizationRepository.list` / `with_counts`),
        flagged where the Charter's sizes are not met (docs/domain.md, "Organization flags"):
        the flags inform, they block nothing."""
        organization, ownership, active_cells, counts = row
        active = organization.is_active_on(on)
        flags = []
        if active and below_minimum_official(counts.official):
            flags.append(OrganizationFlag.BELOW_MINIMUM_OFFICIAL)
        if organization.kind == OrganizationKind.GRASSROOTS_CELL and size_suggests_committee(
            counts.members
        ):
            flags.append(OrganizationFlag.SIZE_SUGGESTS_COMMITTEE)
        return cls.of_record(
            organization,
            sector=Sector(ownership) if ownership else Sector.NONE,
            is_active=active,
            official_members=counts.official,
            probationary_members=counts.probationary,
            affiliated_cells=active_cells,
            flags=flags,
        )


# An organization, its enterprise's ownership, its active affiliated cells and its members, all
# on one date.
OrganizationRow = tuple[models.Organization, Ownership | None, int, MemberCounts]
