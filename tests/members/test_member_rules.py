"""The Party Charter's rules on candidates and members, each refused with the stated status
and no change to the database."""

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from tests.fixtures.db import Fingerprint
from tests.members.world import admit, build_world, new_candidate, with_probationary_member
from tests.problems import assert_problem

MEMBERS = "/api/v1/members"


async def test_candidate_registration_writes_history(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor, enterprise_id=world.fdi.id)
    assert member["status"] == "candidate"
    events = (await editor.get(f"{MEMBERS}/{member['id']}/events")).json()["items"]
    assert [e["kind"] for e in events] == ["registered", "dossier_started"]
    assert [e["occurred_on"] for e in events] == ["2023-01-10", "2023-02-01"]


async def test_admission_at_exactly_18_years_is_accepted(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor, born="2005-03-15", dossier="2023-03-01")
    response = await admit(editor, member["id"], world.cell.id, "2023-03-15")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "probationary"
    assert body["probation_ends_on"] == "2024-03-15"


async def test_admission_under_18_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor, born="2005-03-16", dossier="2023-03-01")
    before = await fingerprint()
    response = await admit(editor, member["id"], world.cell.id, "2023-03-15")
    assert response.status_code == 422
    assert response.json()["code"] == "admission_age"
    assert response.json()["errors"][0]["loc"] == ["body", "admitted_on"]
    assert await fingerprint() == before


async def test_admission_over_60_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(
        editor, born="1962-01-31", registered_on="2021-12-01", dossier="2022-01-01"
    )
    before = await fingerprint()
    response = await admit(editor, member["id"], world.cell.id, "2022-03-01")
    assert response.status_code == 422
    assert response.json()["code"] == "admission_age"
    assert await fingerprint() == before
    # 60 years and 0 full months is still inside the range.
    ok = await admit(editor, member["id"], world.cell.id, "2022-02-27")
    assert ok.status_code == 200, ok.text


async def test_admission_in_the_future_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor)
    before = await fingerprint()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = await admit(editor, member["id"], world.cell.id, tomorrow)
    assert response.status_code == 422
    assert response.json()["code"] == "date_in_future"
    assert await fingerprint() == before


async def test_admission_into_an_organization_not_yet_established_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(
        editor, born="1985-01-01", registered_on="2009-01-01", dossier="2009-02-01"
    )
    before = await fingerprint()
    response = await admit(editor, member["id"], world.cell.id, "2010-05-20")
    assert response.status_code == 422
    assert response.json()["code"] == "organization_inactive"
    assert response.json()["errors"][0]["loc"] == ["body", "organization_id"]
    assert await fingerprint() == before


