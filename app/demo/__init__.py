"""The demo dataset: fictional, deterministic records that reproduce the reference facts of
June 2024 (docs/domain.md, "The demo dataset"), loaded through the same services the API uses."""

import logging
import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo.context import DemoContext
from app.demo.outreach import seed_activities, seed_campaigns, seed_targets
from app.demo.people import seed_admissions, seed_classes, seed_party_books, seed_pipeline
from app.demo.registry import seed_enterprises, seed_organizations, seed_projects, seed_zones
from app.models import Enterprise, IndustrialZone, Member, Organization

logger = logging.getLogger("kcn.demo")


async def is_empty(session: AsyncSession) -> bool:
    for model in (IndustrialZone, Enterprise, Organization, Member):
        if await session.scalar(select(func.count()).select_from(model)):
            return False
    return True


async def seed_demo(session: AsyncSession, copy: int = 0) -> None:
    """Load the whole dataset in the caller's transaction (`copy` > 0: another copy beside it,
    with distinct codes, for benchmarks)."""
    started = time.perf_counter()
    ctx = DemoContext(session, copy=copy)
    await seed_zones(ctx)
    await seed_enterprises(ctx)
    await seed_projects(ctx)
    await seed_campaigns(ctx)
    await seed_organizations(ctx)
    await seed_party_books(ctx)
    planned = await seed_pipeline(ctx)
    await seed_classes(ctx, planned)
    await seed_admissions(ctx, planned)
    await seed_activities(ctx)
    await seed_targets(ctx)
    logger.info("demo data loaded", extra={"seconds": round(time.perf_counter() - started, 1)})


async def seed_if_empty(session: AsyncSession) -> bool:
    """Load the demo data unless the registry already holds records; True when loaded."""
    if not await is_empty(session):
        return False
    await seed_demo(session)
    return True
