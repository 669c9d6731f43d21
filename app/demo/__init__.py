"""The demo dataset: fictional, deterministic records that reproduce the reference facts of
June 2024 (docs/domain.md, "The demo dataset"), loaded through the same services the API uses."""

import logging
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo.context import DemoContext
from app.demo.outreach import seed_activities, seed_campaigns, seed_targets
from app.demo.people import seed_admissions, seed_classes, seed_party_books, seed_pipeline
from app.demo.plans import seed_plans_calendars_materials
from app.demo.registry import seed_enterprises, seed_organizations, seed_projects, seed_zones
from app.models import (
    Base,
    Campaign,
    CampaignActivity,
    Enterprise,
    IndustrialZone,
    InvestmentProject,
    Member,
    MemberEvent,
    Organization,
    PlannedVisit,
    Target,
    TrainingClass,
)

logger = logging.getLogger("kcn.demo")


async def is_empty(session: AsyncSession) -> bool:
    for model in (IndustrialZone, Enterprise, Organization, Member):
        if await session.scalar(select(func.count()).select_from(model)):
            return False
    return True


STEPS = 12  # the steps `seed_demo` tells `progress` of


async def seed_demo(
    session: AsyncSession, copy: int = 0, progress: Callable[[str], None] | None = None
) -> None:
    """Load the whole dataset in the caller's transaction (`copy` > 0: another copy beside it,
    with distinct codes, for benchmarks). `progress` is told each step, with the rows of its
    kind and the seconds so far."""
    started = time.perf_counter()
    ctx = DemoContext(session, copy=copy)

    async def done(label: str, model: type[Base]) -> None:
        if progress is not None:
            rows = await session.scalar(select(func.count()).select_from(model))
            progress(f"  {label}: {rows:,} ({time.perf_counter() - started:.1f} s)")

    await seed_zones(ctx)
    await done("industrial zones", IndustrialZone)
    await seed_enterprises(ctx)
    await done("enterprises", Enterprise)
    await seed_projects(ctx)
    await done("investment projects", InvestmentProject)
    await seed_campaigns(ctx)
    await done("campaigns", Campaign)
    await seed_organizations(ctx)
    await done("party organizations", Organization)
    await seed_party_books(ctx)
    await done("party members", Member)
    planned = await seed_pipeline(ctx)
    await done("members and candidates", Member)
    await seed_classes(ctx, planned)
    await done("training classes", TrainingClass)
    await seed_admissions(ctx, planned)
    await done("member events", MemberEvent)
    await seed_activities(ctx)
    await done("outreach activities", CampaignActivity)
    await seed_targets(ctx)
    await done("targets", Target)
    await seed_plans_calendars_materials(ctx)
    await done("planned visits (plan, calendars, materials)", PlannedVisit)
    logger.info("demo data loaded", extra={"seconds": round(time.perf_counter() - started, 1)})


async def seed_if_empty(
    session: AsyncSession, progress: Callable[[str], None] | None = None
) -> bool:
    """Load the demo data unless the registry already holds records; True when loaded."""
    if not await is_empty(session):
        return False
    await seed_demo(session, progress=progress)
    return True
