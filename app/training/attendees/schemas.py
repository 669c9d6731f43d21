"""Attendees of a training class in and out."""

from pydantic import Field

from app.core.schemas import InputModel, OutputModel


class AttendeeCreate(InputModel):
    member_id: int = Field(description="A member whose status is candidate.")
    completed: bool = False


class AttendeeUpdate(InputModel):
    completed: bool


class Attendee(OutputModel):
    member_id: int
    full_name: str
    completed: bool
