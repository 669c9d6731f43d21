"""The working groups' visit calendar (issue 15): every rule with its problem answer and nothing
written, who may plan, missed around the day in Hanoi, the activity that fulfils a visit and
its refusals, and the iCalendar feeds read back with the same library."""

import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.models import Campaign, CampaignMember, PlannedVisit, Role, User
from tests.campaigns.world import CAMPAIGNS, World, activity_body
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import CampaignFactory
from tests.problems import assert_problem


def _date(offset: int) -> dt.date:
    return today() + dt.timedelta(days=offset)


def _day(offset: int) -> str:
    return _date(offset).isoformat()


@pytest.fixture
async def running(world: World, make_campaign: CampaignFactory) -> Campaign:
    """A campaign of the world's leader over the world's two zones, running around today."""
    return await make_campaign(
        world.leader,
        world.zones[:2],
        name="Đoàn công tác đang chạy",
        starts_on=_date(-60),
        ends_on=_date(60),
    )


def _schedule(campaign: Campaign) -> str:
    return f"{CAMPAIGNS}/{campaign.id}/schedule"


async def _visit(
    client: httpx.AsyncClient, campaign: Campaign, enterprise_id: int, **overrides: Any
) -> dict[str, Any]:
    body = {"enterprise_id": enterprise_id, "planned_on": _day(7),
            "purpose": "Giới thiệu Nghị quyết 09"} | overrides  # fmt: skip
    answer = await client.post(_schedule(campaign), json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def test_a_visit_is_planned_in_the_future_and_read_back(
    world: World, running: Campaign
) -> None:
    answer = await world.leader_client.post(
        _schedule(running),
        json={"enterprise_id": world.fdi.id, "planned_on": _day(30), "purpose": "Gặp chủ DN",
              "contact_roles": ["owner", "union_chair"]},
    )  # fmt: skip

    assert answer.status_code == 201, answer.text
    visit = answer.json()
    assert answer.headers["Location"] == f"{_schedule(running)}/{visit['id']}"
    assert (visit["status"], visit["activity_id"], visit["material_ids"]) == ("planned", None, [])
    assert visit["contact_roles"] == ["owner", "union_chair"]
    read = await world.leader_client.get(f"{_schedule(running)}/{visit['id']}")
    assert read.json() == visit
    assert read.headers["ETag"] == answer.headers["ETag"]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"enterprise_id": "outside"}, "enterprise_outside_campaign", "enterprise_id"),
        ({"planned_on": _day(61)}, "outside_campaign_period", "planned_on"),
        ({"planned_on": _day(-61)}, "outside_campaign_period", "planned_on"),
        ({"material_ids": [987654]}, "unknown_reference", "material_ids"),
        ({"contact_roles": ["boss"]}, "validation_error", "contact_roles"),
        ({"purpose": "\u200b"}, "validation_error", "purpose"),
    ],
)
async def test_a_visit_breaking_a_rule_is_refused_and_nothing_is_written(
    world: World,
    running: Campaign,
    fingerprint: Fingerprint,
    overrides: dict[str, Any],
    code: str,
    field: str,
) -> None:
    if overrides.get("enterprise_id") == "outside":
        overrides["enterprise_id"] = world.outside.id
    before = await fingerprint()
    body = {"enterprise_id": world.fdi.id, "planned_on": _day(1), "purpose": "x"} | overrides

    answer = await world.leader_client.post(_schedule(running), json=body)

    problem = assert_problem(answer, 422, code)
    assert field in problem["errors"][0]["loc"]
    assert await fingerprint() == before


async def test_who_may_plan_visits(
    world: World,
    running: Campaign,
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    make_user: UserFactory,
    client_as: ClientFactory,
    fingerprint: Fingerprint,
) -> None:
    other_leader = client_as(await make_user(Role.GROUP_LEADER))
    visit = await _visit(editor, running, world.fdi.id)
    url = f"{_schedule(running)}/{visit['id']}"
    before = await fingerprint()
    body = {"enterprise_id": world.fdi.id, "planned_on": _day(1), "purpose": "x"}

    refused = [
        (await other_leader.post(_schedule(running), json=body), "not_campaign_leader"),
        (await other_leader.patch(url, json={"status": "cancelled"}), "not_campaign_leader"),
        (await viewer.post(_schedule(running), json=body), "forbidden_role"),
        (await viewer.delete(url), "forbidden_role"),
    ]

    for answer, code in refused:
        assert_problem(answer, 403, code)
    assert await fingerprint() == before
    assert (await viewer.get(url)).status_code == 200
    assert (await world.leader_client.patch(url, json={"status": "cancelled"})).status_code == 200


