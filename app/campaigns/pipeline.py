"""The campaign's pipeline: every enterprise of its zones still to win, or won during it, with its
stage on a date — one SQL statement per page, whatever the number of enterprises."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.results_schemas import PipelineEntry, Stage
from app.core.pagination import Ordering, SortKey, keyset
from app.members.state import member_states, organization_active_on
from app.models import (
    GRASSROOTS_KINDS,
    Campaign,
    CampaignActivity,
    Enterprise,
    Member,
    MemberStatus,
    Organization,
    Outcome,
    Ownership,
    campaign_zones,
)

MINIMUM_OFFICIAL = 3  # official members a grassroots organization needs
LANGUAGE_BY_COUNTRY = {
    "KR": "ko",
    "JP": "ja",
    "CN": "zh",
    "TW": "zh",
    "HK": "zh",
    "SG": "zh",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "FR": "fr",
    "TH": "th",
}


def suggested_language(ownership: Any, investor_country: Any) -> ColumnElement[str]:
    """Materials for the owner: Vietnamese for state and domestic owners, else the investor
    country's language, English when we have none for it."""
    by_country = case(LANGUAGE_BY_COUNTRY, value=investor_country, else_=literal("en"))
    return case((ownership != Ownership.FDI, literal("vi")), else_=by_country)


def _facts(campaign: Campaign, on: dt.date) -> Subquery:
    """One row per enterprise of the campaign's zones with what is known of it on `on`."""
    zones = select(campaign_zones.c.zone_id).where(campaign_zones.c.campaign_id == campaign.id)
    grassroots = Organization.kind.in_(GRASSROOTS_KINDS)
    active_organization = (
        select(Organization.id.label("id"))
        .where(Organization.enterprise_id == Enterprise.id, grassroots, organization_active_on(on))
        .limit(1)
        .lateral("active_organization")
    )
    established = (
        select(Organization.id.label("id"))
        .where(
            Organization.enterprise_id == Enterprise.id,
            grassroots,
            Organization.established_on >= campaign.starts_on,
            Organization.established_on <= min(on, campaign.ends_on),
        )
        .order_by(Organization.established_on.desc(), Organization.id.desc())
        .limit(1)
        .lateral("established")
    )
    a = CampaignActivity
    latest_first = (a.occurred_on.desc(), a.id.desc())
    history = (
        select(
            func.array_agg(aggregate_order_by(a.outcome, *latest_first))[1].label("latest_outcome"),
            func.max(a.occurred_on).label("last_contact_on"),
            func.coalesce(
                func.min(a.follow_up_on).filter(a.follow_up_on >= on),
                func.array_agg(aggregate_order_by(a.follow_up_on, *latest_first))[1],
            ).label("next_follow_up_on"),
            func.array_agg(aggregate_order_by(a.contact_role.distinct(), a.contact_role)).label(
                "contact_roles_met"
            ),
        )
        .where(a.campaign_id == campaign.id, a.enterprise_id == Enterprise.id, a.occurred_on <= on)
        .lateral("history")
    )
    employed = select(Member.id).where(
        Member.enterprise_id.in_(select(Enterprise.id).where(Enterprise.zone_id.in_(zones)))
    )
    state = member_states(on, employed)
    officials = (
        select(Member.enterprise_id, func.count().label("official"))
        .join(state, state.c.member_id == Member.id)
        .where(state.c.status == MemberStatus.OFFICIAL)
        .group_by(Member.enterprise_id)
        .subquery("officials")
    )
    return (
        select(
            Enterprise.id.label("enterprise_id"),
            Enterprise.name.label("enterprise_name"),
            Enterprise.zone_id,
            Enterprise.workers_count,
            Enterprise.ownership,
            Enterprise.investor_country,
            active_organization.c.id.label("active_organization_id"),
            established.c.id.label("organization_id"),
            history.c.latest_outcome,
            history.c.last_contact_on,
            history.c.next_follow_up_on,
            history.c.contact_roles_met,
            func.coalesce(officials.c.official, 0).label("official_members"),
        )
        .select_from(Enterprise)
        .outerjoin(active_organization, true())
        .outerjoin(established, true())
        .join(history, true())
        .outerjoin(officials, officials.c.enterprise_id == Enterprise.id)
        .where(Enterprise.zone_id.in_(zones))
        .subquery("facts")
    )


def pipeline_subquery(campaign: Campaign, on: dt.date) -> Subquery:
    """The pipeline rows with their stage, readiness and the priority they are ordered by."""
    facts = _facts(campaign, on)
    outcome = facts.c.latest_outcome
    stage = case(
        (facts.c.organization_id.is_not(None), literal(Stage.ESTABLISHED.value)),
        (outcome.is_(None), literal(Stage.NOT_CONTACTED.value)),
        (outcome == Outcome.NO_RESPONSE, literal(Stage.CONTACTED.value)),
        else_=outcome,
    )
    ready = and_(
        facts.c.official_members >= MINIMUM_OFFICIAL, facts.c.active_organization_id.is_(None)
    )
    # What to do next: agreed first, then ready, then receptive (a lexicographic order on three
    # flags, as one number).
    priority = type_coerce(
        4 * (stage == Stage.AGREED.value).cast(Integer)
        + 2 * ready.cast(Integer)
        + (stage == Stage.RECEPTIVE.value).cast(Integer),
        Integer,
    )
    return (
        select(
            facts.c.enterprise_id,
            facts.c.enterprise_name,
            facts.c.zone_id,
            stage.label("stage"),
            facts.c.last_contact_on,
            facts.c.next_follow_up_on,
            facts.c.contact_roles_met,
            facts.c.official_members,
            ready.label("ready"),
            facts.c.organization_id,
            facts.c.workers_count,
            facts.c.ownership,
            facts.c.investor_country,
            suggested_language(facts.c.ownership, facts.c.investor_country).label(
                "suggested_language"
            ),
            priority.label("priority"),
        )
        .where(or_(facts.c.active_organization_id.is_(None), facts.c.organization_id.is_not(None)))
        .subquery("pipeline")
    )


def pipeline_ordering(pipeline: Subquery) -> Ordering:
    return Ordering(
        "next_action",
        (
            SortKey(pipeline.c.priority, "priority", descending=True),
            SortKey(pipeline.c.workers_count, "workers_count", descending=True),
            SortKey(pipeline.c.enterprise_id, "enterprise_id"),
        ),
    )


def pipeline_page_statement(
    campaign: Campaign,
    on: dt.date,
    *,
    stage: Stage | None,
    zone_id: int | None,
    limit: int,
    cursor: str | None,
) -> tuple[Select[Any], Ordering]:
    pipeline = pipeline_subquery(campaign, on)
    ordering = pipeline_ordering(pipeline)
    stmt = select(pipeline)
    if stage is not None:
        stmt = stmt.where(pipeline.c.stage == stage.value)
    if zone_id is not None:
        stmt = stmt.where(pipeline.c.zone_id == zone_id)
    return keyset(stmt, ordering, limit, cursor), ordering


class PipelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        campaign: Campaign,
        on: dt.date,
        *,
        stage: Stage | None,
        zone_id: int | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[Sequence[Any], Ordering]:
        stmt, ordering = pipeline_page_statement(
            campaign, on, stage=stage, zone_id=zone_id, limit=limit, cursor=cursor
        )
        return (await self.session.execute(stmt)).all(), ordering


def entry_of(row: Any) -> PipelineEntry:
    values = dict(row._mapping)
    values.pop("priority")
    values["contact_roles_met"] = values["contact_roles_met"] or []
    return PipelineEntry.model_validate(values)
