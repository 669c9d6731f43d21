"""Queries over training classes, with their attendance counted in SQL."""

from sqlalchemy import Row, Select, func, select

from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository
from app.core.text import matches_search
from app.models import ClassAttendee, TrainingClass
from app.training.schemas import TrainingClassFilters
from app.training.sorting import CLASS_ORDERINGS, ClassSort

TrainingClassListQuery = ListQuery[ClassSort, TrainingClassFilters]

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


class TrainingClassRepository(Repository[TrainingClass]):
    model = TrainingClass
    noun = "training class"

    async def list(self, query: TrainingClassListQuery) -> Slice[Row[TrainingClass, int, int]]:
        filters = query.filters
        stmt = _with_attendance()
        if filters.ended_from is not None:
            stmt = stmt.where(TrainingClass.ends_on >= filters.ended_from)
        if filters.ended_to is not None:
            stmt = stmt.where(TrainingClass.ends_on <= filters.ended_to)
        if filters.q:
            stmt = stmt.where(matches_search(TrainingClass.search_key, filters.q))
        return await self._page(stmt, CLASS_ORDERINGS[query.sort], query.limit, query.cursor)

    async def with_attendance(
        self, training_class: TrainingClass
    ) -> tuple[TrainingClass, int, int]:
        """The class with its attendees and those who completed it counted."""
        stmt = select(func.count(), func.count().filter(ClassAttendee.completed)).where(
            ClassAttendee.class_id == training_class.id
        )
        attendees, completed = (await self.session.execute(stmt)).one()
        return training_class, attendees, completed