async def test_a_planned_visit_is_missed_once_its_day_has_passed_in_hanoi(
    world: World, running: Campaign
) -> None:
    client = world.leader_client
    yesterday = await _visit(client, running, world.fdi.id, planned_on=_day(-1))
    on_the_day = await _visit(client, running, world.domestic.id, planned_on=_day(0))
    dropped = await _visit(client, running, world.second_zone.id, planned_on=_day(-2))
    await client.patch(f"{_schedule(running)}/{dropped['id']}", json={"status": "cancelled"})

    def shown(answer: httpx.Response) -> list[tuple[int, str]]:
        assert answer.status_code == 200, answer.text
        return [(v["id"], v["status"]) for v in answer.json()["items"]]

    assert shown(await client.get(_schedule(running))) == [
        (dropped["id"], "cancelled"), (yesterday["id"], "missed"), (on_the_day["id"], "planned"),
    ]  # fmt: skip
    assert shown(await client.get(_schedule(running), params={"status": "missed"})) == [
        (yesterday["id"], "missed")
    ]
    planned = await client.get(
        _schedule(running), params={"status": "planned", "planned_from": _day(0)}
    )
    assert shown(planned) == [(on_the_day["id"], "planned")]
    moved = await client.patch(
        f"{_schedule(running)}/{yesterday['id']}", json={"planned_on": _day(3)}
    )
    assert moved.json()["status"] == "planned"
    set_done = await client.patch(
        f"{_schedule(running)}/{yesterday['id']}", json={"status": "done"}
    )
    assert_problem(set_done, 422, "rule_violation")


