"""/training-classes/{class_id}/attendees: the candidates in a class and their completion."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.models import ClassAttendee
from app.training.repository import ATTENDEE_ORDERING, AttendeeRepository
from app.training.router import ClassDep
from app.training.schemas import Attendee, AttendeeCreate, AttendeeUpdate
from app.training.service import AttendeeService

router = APIRouter(prefix="/training-classes/{class_id}/attendees", tags=["class-attendees"])


async def valid_attendee(
    training_class: ClassDep, member_id: int, session: SessionDep
) -> ClassAttendee:
    return await AttendeeService(session).get(training_class, member_id)


AttendeeDep = Annotated[ClassAttendee, Depends(valid_attendee)]


async def _read(session: SessionDep, attendee: ClassAttendee) -> Attendee:
    return Attendee.model_validate(await AttendeeRepository(session).read(attendee))


@router.get("", response_model=Page[Attendee])
async def list_attendees(
    training_class: ClassDep,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[Attendee]:
    """Attendees by name."""
    rows = await AttendeeRepository(session).list(training_class, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, ATTENDEE_ORDERING, limit)
    return Page(items=[Attendee.model_validate(row) for row in items], next_cursor=next_cursor)


@router.post(
    "",
    response_model=Attendee,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409),
)
async def add_attendee(
    training_class: ClassDep,
    data: AttendeeCreate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
) -> Attendee:
    """Enrol a candidate (422 for anyone else, 409 if already enrolled)."""
    attendee = await AttendeeService(session).add(training_class, data)
    response.headers["Location"] = (
        f"/api/v1/training-classes/{training_class.id}/attendees/{attendee.member_id}"
    )
    return await _read(session, attendee)


@router.get("/{member_id}", response_model=Attendee)
async def get_attendee(attendee: AttendeeDep, session: SessionDep) -> Attendee:
    return await _read(session, attendee)


@router.patch("/{member_id}", response_model=Attendee)
async def update_attendee(
    attendee: AttendeeDep, data: AttendeeUpdate, session: SessionDep, _user: EditorUser
) -> Attendee:
    """Record whether the attendee completed the class."""
    attendee = await AttendeeService(session).update(attendee, data)
    return await _read(session, attendee)


@router.delete("/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_attendee(attendee: AttendeeDep, session: SessionDep, _user: EditorUser) -> None:
    await AttendeeService(session).remove(attendee)
