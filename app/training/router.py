"""/training-classes: awareness classes for candidates."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import EditorUser
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag
from app.core.pagination import CursorParam, LimitParam, Page, page_of
from app.core.repository import get_or_404
from app.models import TrainingClass as TrainingClassRecord
from app.training.repository import CLASS_ORDERINGS, TrainingClassRepository
from app.training.schemas import TrainingClass, TrainingClassCreate, TrainingClassUpdate
from app.training.service import TrainingClassService

router = APIRouter(prefix="/training-classes", tags=["training-classes"])


async def valid_class(class_id: int, session: SessionDep) -> TrainingClassRecord:
    return await get_or_404(session, TrainingClassRecord, class_id, "training class")


ClassDep = Annotated[TrainingClassRecord, Depends(valid_class)]


def _view(training_class: TrainingClassRecord, attendees: int, completed: int) -> TrainingClass:
    return TrainingClass.model_validate(training_class).model_copy(
        update={"attendees_count": attendees, "completed_count": completed}
    )


async def _read(
    session: SessionDep, training_class: TrainingClassRecord, response: Response
) -> TrainingClass:
    attendees, completed = await TrainingClassRepository(session).attendance(training_class)
    set_etag(response, training_class.version)
    return _view(training_class, attendees, completed)


@router.get("", response_model=Page[TrainingClass])
async def list_classes(
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    sort: Literal["-ends_on", "title"] = "-ends_on",
    ended_from: Annotated[dt.date | None, Query(description="Ended on or after this date.")] = None,
    ended_to: Annotated[dt.date | None, Query(description="Ended on or before this date.")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Title; accents optional.")] = None,
) -> Page[TrainingClass]:
    ordering = CLASS_ORDERINGS[sort]
    rows = await TrainingClassRepository(session).list(
        ordering=ordering,
        limit=limit,
        cursor=cursor,
        ended_from=ended_from,
        ended_to=ended_to,
        q=q,
    )
    items, next_cursor = page_of(rows, ordering, limit)
    return Page(items=[_view(*row) for row in items], next_cursor=next_cursor)


@router.post("", response_model=TrainingClass, status_code=status.HTTP_201_CREATED)
async def create_class(
    data: TrainingClassCreate, session: SessionDep, _user: EditorUser, response: Response
) -> TrainingClass:
    training_class = await TrainingClassService(session).create(data)
    response.headers["Location"] = f"/api/v1/training-classes/{training_class.id}"
    return await _read(session, training_class, response)


@router.get("/{class_id}", response_model=TrainingClass)
async def get_class(
    training_class: ClassDep, session: SessionDep, response: Response
) -> TrainingClass:
    return await _read(session, training_class, response)


@router.patch("/{class_id}", response_model=TrainingClass, responses=problem_responses(412))
async def update_class(
    training_class: ClassDep,
    data: TrainingClassUpdate,
    session: SessionDep,
    _user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> TrainingClass:
    check_if_match(if_match, training_class.version)
    training_class = await TrainingClassService(session).update(training_class, data)
    return await _read(session, training_class, response)


@router.delete(
    "/{class_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(412)
)
async def delete_class(
    training_class: ClassDep, session: SessionDep, _user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a class with its attendance list."""
    check_if_match(if_match, training_class.version)
    await TrainingClassService(session).delete(training_class)
