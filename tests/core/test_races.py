"""Twenty clients changing one record at the same moment, against a real server: one winner,
clear answers for the others (412 with If-Match; 409 when the record's state moved on), no 5xx,
no dropped connection, and the database holding exactly one result."""

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today as hanoi_today
from app.models import EventKind, MemberEvent, Organization, Role, TrainingClass, User
from tests.factories import add_campaign, add_enterprise, add_member, add_organization, add_zone
from tests.fixtures.live import LiveServer

API = "/api/v1"
N = 20
Call = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def at_once(live: LiveServer, call: Call, role: Role = Role.ADMIN) -> list[httpx.Response]:
    """`call` by N clients at once, each on its own connection; each connection then serves an
    unrelated request, which fails if an answer had dropped it."""

    async def one(i: int) -> httpx.Response:
        async with live.client(role, limits=httpx.Limits(max_connections=1)) as client:
            response = await call(client, i)
            after = await client.get("/healthz")
            assert after.status_code == 200
            return response

    return await asyncio.gather(*(one(i) for i in range(N)))


def tally(responses: list[httpx.Response]) -> dict[int, int]:
    return dict(Counter(r.status_code for r in responses))


def codes(responses: list[httpx.Response], status: int) -> set[str]:
    return {r.json()["code"] for r in responses if r.status_code == status}


async def scalar(live: LiveServer, stmt: Any) -> Any:
    async def run(session: AsyncSession) -> Any:
        return await session.scalar(stmt)

    return await live.seed(run)


async def test_patches_with_one_if_match_have_one_winner(live: LiveServer) -> None:
    async with live.client() as client:
        created = await client.post(
            f"{API}/training-classes",
            json={"title": "Lớp cảm tình Đảng", "starts_on": "2024-03-01", "ends_on": "2024-03-05"},
        )
    assert created.status_code == 201, created.text
    class_id, etag = created.json()["id"], created.headers["ETag"]

    responses = await at_once(
        live,
        lambda c, i: c.patch(
            f"{API}/training-classes/{class_id}",
            json={"notes": f"n{i}"},
            headers={"If-Match": etag},
        ),
    )
    assert tally(responses) == {200: 1, 412: N - 1}
    assert codes(responses, 412) == {"stale_etag"}
    winner = next(r for r in responses if r.status_code == 200)
    stored = await scalar(live, select(TrainingClass).where(TrainingClass.id == class_id))
    assert stored.notes == winner.json()["notes"]
    assert f'"{stored.version}"' == winner.headers["ETag"]


async def test_patches_without_if_match_take_turns(live: LiveServer) -> None:
    async with live.client() as client:
        created = await client.post(
            f"{API}/training-classes",
            json={"title": "Lớp đối tượng", "starts_on": "2024-04-01", "ends_on": "2024-04-05"},
        )
    class_id, version = created.json()["id"], int(created.headers["ETag"].strip('"'))

    responses = await at_once(
        live, lambda c, i: c.patch(f"{API}/training-classes/{class_id}", json={"notes": f"n{i}"})
    )
    # No precondition asked: every change is applied, one after the other (last write wins).
    assert tally(responses) == {200: N}
    stored = await scalar(live, select(TrainingClass).where(TrainingClass.id == class_id))
    assert stored.version == version + N
    assert sorted(int(r.headers["ETag"].strip('"')) for r in responses) == list(
        range(version + 1, version + N + 1)
    )


async def _organization_and_members(
    live: LiveServer, admitted_on: dt.date | None = None
) -> tuple[int, list[int], int]:
    """An organization, another one, and three candidates (members of the first when
    admitted_on is given)."""

    async def seed(session: AsyncSession) -> tuple[int, list[int], int]:
        organization = await add_organization(session)
        other = await add_organization(session)
        members = []
        for _ in range(3):
            organization_id = organization.id if admitted_on else None
            added = await add_member(
                session, admitted_on=admitted_on, organization_id=organization_id
            )
            members.append(added.id)
        return organization.id, members, other.id

    return await live.seed(seed)


