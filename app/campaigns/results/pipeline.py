"""The campaign's pipeline: every enterprise of its zones still to win, or won during it, with its
stage on a date — one SQL statement per page, whatever the number of enterprises."""

import datetime as dt
from typing import Any

from sqlalchemy import (
    CTE,
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

from app.campaigns.results.schemas import PipelineFilters, Stage
from app.core.pagination import Ordering, Slice, SortKey, keyset, page_of
from app.models import (
    GRASSROOTS_KINDS,
    Campaign,
    CampaignActivity,
    Enterprise,
    Member,
    Organization,
    Outcome,
    Ownership,
    campaign_zones,
)
from app.party.asof import open_enterprises
from app.party.charter import MINIMUM_OFFICIAL
from app.party.ledger import official_on

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


# Every language suggested_language can give.
LANGUAGES = tuple(sorted({"vi", "en", *LANGUAGE_BY_COUNTRY.values()}))


def suggested_language(ownership: Any, investor_country: Any) -> ColumnElement[str]:
    """Materials for the owner: Vietnamese for state and domestic owners, else the investor
    country's language, English when we have none for it."""
    by_country = case(LANGUAGE_BY_COUNTRY, value=investor_country, else_=literal("en"))
    return case((ownership != Ownership.FDI, literal("vi")), else_=by_country)


def speaks(language: str, ownership: Any, investor_country: Any) -> ColumnElement[bool]:
    """suggested_language(ownership, investor_country) == language, as conditions on the two
    columns themselves (so that an index on them finds the enterprises of one language)."""
    if language == "vi":
        domestic: ColumnElement[bool] = ownership != Ownership.FDI
        return domestic
    countries = [c for c, spoken in LANGUAGE_BY_COUNTRY.items() if spoken == language]
    of_country: ColumnElement[bool] = investor_country.in_(countries)
    if language == "en":  # also the language of every country without one of its own
        unmapped = investor_country.is_(None) | investor_country.not_in(list(LANGUAGE_BY_COUNTRY))
        of_country = of_country | unmapped
    return and_(ownership == Ownership.FDI, of_country)


def _listed(active_organization_id: Any, organization_id: Any) -> ColumnElement[bool]:
    """The enterprises a pipeline lists: without an active grassroots organization, or with one
    established during the campaign (`organization_id`)."""
    return or_(active_organization_id.is_(None), organization_id.is_not(None))


def _facts(campaign: Campaign, on: dt.date) -> CTE:
    """One row per enterprise of the campaign's zones with what ranks it on `on`: its active
    grassroots organization, the one established during the campaign, its latest activity and
    the official members it employs."""
    zones = select(campaign_zones.c.zone_id).where(campaign_zones.c.campaign_id == campaign.id)
    established_during = and_(
        Organization.established_on >= campaign.starts_on,
        Organization.established_on <= min(on, campaign.ends_on),
    )
    # One probe of ix_organizations_enterprise_id per enterprise for both questions.
    organizations = (
        select(
            func.max(Organization.id).filter(Organization.is_active_on(on)).label("active_id"),
            func.max(Organization.id).filter(established_during).label("established_id"),
        )
        .where(Organization.enterprise_id == Enterprise.id, Organization.kind.in_(GRASSROOTS_KINDS))
        .lateral("grassroots")
    )
    a = CampaignActivity
    # One backward step on ix_campaign_activities_timeline per enterprise.
    latest = (
        select(a.outcome, a.occurred_on, a.follow_up_on)
        .where(a.campaign_id == campaign.id, a.enterprise_id == Enterprise.id, a.occurred_on <= on)
        .order_by(a.occurred_on.desc(), a.id.desc())
        .limit(1)
        .lateral("latest")
    )
    open_ = open_enterprises(on, Enterprise.zone_id.in_(zones))  # registered, not closed
    # The official members each enterprise employs on `on`: per member, one probe of their
    # official spans in the as-of ledger (a LATERAL, so that it stays a probe whatever the
    # ledger's size). Only at the enterprises the pipeline lists (without an active grassroots
    # organization, or with one established during the campaign): for the others, most
    # members' (their organization long established), the condition on the outer row skips
    # the scan.
    official = official_on(Member.id, on)
    officials = (
        select(func.count().label("official"))
        .select_from(Member)
        .join(official, true())
        .where(
            Member.enterprise_id == Enterprise.id,
            _listed(organizations.c.active_id, organizations.c.established_id),
        )
        .lateral("officials")
    )
    return (
        select(
            Enterprise.id.label("enterprise_id"),
            Enterprise.name.label("enterprise_name"),
            Enterprise.zone_id,
            open_.c.workers_count,
            Enterprise.ownership,
            Enterprise.investor_country,
            organizations.c.active_id.label("active_organization_id"),
            organizations.c.established_id.label("organization_id"),
            latest.c.outcome.label("latest_outcome"),
            latest.c.occurred_on.label("last_contact_on"),
            latest.c.follow_up_on.label("latest_follow_up_on"),
            officials.c.official.label("official_members"),
        )
        .select_from(Enterprise)
        .join(open_, open_.c.enterprise_id == Enterprise.id)
        .join(organizations, true())
        .outerjoin(latest, true())
        .join(officials, true())
        .where(Enterprise.zone_id.in_(zones))
        # Materialized: computed once with the joins planned on its own row counts, before the
        # stage and zone filters, whose selectivity PostgreSQL cannot estimate on a CASE.
        .cte("facts")
        .prefix_with("MATERIALIZED")
    )


def ranked_subquery(campaign: Campaign, on: dt.date) -> Subquery:
    """Every pipeline row with its stage, readiness and the priority it is ordered by."""
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
            facts.c.latest_follow_up_on,
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
        .where(_listed(facts.c.active_organization_id, facts.c.organization_id))
        .subquery("pipeline")
    )