async def test_an_activity_fulfils_a_visit_once_at_its_enterprise_in_its_campaign(
    world: World, running: Campaign, editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    client = world.leader_client
    visit = await _visit(client, running, world.fdi.id, planned_on=_day(-1))
    elsewhere = await _visit(client, running, world.domestic.id, planned_on=_day(-1))
    cancelled = await _visit(client, running, world.fdi.id, planned_on=_day(-3))
    await client.patch(f"{_schedule(running)}/{cancelled['id']}", json={"status": "cancelled"})
    activities = f"{CAMPAIGNS}/{running.id}/activities"
    body = activity_body(world.fdi, occurred_on=_day(-1))
    before = await fingerprint()

    wrong_enterprise = await client.post(
        activities, json=body | {"planned_visit_id": elsewhere["id"]}
    )
    other_campaign = await client.post(
        world.activities, json=activity_body(world.fdi) | {"planned_visit_id": visit["id"]}
    )
    was_cancelled = await client.post(activities, json=body | {"planned_visit_id": cancelled["id"]})

    assert_problem(wrong_enterprise, 422, "visit_enterprise_mismatch")
    assert_problem(other_campaign, 422, "visit_of_another_campaign")
    assert_problem(was_cancelled, 409, "invalid_status")
    assert await fingerprint() == before

    first = await client.post(activities, json=body | {"planned_visit_id": visit["id"]})
    again = await client.post(activities, json=body | {"planned_visit_id": visit["id"]})
    visit_url = f"{_schedule(running)}/{visit['id']}"
    done = await client.get(visit_url)
    cancel_done = await client.patch(visit_url, json={"status": "cancelled"})
    delete_done = await client.delete(visit_url)

    assert first.status_code == 201, first.text
    assert first.json()["planned_visit_id"] == visit["id"]
    assert (
        assert_problem(again, 409, "visit_already_fulfilled")["activity_id"] == first.json()["id"]
    )
    assert (done.json()["status"], done.json()["activity_id"]) == ("done", first.json()["id"])
    assert_problem(cancel_done, 409, "invalid_status")
    assert_problem(delete_done, 409, "invalid_status")
    await editor.delete(f"{activities}/{first.json()['id']}")
    assert (await client.get(visit_url)).json()["status"] == "missed"


def _events(content: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_the_campaigns_calendar_reads_back_field_by_field(
    world: World, running: Campaign
) -> None:
    client = world.leader_client
    kept = await _visit(client, running, world.fdi.id, planned_on=_day(5),
                        contact_roles=["owner"])  # fmt: skip
    dropped = await _visit(client, running, world.domestic.id, planned_on=_day(6))
    await client.patch(f"{_schedule(running)}/{dropped['id']}", json={"status": "cancelled"})

    answer = await client.get(f"{_schedule(running)}.ics")

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert running.name in str(calendar["X-WR-CALNAME"])
    events = _events(answer.content)
    event = events[f"visit-{kept['id']}@kcn-party.hanoi"]
    assert event.decoded("DTSTART") == _date(5)
    assert event.decoded("DTEND") == _date(6)
    assert world.fdi.name in str(event["SUMMARY"])
    assert world.zones[0].name in str(event["LOCATION"])
    assert "chủ doanh nghiệp" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(events[f"visit-{dropped['id']}@kcn-party.hanoi"]["STATUS"]) == "CANCELLED"
    sequence = int(event["SEQUENCE"])
    await client.patch(f"{_schedule(running)}/{kept['id']}", json={"planned_on": _day(8)})
    moved = _events((await client.get(f"{_schedule(running)}.ics")).content)
    assert int(moved[f"visit-{kept['id']}@kcn-party.hanoi"]["SEQUENCE"]) > sequence


async def test_a_personal_feed_needs_no_bearer_and_holds_only_ones_own_campaigns(
    world: World,
    running: Campaign,
    app: Any,
    session: AsyncSession,
    make_user: UserFactory,
    make_campaign: CampaignFactory,
    client_as: ClientFactory,
) -> None:
    from tests.conftest import client_for

    member_user = await make_user(Role.VIEWER)
    session.add(
        CampaignMember(campaign_id=running.id, full_name="Thành viên", user_id=member_user.id)
    )
    await session.commit()
    stranger: User = await make_user(Role.GROUP_LEADER)
    theirs = await make_campaign(
        stranger, world.zones[:1], name="Đoàn khác", starts_on=today(), ends_on=_date(9)
    )
    mine = await _visit(world.leader_client, running, world.fdi.id)
    other = await _visit(client_as(stranger), theirs, world.fdi.id, planned_on=_day(2))
    anonymous = client_for(app)

    created = await client_as(member_user).post("/api/v1/calendar/feed")
    assert created.status_code == 201, created.text
    path = httpx.URL(created.json()["url"]).path
    feed = await anonymous.get(path)

    assert feed.status_code == 200, feed.text
    assert set(_events(feed.content)) == {f"visit-{mine['id']}@kcn-party.hanoi"}
    assert f"visit-{other['id']}@kcn-party.hanoi" not in _events(feed.content)
    leader_feed = await world.leader_client.post("/api/v1/calendar/feed")
    assert (
        len(_events((await anonymous.get(httpx.URL(leader_feed.json()["url"]).path)).content)) == 1
    )

    replaced = await client_as(member_user).post("/api/v1/calendar/feed")
    assert_problem(await anonymous.get(path), 404, "not_found")
    new_path = httpx.URL(replaced.json()["url"]).path
    assert (await anonymous.get(new_path)).status_code == 200
    await session.execute(update(User).where(User.id == member_user.id).values(is_active=False))
    await session.commit()
    assert_problem(await anonymous.get(new_path), 404, "not_found")
    revoked = await world.leader_client.delete("/api/v1/calendar/feed")
    assert revoked.status_code == 204
    assert_problem(await anonymous.get(httpx.URL(leader_feed.json()["url"]).path), 404)
    assert_problem(await anonymous.get("/api/v1/calendar/feed/short.ics"), 422)
    await anonymous.aclose()


async def test_a_campaign_keeps_its_planned_visits_inside_and_a_stranded_one_can_be_cancelled(
    world: World, running: Campaign, editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    late = await _visit(world.leader_client, running, world.second_zone.id, planned_on=_day(50))
    before = await fingerprint()

    shrunk = await editor.patch(f"{CAMPAIGNS}/{running.id}", json={"ends_on": _day(40)})
    narrowed = await editor.patch(
        f"{CAMPAIGNS}/{running.id}", json={"zone_ids": [world.zones[0].id]}
    )
    deleted = await editor.delete(f"{CAMPAIGNS}/{running.id}")

    assert assert_problem(shrunk, 409, "activities_outside_campaign")["errors"][0]["loc"][-1] == (
        "ends_on"
    )
    assert_problem(narrowed, 409, "activities_outside_campaign")
    assert_problem(deleted, 409)
    assert await fingerprint() == before
    # The enterprise moves to a zone the campaign does not cover: the visit is stranded.
    moved = await editor.patch(
        f"/api/v1/enterprises/{world.second_zone.id}", json={"zone_id": world.zones[2].id}
    )
    assert moved.status_code == 200, moved.text
    url = f"{_schedule(running)}/{late['id']}"
    replanned = await world.leader_client.patch(url, json={"planned_on": _day(45)})
    cancelled = await world.leader_client.patch(url, json={"status": "cancelled"})
    assert_problem(replanned, 422, "enterprise_outside_campaign")
    assert cancelled.status_code == 200, cancelled.text
    assert (
        await editor.patch(f"{CAMPAIGNS}/{running.id}", json={"ends_on": _day(40)})
    ).status_code == 200


async def test_a_calendar_event_moves_on_when_an_activity_records_or_releases_its_visit(
    world: World, running: Campaign, editor: httpx.AsyncClient
) -> None:
    client = world.leader_client
    visit = await _visit(client, running, world.fdi.id, planned_on=_day(-1))
    uid = f"visit-{visit['id']}@kcn-party.hanoi"

    async def sequence() -> int:
        return int(
            _events((await client.get(f"{_schedule(running)}.ics")).content)[uid]["SEQUENCE"]
        )

    planned = await sequence()
    activity = await client.post(
        f"{CAMPAIGNS}/{running.id}/activities",
        json=activity_body(world.fdi, occurred_on=_day(-1), planned_visit_id=visit["id"]),
    )
    recorded = await sequence()
    await editor.delete(f"{CAMPAIGNS}/{running.id}/activities/{activity.json()['id']}")
    released = await sequence()

    assert planned < recorded < released


async def test_a_feeds_token_never_reaches_the_access_log(
    world: World, running: Campaign, app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import client_for

    created = await world.leader_client.post("/api/v1/calendar/feed")
    path = httpx.URL(created.json()["url"]).path
    token = path.rsplit("/", 1)[-1].removesuffix(".ics")
    anonymous = client_for(app)
    with caplog.at_level(logging.INFO, logger="kcn.access"):
        assert (await anonymous.get(path)).status_code == 200
        assert (await anonymous.get(path.replace(token[:5], "xxxxx"))).status_code == 404
    await anonymous.aclose()

    lines = [r for r in caplog.records if r.name == "kcn.access" and r.__dict__["method"] == "GET"]
    assert [getattr(r, "path", None) for r in lines] == ["/api/v1/calendar/feed/…"] * 2
    server = [r for r in caplog.records if r.name.startswith(("kcn", "uvicorn"))]
    assert token not in "\n".join(str(r.__dict__) for r in server)


async def test_a_visit_turning_missed_moves_its_calendar_event_on(
    world: World, running: Campaign, session: AsyncSession
) -> None:
    """Its day passing changes what the event says without any write: the sequence still
    moves, and a later change moves it further."""
    client = world.leader_client
    visit = await _visit(client, running, world.fdi.id, planned_on=_day(2))
    uid = f"visit-{visit['id']}@kcn-party.hanoi"

    async def event() -> Any:
        return _events((await client.get(f"{_schedule(running)}.ics")).content)[uid]

    planned = await event()
    # Two days later, seen from the database: the visit's day has passed.
    await session.execute(
        update(PlannedVisit)
        .where(PlannedVisit.id == visit["id"])
        .values(planned_on=_date(-1), version=PlannedVisit.version)
    )
    await session.commit()
    missed = await event()
    await client.patch(f"{_schedule(running)}/{visit['id']}", json={"status": "cancelled"})
    cancelled = await event()

    assert "dự kiến" in str(planned["DESCRIPTION"])
    assert "quá hạn" in str(missed["DESCRIPTION"])
    assert int(planned["SEQUENCE"]) < int(missed["SEQUENCE"]) < int(cancelled["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
