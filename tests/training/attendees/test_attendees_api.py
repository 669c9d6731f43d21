"""Attendees of a training class: candidates only, once each, with their completion."""

import datetime as dt

import httpx
import pytest

from app.models import Organization
from tests.fixtures.db import Fingerprint
from tests.fixtures.registry import MemberFactory, OrganizationFactory
from tests.problems import assert_problem, error_fields
from tests.training.test_training_classes_api import CLASSES, class_body


@pytest.fixture
async def class_url(editor: httpx.AsyncClient) -> str:
    created = await editor.post(CLASSES, json=class_body())
    assert created.status_code == 201, created.text
    return str(created.headers["Location"])


@pytest.fixture
async def cell(make_organization: OrganizationFactory) -> Organization:
    return await make_organization()


async def test_candidates_attend_and_complete_a_class(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, class_url: str, make_member: MemberFactory
) -> None:
    an = await make_member(full_name="Nguyễn Văn An")
    binh = await make_member(full_name="Trần Thị Bình")
    added = await editor.post(f"{class_url}/attendees", json={"member_id": an.id})
    assert added.status_code == 201, added.text
    assert added.headers["Location"] == f"{class_url}/attendees/{an.id}"
    assert added.json() == {"member_id": an.id, "full_name": "Nguyễn Văn An", "completed": False}
    body = {"member_id": binh.id, "completed": True}
    assert (await editor.post(f"{class_url}/attendees", json=body)).status_code == 201

    listed = (await viewer.get(f"{class_url}/attendees")).json()["items"]
    assert [(a["full_name"], a["completed"]) for a in listed] == [
        ("Nguyễn Văn An", False),
        ("Trần Thị Bình", True),
    ]
    done = await editor.patch(f"{class_url}/attendees/{an.id}", json={"completed": True})
    assert done.status_code == 200, done.text
    assert done.json()["completed"] is True
    read = (await viewer.get(class_url)).json()
    assert (read["attendees_count"], read["completed_count"]) == (2, 2)

    assert (await editor.delete(f"{class_url}/attendees/{binh.id}")).status_code == 204
    assert_problem(await editor.get(f"{class_url}/attendees/{binh.id}"), 404)
    read = (await viewer.get(class_url)).json()
    assert (read["attendees_count"], read["completed_count"]) == (1, 1)


async def test_attendees_page_with_a_cursor(
    editor: httpx.AsyncClient, class_url: str, make_member: MemberFactory
) -> None:
    names = ["Phạm Văn Đức", "Lê Thị Hoa", "Đỗ Minh Khoa", "Bùi Văn Long", "Vũ Thị Mai"]
    for name in names:
        member = await make_member(full_name=name)
        await editor.post(f"{class_url}/attendees", json={"member_id": member.id})
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await editor.get(f"{class_url}/attendees", params=params)).json()
        seen += [a["full_name"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(names)


async def test_unknown_member_is_a_422_on_member_id(
    editor: httpx.AsyncClient, class_url: str, fingerprint: Fingerprint
) -> None:
    before = await fingerprint()
    response = await editor.post(f"{class_url}/attendees", json={"member_id": 987654})
    body = assert_problem(response, 422, "unknown_reference")
    assert body["errors"][0]["loc"] == ["body", "member_id"]
    assert await fingerprint() == before


async def test_only_a_candidate_can_attend(
    editor: httpx.AsyncClient,
    class_url: str,
    cell: Organization,
    make_member: MemberFactory,
    fingerprint: Fingerprint,
) -> None:
    member = await make_member(organization_id=cell.id, admitted_on=dt.date(2023, 5, 1))
    before = await fingerprint()
    response = await editor.post(f"{class_url}/attendees", json={"member_id": member.id})
    body = assert_problem(response, 422, "not_a_candidate")
    assert error_fields(body) == {"member_id"}
    assert "probationary" in body["detail"]
    assert await fingerprint() == before


async def test_attending_twice_is_a_conflict(
    editor: httpx.AsyncClient, class_url: str, make_member: MemberFactory, fingerprint: Fingerprint
) -> None:
    member = await make_member()
    assert (
        await editor.post(f"{class_url}/attendees", json={"member_id": member.id})
    ).status_code == 201
    before = await fingerprint()
    again = await editor.post(
        f"{class_url}/attendees", json={"member_id": member.id, "completed": True}
    )
    assert error_fields(assert_problem(again, 409, "conflict")) == {"member_id"}
    assert await fingerprint() == before


async def test_viewer_cannot_enrol_and_unknown_class_is_404(
    viewer: httpx.AsyncClient, editor: httpx.AsyncClient, class_url: str, make_member: MemberFactory
) -> None:
    member = await make_member()
    assert_problem(await viewer.post(f"{class_url}/attendees", json={"member_id": member.id}), 403)
    unknown = await editor.post(f"{CLASSES}/987654/attendees", json={"member_id": member.id})
    assert_problem(unknown, 404)
    assert_problem(
        await editor.patch(f"{class_url}/attendees/{member.id}", json={"completed": True}), 404
    )


async def test_class_is_deleted_with_its_attendance_list(
    editor: httpx.AsyncClient, class_url: str, make_member: MemberFactory
) -> None:
    member = await make_member()
    await editor.post(f"{class_url}/attendees", json={"member_id": member.id})
    assert (await editor.delete(class_url)).status_code == 204
    assert_problem(await editor.get(f"{class_url}/attendees"), 404)


async def test_an_attendee_carries_an_etag_and_a_stale_if_match_changes_nothing(
    editor: httpx.AsyncClient,
    class_url: str,
    make_member: MemberFactory,
    fingerprint: Fingerprint,
) -> None:
    member = await make_member()
    url = f"{class_url}/attendees/{member.id}"
    added = await editor.post(f"{class_url}/attendees", json={"member_id": member.id})
    assert added.status_code == 201, added.text
    first = added.headers["ETag"]
    read = await editor.get(url)
    assert read.headers["ETag"] == first

    done = await editor.patch(url, json={"completed": True}, headers={"If-Match": first})
    assert done.status_code == 200, done.text
    assert done.json()["completed"] is True
    second = done.headers["ETag"]
    assert second != first
    assert (await editor.get(url)).headers["ETag"] == second

    before = await fingerprint()
    stale_patch = await editor.patch(url, json={"completed": False}, headers={"If-Match": first})
    assert_problem(stale_patch, 412, "stale_etag")
    assert_problem(await editor.delete(url, headers={"If-Match": first}), 412, "stale_etag")
    assert await fingerprint() == before
    assert (await editor.get(url)).json()["completed"] is True

    assert (await editor.delete(url, headers={"If-Match": second})).status_code == 204
    assert_problem(await editor.get(url), 404)
