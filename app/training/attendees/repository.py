"""Queries over the attendees of a training class, read with their names."""

from sqlalchemy import Row, Select, select

from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository
from app.models import ClassAttendee, Member, TrainingClass
from app.training.attendees.sorting import ATTENDEE_ORDERING

AttendeeListQuery = ListQuery[None, None]


def _attendees() -> Select[int, str, bool]:
    return select(ClassAttendee.member_id, Member.full_name, ClassAttendee.completed).join(
        Member, Member.id == ClassAttendee.member_id
    )


class AttendeeRepository(Repository[ClassAttendee]):
    model = ClassAttendee
    noun = "attendee"

    async def get_in(self, training_class: TrainingClass, member_id: int) -> ClassAttendee:
        """The member's attendance of the class (404 when they do not attend it)."""
        attendee = await self.get_or_none((training_class.id, member_id))
        if attendee is None:
            raise NotFound(f"member {member_id} does not attend class {training_class.id}")
        return attendee

    async def list(
        self, training_class: TrainingClass, query: AttendeeListQuery
    ) -> Slice[Row[int, str, bool]]:
        stmt = _attendees().where(ClassAttendee.class_id == training_class.id)
        return await self._page(stmt, ATTENDEE_ORDERING, query.limit, query.cursor)

    async def read(self, attendee: ClassAttendee) -> Row[int, str, bool]:
        """The attendee with their name, as the list shows them."""
        stmt = _attendees().where(
            ClassAttendee.class_id == attendee.class_id,
            ClassAttendee.member_id == attendee.member_id,
        )
        return (await self.session.execute(stmt)).one()
