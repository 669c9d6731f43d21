"""Activity rules: enterprise in the campaign's zones, date in its period and not in the future,
a contact of that enterprise, an ISO 639-1 language, a follow-up after the activity."""

import datetime as dt

import httpx
import pytest

from app.core.dates import today
from tests.campaigns.world import CAMPAIGNS, World, activity_body
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import CampaignFactory
from tests.problems import assert_problem, error_fields


async def test_activity_is_logged_with_its_author(world: World) -> None:
    body = activity_body(
        world.fdi,
        contact_id=world.owner.id,
        material_language="KO",
        notes="  Gặp ông Kim  ",
        follow_up_on="2024-04-15",
        outcome="receptive",
    )
    response = await world.leader_client.post(world.activities, json=body)
    assert response.status_code == 201, response.text
    activity = response.json()
    assert response.headers["Location"] == f"{world.activities}/{activity['id']}"
    assert response.headers["ETag"] == '"1"'
    assert activity["created_by_id"] == world.leader.id
    assert activity["campaign_id"] == world.campaign.id
    assert (activity["material_language"], activity["notes"]) == ("ko", "Gặp ông Kim")
    read = await world.leader_client.get(f"{world.activities}/{activity['id']}")
    assert read.json() == activity


async def test_contact_role_defaults_to_the_contacts_role(world: World) -> None:
    body = activity_body(world.domestic, contact_id=world.union_chair.id)
    del body["contact_role"]
    response = await world.leader_client.post(world.activities, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["contact_role"] == "union_chair"


async def test_contact_role_is_required_without_a_contact(
    world: World, fingerprint: Fingerprint
) -> None:
    body = activity_body(world.fdi)
    del body["contact_role"]
    before = await fingerprint()
    response = await world.leader_client.post(world.activities, json=body)
    assert error_fields(assert_problem(response, 422, "contact_role_required")) == {"contact_role"}
    assert await fingerprint() == before


async def test_unknown_enterprise_is_rejected(world: World, fingerprint: Fingerprint) -> None:
    body = activity_body(world.fdi) | {"enterprise_id": 987654}
    before = await fingerprint()
    response = await world.leader_client.post(world.activities, json=body)
    assert error_fields(assert_problem(response, 422, "unknown_reference")) == {"enterprise_id"}
    assert await fingerprint() == before


async def test_enterprise_outside_the_campaigns_zones_is_rejected(
    world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await world.leader_client.post(world.activities, json=activity_body(world.outside))
    problem = assert_problem(response, 422, "enterprise_outside_campaign")
    assert error_fields(problem) == {"enterprise_id"}
    assert await fingerprint() == before


@pytest.mark.parametrize("occurred_on", ["2023-12-31", "2026-01-01"])
async def test_activity_outside_the_campaigns_period_is_rejected(
    occurred_on: str, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await world.leader_client.post(
        world.activities, json=activity_body(world.fdi, occurred_on=occurred_on)
    )
    problem = assert_problem(response, 422, "outside_campaign_period")
    assert error_fields(problem) == {"occurred_on"}
    assert await fingerprint() == before


async def test_activity_in_the_future_is_rejected(
    world: World, make_campaign: CampaignFactory, fingerprint: Fingerprint
) -> None:
    running = await make_campaign(
        world.leader,
        [world.zones[2]],
        name="Đoàn đang chạy",
        starts_on=today() - dt.timedelta(days=30),
        ends_on=today() + dt.timedelta(days=365),
    )
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    before = await fingerprint()
    response = await world.leader_client.post(
        f"{CAMPAIGNS}/{running.id}/activities",
        json=activity_body(world.outside, occurred_on=tomorrow),
    )
    assert error_fields(assert_problem(response, 422, "date_in_future")) == {"occurred_on"}
    assert await fingerprint() == before


async def test_contact_must_belong_to_the_enterprise(
    world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    for contact_id, code in (
        (world.union_chair.id, "contact_of_another_enterprise"),
        (987654, "unknown_reference"),
    ):
        response = await world.leader_client.post(
            world.activities, json=activity_body(world.fdi, contact_id=contact_id)
        )
        assert error_fields(assert_problem(response, 422, code)) == {"contact_id"}
    assert await fingerprint() == before


@pytest.mark.parametrize("language", ["xx", "kor", "k"])
async def test_material_language_must_be_iso_639_1(
    language: str, world: World, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await world.leader_client.post(
        world.activities, json=activity_body(world.fdi, material_language=language)
    )
    assert error_fields(assert_problem(response, 422)) == {"material_language"}
    assert await fingerprint() == before


async def test_follow_up_before_the_activity_is_rejected(
    world: World, fingerprint: Fingerprint
) -> None:
    created = await world.leader_client.post(
        world.activities, json=activity_body(world.fdi, follow_up_on="2024-04-01")
    )
    assert created.status_code == 201, created.text
    url = f"{world.activities}/{created.json()['id']}"
    before = await fingerprint()
    response = await world.leader_client.post(
        world.activities, json=activity_body(world.fdi, follow_up_on="2024-03-13")
    )
    assert error_fields(assert_problem(response, 422, "follow_up_before_activity")) == {
        "follow_up_on"
    }
    moved = await world.leader_client.patch(url, json={"occurred_on": "2024-05-01"})
    assert error_fields(assert_problem(moved, 422, "follow_up_before_activity")) == {"follow_up_on"}
    assert await fingerprint() == before


async def test_patch_rechecks_the_rules_and_moves_the_etag(
    world: World, fingerprint: Fingerprint
) -> None:
    created = await world.leader_client.post(world.activities, json=activity_body(world.fdi))
    url = f"{world.activities}/{created.json()['id']}"
    before = await fingerprint()
    outside = await world.leader_client.patch(url, json={"enterprise_id": world.outside.id})
    assert error_fields(assert_problem(outside, 422)) == {"enterprise_id"}
    foreign_contact = await world.leader_client.patch(
        url, json={"contact_id": world.union_chair.id}
    )
    assert error_fields(assert_problem(foreign_contact, 422)) == {"contact_id"}
    null_outcome = await world.leader_client.patch(url, json={"outcome": None})
    assert error_fields(assert_problem(null_outcome, 422)) == {"outcome"}
    assert await fingerprint() == before
    response = await world.leader_client.patch(
        url, json={"outcome": "agreed", "notes": "Đồng ý"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["outcome"], response.headers["ETag"]) == ("agreed", '"2"')


async def test_stale_if_match_is_refused_on_patch_and_delete(
    world: World, fingerprint: Fingerprint
) -> None:
    created = await world.leader_client.post(world.activities, json=activity_body(world.fdi))
    url = f"{world.activities}/{created.json()['id']}"
    await world.leader_client.patch(url, json={"outcome": "receptive"})
    before = await fingerprint()
    patch = await world.leader_client.patch(
        url, json={"outcome": "agreed"}, headers={"If-Match": '"1"'}
    )
    assert_problem(patch, 412, "stale_etag")
    delete = await world.leader_client.delete(url, headers={"If-Match": '"1"'})
    assert_problem(delete, 412, "stale_etag")
    assert await fingerprint() == before
    deleted = await world.leader_client.delete(url, headers={"If-Match": '"2"'})
    assert deleted.status_code == 204
    assert_problem(await world.leader_client.get(url), 404)


async def test_activity_is_found_only_under_its_own_campaign(
    world: World, make_campaign: CampaignFactory, editor: httpx.AsyncClient
) -> None:
    created = await world.leader_client.post(world.activities, json=activity_body(world.fdi))
    other = await make_campaign(world.leader, [world.zones[2]], name="Đoàn khác")
    url = f"{CAMPAIGNS}/{other.id}/activities/{created.json()['id']}"
    assert_problem(await editor.get(url), 404, "not_found")
    assert_problem(await editor.delete(url), 404, "not_found")


async def test_list_filters_by_enterprise_outcome_and_dates_with_a_cursor(
    world: World, editor: httpx.AsyncClient
) -> None:
    logged = [
        (world.fdi, "2024-02-01", "no_response"),
        (world.fdi, "2024-03-01", "receptive"),
        (world.domestic, "2024-03-15", "receptive"),
        (world.second_zone, "2024-05-01", "declined"),
    ]
    ids = []
    for enterprise, on, outcome in logged:
        response = await editor.post(
            world.activities, json=activity_body(enterprise, occurred_on=on, outcome=outcome)
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])

    async def listed(**params: str | int) -> list[int]:
        response = await editor.get(world.activities, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await listed() == ids[::-1]
    assert await listed(sort="occurred_on") == ids
    assert await listed(enterprise_id=world.fdi.id) == [ids[1], ids[0]]
    assert await listed(outcome="receptive") == [ids[2], ids[1]]
    assert await listed(occurred_from="2024-03-01", occurred_to="2024-03-31") == [ids[2], ids[1]]
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = (await editor.get(world.activities, params=params)).json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == [ids[::-1][:3], ids[::-1][3:]]