async def test_admission_into_an_unknown_organization_is_422(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    await build_world(session)
    member = await new_candidate(editor)
    response = await admit(editor, member["id"], 987654, "2023-06-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "organization_id"]


async def test_only_a_candidate_can_be_admitted(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor)
    assert (await admit(editor, member["id"], world.cell.id, "2023-06-01")).status_code == 200
    before = await fingerprint()
    again = await admit(editor, member["id"], world.cell.id, "2023-07-01")
    assert again.status_code == 409
    assert again.json()["status"] == 409
    assert again.json()["code"] == "invalid_status"
    assert "probationary" in again.json()["detail"]
    assert await fingerprint() == before


async def test_recognition_before_twelve_months_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    _world, member = await with_probationary_member(session, editor)
    before = await fingerprint()
    url = f"{MEMBERS}/{member['id']}/recognize"
    early = await editor.post(url, json={"recognized_on": "2024-05-31"})
    assert early.status_code == 422
    assert early.json()["code"] == "probation_not_over"
    assert await fingerprint() == before
    on_time = await editor.post(url, json={"recognized_on": "2024-06-01"})
    assert on_time.status_code == 200, on_time.text
    assert on_time.json()["status"] == "official"
    assert on_time.json()["probation_ends_on"] is None


async def test_recognizing_a_candidate_is_a_conflict(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    await build_world(session)
    member = await new_candidate(editor)
    before = await fingerprint()
    response = await editor.post(
        f"{MEMBERS}/{member['id']}/recognize", json={"recognized_on": "2024-06-01"}
    )
    assert response.status_code == 409
    assert "candidate" in response.json()["detail"]
    assert await fingerprint() == before


async def test_a_step_dated_before_the_latest_one_is_rejected(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor, dossier="2023-05-01")
    before = await fingerprint()
    response = await admit(editor, member["id"], world.cell.id, "2023-04-01")
    assert response.status_code == 422
    assert response.json()["code"] == "date_before_history"
    assert await fingerprint() == before


async def test_transfer_needs_active_organizations_on_that_date(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    _world, member = await with_probationary_member(session, editor)
    closed = await editor.post(
        "/api/v1/organizations",
        json={"name": "Chi bộ cũ", "kind": "grassroots_cell", "established_on": "2011-01-01"},
    )
    assert closed.status_code == 201, closed.text
    dissolved = await editor.post(
        f"/api/v1/organizations/{closed.json()['id']}/dissolve",
        json={"dissolved_on": "2020-01-01", "reason": "sáp nhập"},
    )
    assert dissolved.status_code == 200, dissolved.text
    before = await fingerprint()
    response = await editor.post(
        f"{MEMBERS}/{member['id']}/transfer",
        json={"on": "2023-08-01", "to_organization_id": closed.json()["id"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "to_organization_id"]
    assert await fingerprint() == before


async def test_transfer_body_needs_exactly_one_destination(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world, member = await with_probationary_member(session, editor)
    url = f"{MEMBERS}/{member['id']}/transfer"
    both = await editor.post(
        url, json={"on": "2023-08-01", "to_organization_id": world.committee.id, "destination": "x"}
    )
    assert both.status_code == 422
    neither = await editor.post(url, json={"on": "2023-08-01"})
    assert neither.status_code == 422


async def test_transfer_out_and_removal_end_membership(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    first = await new_candidate(editor, name="Trần Thị Bình")
    second = await new_candidate(editor, name="Lê Văn Cường")
    for member in (first, second):
        await admit(editor, member["id"], world.cell.id, "2023-06-01")
    out = await editor.post(
        f"{MEMBERS}/{first['id']}/transfer",
        json={"on": "2024-01-15", "destination": "Đảng bộ phường Dịch Vọng"},
    )
    assert out.status_code == 200, out.text
    assert out.json()["status"] == "left"
    assert out.json()["left_reason"] == "transferred_out"
    struck = await editor.post(
        f"{MEMBERS}/{second['id']}/remove", json={"on": "2024-02-01", "reason": "struck_off"}
    )
    assert struck.status_code == 200, struck.text
    assert struck.json()["left_reason"] == "struck_off"
    again = await editor.post(
        f"{MEMBERS}/{second['id']}/remove", json={"on": "2024-03-01", "reason": "other"}
    )
    assert again.status_code == 409


async def test_transfer_in_brings_history_dates(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    world = await build_world(session)
    response = await editor.post(
        f"{MEMBERS}/transfer-in",
        json={
            "full_name": "Phạm Thị Dung",
            "gender": "female",
            "date_of_birth": "1988-09-09",
            "status": "official",
            "admitted_on": "2012-05-19",
            "recognized_on": "2013-05-19",
            "organization_id": world.committee.id,
            "transferred_on": "2024-04-01",
            "origin": "Đảng bộ Quận Cầu Giấy",
        },
    )
    assert response.status_code == 201, response.text
    member = response.json()
    assert (member["status"], member["admitted_on"]) == ("official", "2012-05-19")
    events = (await editor.get(f"{MEMBERS}/{member['id']}/events")).json()["items"]
    assert [e["kind"] for e in events] == ["transferred_in"]


async def test_transfer_in_of_an_official_needs_recognition_after_probation(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    before = await fingerprint()
    response = await editor.post(
        f"{MEMBERS}/transfer-in",
        json={
            "full_name": "Phạm Thị Dung",
            "gender": "female",
            "date_of_birth": "1988-09-09",
            "status": "official",
            "admitted_on": "2012-05-19",
            "recognized_on": "2012-12-01",
            "organization_id": world.committee.id,
            "transferred_on": "2024-04-01",
            "origin": "Đảng bộ Quận Cầu Giấy",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "recognized_on"]
    assert await fingerprint() == before


async def test_viewer_never_sees_personal_data(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, session: AsyncSession
) -> None:
    await build_world(session)
    member = await new_candidate(editor)
    assert member["date_of_birth"] == "1995-04-12"
    assert member["phone"] == "0912 345 678"
    seen = (await viewer.get(f"{MEMBERS}/{member['id']}")).json()
    assert (seen["date_of_birth"], seen["phone"], seen["email"]) == (None, None, None)
    listed = (await viewer.get(MEMBERS)).json()["items"]
    assert all(m["date_of_birth"] is None and m["phone"] is None for m in listed)


async def test_member_notes_are_personal_data(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Clerks type ID-card numbers into notes: viewers never see them, nor the events' notes."""
    await build_world(session)
    member = await new_candidate(editor, dossier=None)
    url = f"{MEMBERS}/{member['id']}"
    assert (await editor.patch(url, json={"notes": "CCCD 001095012345"})).status_code == 200
    dossier = await editor.post(
        f"{url}/dossier", json={"started_on": "2023-02-01", "notes": "CCCD 0010"}
    )
    assert dossier.status_code == 200, dossier.text
    assert (await viewer.get(url)).json()["notes"] is None
    assert all(m["notes"] is None for m in (await viewer.get(MEMBERS)).json()["items"])
    events = (await viewer.get(f"{url}/events")).json()["items"]
    assert events
    assert all(e["notes"] is None for e in events)
    assert (await editor.get(url)).json()["notes"] == "CCCD 001095012345"
    editor_events = (await editor.get(f"{url}/events")).json()["items"]
    assert "CCCD 0010" in [e["notes"] for e in editor_events]


async def test_viewers_and_group_leaders_cannot_act_on_members(
    viewer: httpx.AsyncClient,
    leader: httpx.AsyncClient,
    editor: httpx.AsyncClient,
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    member = await new_candidate(editor)
    for client in (viewer, leader):
        response = await admit(client, member["id"], world.cell.id, "2023-06-01")
        assert response.status_code == 403


async def test_actions_answer_with_the_new_etag_and_refuse_a_stale_one(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    world = await build_world(session)
    created = await editor.post(
        MEMBERS,
        json={
            "full_name": "Trần Thị Bình",
            "gender": "female",
            "date_of_birth": "1995-04-12",
            "registered_on": "2023-01-10",
        },
    )
    read = await editor.get(f"{MEMBERS}/{created.json()['id']}")
    assert read.headers["ETag"] == created.headers["ETag"]
    url = f"{MEMBERS}/{created.json()['id']}"
    started = await editor.post(
        f"{url}/dossier",
        json={"started_on": "2023-02-01"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert started.status_code == 200, started.text
    assert started.headers["ETag"] != read.headers["ETag"]
    before = await fingerprint()
    stale = await editor.post(
        f"{url}/admit",
        json={"admitted_on": "2023-06-01", "organization_id": world.cell.id},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert_problem(stale, 412, "stale_etag")
    assert await fingerprint() == before
    admitted = await editor.post(
        f"{url}/admit",
        json={"admitted_on": "2023-06-01", "organization_id": world.cell.id},
        headers={"If-Match": started.headers["ETag"]},
    )
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["status"] == "probationary"
    assert admitted.headers["ETag"] == (await editor.get(url)).headers["ETag"]


async def test_a_required_field_sent_as_null_is_refused(
    editor: httpx.AsyncClient, session: AsyncSession, fingerprint: Fingerprint
) -> None:
    await build_world(session)
    member = await new_candidate(editor)
    before = await fingerprint()
    for field in ("full_name", "gender", "date_of_birth", "source_group"):
        response = await editor.patch(f"{MEMBERS}/{member['id']}", json={field: None})
        assert_problem(response, 422, "validation_error")
    assert await fingerprint() == before
    cleared = await editor.patch(f"{MEMBERS}/{member['id']}", json={"phone": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["phone"] is None


async def test_deleting_a_party_member_is_refused(
    editor: httpx.AsyncClient, session: AsyncSession
) -> None:
    _world, member = await with_probationary_member(session, editor)
    assert (await editor.delete(f"{MEMBERS}/{member['id']}")).status_code == 409
    mistaken = await new_candidate(editor, name="Nhập nhầm")
    assert (await editor.delete(f"{MEMBERS}/{mistaken['id']}")).status_code == 204
    assert (await editor.get(f"{MEMBERS}/{mistaken['id']}")).status_code == 404


async def test_member_filters_and_search(editor: httpx.AsyncClient, session: AsyncSession) -> None:
    world = await build_world(session)
    stale = await new_candidate(
        editor, name="Đỗ Văn Cũ", dossier="2020-01-01", registered_on="2019-12-01"
    )
    fresh = await new_candidate(
        editor,
        name="Ngô Thị Mới",
        dossier=(today() - dt.timedelta(days=30)).isoformat(),
        registered_on="2023-01-01",
    )
    probationary = await new_candidate(editor, name="Nguyễn Văn An")
    await admit(editor, probationary["id"], world.cell.id, "2023-06-01")

    async def ids(**params: str | int | bool) -> set[object]:
        response = await editor.get(MEMBERS, params=params)
        assert response.status_code == 200, response.text
        return {m["id"] for m in response.json()["items"]}

    assert await ids(dossier_stale=True) == {stale["id"]}
    assert fresh["id"] in await ids(dossier_stale=False, status="candidate")
    assert await ids(q="nguyen van an") == {probationary["id"]}
    assert await ids(q="DO VAN") == {stale["id"]}
    assert await ids(organization_id=world.committee.id) == set()
    assert await ids(organization_id=world.committee.id, include_affiliated=True) == {
        probationary["id"]
    }
    assert await ids(probation_ends_before="2024-06-02") == {probationary["id"]}
    assert await ids(probation_ends_before="2024-06-01") == set()
