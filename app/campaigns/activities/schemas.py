"""Campaign activities (visits, meetings, calls, materials, events) in and out."""

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from app.core.schemas import (
    Date,
    FilterModel,
    InputModel,
    Int,
    OutputModel,
    ParamInt,
    Patch,
)
from app.enterprises.codes import LanguageCode
from app.models import ActivityKind, ContactRole, Outcome

Notes = Annotated[str, Field(max_length=5000)]
MaterialIds = Annotated[
    list[Int],
    Field(
        max_length=50,
        description="Materials handed over (the library's ids); material_language is then one "
        "of their languages, and set from them when they share one.",
    ),
]
PLANNED_VISIT = (
    "The planned visit this activity carries out (marks it done): of this campaign, at the same "
    "enterprise, not cancelled, not recorded by another activity."
)
CONTACT_ROLE = (
    "Who the group met. Optional when contact_id is given: the contact's role is then used."
)

ACTIVITY_EXAMPLE: dict[str, Any] = {
    "enterprise_id": 12,
    "occurred_on": "2024-03-14",
    "kind": "visit",
    "contact_role": "owner",
    "contact_id": 31,
    "material_language": "ko",
    "outcome": "receptive",
    "notes": "Ông Kim đồng ý để công đoàn giới thiệu quần chúng ưu tú.",
    "follow_up_on": "2024-04-15",
}


class ActivityCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ACTIVITY_EXAMPLE]})

    enterprise_id: Int = Field(description="An enterprise in one of the campaign's zones.")
    occurred_on: Date = Field(description="Inside the campaign's period, not in the future.")
    kind: ActivityKind
    contact_role: ContactRole | None = Field(default=None, description=CONTACT_ROLE)
    contact_id: Int | None = Field(default=None, description="A key contact of that enterprise.")
    material_language: LanguageCode | None = Field(
        default=None, description="Language of the materials handed over (ISO 639-1)."
    )
    outcome: Outcome
    notes: Notes | None = None
    follow_up_on: Date | None = Field(default=None, description="On or after occurred_on.")
    planned_visit_id: Int | None = Field(default=None, description=PLANNED_VISIT)
    material_ids: MaterialIds = Field(default_factory=list)


class ActivityUpdate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"outcome": "agreed", "follow_up_on": None}]}
    )

    enterprise_id: Patch[Int] = None
    occurred_on: Patch[Date] = None
    kind: Patch[ActivityKind] = None
    contact_role: Patch[ContactRole] = None
    contact_id: Int | None = None
    material_language: LanguageCode | None = None
    outcome: Patch[Outcome] = None
    notes: Notes | None = None
    follow_up_on: Date | None = None
    planned_visit_id: Int | None = Field(default=None, description=PLANNED_VISIT)
    material_ids: Patch[MaterialIds] = None


class ActivityFilters(FilterModel):
    enterprise_id: ParamInt | None = None
    outcome: Outcome | None = None
    kind: ActivityKind | None = None
    occurred_from: Date | None = Field(default=None, description="On or after this date.")
    occurred_to: Date | None = Field(default=None, description="On or before this date.")


class Activity(OutputModel):
    id: int
    campaign_id: int
    enterprise_id: int
    occurred_on: dt.date
    kind: ActivityKind
    contact_role: ContactRole
    contact_id: int | None
    material_language: str | None
    outcome: Outcome
    notes: str | None
    follow_up_on: dt.date | None
    planned_visit_id: int | None
    material_ids: list[int] = Field(description="Materials handed over.")
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
