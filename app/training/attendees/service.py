"""Attendance rules: only candidates attend an awareness class, once each."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.members.repository import MemberRepository
from app.models import ClassAttendee, MemberStatus, TrainingClass
from app.training.attendees.repository import AttendeeRepository
from app.training.attendees.schemas import AttendeeCreate, AttendeeUpdate


class AttendeeService:
    def __init__(self, session: AsyncSession) -> None:
        self.attendees = AttendeeRepository(session)
        self.members = MemberRepository(session)

    async def add(self, training_class: TrainingClass, data: AttendeeCreate) -> ClassAttendee:
        member = await self.members.reference(data.member_id, "member_id")
        if member.status != MemberStatus.CANDIDATE:
            raise RuleViolation(
                f"member {member.id} is {member.status}, not a candidate; "
                "only candidates attend awareness classes",
                code=ProblemCode.NOT_A_CANDIDATE,
                field="member_id",
            )
        if await self.attendees.get_or_none((training_class.id, member.id)) is not None:
            raise Conflict(
                f"member {member.id} already attends class {training_class.id}",
                field="member_id",
            )
        attendee = ClassAttendee(
            class_id=training_class.id, member_id=member.id, completed=data.completed
        )
        return await self.attendees.add(attendee)

    async def update(self, attendee: ClassAttendee, data: AttendeeUpdate) -> ClassAttendee:
        return await self.attendees.update(attendee, data)

    async def remove(self, attendee: ClassAttendee) -> None:
        await self.attendees.delete(attendee)
