"""A small outreach world built through the ORM for campaign tests: two zones covered by one
campaign and a third outside it, enterprises in each, a few contacts, and the group leader."""

from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import (
    Campaign,
    Enterprise,
    EnterpriseContact,
    IndustrialZone,
    Ownership,
    Role,
    User,
)
from tests.factories import add_campaign, add_contact
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.registry import EnterpriseFactory, ZoneFactory

CAMPAIGNS = "/api/v1/campaigns"


@dataclass
class World:
    zones: list[IndustrialZone]  # the first two are the campaign's, the third is not
    fdi: Enterprise  # Korean, 1,200 workers, in zones[0]
    domestic: Enterprise  # 300 workers, in zones[0]
    second_zone: Enterprise  # 800 workers, in zones[1]
    outside: Enterprise  # in zones[2], not covered by the campaign
    owner: EnterpriseContact  # of fdi
    union_chair: EnterpriseContact  # of domestic
    leader: User
    leader_client: httpx.AsyncClient
    campaign: Campaign

    @property
    def activities(self) -> str:
        return f"{CAMPAIGNS}/{self.campaign.id}/activities"


async def build_world(
    session: AsyncSession,
    make_zone: ZoneFactory,
    make_enterprise: EnterpriseFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> World:
    zones = [await make_zone() for _ in range(3)]
    fdi = await make_enterprise(
        zone_id=zones[0].id, ownership=Ownership.FDI, workers_count=1200, name="Công ty TNHH Hàn"
    )
    domestic = await make_enterprise(zone_id=zones[0].id, workers_count=300)
    second_zone = await make_enterprise(zone_id=zones[1].id, workers_count=800)
    outside = await make_enterprise(zone_id=zones[2].id, workers_count=5000)
    owner = await add_contact(session, fdi, "owner", "Kim Min-jun")
    union_chair = await add_contact(session, domestic, "union_chair", "Phạm Thị Hoa")
    leader = await make_user(Role.GROUP_LEADER)
    campaign = await add_campaign(session, leader, zones[:2], name="Đoàn công tác số 1")
    await session.commit()
    return World(
        zones,
        fdi,
        domestic,
        second_zone,
        outside,
        owner,
        union_chair,
        leader,
        client_as(leader),
        campaign,
    )


def activity_body(enterprise: Enterprise, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "enterprise_id": enterprise.id,
        "occurred_on": "2024-03-14",
        "kind": "visit",
        "contact_role": "owner",
        "outcome": "no_response",
    }
    body.update(overrides)
    return body
