"""Training classes: dates in order, filters and search, attendance counted in SQL."""

import datetime as dt

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import ClassAttendee, TrainingClass
from tests.fixtures.db import Fingerprint, StatementCounter
from tests.fixtures.registry import MemberFactory
from tests.problems import assert_problem, error_fields

CLASSES = "/api/v1/training-classes"


def class_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "Lớp bồi dưỡng nhận thức về Đảng khóa I/2024",
        "starts_on": "2024-04-08",
        "ends_on": "2024-04-12",
        "organizer": "Ban Tuyên giáo Đảng ủy",
        "location": "KCN Thăng Long",
    }
    body.update(overrides)
    return body


async def test_editor_creates_reads_updates_and_deletes_a_class(
    editor: httpx.AsyncClient,
) -> None:
    created = await editor.post(CLASSES, json=class_body())
    assert created.status_code == 201, created.text
    training_class = created.json()
    url = f"{CLASSES}/{training_class['id']}"
    assert created.headers["Location"] == url
    assert (training_class["attendees_count"], training_class["completed_count"]) == (0, 0)
    read = await editor.get(url)
    assert read.json() == training_class
    assert read.headers["ETag"] == created.headers["ETag"]
    updated = await editor.patch(
        url, json={"location": "KCN Nội Bài"}, headers={"If-Match": created.headers["ETag"]}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["location"] == "KCN Nội Bài"
    assert_problem(await editor.delete(url, headers={"If-Match": created.headers["ETag"]}), 412)
    assert (await editor.delete(url)).status_code == 204
    assert_problem(await editor.get(url), 404)


async def test_class_ending_before_it_starts_is_rejected(
    editor: httpx.AsyncClient, fingerprint: Fingerprint
) -> None:
    existing = (await editor.post(CLASSES, json=class_body())).json()
    before = await fingerprint()
    response = await editor.post(CLASSES, json=class_body(ends_on="2024-04-07"))
    assert error_fields(assert_problem(response, 422, "rule_violation")) == {"ends_on"}
    patched = await editor.patch(f"{CLASSES}/{existing['id']}", json={"starts_on": "2024-04-13"})
    assert error_fields(assert_problem(patched, 422)) == {"ends_on"}
    assert await fingerprint() == before
    one_day = await editor.post(
        CLASSES, json=class_body(starts_on="2024-05-02", ends_on="2024-05-02")
    )
    assert one_day.status_code == 201, one_day.text


async def test_viewer_reads_classes_but_cannot_write(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    created = (await editor.post(CLASSES, json=class_body())).json()
    assert (await viewer.get(f"{CLASSES}/{created['id']}")).status_code == 200
    assert_problem(await viewer.post(CLASSES, json=class_body()), 403)
    assert_problem(await viewer.patch(f"{CLASSES}/{created['id']}", json={"title": "x"}), 403)


async def test_classes_filter_by_end_date_and_search_without_diacritics(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    for title, ends_on in [
        ("Lớp bồi dưỡng khóa I", "2024-04-12"),
        ("Lớp bồi dưỡng khóa II", "2024-10-18"),
        ("Lớp cảm tình Đảng 2023", "2023-11-10"),
    ]:
        body = class_body(title=title, starts_on=ends_on, ends_on=ends_on)
        assert (await editor.post(CLASSES, json=body)).status_code == 201

    async def titles(**params: str) -> list[str]:
        response = await viewer.get(CLASSES, params=params)
        assert response.status_code == 200, response.text
        return [c["title"] for c in response.json()["items"]]

    assert await titles() == [
        "Lớp bồi dưỡng khóa II",
        "Lớp bồi dưỡng khóa I",
        "Lớp cảm tình Đảng 2023",
    ]
    assert await titles(ended_from="2024-01-01", ended_to="2024-06-30") == ["Lớp bồi dưỡng khóa I"]
    assert await titles(q="boi duong", sort="title") == [
        "Lớp bồi dưỡng khóa I",
        "Lớp bồi dưỡng khóa II",
    ]
    assert await titles(q="cam tinh dang") == ["Lớp cảm tình Đảng 2023"]


async def test_class_list_counts_attendance_in_a_bounded_number_of_statements(
    viewer: httpx.AsyncClient,
    session: AsyncSession,
    make_member: MemberFactory,
    statements: StatementCounter,
) -> None:
    members = [await make_member() for _ in range(3)]
    classes = [
        TrainingClass(
            title=f"Lớp {n:02d}", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 1, 5)
        )
        for n in range(30)
    ]
    session.add_all(classes)
    await session.flush()
    session.add_all(
        ClassAttendee(class_id=c.id, member_id=m.id, completed=index == 0)
        for c in classes
        for index, m in enumerate(members)
    )
    await session.commit()
    counts = {}
    for limit in (3, 30):
        statements.reset()
        items = (await viewer.get(CLASSES, params={"limit": limit})).json()["items"]
        assert len(items) == limit
        assert all((c["attendees_count"], c["completed_count"]) == (3, 1) for c in items)
        counts[limit] = statements.count
    assert counts[3] == counts[30], statements.statements
