"""Attendees of a training class in and out."""

from pydantic import Field

from app.core.schemas import Bool, InputModel, Int, OutputModel


class AttendeeCreate(InputModel):
    member_id: Int = Field(description="A member whose status is candidate.")
    completed: Bool = False


class AttendeeUpdate(InputModel):
    completed: Bool


class Attendee(OutputModel):
    member_id: int
    full_name: str
    completed: bool
