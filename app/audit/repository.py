"""Reading the audit trail (app/core/audit.py writes it); newest first."""

import datetime as dt

from sqlalchemy import Select, exists, or_, select

from app.audit.schemas import AuditFilters
from app.core.dates import HANOI
from app.core.pagination import ListQuery, Slice, by
from app.core.repository import Repository, where_equal
from app.models import AuditEvent, AuditResource

AuditListQuery = ListQuery[None, AuditFilters]
NEWEST_FIRST = by(AuditEvent.id, descending=True)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), HANOI)


def _about(resource: AuditResource, resource_id: int) -> Select[AuditEvent]:
    """The record's own events and those of its child records (a member's events)."""
    return select(AuditEvent).where(
        or_(
            (AuditEvent.resource_type == resource) & (AuditEvent.resource_id == resource_id),
            (AuditEvent.parent_type == resource) & (AuditEvent.parent_id == resource_id),
        )
    )


class AuditRepository(Repository[AuditEvent]):
    model = AuditEvent
    noun = "audit event"

    async def list(self, query: AuditListQuery) -> Slice[AuditEvent]:
        filters = query.filters
        stmt = where_equal(
            select(AuditEvent),
            (AuditEvent.actor_id, filters.actor_id),
            (AuditEvent.resource_type, filters.resource_type),
            (AuditEvent.resource_id, filters.resource_id),
            (AuditEvent.action, filters.action),
            (AuditEvent.request_id, filters.request_id),
        )
        if filters.occurred_from:
            stmt = stmt.where(AuditEvent.occurred_at >= _start_of(filters.occurred_from))
        if filters.occurred_to:
            next_day = filters.occurred_to + dt.timedelta(days=1)
            stmt = stmt.where(AuditEvent.occurred_at < _start_of(next_day))
        return await self._scalar_page(stmt, NEWEST_FIRST, query.limit, query.cursor)

    async def history(
        self, resource: AuditResource, resource_id: int, query: AuditListQuery
    ) -> Slice[AuditEvent]:
        return await self._scalar_page(
            _about(resource, resource_id), NEWEST_FIRST, query.limit, query.cursor
        )

    async def mentions(self, resource: AuditResource, resource_id: int) -> bool:
        """Whether the trail knows the record (it may since have been deleted)."""
        return bool(await self.session.scalar(select(exists(_about(resource, resource_id)))))
