"""Campaign rules: leader, members, zones, period, one campaign per zone at a time, ETags."""

import datetime as dt

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Role
from tests.campaigns.world import CAMPAIGNS, World, activity_body
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import CampaignFactory
from tests.problems import assert_problem, error_fields


def campaign_body(world: World, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Đoàn công tác số 2",
        "description": "KCN Nội Bài",
        "leader_id": world.leader.id,
        "members": [{"full_name": "Trần Thị Bình", "role": "Phó trưởng đoàn"}],
        "zone_ids": [world.zones[2].id],
        "starts_on": "2024-01-01",
        "ends_on": "2025-12-31",
        "status": "active",
    }
    body.update(overrides)
    return body


async def test_campaign_is_created_with_its_members_and_zones(
    editor: httpx.AsyncClient, world: World
) -> None:
    members = [
        {"full_name": "  Trần Thị Bình ", "role": "Phó trưởng đoàn", "user_id": world.leader.id},
        {"full_name": "Lê Văn Cường"},
    ]
    response = await editor.post(CAMPAIGNS, json=campaign_body(world, members=members))
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"{CAMPAIGNS}/{body['id']}"
    assert response.headers["ETag"]
    assert body["zone_ids"] == [world.zones[2].id]
    assert [(m["full_name"], m["user_id"]) for m in body["members"]] == [
        ("Trần Thị Bình", world.leader.id),
        ("Lê Văn Cường", None),
    ]
    read = await editor.get(f"{CAMPAIGNS}/{body['id']}")
    assert read.json() == body
    assert read.headers["ETag"] == response.headers["ETag"]


