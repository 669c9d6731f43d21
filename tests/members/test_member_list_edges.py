"""Member list edge cases found while walking the registry scenario: filters whose 12-month
arithmetic meets a leap day, and the as-of list's status values."""

import datetime as dt
import warnings

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import add_member
from tests.members.world import build_world

MEMBERS = "/api/v1/members"


async def test_probation_ending_the_day_before_a_leap_day_is_listed(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    member = await add_member(
        session,
        registered_on=dt.date(2022, 6, 1),
        admitted_on=dt.date(2023, 2, 28),
        organization_id=world.cell.id,
    )
    await session.commit()
    shown = (await editor.get(f"{MEMBERS}/{member.id}")).json()
    assert shown["probation_ends_on"] == "2024-02-28"
    response = await editor.get(MEMBERS, params={"probation_ends_before": "2024-02-29"})
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()["items"]] == [member.id]


async def test_dossier_twelve_months_and_a_day_old_on_a_leap_day_is_stale(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    await build_world(session)
    member = await add_member(session, registered_on=dt.date(2023, 1, 10))
    member.dossier_started_on = dt.date(2023, 2, 28)
    await session.commit()
    response = await editor.get(MEMBERS, params={"dossier_stale": "true", "as_of": "2024-02-29"})
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()["items"]] == [member.id]


async def test_as_of_list_serializes_status_without_warnings(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    await add_member(
        session,
        admitted_on=dt.date(2020, 3, 1),
        recognized_on=dt.date(2021, 3, 1),
        organization_id=world.cell.id,
    )
    await session.commit()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = await editor.get(MEMBERS, params={"as_of": "2022-01-01"})
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["status"] == "official"
    assert [str(w.message) for w in caught if "Pydantic" in str(w.message)] == []
