"""Training rules: a class ends on or after it starts; only candidates attend, once each."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound, RuleViolation
from app.core.repository import apply_changes, require_reference
from app.models import ClassAttendee, Member, MemberStatus, TrainingClass
from app.training.repository import AttendeeRepository, TrainingClassRepository
from app.training.schemas import (
    AttendeeCreate,
    AttendeeUpdate,
    TrainingClassCreate,
    TrainingClassUpdate,
)


def _check(training_class: TrainingClass) -> None:
    if training_class.ends_on < training_class.starts_on:
        raise RuleViolation("ends_on is before starts_on", field="ends_on")


class TrainingClassService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.classes = TrainingClassRepository(session)

    async def create(self, data: TrainingClassCreate) -> TrainingClass:
        training_class = TrainingClass(**data.model_dump())
        _check(training_class)
        return await self.classes.add(training_class)

    async def update(
        self, training_class: TrainingClass, data: TrainingClassUpdate
    ) -> TrainingClass:
        apply_changes(training_class, data)
        _check(training_class)
        await self.session.flush()
        return training_class

    async def delete(self, training_class: TrainingClass) -> None:
        """The attendance list goes with the class."""
        await self.classes.delete(training_class)


class AttendeeService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.attendees = AttendeeRepository(session)

    async def get(self, training_class: TrainingClass, member_id: int) -> ClassAttendee:
        attendee = await self.attendees.get(training_class.id, member_id)
        if attendee is None:
            raise NotFound(f"member {member_id} does not attend class {training_class.id}")
        return attendee

    async def add(self, training_class: TrainingClass, data: AttendeeCreate) -> ClassAttendee:
        member: Member = await require_reference(
            self.session, Member, data.member_id, "member_id", "member"
        )
        if member.status != MemberStatus.CANDIDATE:
            raise RuleViolation(
                f"member {member.id} is {member.status}, not a candidate; "
                "only candidates attend awareness classes",
                code="not_a_candidate",
                field="member_id",
            )
        if await self.attendees.get(training_class.id, member.id) is not None:
            raise Conflict(
                f"member {member.id} already attends class {training_class.id}",
                field="member_id",
            )
        attendee = ClassAttendee(
            class_id=training_class.id, member_id=member.id, completed=data.completed
        )
        return await self.attendees.add(attendee)

    async def update(self, attendee: ClassAttendee, data: AttendeeUpdate) -> ClassAttendee:
        apply_changes(attendee, data)
        await self.session.flush()
        return attendee

    async def remove(self, attendee: ClassAttendee) -> None:
        await self.attendees.delete(attendee)
