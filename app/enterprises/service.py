"""Enterprise rules: a known zone, an investor country for FDI enterprises and only for them, and
a dated history (registered, closed, reopened, workforce reports) kept in order."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import ensure_not_future, today
from app.core.errors import Conflict, RuleViolation
from app.core.problem_codes import ProblemCode
from app.enterprises.repository import EnterpriseRepository
from app.enterprises.schemas import (
    Closure,
    EnterpriseCreate,
    EnterpriseUpdate,
    Reopening,
    WorkforceReport,
)
from app.models import (
    Enterprise,
    EnterpriseEvent,
    EnterpriseEventKind,
    EnterpriseStatus,
    Ownership,
    User,
)
from app.zones.repository import ZoneRepository


def _check(enterprise: Enterprise) -> None:
    """Rules over the whole object, so that a PATCH changing one field is checked merged."""
    if enterprise.ownership == Ownership.FDI and enterprise.investor_country is None:
        raise RuleViolation(
            "investor_country is required for an fdi enterprise", field="investor_country"
        )
    if enterprise.ownership != Ownership.FDI and enterprise.investor_country is not None:
        raise RuleViolation(
            f"investor_country is only for fdi enterprises, not {enterprise.ownership}; "
            "send null to clear it",
            field="investor_country",
        )


def _closed_by_action(action: str) -> RuleViolation:
    return RuleViolation(
        f"an enterprise is {action} on a date: POST /enterprises/{{id}}/"
        f"{'close' if action == 'closed' else 'reopen'}",
        code=ProblemCode.CLOSED_BY_ACTION,
        field="status",
    )


class EnterpriseService:
    def __init__(self, session: AsyncSession, actor: User | None = None) -> None:
        self.actor_id = actor.id if actor is not None else None
        self.enterprises = EnterpriseRepository(session)
        self.zones = ZoneRepository(session)

    async def _record(
        self, enterprise: Enterprise, kind: EnterpriseEventKind, on: dt.date, **fields: object
    ) -> None:
        await self.enterprises.add_event(
            EnterpriseEvent(
                enterprise_id=enterprise.id,
                kind=kind,
                occurred_on=on,
                created_by_id=self.actor_id,
                **fields,
            )
        )

    async def _after_history(self, enterprise: Enterprise, day: dt.date, field: str) -> None:
        """Closing and reopening follow the latest recorded step."""
        latest = await self.enterprises.latest_event(enterprise)
        if latest is not None and day < latest.occurred_on:
            raise RuleViolation(
                f"{field} {day} is before the enterprise's latest recorded step "
                f"({latest.kind} on {latest.occurred_on})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field=field,
            )

    async def create(self, data: EnterpriseCreate) -> Enterprise:
        await self.zones.reference(data.zone_id, "zone_id")
        enterprise = self.new(data)
        await self.add_many([enterprise])
        return enterprise

    @staticmethod
    def new(data: EnterpriseCreate) -> Enterprise:
        """A new enterprise, checked by the rules that need no database (its zone is the
        caller's to check): not closed, registered not in the future, investor country."""
        if data.status == EnterpriseStatus.CLOSED:
            raise _closed_by_action("closed")
        registered_on = data.registered_on or today()
        ensure_not_future(registered_on, "registered_on")
        enterprise = Enterprise(
            **data.model_dump(exclude={"registered_on"}), registered_on=registered_on
        )
        _check(enterprise)
        return enterprise

    async def add_many(self, enterprises: list[Enterprise]) -> None:
        """New enterprises (from `new`) and their registrations, in two batched INSERTs
        whatever their number (a spreadsheet's thousands)."""
        self.enterprises.session.add_all(enterprises)
        await self.enterprises.session.flush()
        self.enterprises.session.add_all(
            EnterpriseEvent(
                enterprise_id=enterprise.id,
                kind=EnterpriseEventKind.REGISTERED,
                occurred_on=enterprise.registered_on,
                workers_count=enterprise.workers_count,
                created_by_id=self.actor_id,
            )
            for enterprise in enterprises
        )
        await self.enterprises.session.flush()

    async def update(self, enterprise: Enterprise, data: EnterpriseUpdate) -> Enterprise:
        await self.zones.reference(data.zone_id, "zone_id")
        changed = data.model_fields_set
        if "status" in changed and data.status is not None:
            closing = data.status == EnterpriseStatus.CLOSED
            if closing != (enterprise.status == EnterpriseStatus.CLOSED):
                raise _closed_by_action("closed" if closing else "reopened")
        if "registered_on" in changed and data.registered_on is not None:
            await self._move_registration(enterprise, data.registered_on)
        if "workers_count" in changed and data.workers_count is not None:
            report = WorkforceReport(reported_on=today(), workers_count=data.workers_count)
            await self.report_workforce(enterprise, report)
        exclude = {"registered_on", "workers_count"}
        return await self.enterprises.update(enterprise, data, exclude=exclude, check=_check)

    async def _move_registration(self, enterprise: Enterprise, day: dt.date) -> None:
        """A corrected registration date: not in the future, not after the next step."""
        ensure_not_future(day, "registered_on")
        following = await self.enterprises.first_step_after_registration(enterprise)
        if following is not None and day > following:
            raise RuleViolation(
                f"registered_on {day} is after the enterprise's next recorded step "
                f"(on {following})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field="registered_on",
            )
        registration = await self.enterprises.step_of(enterprise, EnterpriseEventKind.REGISTERED)
        if registration is not None:
            registration.occurred_on = day
        enterprise.registered_on = day

    async def delete(self, enterprise: Enterprise) -> None:
        """Contacts and history go with the enterprise; members, organizations or projects
        referring to it make this a 409 (still_referenced)."""
        await self.enterprises.delete(enterprise)

    async def close(self, enterprise: Enterprise, data: Closure) -> Enterprise:
        if enterprise.status == EnterpriseStatus.CLOSED:
            raise Conflict(
                f"the enterprise is already closed (since {enterprise.closed_on})",
                code=ProblemCode.ALREADY_CLOSED,
            )
        ensure_not_future(data.closed_on, "closed_on")
        await self._after_history(enterprise, data.closed_on, "closed_on")
        await self._record(
            enterprise, EnterpriseEventKind.CLOSED, data.closed_on, reason=data.reason
        )
        enterprise.status = EnterpriseStatus.CLOSED
        enterprise.closed_on = data.closed_on
        return enterprise

    async def reopen(self, enterprise: Enterprise, data: Reopening) -> Enterprise:
        if enterprise.status != EnterpriseStatus.CLOSED:
            raise Conflict("the enterprise is not closed", code=ProblemCode.NOT_CLOSED)
        ensure_not_future(data.reopened_on, "reopened_on")
        await self._after_history(enterprise, data.reopened_on, "reopened_on")
        await self._record(enterprise, EnterpriseEventKind.REOPENED, data.reopened_on)
        enterprise.status = EnterpriseStatus.OPERATING
        enterprise.closed_on = None
        return enterprise

    async def report_workforce(self, enterprise: Enterprise, data: WorkforceReport) -> Enterprise:
        """A dated count of workers; a report of a day that has one replaces it. The
        enterprise's `workers_count` is its latest report's."""
        day = data.reported_on
        ensure_not_future(day, "reported_on")
        if day < enterprise.registered_on:
            raise RuleViolation(
                f"reported_on {day} is before the enterprise's registration "
                f"({enterprise.registered_on})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field="reported_on",
            )
        if await self.enterprises.is_closed_on(enterprise, day):
            raise RuleViolation(
                f"the enterprise is closed on {day}",
                code=ProblemCode.ENTERPRISE_CLOSED,
                field="reported_on",
            )
        kind = EnterpriseEventKind.WORKFORCE_REPORTED
        same_day = await self.enterprises.step_of(enterprise, kind, day)
        if same_day is not None:
            same_day.workers_count = data.workers_count
        else:
            await self._record(enterprise, kind, day, workers_count=data.workers_count)
        await self.enterprises.session.flush()
        enterprise.workers_count = await self.enterprises.latest_workers(enterprise)
        return enterprise