async def _events(live: LiveServer, member_id: int, kind: EventKind) -> int:
    return int(
        await scalar(
            live,
            select(func.count())
            .select_from(MemberEvent)
            .where(MemberEvent.member_id == member_id, MemberEvent.kind == kind),
        )
    )


async def test_concurrent_admissions_admit_once(live: LiveServer) -> None:
    organization, (candidate, *_), _ = await _organization_and_members(live)
    today = dt.date.today().isoformat()

    responses = await at_once(
        live,
        lambda c, i: c.post(
            f"{API}/members/{candidate}/admit",
            json={"admitted_on": today, "organization_id": organization},
        ),
        Role.EDITOR,
    )
    assert tally(responses) == {200: 1, 409: N - 1}
    assert codes(responses, 409) == {"invalid_status"}
    assert await _events(live, candidate, EventKind.ADMITTED) == 1


async def test_concurrent_recognitions_and_removals_happen_once(live: LiveServer) -> None:
    _, (probationary, official, _), _ = await _organization_and_members(live, dt.date(2020, 1, 6))
    today = dt.date.today().isoformat()

    recognitions = await at_once(
        live,
        lambda c, i: c.post(
            f"{API}/members/{probationary}/recognize", json={"recognized_on": today}
        ),
    )
    assert tally(recognitions) == {200: 1, 409: N - 1}
    assert await _events(live, probationary, EventKind.RECOGNIZED) == 1

    removals = await at_once(
        live,
        lambda c, i: c.post(
            f"{API}/members/{official}/remove", json={"on": today, "reason": "deceased"}
        ),
    )
    assert tally(removals) == {200: 1, 409: N - 1}
    assert codes(removals, 409) == {"invalid_status"}
    assert await _events(live, official, EventKind.REMOVED) == 1


async def test_concurrent_transfers_out_happen_once(live: LiveServer) -> None:
    _, (member, *_), _ = await _organization_and_members(live, dt.date(2020, 1, 6))
    today = dt.date.today().isoformat()

    responses = await at_once(
        live,
        lambda c, i: c.post(
            f"{API}/members/{member}/transfer",
            json={"on": today, "destination": f"Đảng ủy phường {i}"},
        ),
    )
    assert tally(responses) == {200: 1, 409: N - 1}
    assert await _events(live, member, EventKind.TRANSFERRED_OUT) == 1


async def test_dissolving_races_admissions_without_leaving_members(live: LiveServer) -> None:
    """Ten admissions into an organization and its dissolution, all at once: either the
    dissolution came first (admissions refused) or it is refused (members present); never an
    organization dissolved with members in it."""
    organization, candidates, _ = await _organization_and_members(live)
    today = dt.date.today().isoformat()

    def call(client: httpx.AsyncClient, i: int) -> Awaitable[httpx.Response]:
        if i < len(candidates):
            return client.post(
                f"{API}/members/{candidates[i]}/admit",
                json={"admitted_on": today, "organization_id": organization},
            )
        return client.post(
            f"{API}/organizations/{organization}/dissolve",
            json={"dissolved_on": today, "reason": "Doanh nghiệp giải thể"},
        )

    responses = await at_once(live, call)
    assert all(r.status_code < 500 for r in responses)
    dissolutions = responses[len(candidates) :]
    admitted = sum(r.status_code == 200 for r in responses[: len(candidates)])
    dissolved = await scalar(
        live, select(Organization.dissolved_on).where(Organization.id == organization)
    )
    if dissolved is None:
        assert admitted > 0
        assert codes(dissolutions, 409) == {"has_active_members"}
    else:
        assert admitted == 0
        assert tally(dissolutions) == {200: 1, 409: N - len(candidates) - 1}


async def test_campaign_changes_with_one_if_match_have_one_winner(live: LiveServer) -> None:
    async def seed(session: AsyncSession) -> int:
        leader = await session.scalar(select(User).where(User.role == Role.GROUP_LEADER))
        assert leader is not None
        zone = await add_zone(session)
        return (await add_campaign(session, leader, [zone], name="Tổ công tác số 9")).id

    campaign = await live.seed(seed)
    async with live.client() as client:
        etag = (await client.get(f"{API}/campaigns/{campaign}")).headers["ETag"]

    responses = await at_once(
        live,
        lambda c, i: c.patch(
            f"{API}/campaigns/{campaign}",
            json={"description": f"Kế hoạch {i}"},
            headers={"If-Match": etag},
        ),
    )
    assert tally(responses) == {200: 1, 412: N - 1}