async def test_duplicate_name_is_a_conflict(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(CAMPAIGNS, json=campaign_body(world, name=world.campaign.name))
    assert error_fields(assert_problem(response, 409)) == {"name"}
    assert await fingerprint() == before


async def test_leader_must_be_an_active_group_leader_editor_or_admin(
    editor: httpx.AsyncClient,
    world: World,
    make_user: UserFactory,
    fingerprint: Fingerprint,
) -> None:
    viewer = await make_user(Role.VIEWER)
    inactive = await make_user(Role.GROUP_LEADER, is_active=False)
    before = await fingerprint()
    for leader_id in (viewer.id, inactive.id, 987654):
        response = await editor.post(CAMPAIGNS, json=campaign_body(world, leader_id=leader_id))
        assert error_fields(assert_problem(response, 422)) == {"leader_id"}
    patch = await editor.patch(f"{CAMPAIGNS}/{world.campaign.id}", json={"leader_id": viewer.id})
    assert error_fields(assert_problem(patch, 422, "invalid_leader")) == {"leader_id"}
    assert await fingerprint() == before


async def test_editors_and_admins_may_lead(
    editor: httpx.AsyncClient, world: World, make_user: UserFactory
) -> None:
    admin = await make_user(Role.ADMIN)
    response = await editor.post(CAMPAIGNS, json=campaign_body(world, leader_id=admin.id))
    assert response.status_code == 201, response.text
    assert (await editor.get(response.headers["Location"])).json()["leader_id"] == admin.id


async def test_member_with_an_unknown_account_is_rejected(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    members = [{"full_name": "Trần Thị Bình"}, {"full_name": "Lê Văn Cường", "user_id": 987654}]
    before = await fingerprint()
    response = await editor.post(CAMPAIGNS, json=campaign_body(world, members=members))
    body = assert_problem(response, 422, "unknown_reference")
    assert body["errors"][0]["loc"] == ["body", "members", 1, "user_id"]
    patch = await editor.patch(f"{CAMPAIGNS}/{world.campaign.id}", json={"members": members})
    assert_problem(patch, 422, "unknown_reference")
    assert await fingerprint() == before


async def test_unknown_zone_is_rejected(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(CAMPAIGNS, json=campaign_body(world, zone_ids=[987654]))
    assert error_fields(assert_problem(response, 422, "unknown_reference")) == {"zone_ids"}
    patch = await editor.patch(
        f"{CAMPAIGNS}/{world.campaign.id}", json={"zone_ids": [world.zones[0].id, 987654]}
    )
    assert error_fields(assert_problem(patch, 422, "unknown_reference")) == {"zone_ids"}
    assert await fingerprint() == before


async def test_period_ending_before_it_starts_is_rejected(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(
        CAMPAIGNS, json=campaign_body(world, starts_on="2025-01-01", ends_on="2024-12-31")
    )
    assert error_fields(assert_problem(response, 422, "period_reversed")) == {"ends_on"}
    patch = await editor.patch(f"{CAMPAIGNS}/{world.campaign.id}", json={"ends_on": "2023-12-31"})
    assert error_fields(assert_problem(patch, 422, "period_reversed")) == {"ends_on"}
    assert await fingerprint() == before


async def test_zone_of_a_campaign_with_an_overlapping_period_is_a_conflict_naming_it(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    body = campaign_body(
        world, zone_ids=[world.zones[2].id, world.zones[1].id], starts_on="2025-12-31"
    )
    response = await editor.post(CAMPAIGNS, json=body | {"ends_on": "2026-06-30"})
    problem = assert_problem(response, 409, "zone_period_overlap")
    assert problem["conflicting_campaign"]["id"] == world.campaign.id
    assert problem["conflicting_campaign"]["name"] == world.campaign.name
    assert problem["zone_id"] == world.zones[1].id
    assert world.campaign.name in problem["detail"]
    assert error_fields(problem) == {"zone_ids"}
    assert await fingerprint() == before


async def test_zone_is_shared_by_campaigns_whose_periods_do_not_overlap(
    editor: httpx.AsyncClient, world: World
) -> None:
    body = campaign_body(world, zone_ids=[world.zones[0].id], starts_on="2026-01-01")
    response = await editor.post(CAMPAIGNS, json=body | {"ends_on": "2026-12-31"})
    assert response.status_code == 201, response.text
    stored = (await editor.get(response.headers["Location"])).json()
    assert stored["zone_ids"] == [world.zones[0].id]
    assert (stored["starts_on"], stored["ends_on"]) == ("2026-01-01", "2026-12-31")


async def test_update_making_periods_or_zones_overlap_is_a_conflict(
    editor: httpx.AsyncClient,
    make_campaign: CampaignFactory,
    world: World,
    fingerprint: Fingerprint,
) -> None:
    later = await make_campaign(
        world.leader,
        [world.zones[0]],
        name="Đoàn 2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    elsewhere = await make_campaign(world.leader, [world.zones[2]], name="Đoàn KCN 3")
    before = await fingerprint()
    dates = await editor.patch(f"{CAMPAIGNS}/{later.id}", json={"starts_on": "2025-06-01"})
    problem = assert_problem(dates, 409, "zone_period_overlap")
    assert problem["conflicting_campaign"]["id"] == world.campaign.id
    zones = await editor.patch(
        f"{CAMPAIGNS}/{elsewhere.id}", json={"zone_ids": [world.zones[2].id, world.zones[0].id]}
    )
    assert assert_problem(zones, 409, "zone_period_overlap")["zone_id"] == world.zones[0].id
    assert await fingerprint() == before
    renamed = await editor.patch(f"{CAMPAIGNS}/{elsewhere.id}", json={"name": "Đoàn số 3"})
    assert renamed.status_code == 200, renamed.text


async def test_patch_replaces_members_and_zones_and_moves_the_etag(
    editor: httpx.AsyncClient, world: World
) -> None:
    url = f"{CAMPAIGNS}/{world.campaign.id}"
    etag = (await editor.get(url)).headers["ETag"]
    response = await editor.patch(
        url,
        json={"members": [{"full_name": "Đỗ Văn Dũng"}], "zone_ids": [world.zones[1].id]},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["full_name"] for m in body["members"]] == ["Đỗ Văn Dũng"]
    assert body["zone_ids"] == [world.zones[1].id]
    assert response.headers["ETag"] != etag
    stale = await editor.patch(url, json={"description": "x"}, headers={"If-Match": etag})
    assert_problem(stale, 412, "stale_etag")


async def test_stale_if_match_is_refused_on_patch_and_delete(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    url = f"{CAMPAIGNS}/{world.campaign.id}"
    before = await fingerprint()
    patch = await editor.patch(url, json={"status": "closed"}, headers={"If-Match": '"999"'})
    assert_problem(patch, 412)
    delete = await editor.delete(url, headers={"If-Match": '"999"'})
    assert_problem(delete, 412)
    assert await fingerprint() == before


async def test_null_for_a_required_field_is_rejected(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.patch(f"{CAMPAIGNS}/{world.campaign.id}", json={"starts_on": None})
    assert error_fields(assert_problem(response, 422)) == {"starts_on"}
    assert await fingerprint() == before


async def test_campaign_without_records_is_deleted(editor: httpx.AsyncClient, world: World) -> None:
    url = f"{CAMPAIGNS}/{world.campaign.id}"
    etag = (await editor.get(url)).headers["ETag"]
    response = await editor.delete(url, headers={"If-Match": etag})
    assert response.status_code == 204, response.text
    assert_problem(await editor.get(url), 404)


async def test_campaign_with_activities_is_not_deleted(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    logged = await editor.post(world.activities, json=activity_body(world.fdi))
    assert logged.status_code == 201, logged.text
    before = await fingerprint()
    response = await editor.delete(f"{CAMPAIGNS}/{world.campaign.id}")
    assert "1 activities" in assert_problem(response, 409, "campaign_has_records")["detail"]
    assert await fingerprint() == before


async def test_zones_or_period_leaving_activities_outside_is_a_conflict(
    editor: httpx.AsyncClient, world: World, fingerprint: Fingerprint
) -> None:
    logged = await editor.post(world.activities, json=activity_body(world.fdi))
    assert logged.status_code == 201, logged.text
    url = f"{CAMPAIGNS}/{world.campaign.id}"
    before = await fingerprint()
    zones = await editor.patch(url, json={"zone_ids": [world.zones[1].id]})
    assert error_fields(assert_problem(zones, 409, "activities_outside_campaign")) == {"zone_ids"}
    period = await editor.patch(url, json={"starts_on": "2024-06-01"})
    assert error_fields(assert_problem(period, 409, "activities_outside_campaign")) == {"starts_on"}
    assert await fingerprint() == before


@pytest.mark.parametrize("role", [Role.GROUP_LEADER, Role.VIEWER])
async def test_campaign_writes_need_an_editor_or_admin(
    role: Role,
    world: World,
    make_user: UserFactory,
    client_as: ClientFactory,
    fingerprint: Fingerprint,
) -> None:
    client = client_as(await make_user(role))
    url = f"{CAMPAIGNS}/{world.campaign.id}"
    before = await fingerprint()
    assert_problem(await client.post(CAMPAIGNS, json=campaign_body(world)), 403)
    assert_problem(await client.patch(url, json={"status": "closed"}), 403)
    assert_problem(await client.delete(url), 403)
    assert await fingerprint() == before
    assert (await client.get(url)).status_code == 200


async def test_unknown_campaign_is_not_found(viewer: httpx.AsyncClient) -> None:
    assert_problem(await viewer.get(f"{CAMPAIGNS}/987654"), 404, "not_found")


async def test_list_filters_and_pages(
    editor: httpx.AsyncClient, session: AsyncSession, world: World, make_user: UserFactory
) -> None:
    other_leader = await make_user(Role.GROUP_LEADER)
    planned = await editor.post(
        CAMPAIGNS,
        json=campaign_body(
            world,
            name="Đoàn vận động Nội Bài",
            leader_id=other_leader.id,
            starts_on="2026-01-01",
            ends_on="2026-12-31",
            status="planned",
        ),
    )
    assert planned.status_code == 201, planned.text
    planned_id = planned.json()["id"]

    async def ids(**params: str | int) -> list[int]:
        response = await editor.get(CAMPAIGNS, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids(status="planned") == [planned_id]
    assert await ids(zone_id=world.zones[0].id) == [world.campaign.id]
    assert await ids(leader_id=other_leader.id) == [planned_id]
    assert await ids(active_on="2024-06-01") == [world.campaign.id]
    assert await ids(q="doan van dong noi bai") == [planned_id]
    assert await ids(sort="-starts_on") == [planned_id, world.campaign.id]
    first = await editor.get(CAMPAIGNS, params={"limit": 1, "sort": "starts_on"})
    cursor = first.json()["next_cursor"]
    second = await editor.get(CAMPAIGNS, params={"limit": 1, "sort": "starts_on", "cursor": cursor})
    assert [first.json()["items"][0]["id"], second.json()["items"][0]["id"]] == [
        world.campaign.id,
        planned_id,
    ]
    assert second.json()["next_cursor"] is None
