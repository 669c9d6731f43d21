"""Campaigns (the working groups) in and out."""

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from app import models
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
from app.models import CampaignStatus

Name = Annotated[
    str,
    Field(min_length=1, max_length=200, examples=["Đoàn công tác số 1 (KCN Thăng Long)"]),
    Label,
]
Description = Annotated[str, Field(max_length=5000)]
MemberName = Annotated[str, Field(min_length=1, max_length=200, examples=["Trần Thị Bình"]), Label]
MemberRole = Annotated[
    str, Field(min_length=1, max_length=100, examples=["Phó trưởng đoàn"]), Label
]
ZoneIds = Annotated[
    list[Int],
    Field(
        max_length=100,
        description="The industrial zones the group covers; replaces the whole list on update.",
        examples=[[1, 2, 3]],
    ),
]

CAMPAIGN_EXAMPLE: dict[str, Any] = {
    "name": "Đoàn công tác số 1",
    "description": "Tuyên truyền, vận động thành lập tổ chức Đảng tại KCN Thăng Long, Nội Bài",
    "leader_id": 3,
    "members": [
        {"full_name": "Trần Thị Bình", "role": "Phó trưởng đoàn", "user_id": 4},
        {"full_name": "Lê Văn Cường", "role": "Thành viên"},
    ],
    "zone_ids": [1, 2, 3],
    "starts_on": "2024-01-01",
    "ends_on": "2025-12-31",
    "status": "active",
}


def _distinct(ids: list[int] | None) -> list[int] | None:
    """Zones named twice are the same zone: keep the first mention."""
    return None if ids is None else list(dict.fromkeys(ids))


class CampaignMemberIn(InputModel):
    full_name: MemberName
    role: MemberRole | None = None
    user_id: Int | None = Field(default=None, description="Their account, if they have one.")


class CampaignCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CAMPAIGN_EXAMPLE]})

    name: Name
    description: Description | None = None
    leader_id: Int = Field(description="A user whose role is group_leader, editor or admin.")
    members: list[CampaignMemberIn] = Field(default_factory=list, max_length=100)
    zone_ids: ZoneIds = Field(default_factory=list)
    starts_on: Date
    ends_on: Date = Field(description="On or after starts_on.")
    status: CampaignStatus = CampaignStatus.PLANNED

    _zones = field_validator("zone_ids")(_distinct)


class CampaignUpdate(InputModel):
    """Fields given replace the stored ones; `members` and `zone_ids` replace the whole list."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ends_on": "2025-12-31", "zone_ids": [1, 2, 3, 4]}]}
    )

    name: Patch[Name] = None
    description: Description | None = None
    leader_id: Patch[Int] = None
    members: Patch[Annotated[list[CampaignMemberIn], Field(max_length=100)]] = None
    zone_ids: Patch[ZoneIds] = None
    starts_on: Patch[Date] = None
    ends_on: Patch[Date] = None
    status: Patch[CampaignStatus] = None

    _zones = field_validator("zone_ids")(_distinct)


class CampaignFilters(FilterModel):
    status: CampaignStatus | None = None
    zone_id: ParamInt | None = Field(default=None, description="Campaigns covering this zone.")
    leader_id: ParamInt | None = None
    active_on: Date | None = Field(
        default=None, description="Campaigns whose period includes this date."
    )
    q: str | None = Field(default=None, max_length=200, description="Search in the name.")


# A campaign with its zone ids and members, as `CampaignRepository` reads them.
CampaignRow = tuple[models.Campaign, list[int], list[models.CampaignMember]]


class CampaignMember(OutputModel):
    id: int
    full_name: str
    role: str | None
    user_id: int | None


class Campaign(OutputModel):
    id: int
    name: str
    description: str | None
    leader_id: int
    members: list[CampaignMember] = Field(default_factory=list)
    zone_ids: list[int] = Field(default_factory=list)
    starts_on: dt.date
    ends_on: dt.date
    status: CampaignStatus
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: CampaignRow) -> "Campaign":
        """The read model from a campaign, its zones and its members
        (`CampaignRepository.list` / `with_details`)."""
        campaign, zone_ids, members = row
        return cls.of_record(
            campaign,
            zone_ids=zone_ids,
            members=[CampaignMember.of_record(member) for member in members],
        )