async def test_two_admins_demoting_each_other_leave_one_admin(live: LiveServer) -> None:
    async with live.client() as client:
        ids = []
        for name in ("admin-a", "admin-b"):
            made = await client.post(
                f"{API}/users",
                json={
                    "username": name,
                    "full_name": name,
                    "role": "admin",
                    "password": "a-long-enough-password-1",
                },
            )
            assert made.status_code == 201, made.text
            ids.append(made.json()["id"])
        tokens = []
        for name in ("admin-a", "admin-b"):
            login = await client.post(
                f"{API}/auth/token",
                data={"username": name, "password": "a-long-enough-password-1"},
            )
            tokens.append(login.json()["access_token"])
        # The fixture's own admin steps aside, so these two are the only active admins.
        me = (await client.get(f"{API}/auth/me")).json()["id"]

    async def demote(token: str, user_id: int) -> httpx.Response:
        async with httpx.AsyncClient(
            base_url=live.base_url, headers={"Authorization": f"Bearer {token}"}
        ) as c:
            return await c.patch(f"{API}/users/{user_id}", json={"role": "viewer"})

    async with httpx.AsyncClient(
        base_url=live.base_url, headers={"Authorization": f"Bearer {tokens[0]}"}
    ) as a:
        stepped_aside = await a.patch(f"{API}/users/{me}", json={"is_active": False})
        assert stepped_aside.status_code == 200, stepped_aside.text
    try:
        first, second = await asyncio.gather(demote(tokens[0], ids[1]), demote(tokens[1], ids[0]))
        assert sorted([first.status_code, second.status_code]) == [200, 409]
        admins = await scalar(
            live,
            select(func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN, User.is_active, User.id.in_(ids)),
        )
        assert admins == 1
    finally:

        async def restore(session: AsyncSession) -> None:
            for user in (await session.scalars(select(User).where(User.id.in_([*ids, me])))).all():
                user.is_active = user.id == me
                user.role = Role.ADMIN if user.id == me else Role.VIEWER

        await live.seed(restore)


async def test_twenty_activities_recording_one_planned_visit_leave_one_record(
    live: LiveServer,
) -> None:
    """One visit, twenty groups' clerks logging it at once: one activity records it, the others
    are told it is recorded (409), and the database holds one activity for it."""
    today = hanoi_today()

    async def seed(session: AsyncSession) -> tuple[int, int]:
        leader = await session.scalar(select(User).where(User.role == Role.GROUP_LEADER))
        assert leader is not None
        zone = await add_zone(session)
        enterprise = await add_enterprise(session, zone=zone)
        campaign = await add_campaign(
            session, leader, [zone], name="Tổ công tác lịch thăm",
            starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=30),
        )  # fmt: skip
        return campaign.id, enterprise.id

    campaign, enterprise = await live.seed(seed)
    schedule = f"{API}/campaigns/{campaign}/schedule"
    async with live.client(Role.EDITOR) as client:
        visit = await client.post(
            schedule,
            json={"enterprise_id": enterprise, "planned_on": today.isoformat(), "purpose": "x"},
        )
    assert visit.status_code == 201, visit.text
    body = {"enterprise_id": enterprise, "occurred_on": today.isoformat(), "kind": "visit",
            "contact_role": "owner", "outcome": "receptive",
            "planned_visit_id": visit.json()["id"]}  # fmt: skip

    responses = await at_once(
        live,
        lambda c, i: c.post(f"{API}/campaigns/{campaign}/activities", json=body),
        role=Role.EDITOR,
    )

    assert tally(responses) == {201: 1, 409: N - 1}
    assert codes(responses, 409) == {"visit_already_fulfilled"}
    async with live.client(Role.EDITOR) as client:
        done = await client.get(f"{schedule}/{visit.json()['id']}")
    assert done.json()["status"] == "done"
    assert done.json()["activity_id"] == next(
        r.json()["id"] for r in responses if r.status_code == 201
    )
