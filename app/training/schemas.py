"""Training classes and their attendees in and out."""

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.core.schemas import InputModel, OutputModel, not_null

Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        examples=["Lớp bồi dưỡng nhận thức về Đảng khóa I/2024"],
    ),
]
Organizer = Annotated[str, Field(min_length=1, max_length=200, examples=["Ban Tuyên giáo"])]
Location = Annotated[str, Field(min_length=1, max_length=300, examples=["KCN Thăng Long"])]
Notes = Annotated[str, Field(max_length=5000)]


class TrainingClassCreate(InputModel):
    title: Title
    starts_on: dt.date
    ends_on: dt.date = Field(description="On or after starts_on.")
    organizer: Organizer | None = None
    location: Location | None = None
    notes: Notes | None = None


class TrainingClassUpdate(InputModel):
    title: Title | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    organizer: Organizer | None = None
    location: Location | None = None
    notes: Notes | None = None

    @field_validator("title", "starts_on", "ends_on")
    @classmethod
    def _required(cls, value: Any) -> Any:
        return not_null(value)


class TrainingClass(OutputModel):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    organizer: str | None
    location: str | None
    notes: str | None
    attendees_count: int = Field(0, description="Read-only. Candidates attending.")
    completed_count: int = Field(0, description="Read-only. Attendees who completed the class.")
    created_at: dt.datetime
    updated_at: dt.datetime


class AttendeeCreate(InputModel):
    member_id: int = Field(description="A member whose status is candidate.")
    completed: bool = False


class AttendeeUpdate(InputModel):
    completed: bool


class Attendee(OutputModel):
    member_id: int
    full_name: str
    completed: bool
