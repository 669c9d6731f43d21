"""Party organizations in and out."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from app.core.schemas import InputModel, OutputModel
from app.models import OrganizationKind

Name = Annotated[str, Field(min_length=1, max_length=300, examples=["Chi bộ Công ty TNHH ABC"])]
DecisionNo = Annotated[str, Field(min_length=1, max_length=100, examples=["45-QĐ/ĐU"])]
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
    parent_id: int | None = Field(
        default=None, description="The grassroots committee an affiliated cell belongs to."
    )
    enterprise_id: int | None = Field(
        default=None, description="Null for organizations outside enterprises."
    )
    established_on: dt.date
    decision_no: DecisionNo | None = None
    campaign_id: int | None = Field(
        default=None, description="The outreach working group credited with establishing it."
    )
    notes: Notes | None = None


class OrganizationUpdate(InputModel):
    """Kind, parent and enterprise are fixed: restructuring is a dissolution and a new decision."""

    name: Name | None = None
    established_on: dt.date | None = None
    decision_no: DecisionNo | None = None
    campaign_id: int | None = None
    notes: Notes | None = None


class Dissolution(InputModel):
    dissolved_on: dt.date
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
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
        description="below_minimum_official: fewer than 3 official members; "
        "size_suggests_committee: a grassroots cell with 30 or more members.",
    )
    created_at: dt.datetime
    updated_at: dt.datetime
