"""Planned visits in and out."""

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field

from app.core.schemas import (
    Date,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.models import ContactRole, VisitStatus

Purpose = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        examples=["Giới thiệu Nghị quyết 09, đề nghị giới thiệu quần chúng ưu tú"],
    ),
    Label,
]
Notes = Annotated[str, Field(max_length=5000)]
MaterialIds = Annotated[list[Int], Field(max_length=50, description="Materials to bring.")]


def _distinct(roles: list[ContactRole]) -> list[ContactRole]:
    return list(dict.fromkeys(roles))


ContactRoles = Annotated[
    list[ContactRole],
    Field(max_length=7, description="Whom the group means to meet (each role once)."),
    AfterValidator(_distinct),
]

VISIT_EXAMPLE: dict[str, Any] = {
    "enterprise_id": 12,
    "planned_on": "2024-09-18",
    "purpose": "Gặp chủ doanh nghiệp, giới thiệu tài liệu tiếng Hàn về tổ chức đảng",
    "contact_roles": ["owner", "union_chair"],
    "material_ids": [3],
}


class VisitCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [VISIT_EXAMPLE]})

    enterprise_id: Int = Field(description="An enterprise in one of the campaign's zones.")
    planned_on: Date = Field(description="Inside the campaign's period; future dates allowed.")
    purpose: Purpose
    contact_roles: ContactRoles = Field(default_factory=list)
    material_ids: MaterialIds = Field(default_factory=list)
    notes: Notes | None = None


class VisitUpdate(InputModel):
    """`status` moves between planned and cancelled; a visit is done only by the activity that
    records it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"planned_on": "2024-09-25"}]})

    enterprise_id: Patch[Int] = None
    planned_on: Patch[Date] = None
    purpose: Patch[Purpose] = None
    contact_roles: Patch[ContactRoles] = None
    material_ids: Patch[MaterialIds] = None
    status: Patch[VisitStatus] = Field(default=None, description="planned or cancelled.")
    notes: Notes | None = None


class VisitFilters(FilterModel):
    status: VisitStatus | None = Field(
        default=None, description="As shown: planned, missed, done or cancelled."
    )
    enterprise_id: ParamInt | None = None
    planned_from: Date | None = Field(default=None, description="On or after this date.")
    planned_to: Date | None = Field(default=None, description="On or before this date.")


class Visit(OutputModel):
    id: int
    campaign_id: int
    enterprise_id: int
    planned_on: dt.date
    purpose: str
    contact_roles: list[ContactRole]
    material_ids: list[int]
    status: VisitStatus = Field(
        description="done when an activity records it; missed when planned and its day has "
        "passed (Hanoi); else planned or cancelled."
    )
    activity_id: int | None = Field(description="The activity that fulfilled it.")
    notes: str | None
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class FeedToken(OutputModel):
    url: str = Field(
        description="Subscribe to it in a calendar app; whoever has it reads your visits. A new "
        "token replaces it; DELETE revokes it."
    )
    created_at: dt.datetime
