"""Enterprises are dated (issue 14): counted from their registration, out from the day they
close, back when they reopen, with the workers their latest report on or before a date gave."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.models import Enterprise, IndustrialZone
from app.party.asof import open_enterprises
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import ZoneFactory
from tests.problems import assert_problem

ENTERPRISES = "/api/v1/enterprises"
OVERVIEW = "/api/v1/reports/overview"


@pytest.fixture
async def zone(make_zone: ZoneFactory) -> IndustrialZone:
    return await make_zone()


async def _create(editor: httpx.AsyncClient, zone: IndustrialZone, **fields: Any) -> str:
    body = {
        "tax_code": "0101234567",
        "name": "Công ty TNHH May Thăng Long",
        "zone_id": zone.id,
        "ownership": "domestic_private",
        "workers_count": 120,
        "registered_on": "2020-05-10",
    } | fields
    created = await editor.post(ENTERPRISES, json=body)
    assert created.status_code == 201, created.text
    return f"{ENTERPRISES}/{created.json()['id']}"


async def _listed(client: httpx.AsyncClient, on: str) -> dict[str, int]:
    """tax_code -> workers_count of the enterprises listed as of `on`."""
    answer = await client.get(ENTERPRISES, params={"as_of": on})
    assert answer.status_code == 200, answer.text
    return {e["tax_code"]: e["workers_count"] for e in answer.json()["items"]}


async def _counted(client: httpx.AsyncClient, on: str) -> tuple[int, int]:
    """(enterprises, workers) of the overview as of `on`."""
    answer = await client.get(OVERVIEW, params={"as_of": on, "period_start": on[:4] + "-01-01"})
    assert answer.status_code == 200, answer.text
    figures = answer.json()["enterprises"]
    return figures["total"], figures["workers"]


async def _step(editor: httpx.AsyncClient, path: str, action: str, **body: Any) -> Any:
    answer = await editor.post(f"{path}/{action}", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_an_enterprise_counts_from_its_registration_day(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    await _create(editor, zone)

    assert await _listed(editor, "2020-05-09") == {}
    assert await _listed(editor, "2020-05-10") == {"0101234567": 120}
    assert await _counted(editor, "2020-05-09") == (0, 0)
    assert await _counted(editor, "2020-05-10") == (1, 120)


async def test_one_registered_today_is_not_counted_in_the_past(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    await _create(editor, zone)
    created = await editor.post(
        ENTERPRISES,
        json={"tax_code": "0109999999", "name": "Công ty mới", "zone_id": zone.id,
              "ownership": "state", "workers_count": 50},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.json()["registered_on"] == today().isoformat()

    assert await _counted(editor, "2024-06-30") == (1, 120)
    assert await _counted(editor, today().isoformat()) == (2, 170)


async def test_closing_takes_it_out_from_that_day_and_reopening_brings_it_back(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)

    closed = await _step(editor, path, "close", closed_on="2022-01-01", reason="giải thể")
    assert (closed["status"], closed["closed_on"]) == ("closed", "2022-01-01")
    assert await _listed(editor, "2021-12-31") == {"0101234567": 120}
    assert await _listed(editor, "2022-01-01") == {}
    assert await _counted(editor, "2022-06-30") == (0, 0)
    zone_now = (await editor.get(f"/api/v1/industrial-zones/{zone.id}")).json()
    assert (zone_now["enterprises_count"], zone_now["workers_count"]) == (0, 0)

    reopened = await _step(editor, path, "reopen", reopened_on="2023-03-01")
    assert (reopened["status"], reopened["closed_on"]) == ("operating", None)
    assert await _listed(editor, "2023-02-28") == {}
    assert await _listed(editor, "2023-03-01") == {"0101234567": 120}
    assert await _counted(editor, "2021-12-31") == (1, 120)  # the past is unchanged


async def test_workforce_reports_date_the_workers(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)

    after = await _step(editor, path, "workforce", reported_on="2021-01-01", workers_count=300)
    assert after["workers_count"] == 300
    backdated = await _step(editor, path, "workforce", reported_on="2020-07-01", workers_count=200)
    assert backdated["workers_count"] == 300  # the latest report stays the current count
    assert await _listed(editor, "2020-06-30") == {"0101234567": 120}
    assert await _listed(editor, "2020-07-01") == {"0101234567": 200}
    assert await _counted(editor, "2021-06-30") == (1, 300)

    corrected = await _step(editor, path, "workforce", reported_on="2021-01-01", workers_count=310)
    assert corrected["workers_count"] == 310
    events = (await editor.get(f"{path}/events")).json()["items"]
    assert [(e["kind"], e["occurred_on"], e["workers_count"]) for e in events] == [
        ("registered", "2020-05-10", 120),
        ("workforce_reported", "2020-07-01", 200),
        ("workforce_reported", "2021-01-01", 310),
    ]


async def test_a_patched_workers_count_is_todays_report(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)

    patched = await editor.patch(path, json={"workers_count": 95})
    assert patched.status_code == 200, patched.text
    assert patched.json()["workers_count"] == 95
    events = (await editor.get(f"{path}/events")).json()["items"]
    assert (events[-1]["kind"], events[-1]["occurred_on"]) == (
        "workforce_reported",
        today().isoformat(),
    )
    assert await _listed(editor, "2024-06-30") == {"0101234567": 120}


async def test_a_corrected_registration_date_moves_the_history(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)
    await _step(editor, path, "workforce", reported_on="2021-01-01", workers_count=300)

    moved = await editor.patch(path, json={"registered_on": "2019-01-02"})
    assert moved.status_code == 200, moved.text
    assert await _listed(editor, "2019-01-02") == {"0101234567": 120}
    too_late = await editor.patch(path, json={"registered_on": "2021-06-01"})
    problem = assert_problem(too_late, 422, "date_before_history")
    assert problem["errors"][0]["loc"] == ["body", "registered_on"]


@pytest.mark.parametrize(
    ("setup", "action", "body", "status", "code"),
    [
        ([("close", {"closed_on": "2022-01-01", "reason": "x"})], "close",
         {"closed_on": "2023-01-01", "reason": "x"}, 409, "already_closed"),
        ([], "reopen", {"reopened_on": "2023-01-01"}, 409, "not_closed"),
        ([("workforce", {"reported_on": "2021-01-01", "workers_count": 5})], "close",
         {"closed_on": "2020-12-31", "reason": "x"}, 422, "date_before_history"),
        ([], "close", {"closed_on": "2999-01-01", "reason": "x"}, 422, "date_out_of_range"),
        ([], "close", {"closed_on": "2099-01-01", "reason": "x"}, 422, "date_in_future"),
        ([], "close", {"closed_on": "2022-01-01", "reason": " "}, 422, "validation_error"),
        ([("close", {"closed_on": "2022-01-01", "reason": "x"})], "reopen",
         {"reopened_on": "2021-12-31"}, 422, "date_before_history"),
        ([], "workforce", {"reported_on": "2020-05-09", "workers_count": 5}, 422,
         "date_before_history"),
        ([("close", {"closed_on": "2022-01-01", "reason": "x"})], "workforce",
         {"reported_on": "2022-02-01", "workers_count": 5}, 422, "enterprise_closed"),
        ([], "workforce", {"reported_on": "2021-01-01", "workers_count": -1}, 422,
         "validation_error"),
    ],
)  # fmt: skip
async def test_a_step_out_of_order_is_refused_and_changes_nothing(
    editor: httpx.AsyncClient,
    zone: IndustrialZone,
    session: AsyncSession,
    fingerprint: Fingerprint,
    setup: list[tuple[str, dict[str, Any]]],
    action: str,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    path = await _create(editor, zone)
    for step, step_body in setup:
        await _step(editor, path, step, **step_body)
    before = await fingerprint()

    answer = await editor.post(f"{path}/{action}", json=body)

    if code == "date_out_of_range":
        assert_problem(answer, 422, "validation_error")
    else:
        assert_problem(answer, status, code)
    assert await fingerprint() == before


async def test_status_closed_is_only_reached_by_the_dated_action(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    refused = await editor.post(
        ENTERPRISES,
        json={"tax_code": "0101234567", "name": "A", "zone_id": zone.id,
              "ownership": "state", "status": "closed"},
    )  # fmt: skip
    assert_problem(refused, 422, "closed_by_action")
    path = await _create(editor, zone)
    assert_problem(await editor.patch(path, json={"status": "closed"}), 422, "closed_by_action")
    suspended = await editor.patch(path, json={"status": "suspended"})
    assert suspended.json()["status"] == "suspended"
    future = await editor.post(
        ENTERPRISES,
        json={"tax_code": "0101234568", "name": "B", "zone_id": zone.id,
              "ownership": "state", "registered_on": (today() + dt.timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert_problem(future, 422, "date_in_future")


async def test_viewers_read_the_history_but_cannot_write_it(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)

    refused = await viewer.post(f"{path}/close", json={"closed_on": "2022-01-01", "reason": "x"})
    assert_problem(refused, 403, "forbidden_role")
    history = await viewer.get(f"{path}/events")
    assert history.status_code == 200
    assert [e["kind"] for e in history.json()["items"]] == ["registered"]


async def test_a_stale_if_match_is_refused_on_a_step(
    editor: httpx.AsyncClient, zone: IndustrialZone
) -> None:
    path = await _create(editor, zone)
    etag = (await editor.get(path)).headers["ETag"]
    await _step(editor, path, "workforce", reported_on="2021-01-01", workers_count=300)

    stale = await editor.post(
        f"{path}/close",
        json={"closed_on": "2022-01-01", "reason": "x"},
        headers={"If-Match": etag},
    )
    assert_problem(stale, 412, "stale_etag")


async def test_from_today_on_the_row_says_what_the_events_do(
    editor: httpx.AsyncClient, zone: IndustrialZone, session: AsyncSession
) -> None:
    """Counts as of today (or later) read each enterprise's own status and workers; the events
    must say the same, whatever order and dates the steps came in."""
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    closed = await _create(editor, zone, tax_code="0100000001")
    await _step(editor, closed, "close", closed_on="2022-03-01", reason="giải thể")
    reopened = await _create(editor, zone, tax_code="0100000002")
    await _step(editor, reopened, "close", closed_on="2021-01-01", reason="tạm dừng")
    await _step(editor, reopened, "reopen", reopened_on="2023-01-01")
    reported = await _create(editor, zone, tax_code="0100000003")
    await _step(editor, reported, "workforce", reported_on="2024-01-01", workers_count=500)
    await _step(editor, reported, "workforce", reported_on="2022-01-01", workers_count=80)
    patched = await _create(editor, zone, tax_code="0100000004")
    assert (await editor.patch(patched, json={"workers_count": 999})).status_code == 200
    closing_today = await _create(editor, zone, tax_code="0100000005")
    await _step(editor, closing_today, "close", closed_on=today().isoformat(), reason="x")
    await _create(editor, zone, tax_code="0100000006", registered_on=yesterday)

    async def rows(**kind: bool) -> set[tuple[int, int]]:
        found = open_enterprises(today(), Enterprise.zone_id == zone.id, **kind)
        return {(ident, workers) for ident, workers in await session.execute(select(found))}

    from_row, from_events = await rows(), await rows(from_events=True)
    assert from_row == from_events
    workers = {workers for _ident, workers in from_row}
    assert workers == {120, 500, 999}  # reopened and new at 120; the latest report; the PATCH
    assert len(from_row) == 4  # all but the two closed