def pipeline_ordering(rows: Subquery) -> Ordering:
    return Ordering(
        "next_action",
        (
            SortKey(rows.c.priority, "priority", descending=True),
            SortKey(rows.c.workers_count, "workers_count", descending=True),
            SortKey(rows.c.enterprise_id, "enterprise_id"),
        ),
    )


def pipeline_page_statement(
    campaign: Campaign,
    on: dt.date,
    filters: PipelineFilters,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[Select[Any], Ordering]:
    """One statement: every enterprise is ranked, the page is cut, and only the page's rows
    get the details nothing is ordered or filtered by (follow-ups, roles met)."""
    ranked = ranked_subquery(campaign, on)
    ordering = pipeline_ordering(ranked)
    candidates = select(ranked)
    if filters.stage is not None:
        candidates = candidates.where(ranked.c.stage == filters.stage.value)
    if filters.zone_id is not None:
        candidates = candidates.where(ranked.c.zone_id == filters.zone_id)
    page = keyset(candidates, ordering, limit, cursor).subquery("page")
    a = CampaignActivity
    details = (
        select(
            func.min(a.follow_up_on).filter(a.follow_up_on >= on).label("next_follow_up_on"),
            func.array_agg(aggregate_order_by(a.contact_role.distinct(), a.contact_role)).label(
                "contact_roles_met"
            ),
        )
        .where(
            a.campaign_id == campaign.id,
            a.enterprise_id == page.c.enterprise_id,
            a.occurred_on <= on,
        )
        .lateral("details")
    )
    stmt = (
        select(
            *(c for c in page.c if c.name != "latest_follow_up_on"),
            func.coalesce(details.c.next_follow_up_on, page.c.latest_follow_up_on).label(
                "next_follow_up_on"
            ),
            details.c.contact_roles_met,
        )
        .select_from(page)
        .join(details, true())
        .order_by(*pipeline_ordering(page).order_by())
    )
    return stmt, ordering


class PipelineRepository:
    """The enterprises of a campaign's zones as its pipeline (a read module: no entity of its
    own, so no base repository)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(
        self,
        campaign: Campaign,
        on: dt.date,
        filters: PipelineFilters,
        *,
        limit: int,
        cursor: str | None,
    ) -> Slice[Any]:
        stmt, ordering = pipeline_page_statement(campaign, on, filters, limit=limit, cursor=cursor)
        return page_of((await self.session.execute(stmt)).all(), ordering, limit)
