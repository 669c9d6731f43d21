"""Queries over training classes, with their attendance counted in SQL, and their attendees."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import Ordering, SortKey, keyset
from app.core.text import matches_search
from app.models import ClassAttendee, Member, TrainingClass

CLASS_ORDERINGS = {
    "-ends_on": Ordering(
        "-ends_on",
        (SortKey(TrainingClass.ends_on, "ends_on", True), SortKey(TrainingClass.id, "id", True)),
    ),
    "title": Ordering(
        "title", (SortKey(TrainingClass.title, "title"), SortKey(TrainingClass.id, "id"))
    ),
}
ATTENDEE_ORDERING = Ordering(
    "full_name",
    (SortKey(Member.full_name, "full_name"), SortKey(ClassAttendee.member_id, "member_id")),
)

_attendance = (
    select(
        ClassAttendee.class_id,
        func.count().label("attendees_count"),
        func.count().filter(ClassAttendee.completed).label("completed_count"),
    )
    .group_by(ClassAttendee.class_id)
    .subquery()
)


def _with_attendance() -> Select[TrainingClass, int, int]:
    return select(
        TrainingClass,
        func.coalesce(_attendance.c.attendees_count, 0).label("attendees_count"),
        func.coalesce(_attendance.c.completed_count, 0).label("completed_count"),
    ).outerjoin(_attendance, _attendance.c.class_id == TrainingClass.id)


def _attendees() -> Select[int, str, bool]:
    return select(ClassAttendee.member_id, Member.full_name, ClassAttendee.completed).join(
        Member, Member.id == ClassAttendee.member_id
    )


class TrainingClassRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        *,
        ordering: Ordering,
        limit: int,
        cursor: str | None,
        ended_from: dt.date | None = None,
        ended_to: dt.date | None = None,
        q: str | None = None,
    ) -> Sequence[Row[TrainingClass, int, int]]:
        stmt = _with_attendance()
        if ended_from is not None:
            stmt = stmt.where(TrainingClass.ends_on >= ended_from)
        if ended_to is not None:
            stmt = stmt.where(TrainingClass.ends_on <= ended_to)
        if q:
            stmt = stmt.where(matches_search(TrainingClass.search_key, q))
        return (await self.session.execute(keyset(stmt, ordering, limit, cursor))).all()

    async def attendance(self, training_class: TrainingClass) -> tuple[int, int]:
        """(attendees, completed) of one class."""
        row = (
            await self.session.execute(
                select(func.count(), func.count().filter(ClassAttendee.completed)).where(
                    ClassAttendee.class_id == training_class.id
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def add(self, training_class: TrainingClass) -> TrainingClass:
        self.session.add(training_class)
        await self.session.flush()
        return training_class

    async def delete(self, training_class: TrainingClass) -> None:
        await self.session.delete(training_class)
        await self.session.flush()


class AttendeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self, training_class: TrainingClass, *, limit: int, cursor: str | None
    ) -> Sequence[Row[int, str, bool]]:
        stmt = _attendees().where(ClassAttendee.class_id == training_class.id)
        return (await self.session.execute(keyset(stmt, ATTENDEE_ORDERING, limit, cursor))).all()

    async def get(self, class_id: int, member_id: int) -> ClassAttendee | None:
        return await self.session.get(ClassAttendee, (class_id, member_id))

    async def read(self, attendee: ClassAttendee) -> Row[int, str, bool]:
        stmt = _attendees().where(
            ClassAttendee.class_id == attendee.class_id,
            ClassAttendee.member_id == attendee.member_id,
        )
        return (await self.session.execute(stmt)).one()

    async def add(self, attendee: ClassAttendee) -> ClassAttendee:
        self.session.add(attendee)
        await self.session.flush()
        return attendee

    async def delete(self, attendee: ClassAttendee) -> None:
        await self.session.delete(attendee)
        await self.session.flush()
