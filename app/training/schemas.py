"""Training classes in and out."""

import datetime as dt
from typing import Annotated

from pydantic import Field

from app import models
from app.core.schemas import (
    Date,
    FilterModel,
    InputModel,
    Label,
    OutputModel,
    Patch,
)

Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        examples=["Lớp bồi dưỡng nhận thức về Đảng khóa I/2024"],
    ),
    Label,
]
Organizer = Annotated[str, Field(min_length=1, max_length=200, examples=["Ban Tuyên giáo"]), Label]
Location = Annotated[str, Field(min_length=1, max_length=300, examples=["KCN Thăng Long"]), Label]
Notes = Annotated[str, Field(max_length=5000)]


class TrainingClassCreate(InputModel):
    title: Title
    starts_on: Date
    ends_on: Date = Field(description="On or after starts_on.")
    organizer: Organizer | None = None
    location: Location | None = None
    notes: Notes | None = None


class TrainingClassUpdate(InputModel):
    title: Patch[Title] = None
    starts_on: Patch[Date] = None
    ends_on: Patch[Date] = None
    organizer: Organizer | None = None
    location: Location | None = None
    notes: Notes | None = None


class TrainingClassFilters(FilterModel):
    ended_from: Date | None = Field(default=None, description="Ended on or after this date.")
    ended_to: Date | None = Field(default=None, description="Ended on or before this date.")
    q: str | None = Field(default=None, max_length=200, description="Title; accents optional.")


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

    @classmethod
    def from_row(cls, row: tuple[models.TrainingClass, int, int]) -> "TrainingClass":
        """The read model from a class and its attendance (`TrainingClassRepository.list` /
        `with_attendance`)."""
        training_class, attendees, completed = row
        return cls.of_record(training_class, attendees_count=attendees, completed_count=completed)
