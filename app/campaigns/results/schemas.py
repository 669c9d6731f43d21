"""The campaign's pipeline rows and its summary of results."""

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import Field

from app.core.schemas import DecimalNumber, FilterModel, OutputModel, ParamInt
from app.models import ContactRole, Ownership
from app.party.charter import MINIMUM_OFFICIAL


class Stage(StrEnum):
    """Where an enterprise stands with the working group on a date."""

    NOT_CONTACTED = "not_contacted"
    CONTACTED = "contacted"
    RECEPTIVE = "receptive"
    AGREED = "agreed"
    DECLINED = "declined"
    ESTABLISHED = "established"


class PipelineFilters(FilterModel):
    stage: Stage | None = None
    zone_id: ParamInt | None = None


class PipelineEntry(OutputModel):
    enterprise_id: int
    enterprise_name: str
    zone_id: int
    stage: Stage = Field(
        description="established when a grassroots organization was established there during "
        "the campaign; else from the latest outcome on or before the date (no_response is "
        "contacted); not_contacted without any activity."
    )
    last_contact_on: dt.date | None = Field(
        description="The latest activity on or before the date."
    )
    next_follow_up_on: dt.date | None = Field(
        description="The earliest follow-up on or after the date, else the latest activity's."
    )
    contact_roles_met: list[ContactRole] = Field(
        description="The roles of the people met so far, each once."
    )
    official_members: int = Field(description="Official party members employed there on the date.")
    ready: bool = Field(
        description=f"{MINIMUM_OFFICIAL} or more official members employed and no active "
        "grassroots organization: one can be established now."
    )
    organization_id: int | None = Field(
        description="The grassroots organization established during the campaign, if any."
    )
    workers_count: int
    ownership: Ownership
    investor_country: str | None
    suggested_language: str = Field(
        description="ISO 639-1 language of materials for the owner, from the investor country; "
        "vi for state and domestic private enterprises.",
        examples=["ko"],
    )

    @classmethod
    def from_row(cls, row: Any) -> "PipelineEntry":
        """The entry from a row of `PipelineRepository.list` (its ordering column dropped)."""
        values = dict(row._mapping)
        values.pop("priority")
        values["contact_roles_met"] = values["contact_roles_met"] or []
        return cls.model_validate(values)


class MonthCount(OutputModel):
    month: str = Field(examples=["2024-03"], description="YYYY-MM")
    count: int


class CampaignSummary(OutputModel):
    campaign_id: int
    as_of: dt.date
    enterprises_assigned: int = Field(description="Enterprises in the campaign's zones.")
    contacted: int = Field(description="Enterprises with at least one activity by the date.")
    receptive: int = Field(description="Enterprises whose latest outcome is receptive.")
    agreed: int = Field(description="Enterprises whose latest outcome is agreed.")
    declined: int = Field(description="Enterprises whose latest outcome is declined.")
    organizations_established: int = Field(
        description="Grassroots organizations established in the campaign's enterprises "
        "between its start and the date (or its end)."
    )
    organizations_credited: int = Field(
        description="Organizations established by the date that credit this campaign."
    )
    conversion_rate: DecimalNumber | None = Field(
        description="organizations_established / contacted, in percent with one decimal "
        "(half-up); null when no enterprise was contacted.",
        examples=[33.3],
    )
    activities_per_month: list[MonthCount] = Field(
        description="Every month from the start to the date (or the end), zeros included."
    )
    overdue_follow_ups: int = Field(
        description="Enterprises whose latest activity asked for a follow-up before the date."
    )
