"""The campaign tests' worlds."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.campaigns.pipeline_world import Pipeline, build_pipeline
from tests.campaigns.world import World, build_world
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.registry import (
    EnterpriseFactory,
    MemberFactory,
    OrganizationFactory,
    ZoneFactory,
)


@pytest.fixture
async def world(
    session: AsyncSession,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> World:
    return await build_world(session, make_zone, make_enterprise, make_user, client_as)


@pytest.fixture
async def pipeline(
    world: World,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> Pipeline:
    """The world with a pipeline (see tests.campaigns.pipeline_world)."""
    return await build_pipeline(world, make_enterprise, make_organization, make_member)
