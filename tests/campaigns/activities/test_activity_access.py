"""Who writes a campaign's activities: editors and admins everywhere, a group leader only in the
campaigns they lead, viewers never; an unknown campaign is a 404 before any 403."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import CampaignActivity, Role
from tests.campaigns.world import CAMPAIGNS, World, activity_body
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import CampaignFactory
from tests.problems import assert_problem

ACTORS = ["admin", "editor", "leader_of_this_campaign", "leader_of_another_campaign", "viewer"]
ALLOWED = {"admin", "editor", "leader_of_this_campaign"}
ACTIONS = {"create": 201, "patch": 200, "delete": 204}


async def _client_for(
    actor: str,
    world: World,
    make_campaign: CampaignFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> httpx.AsyncClient:
    if actor == "leader_of_this_campaign":
        return world.leader_client
    if actor == "leader_of_another_campaign":
        other = await make_user(Role.GROUP_LEADER)
        await make_campaign(other, [world.zones[2]], name="Đoàn công tác số 3")
        return client_as(other)
    return client_as(await make_user(Role(actor)))


async def _existing_activity(session: AsyncSession, world: World) -> CampaignActivity:
    activity = CampaignActivity(
        campaign_id=world.campaign.id,
        enterprise_id=world.fdi.id,
        occurred_on=world.campaign.starts_on,
        kind="visit",
        contact_role="owner",
        outcome="no_response",
    )
    session.add(activity)
    await session.commit()
    return activity


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", ACTORS)
async def test_activity_writes_by_role_and_campaign(
    actor: str,
    action: str,
    world: World,
    session: AsyncSession,
    make_campaign: CampaignFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
    fingerprint: Fingerprint,
) -> None:
    client = await _client_for(actor, world, make_campaign, make_user, client_as)
    activity = await _existing_activity(session, world)
    url = f"{world.activities}/{activity.id}"
    before = await fingerprint()
    if action == "create":
        response = await client.post(world.activities, json=activity_body(world.domestic))
    elif action == "patch":
        response = await client.patch(url, json={"outcome": "receptive"})
    else:
        response = await client.delete(url)
    if actor in ALLOWED:
        assert response.status_code == ACTIONS[action], response.text
    else:
        assert_problem(response, 403)
        assert await fingerprint() == before


@pytest.mark.parametrize("actor", ["leader_of_another_campaign", "viewer"])
async def test_unknown_campaign_is_not_found_before_forbidden(
    actor: str,
    world: World,
    make_campaign: CampaignFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> None:
    client = await _client_for(actor, world, make_campaign, make_user, client_as)
    activities = f"{CAMPAIGNS}/987654/activities"
    assert_problem(await client.post(activities, json=activity_body(world.fdi)), 404)
    assert_problem(await client.patch(f"{activities}/1", json={"outcome": "agreed"}), 404)
    assert_problem(await client.delete(f"{activities}/1"), 404)
    assert_problem(await client.get(activities), 404)


async def test_viewer_reads_activities(
    world: World, session: AsyncSession, viewer: httpx.AsyncClient
) -> None:
    activity = await _existing_activity(session, world)
    listed = await viewer.get(world.activities)
    assert [item["id"] for item in listed.json()["items"]] == [activity.id]
    assert (await viewer.get(f"{world.activities}/{activity.id}")).status_code == 200


async def test_leader_of_another_campaign_writes_in_their_own(
    world: World,
    make_campaign: CampaignFactory,
    make_user: UserFactory,
    client_as: ClientFactory,
) -> None:
    other = await make_user(Role.GROUP_LEADER)
    campaign = await make_campaign(other, [world.zones[2]], name="Đoàn của họ")
    client = client_as(other)
    response = await client.post(
        f"{CAMPAIGNS}/{campaign.id}/activities", json=activity_body(world.outside)
    )
    assert response.status_code == 201, response.text
    stored = (await client.get(response.headers["Location"])).json()
    assert (stored["campaign_id"], stored["enterprise_id"]) == (campaign.id, world.outside.id)
