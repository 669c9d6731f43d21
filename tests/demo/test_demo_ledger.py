"""On the demo dataset, every figure the as-of ledger gives equals the one derived from the
records: each target's actual and its quotas' roll-up on several days, the languages the
outreach needs, the pipelines' official members, and the ledger as a whole (`ledger_rebuild`)."""

import datetime as dt

import pytest
from sqlalchemy import String, column, select, values
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.results.pipeline import (
    LANGUAGE_BY_COUNTRY,
    LANGUAGES,
    PipelineRepository,
    speaks,
    suggested_language,
)
from app.campaigns.results.schemas import PipelineFilters
from app.models import GRASSROOTS_KINDS, Campaign, Enterprise, Organization, Target
from app.party.asof import employment_counts, open_enterprises
from app.party.ledger import rebuild
from app.reports.overview import OverviewReport
from app.targets.metrics import measure

DAYS = [dt.date(2020, 12, 31), dt.date(2023, 7, 1), dt.date(2024, 6, 30), dt.date(2025, 7, 31)]


@pytest.mark.parametrize("day", DAYS)
async def test_every_target_measures_the_same_from_the_ledger(
    demo_session: AsyncSession, day: dt.date
) -> None:
    targets = (await demo_session.scalars(select(Target))).all()
    assert len(targets) > 50

    from_ledger = await measure(demo_session, targets, day)
    from_records = await measure(demo_session, targets, day, from_records=True)

    assert from_ledger == from_records
    assert any(m.quotas for m in from_ledger.values())
    if day >= dt.date(2024, 6, 30):  # the quotas' period has begun: some are attained
        assert any(m.quota_actual for m in from_ledger.values())


async def test_the_demos_ledger_is_the_records(demo_session: AsyncSession) -> None:
    checks = await rebuild(demo_session, apply=False)
    assert [(c.ledger, c.differences) for c in checks] == [
        ("member_states", 0),
        ("metric_items", 0),
        ("open_enterprises", 0),
        ("organizations", 0),
        ("investment_projects", 0),
        ("quota_rollups", 0),
        ("candidates_trained", 0),
        ("completions", 0),
    ]
    assert all(c.rows > 0 for c in checks)


@pytest.mark.parametrize("day", DAYS)
async def test_the_languages_needed_are_those_of_the_open_unorganized_enterprises(
    demo_session: AsyncSession, day: dt.date
) -> None:
    """The overview asks each language whether an enterprise needs it; the reference derives
    every open enterprise's language and keeps those without an active organization."""
    open_ = open_enterprises(day, from_events=True)
    organized = (
        select(Organization.id)
        .where(
            Organization.enterprise_id == Enterprise.id,
            Organization.kind.in_(GRASSROOTS_KINDS),
            Organization.is_active_on(day),
        )
        .exists()
    )
    language = suggested_language(Enterprise.ownership, Enterprise.investor_country)
    reference = set(
        await demo_session.scalars(
            select(language)
            .join(open_, open_.c.enterprise_id == Enterprise.id)
            .where(~organized)
            .distinct()
        )
    )

    figures = await OverviewReport(demo_session, day, day, day).materials()

    assert set(figures.languages_needed) == reference
    assert len(reference) > 1


async def test_speaks_is_suggested_language_for_every_owner(demo_session: AsyncSession) -> None:
    owners = [("state", None), ("domestic_private", None), ("fdi", "ZZ")]
    owners += [("fdi", country) for country in LANGUAGE_BY_COUNTRY]
    table = values(column("ownership", String), column("country", String), name="owners").data(
        owners
    )
    for spoken in LANGUAGES:
        chosen = select(table.c.ownership, table.c.country).where(
            speaks(spoken, table.c.ownership, table.c.country)
        )
        expected = select(table.c.ownership, table.c.country).where(
            suggested_language(table.c.ownership, table.c.country) == spoken
        )
        assert set((await demo_session.execute(chosen)).all()) == set(
            (await demo_session.execute(expected)).all()
        ), spoken


@pytest.mark.parametrize("day", DAYS)
async def test_the_pipelines_official_members_are_the_events(
    demo_session: AsyncSession, day: dt.date
) -> None:
    """A pipeline's readiness reads the official members of each enterprise from the ledger's
    spans; the reference replays the member events."""
    campaigns = (await demo_session.scalars(select(Campaign))).all()
    listed: dict[int, int] = {}
    for campaign in campaigns:
        rows = await PipelineRepository(demo_session).list(
            campaign, day, PipelineFilters(), limit=1000, cursor=None
        )
        listed |= {row.enterprise_id: row.official_members for row in rows.items}
    reference = await employment_counts(demo_session, listed, day)

    assert listed == {enterprise: counts.official for enterprise, counts in reference.items()}
    assert listed
