"""The Party Charter's rules for candidates and members; each action writes one dated event
(docs/domain.md, "Members and candidates")."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import MONTHS_PER_YEAR, ensure_not_future, full_months_between, today
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.enterprises.repository import EnterpriseRepository
from app.members.repository import MemberRepository
from app.members.schemas import (
    Admission,
    DossierStart,
    MemberCreate,
    MemberTransferIn,
    MemberUpdate,
    Recognition,
    Removal,
    Transfer,
)
from app.models import EventKind, LeftReason, Member, MemberEvent, MemberStatus, Organization, User
from app.organizations.repository import OrganizationRepository
from app.party.charter import (
    MAX_ADMISSION_AGE_MONTHS,
    MIN_ADMISSION_AGE_MONTHS,
    PROBATION_MONTHS,
    probation_ends_on,
)

PARTY_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


def _require_status(member: Member, allowed: tuple[MemberStatus, ...], action: str) -> None:
    if member.status not in allowed:
        raise Conflict(
            f"cannot {action}: the member's status is {member.status}"
            f" (needs {' or '.join(allowed)})",
            code=ProblemCode.INVALID_STATUS,
            extra={"current_status": str(member.status)},
        )


class MemberService:
    def __init__(
        self,
        session: AsyncSession,
        actor: User | None = None,
        *,
        members: MemberRepository | None = None,
        organizations: OrganizationRepository | None = None,
    ) -> None:
        """The rules over `session`'s members; `members` and `organizations` replace the
        repositories where the caller keeps rows itself (an import's batch: `NewMember`,
        `HeldOrganizations`)."""
        self.actor_id = actor.id if actor is not None else None
        self.members = members or MemberRepository(session)
        self.organizations = organizations or OrganizationRepository(session)
        self.enterprises = EnterpriseRepository(session)

    async def _active_organization(self, ident: int, on: dt.date, field: str) -> Organization:
        """The organization a member joins; share-locked, so that it cannot be dissolved while
        this step commits (a dissolution waits, then sees the new member)."""
        organization = await self.organizations.reference(ident, field, lock="share")
        if not organization.is_active_on(on):
            raise RuleViolation(
                f"organization {ident} is not active on {on}",
                code=ProblemCode.ORGANIZATION_INACTIVE,
                field=field,
            )
        return organization

    async def _after_history(self, member: Member, day: dt.date, field: str) -> None:
        """Steps are recorded in order: none may be dated before the member's latest one."""
        latest = await self.members.latest_event(member)
        if latest is not None and day < latest.occurred_on:
            raise RuleViolation(
                f"{field} {day} is before the member's latest recorded step "
                f"({latest.kind} on {latest.occurred_on})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field=field,
            )

    async def _record(self, member: Member, kind: EventKind, on: dt.date, **fields: object) -> None:
        await self.members.add_event(
            MemberEvent(
                member_id=member.id,
                kind=kind,
                occurred_on=on,
                status_after=member.status,
                organization_id=member.organization_id,
                created_by_id=self.actor_id,
                **fields,
            )
        )

    async def _leave(
        self, member: Member, kind: EventKind, on: dt.date, why: LeftReason, **fields: object
    ) -> Member:
        """The member leaves the records on `on`; the event keeps the organization they left."""
        source = member.organization_id
        member.status = MemberStatus.LEFT
        member.organization_id = None
        member.left_on = on
        member.left_reason = why
        await self._record(member, kind, on, from_organization_id=source, **fields)
        return member

    async def _check_person(self, date_of_birth: dt.date | None, enterprise_id: int | None) -> None:
        if date_of_birth is not None:
            ensure_not_future(date_of_birth, "date_of_birth")
        await self.enterprises.reference(enterprise_id, "enterprise_id")

    async def create_candidate(self, data: MemberCreate) -> Member:
        await self._check_person(data.date_of_birth, data.enterprise_id)
        registered_on = data.registered_on or today()
        ensure_not_future(registered_on, "registered_on")
        if registered_on < data.date_of_birth:
            raise RuleViolation("registered_on is before date_of_birth", field="registered_on")
        fields = data.model_dump(exclude={"registered_on", "dossier_started_on"})
        member = await self.members.add(
            Member(**fields, status=MemberStatus.CANDIDATE, registered_on=registered_on)
        )
        await self._record(member, EventKind.REGISTERED, registered_on)
        if data.dossier_started_on is not None:
            await self.start_dossier(member, DossierStart(started_on=data.dossier_started_on))
        return member

    async def transfer_in(self, data: MemberTransferIn) -> Member:
        await self._check_person(data.date_of_birth, data.enterprise_id)
        ensure_not_future(data.transferred_on, "transferred_on")
        if data.admitted_on > data.transferred_on:
            raise RuleViolation("admitted_on is after transferred_on", field="admitted_on")
        if data.status == MemberStatus.OFFICIAL:
            if data.recognized_on is None:
                raise RuleViolation("an official member needs recognized_on", field="recognized_on")
            if data.recognized_on < probation_ends_on(data.admitted_on):
                raise RuleViolation(
                    f"recognized_on is less than {PROBATION_MONTHS} months after admitted_on",
                    field="recognized_on",
                )
            if data.recognized_on > data.transferred_on:
                raise RuleViolation("recognized_on is after transferred_on", field="recognized_on")
        elif data.recognized_on is not None:
            raise RuleViolation("a probationary member has no recognized_on", field="recognized_on")
        await self._active_organization(
            data.organization_id, data.transferred_on, "organization_id"
        )
        fields = data.model_dump(exclude={"transferred_on", "decision_no"})
        member = await self.members.add(Member(**fields, registered_on=data.transferred_on))
        await self._record(
            member,
            EventKind.TRANSFERRED_IN,
            data.transferred_on,
            decision_no=data.decision_no,
            destination=data.origin,
        )
        return member

    async def update(self, member: Member, data: MemberUpdate) -> Member:
        await self._check_person(data.date_of_birth, data.enterprise_id)
        return await self.members.update(member, data)

    async def delete(self, member: Member) -> None:
        """Only a candidate never admitted can be deleted (a mistaken entry); party members leave
        through the remove and transfer actions, which keep their history."""
        if member.status != MemberStatus.CANDIDATE:
            raise Conflict(
                f"a member whose status is {member.status} cannot be deleted; "
                "use the remove or transfer action",
                code=ProblemCode.INVALID_STATUS,
                extra={"current_status": str(member.status)},
            )
        await self.members.delete(member)

    async def start_dossier(self, member: Member, data: DossierStart) -> Member:
        _require_status(member, (MemberStatus.CANDIDATE,), "start a dossier")
        if member.dossier_started_on is not None:
            raise Conflict(
                f"the dossier was already started on {member.dossier_started_on}",
                code=ProblemCode.DOSSIER_EXISTS,
            )
        ensure_not_future(data.started_on, "started_on")
        await self._after_history(member, data.started_on, "started_on")
        member.dossier_started_on = data.started_on
        await self._record(member, EventKind.DOSSIER_STARTED, data.started_on, notes=data.notes)
        return member

    async def admit(self, member: Member, data: Admission) -> Member:
        _require_status(member, (MemberStatus.CANDIDATE,), "admit")
        on = data.admitted_on
        ensure_not_future(on, "admitted_on")
        age = full_months_between(member.date_of_birth, on)
        if not MIN_ADMISSION_AGE_MONTHS <= age <= MAX_ADMISSION_AGE_MONTHS:
            years, months = divmod(age, MONTHS_PER_YEAR)
            raise RuleViolation(
                f"on {on} the candidate is {years} years {months} months old; admission needs "
                f"{MIN_ADMISSION_AGE_MONTHS // MONTHS_PER_YEAR} to "
                f"{MAX_ADMISSION_AGE_MONTHS // MONTHS_PER_YEAR} years in full months",
                code=ProblemCode.ADMISSION_AGE,
                field="admitted_on",
            )
        await self._after_history(member, on, "admitted_on")
        await self._active_organization(data.organization_id, on, "organization_id")
        member.status = MemberStatus.PROBATIONARY
        member.organization_id = data.organization_id
        member.admitted_on = on
        member.admission_decision_no = data.decision_no
        await self._record(
            member, EventKind.ADMITTED, on, decision_no=data.decision_no, notes=data.notes
        )
        return member

    async def recognize(self, member: Member, data: Recognition) -> Member:
        _require_status(member, (MemberStatus.PROBATIONARY,), "recognize as official")
        on = data.recognized_on
        ensure_not_future(on, "recognized_on")
        assert member.admitted_on is not None
        earliest = probation_ends_on(member.admitted_on)
        if on < earliest:
            raise RuleViolation(
                f"probation lasts {PROBATION_MONTHS} months from {member.admitted_on}: "
                "recognition is possible "
                f"from {earliest}",
                code=ProblemCode.PROBATION_NOT_OVER,
                field="recognized_on",
            )
        await self._after_history(member, on, "recognized_on")
        member.status = MemberStatus.OFFICIAL
        member.recognized_on = on
        await self._record(
            member, EventKind.RECOGNIZED, on, decision_no=data.decision_no, notes=data.notes
        )
        return member

    async def transfer(self, member: Member, data: Transfer) -> Member:
        _require_status(member, PARTY_STATUSES, "transfer")
        on = data.on
        ensure_not_future(on, "on")
        await self._after_history(member, on, "on")
        source = member.organization_id
        assert source is not None
        if data.to_organization_id is None:
            return await self._leave(
                member,
                EventKind.TRANSFERRED_OUT,
                on,
                LeftReason.TRANSFERRED_OUT,
                destination=data.destination,
                decision_no=data.decision_no,
                notes=data.notes,
            )
        if data.to_organization_id == source:
            raise RuleViolation(
                "the member is already in that organization", field="to_organization_id"
            )
        await self._active_organization(source, on, "on")
        await self._active_organization(data.to_organization_id, on, "to_organization_id")
        member.organization_id = data.to_organization_id
        await self._record(
            member,
            EventKind.TRANSFERRED,
            on,
            from_organization_id=source,
            decision_no=data.decision_no,
            notes=data.notes,
        )
        return member

    async def remove(self, member: Member, data: Removal) -> Member:
        _require_status(member, (MemberStatus.CANDIDATE, *PARTY_STATUSES), "remove")
        ensure_not_future(data.on, "on")
        await self._after_history(member, data.on, "on")
        return await self._leave(
            member,
            EventKind.REMOVED,
            data.on,
            LeftReason(data.reason.value),
            reason=data.reason.value,
            decision_no=data.decision_no,
            notes=data.notes,
        )
