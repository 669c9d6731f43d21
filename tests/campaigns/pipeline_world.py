"""An outreach world with a pipeline: an enterprise organized long ago, one won during the
campaign (credited to it), foreign and state enterprises, three official members employed at
one enterprise, and the first activities logged through the API."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from app.models import Enterprise, Ownership
from tests.campaigns.world import CAMPAIGNS, World, activity_body
from tests.fixtures.registry import EnterpriseFactory, MemberFactory, OrganizationFactory


@dataclass
class Pipeline:
    world: World
    organized: Enterprise  # an active cell since 2010: not in the pipeline
    won: Enterprise  # a cell established during the campaign, on 2024-09-01
    japanese: Enterprise
    american: Enterprise
    state: Enterprise

    @property
    def url(self) -> str:
        return f"{CAMPAIGNS}/{self.world.campaign.id}/pipeline"


async def log_activity(client: httpx.AsyncClient, world: World, **body: Any) -> None:
    enterprise = body.pop("enterprise")
    response = await client.post(world.activities, json=activity_body(enterprise, **body))
    assert response.status_code == 201, response.text


async def build_pipeline(
    world: World,
    make_enterprise: EnterpriseFactory,
    make_organization: OrganizationFactory,
    make_member: MemberFactory,
) -> Pipeline:
    zone_a, zone_b = world.zones[0].id, world.zones[1].id
    organized = await make_enterprise(zone_id=zone_a, workers_count=2000)
    cell = await make_organization(enterprise_id=organized.id, established_on=dt.date(2010, 1, 1))
    won = await make_enterprise(zone_id=zone_b, workers_count=100)
    await make_organization(
        enterprise_id=won.id, established_on=dt.date(2024, 9, 1), campaign_id=world.campaign.id
    )
    japanese = await make_enterprise(
        zone_id=zone_b, ownership=Ownership.FDI, investor_country="JP", workers_count=50
    )
    american = await make_enterprise(
        zone_id=zone_b, ownership=Ownership.FDI, investor_country="US", workers_count=20
    )
    state = await make_enterprise(zone_id=zone_b, ownership=Ownership.STATE, workers_count=10)
    for _ in range(3):  # three official members employed at second_zone, in the other cell
        await make_member(
            enterprise_id=world.second_zone.id,
            organization_id=cell.id,
            admitted_on=dt.date(2022, 1, 1),
            recognized_on=dt.date(2023, 1, 1),
        )
    client = world.leader_client
    await log_activity(
        client,
        world,
        enterprise=world.fdi,
        occurred_on="2024-02-01",
        contact_role="owner",
        outcome="no_response",
        follow_up_on="2024-03-01",
    )
    await log_activity(
        client,
        world,
        enterprise=world.fdi,
        occurred_on="2024-03-10",
        kind="meeting",
        contact_role="hr_director",
        outcome="receptive",
        follow_up_on="2024-05-01",
    )
    await log_activity(
        client,
        world,
        enterprise=world.domestic,
        occurred_on="2024-04-01",
        contact_role="union_chair",
        outcome="agreed",
    )
    return Pipeline(world, organized, won, japanese, american, state)
