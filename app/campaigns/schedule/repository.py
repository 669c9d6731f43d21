"""Queries over a campaign's planned visits, each with the activity that fulfilled it, its
materials and its status as shown on a date."""

import builtins
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    case,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.campaigns.schedule.schemas import VisitFilters
from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice, by
from app.core.repository import Repository, where_equal
from app.core.security import token_digest
from app.materials.links import link_materials, linked_materials
from app.models import (
    CalendarFeed,
    Campaign,
    CampaignActivity,
    CampaignMember,
    Enterprise,
    IndustrialZone,
    Material,
    PlannedVisit,
    User,
    VisitStatus,
    visit_materials,
)

VisitListQuery = ListQuery[None, VisitFilters]
VISIT_ORDERING = by(PlannedVisit.planned_on, PlannedVisit.id)


def _activity_id() -> Any:
    return (
        select(CampaignActivity.id)
        .where(CampaignActivity.planned_visit_id == PlannedVisit.id)
        .scalar_subquery()
    )


def _material_ids() -> Any:
    ordered = aggregate_order_by(visit_materials.c.material_id, visit_materials.c.material_id)
    return (
        select(func.coalesce(func.array_agg(ordered), literal_column("'{}'::int[]")))
        .where(visit_materials.c.visit_id == PlannedVisit.id)
        .scalar_subquery()
    )


def shown_status(activity_id: Any, on: dt.date) -> ColumnElement[str]:
    """done when fulfilled, cancelled, missed when still planned and its day is before `on`."""
    return case(
        (activity_id.is_not(None), literal(VisitStatus.DONE.value)),
        (PlannedVisit.status == VisitStatus.CANCELLED, literal(VisitStatus.CANCELLED.value)),
        (PlannedVisit.planned_on < on, literal(VisitStatus.MISSED.value)),
        else_=literal(VisitStatus.PLANNED.value),
    )


def visit_rows(on: dt.date) -> Select[Any]:
    """Every visit with `activity_id`, `material_ids` and `shown_status` on `on`."""
    activity_id = _activity_id()
    return select(
        PlannedVisit,
        activity_id.label("activity_id"),
        _material_ids().label("material_ids"),
        shown_status(activity_id, on).label("shown_status"),
    )


class VisitRepository(Repository[PlannedVisit]):
    model = PlannedVisit
    noun = "planned visit"

    async def get_in(self, campaign: Campaign, visit_id: int, **lock: Any) -> PlannedVisit:
        visit = await self.get_or_none(visit_id, **lock)
        if visit is None or visit.campaign_id != campaign.id:
            raise NotFound(f"planned visit {visit_id} of campaign {campaign.id} does not exist")
        return visit

    async def shown(self, visit: PlannedVisit, on: dt.date) -> Row[Any]:
        stmt = visit_rows(on).where(PlannedVisit.id == visit.id)
        row: Row[Any] = (await self.session.execute(stmt)).one()
        return row

    async def list(self, campaign: Campaign, on: dt.date, query: VisitListQuery) -> Slice[Row[Any]]:
        filters = query.filters
        stmt = where_equal(
            visit_rows(on).where(PlannedVisit.campaign_id == campaign.id),
            (PlannedVisit.enterprise_id, filters.enterprise_id),
        )
        if filters.status is not None:
            stmt = stmt.where(shown_status(_activity_id(), on) == filters.status.value)
        if filters.planned_from is not None:
            stmt = stmt.where(PlannedVisit.planned_on >= filters.planned_from)
        if filters.planned_to is not None:
            stmt = stmt.where(PlannedVisit.planned_on <= filters.planned_to)
        return await self._page(stmt, VISIT_ORDERING, query.limit, query.cursor)

    async def fulfilled_by(self, visit: PlannedVisit) -> int | None:
        stmt = select(CampaignActivity.id).where(CampaignActivity.planned_visit_id == visit.id)
        return await self.session.scalar(stmt)

    async def material_ids_of(self, visit: PlannedVisit) -> builtins.list[int]:
        found = await linked_materials(self.session, visit_materials, "visit_id", [visit.id])
        return found[visit.id]

    async def set_materials(self, visit: PlannedVisit, material_ids: Sequence[int]) -> None:
        await link_materials(self.session, visit_materials, "visit_id", visit.id, material_ids)

    async def for_calendar(
        self, on: dt.date, *campaign_filter: ColumnElement[bool]
    ) -> Sequence[Row[Any]]:
        """The visits of the campaigns `campaign_filter` selects, with what a calendar entry
        shows: the campaign, the enterprise, its zone, the materials' titles."""
        titles = (
            select(
                func.string_agg(
                    Material.title, aggregate_order_by(literal_column("'; '"), Material.title)
                )
            )
            .join(visit_materials, visit_materials.c.material_id == Material.id)
            .where(visit_materials.c.visit_id == PlannedVisit.id)
            .scalar_subquery()
        )
        activity_id = _activity_id()
        stmt = (
            select(
                PlannedVisit,
                shown_status(activity_id, on).label("shown_status"),
                Campaign.name.label("campaign_name"),
                Enterprise.name.label("enterprise_name"),
                Enterprise.address.label("enterprise_address"),
                IndustrialZone.name.label("zone_name"),
                titles.label("material_titles"),
            )
            .join(Campaign, Campaign.id == PlannedVisit.campaign_id)
            .join(Enterprise, Enterprise.id == PlannedVisit.enterprise_id)
            .join(IndustrialZone, IndustrialZone.id == Enterprise.zone_id)
            .where(*campaign_filter)
            .order_by(PlannedVisit.planned_on, PlannedVisit.id)
        )
        return (await self.session.execute(stmt)).all()


class CalendarFeedRepository(Repository[CalendarFeed]):
    """Personal calendar feeds, one per user, found by their token's sha256."""

    model = CalendarFeed
    noun = "calendar feed"

    async def replace(self, user: User, token: str) -> CalendarFeed:
        """`user`'s feed, now reached by `token` (their previous one stops working)."""
        await self.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
        feed = await self.add(CalendarFeed(user_id=user.id, token_sha256=token_digest(token)))
        await self.session.refresh(feed)
        return feed

    async def owner(self, token: str) -> User | None:
        """The active user whose feed `token` reaches, if any."""
        return await self.session.scalar(
            select(User)
            .join(CalendarFeed, CalendarFeed.user_id == User.id)
            .where(CalendarFeed.token_sha256 == token_digest(token), User.is_active)
        )


def campaigns_of(user_id: int) -> ColumnElement[bool]:
    """The campaigns a user leads or belongs to (as a group member with an account)."""
    member_of = select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)
    return or_(Campaign.leader_id == user_id, Campaign.id.in_(member_of))
