"""The demo dataset: fictional, deterministic records (the full reference dataset comes later)."""

from sqlalchemy.ext.asyncio import AsyncSession


async def seed_if_empty(session: AsyncSession) -> bool:
    """Load the demo data unless the registry already holds records; True when loaded."""
    return False
