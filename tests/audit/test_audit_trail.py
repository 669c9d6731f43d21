"""The audit trail through the API: each kind of change is recorded with who, where, which
request and the exact before/after; personal fields and secrets are masked; a failed request
records nothing; admins search the trail, editors read a record's history."""

import datetime as dt
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import HANOI
from app.models import AuditEvent, Role, User
from tests.fixtures.auth import PASSWORD, ClientFactory, UserFactory
from tests.problems import assert_problem

API = "/api/v1"
ZONES = f"{API}/industrial-zones"


async def events(session: AsyncSession, after: int = 0) -> list[AuditEvent]:
    rows = await session.scalars(
        select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
    )
    return list(rows)


async def last_id(session: AsyncSession) -> int:
    found = await events(session)
    return found[-1].id if found else 0


def changes(event: AuditEvent) -> dict[str, Any]:
    """field → (before, after), or "masked"."""
    return {
        c["field"]: "masked" if c["masked"] else (c["before"], c["after"]) for c in event.changes
    }


@pytest.fixture
async def editor_user(make_user: UserFactory) -> User:
    return await make_user(Role.EDITOR, full_name="Trần Thị Biên Tập")


async def test_a_zone_created_updated_and_deleted_is_three_events_with_exact_values(
    session: AsyncSession, client_as: ClientFactory, editor_user: User
) -> None:
    editor = client_as(editor_user)
    start = await last_id(session)
    created = await editor.post(
        ZONES,
        json={
            "code": "KCN-AUD",
            "name": "KCN Kiểm Toán",
            "established_on": "2001-02-03",
            "area_ha": "12.50",
        },
        headers={"X-Request-ID": "req-create-1"},
    )
    assert created.status_code == 201, created.text
    zone_id = created.json()["id"]
    patched = await editor.patch(
        f"{ZONES}/{zone_id}", json={"name": "KCN Kiểm Toán Mới", "district": "Đông Anh"}
    )
    assert patched.status_code == 200, patched.text
    deleted = await editor.delete(f"{ZONES}/{zone_id}")
    assert deleted.status_code == 204, deleted.text

    create, update, delete = await events(session, start)
    for event in (create, update, delete):
        assert (event.actor_id, event.actor_username) == (editor_user.id, editor_user.username)
        assert (event.resource_type, event.resource_id) == ("industrial_zone", zone_id)
        assert event.parent_type is None
        assert event.parent_id is None
        assert event.client_address == "127.0.0.1"
    assert create.request_id == "req-create-1"
    assert update.request_id == patched.headers["X-Request-ID"]
    assert (create.action, create.operation) == ("create", "industrial-zones-create")
    assert changes(create) == {
        "code": (None, "KCN-AUD"),
        "name": (None, "KCN Kiểm Toán"),
        "status": (None, "operating"),
        "established_on": (None, "2001-02-03"),
        "area_ha": (None, "12.50"),
    }
    assert (update.action, update.operation) == ("update", "industrial-zones-update")
    assert changes(update) == {
        "name": ("KCN Kiểm Toán", "KCN Kiểm Toán Mới"),
        "district": (None, "Đông Anh"),
    }
    assert delete.action == "delete"
    assert changes(delete) == {
        "code": ("KCN-AUD", None),
        "name": ("KCN Kiểm Toán Mới", None),
        "district": ("Đông Anh", None),
        "status": ("operating", None),
        "established_on": ("2001-02-03", None),
        "area_ha": ("12.50", None),
    }


async def test_an_update_that_changes_nothing_records_nothing(
    session: AsyncSession, client_as: ClientFactory, editor_user: User, make_zone: Any
) -> None:
    zone = await make_zone()
    start = await last_id(session)
    same = await client_as(editor_user).patch(f"{ZONES}/{zone.id}", json={"name": zone.name})
    assert same.status_code == 200, same.text
    assert await events(session, start) == []


async def test_a_failed_request_records_nothing(
    session: AsyncSession,
    client_as: ClientFactory,
    editor_user: User,
    make_zone: Any,
    fingerprint: Any,
) -> None:
    taken, zone = await make_zone(), await make_zone()
    url, code = f"{ZONES}/{zone.id}", taken.code
    editor = client_as(editor_user)
    before = await fingerprint()
    duplicate = await editor.patch(url, json={"code": code})
    assert_problem(duplicate, 409)
    stale = await editor.patch(url, json={"name": "Khác"}, headers={"If-Match": '"999"'})
    assert_problem(stale, 412)
    assert await fingerprint() == before


async def test_member_actions_are_recorded_on_the_member_with_personal_fields_masked(
    session: AsyncSession,
    client_as: ClientFactory,
    editor_user: User,
    make_user: UserFactory,
    make_organization: Any,
    make_enterprise: Any,
) -> None:
    enterprise = await make_enterprise()
    cell = await make_organization(
        kind="grassroots_cell", enterprise_id=enterprise.id, established_on=dt.date(2010, 1, 1)
    )
    editor = client_as(editor_user)
    start = await last_id(session)
    created = await editor.post(
        f"{API}/members",
        json={
            "full_name": "Lê Văn Kiểm",
            "gender": "male",
            "date_of_birth": "1995-04-12",
            "enterprise_id": enterprise.id,
            "registered_on": "2023-01-10",
            "dossier_started_on": "2023-02-01",
            "phone": "0912 345 678",
            "notes": "CCCD 001095001234",
        },
    )
    assert created.status_code == 201, created.text
    member_id = created.json()["id"]
    admitted = await editor.post(
        f"{API}/members/{member_id}/admit",
        json={"admitted_on": "2023-06-01", "organization_id": cell.id, "decision_no": "12-QĐ"},
    )
    assert admitted.status_code == 200, admitted.text

    recorded = await events(session, start)
    text = json.dumps([e.changes for e in recorded], ensure_ascii=False)
    for secret in ("1995-04-12", "0912 345 678", "001095001234"):
        assert secret not in text
    member_created = next(
        e for e in recorded if e.resource_type == "member" and e.action == "create"
    )
    assert {f: v for f, v in changes(member_created).items() if v == "masked"} == {
        "date_of_birth": "masked",
        "phone": "masked",
        "notes": "masked",
    }
    assert changes(member_created)["full_name"] == (None, "Lê Văn Kiểm")
    admission = [e for e in recorded if e.operation == "members-admit"]
    by_kind = {(str(e.resource_type), str(e.action)): e for e in admission}
    assert set(by_kind) == {("member_event", "create"), ("member", "update")}
    step = by_kind["member_event", "create"]
    assert (step.parent_type, step.parent_id) == ("member", member_id)
    assert changes(step)["kind"] == (None, "admitted")
    assert changes(step)["organization_id"] == (None, cell.id)
    member_update = changes(by_kind["member", "update"])
    assert member_update["status"] == ("candidate", "probationary")
    assert member_update["admitted_on"] == (None, "2023-06-01")
    assert member_update["organization_id"] == (None, cell.id)

    # The member's history: its own events and its steps', newest first, for editors.
    history = await editor.get(f"{API}/members/{member_id}/history")
    assert history.status_code == 200, history.text
    items = history.json()["items"]
    ids = [item["id"] for item in items]
    assert ids == sorted(
        (
            e.id
            for e in recorded
            if member_id in (e.resource_id, e.parent_id)
            and "member" in (e.resource_type, e.parent_type)
        ),
        reverse=True,
    )
    assert all(item["client_address"] is None for item in items)  # addresses are for admins
    masked = [c for item in items for c in item["changes"] if c["masked"]]
    assert masked
    assert all(c["before"] is None and c["after"] is None for c in masked)
    viewer = client_as(await make_user(Role.VIEWER))
    assert_problem(await viewer.get(f"{API}/members/{member_id}/history"), 403)


async def test_history_of_a_deleted_record_stays_and_an_unknown_one_is_404(
    client_as: ClientFactory, editor_user: User, make_zone: Any
) -> None:
    editor = client_as(editor_user)
    zone = await make_zone()
    assert (await editor.delete(f"{ZONES}/{zone.id}")).status_code == 204
    history = await editor.get(f"{ZONES}/{zone.id}/history")
    assert history.status_code == 200, history.text
    # The factory's insert was recorded too (no actor: not a request).
    assert [i["action"] for i in history.json()["items"]] == ["delete", "create"]
    assert_problem(await editor.get(f"{ZONES}/999999/history"), 404)


async def test_a_campaign_records_its_zones_and_members_with_the_row(
    session: AsyncSession,
    client_as: ClientFactory,
    make_user: UserFactory,
    make_zone: Any,
) -> None:
    admin_user = await make_user(Role.ADMIN)
    admin = client_as(admin_user)
    first, second = await make_zone(), await make_zone()
    start = await last_id(session)
    created = await admin.post(
        f"{API}/campaigns",
        json={
            "name": "Tổ công tác kiểm toán",
            "leader_id": admin_user.id,
            "starts_on": "2024-01-01",
            "ends_on": "2024-12-31",
            "zone_ids": [second.id, first.id],
            "members": [{"full_name": "Phạm Văn Tổ", "role": "tổ viên"}],
        },
    )
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    moved = await admin.patch(f"{API}/campaigns/{campaign_id}", json={"zone_ids": [first.id]})
    assert moved.status_code == 200, moved.text

    create, update = [e for e in await events(session, start) if e.resource_type == "campaign"]
    assert changes(create)["zone_ids"] == (None, sorted([first.id, second.id]))
    assert changes(create)["members"] == (
        None,
        [{"full_name": "Phạm Văn Tổ", "role": "tổ viên", "user_id": None}],
    )
    assert changes(update) == {"zone_ids": (sorted([first.id, second.id]), [first.id])}


async def log_in(anon: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await anon.post(f"{API}/auth/token", data={"username": username, "password": password})


async def test_logins_sessions_and_password_changes_are_recorded_without_secrets(
    session: AsyncSession,
    anon: httpx.AsyncClient,
    client_as: ClientFactory,
    make_user: UserFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = await make_user(Role.EDITOR)
    start = await last_id(session)
    wrong_password = "Wrong-Password-7381"
    mistyped_name = "hunter2-typed-into-the-username"
    assert_problem(await log_in(anon, user.username, wrong_password), 401)
    assert_problem(await log_in(anon, mistyped_name, PASSWORD), 401)
    good = await log_in(anon, user.username, PASSWORD)
    assert good.status_code == 200, good.text
    tokens = good.json()
    refreshed = await anon.post(
        f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    fresh = refreshed.json()
    new_password = "Ba con mèo trèo cây cau 1975"
    changed = await anon.post(
        f"{API}/auth/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers={"Authorization": f"Bearer {fresh['access_token']}"},
    )
    assert changed.status_code == 200, changed.text
    after_change = changed.json()
    out = await anon.post(
        f"{API}/auth/logout", headers={"Authorization": f"Bearer {after_change['access_token']}"}
    )
    assert out.status_code == 204, out.text

    recorded = await events(session, start)
    summary = [
        (e.action, e.resource_type, e.resource_id == user.id or e.parent_id == user.id)
        for e in recorded
    ]
    assert summary[:3] == [
        ("login_failed", "user", True),
        ("login_failed", "user", False),
        ("login", "session", True),
    ]
    failed_known, failed_unknown, login = recorded[:3]
    assert changes(failed_known) == {"reason": (None, "wrong_password")}
    assert failed_unknown.resource_id is None
    assert failed_unknown.actor_id is None
    assert (login.actor_id, login.parent_id) == (user.id, user.id)
    # The refresh recorded nothing; the password change: the user (password masked), every
    # earlier session ended, a new one opened; then the logout ended that one.
    rest = [(e.action, e.resource_type) for e in recorded[3:]]
    assert rest == [
        ("update", "user"),
        ("end_session", "session"),  # the test's own session (make_user)
        ("end_session", "session"),  # the login's
        ("login", "session"),
        ("end_session", "session"),  # the logout
    ]
    password_change = recorded[3]
    assert changes(password_change) == {
        "password_hash": "masked",
        "token_generation": (user.token_generation, user.token_generation + 1),
    }
    assert password_change.actor_id == user.id
    secrets = [
        wrong_password,
        mistyped_name,
        PASSWORD,
        new_password,
        user.password_hash,
        *(t[k] for t in (tokens, fresh, after_change) for k in ("access_token", "refresh_token")),
    ]
    rows = [{c.key: getattr(e, c.key) for c in AuditEvent.__table__.columns} for e in recorded]
    stored = json.dumps(rows, default=str, ensure_ascii=False)
    logged = "\n".join(r.getMessage() + json.dumps(r.__dict__, default=str) for r in caplog.records)
    for secret in secrets:
        assert secret not in stored
        assert secret not in logged


async def test_admins_search_the_trail_and_others_may_not(
    session: AsyncSession,
    client_as: ClientFactory,
    make_user: UserFactory,
    editor_user: User,
    make_zone: Any,
) -> None:
    admin = client_as(await make_user(Role.ADMIN))
    editor = client_as(editor_user)
    zone = await make_zone()
    for n in range(3):
        answer = await editor.patch(
            f"{ZONES}/{zone.id}", json={"name": f"Tên {n}"}, headers={"X-Request-ID": f"r{n}"}
        )
        assert answer.status_code == 200, answer.text
    other = await client_as(await make_user(Role.EDITOR)).patch(
        f"{ZONES}/{zone.id}", json={"name": "Tên khác"}
    )
    assert other.status_code == 200

    async def search(**params: Any) -> list[dict[str, Any]]:
        answer = await admin.get(f"{API}/audit-events", params=params)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])

    mine = await search(
        actor_id=editor_user.id, resource_type="industrial_zone", resource_id=zone.id
    )
    assert [i["request_id"] for i in mine] == ["r2", "r1", "r0"]
    assert all(i["client_address"] == "127.0.0.1" for i in mine)  # admins see addresses
    everyone = await search(resource_type="industrial_zone", resource_id=zone.id)
    assert [i["action"] for i in everyone] == ["update"] * 4 + ["create"]
    assert [i["request_id"] for i in await search(request_id="r1")] == ["r1"]
    assert await search(actor_id=editor_user.id, action="delete") == []
    today = dt.datetime.now(HANOI).date()
    assert (
        len(
            await search(
                actor_id=editor_user.id,
                occurred_from=today.isoformat(),
                occurred_to=today.isoformat(),
            )
        )
        == 3
    )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert await search(actor_id=editor_user.id, occurred_from=tomorrow) == []

    # Pages of one, newest first, follow the cursor to the end.
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"actor_id": editor_user.id, "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = (await admin.get(f"{API}/audit-events", params=params)).json()
        seen += [i["request_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["r2", "r1", "r0"]

    assert_problem(await editor.get(f"{API}/audit-events"), 403)
    assert_problem(await admin.get(f"{API}/audit-events", params={"action": "erase"}), 422)
    # There is no way to change or remove an event.
    event_id = mine[0]["id"]
    for method in ("PUT", "PATCH", "DELETE"):
        answer = await admin.request(method, f"{API}/audit-events/{event_id}")
        assert answer.status_code in (404, 405)
    assert (await session.get(AuditEvent, event_id)) is not None


async def test_user_administration_is_recorded(
    session: AsyncSession, client_as: ClientFactory, make_user: UserFactory
) -> None:
    admin_user = await make_user(Role.ADMIN)
    admin = client_as(admin_user)
    start = await last_id(session)
    created = await admin.post(
        f"{API}/users",
        json={
            "username": "kiemtoan",
            "full_name": "Kiểm Toán",
            "role": "viewer",
            "password": "Mật khẩu rất dài 2024!",
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    promoted = await admin.patch(f"{API}/users/{user_id}", json={"role": "editor"})
    assert promoted.status_code == 200, promoted.text
    recorded = [e for e in await events(session, start) if e.resource_type == "user"]
    create, update = recorded
    assert changes(create)["password_hash"] == "masked"
    assert changes(create)["role"] == (None, "viewer")
    # The role, then the token generation the role change moves: one event of the request.
    assert changes(update) == {"role": ("viewer", "editor"), "token_generation": (0, 1)}
    assert update.actor_id == admin_user.id
    stored = json.dumps([e.changes for e in recorded], ensure_ascii=False)
    assert "Mật khẩu rất dài 2024!" not in stored
    assert "argon2" not in stored


async def test_each_member_and_organization_action_is_one_step_and_one_member_change(
    session: AsyncSession,
    client_as: ClientFactory,
    editor_user: User,
    make_organization: Any,
    make_enterprise: Any,
) -> None:
    editor = client_as(editor_user)
    enterprise, other = await make_enterprise(), await make_enterprise()
    first = await make_organization(
        kind="grassroots_cell", enterprise_id=enterprise.id, established_on=dt.date(2010, 1, 1)
    )
    second = await make_organization(
        kind="grassroots_cell", enterprise_id=other.id, established_on=dt.date(2010, 1, 1)
    )
    first_id, second_id = first.id, second.id
    created = await editor.post(
        f"{API}/members",
        json={
            "full_name": "Đỗ Thị Hành",
            "gender": "female",
            "date_of_birth": "1990-01-01",
            "registered_on": "2020-01-10",
        },
    )
    assert created.status_code == 201, created.text
    member = f"{API}/members/{created.json()['id']}"
    steps = [
        ("dossier", "start-dossier", {"started_on": "2020-02-01", "notes": "hồ sơ"}),
        ("admit", "admit", {"admitted_on": "2020-06-01", "organization_id": first_id}),
        ("recognize", "recognize", {"recognized_on": "2021-06-01"}),
        ("transfer", "transfer", {"on": "2022-01-01", "to_organization_id": second_id}),
        ("remove", "remove", {"on": "2023-01-01", "reason": "expelled"}),
    ]
    kinds = ["dossier_started", "admitted", "recognized", "transferred", "removed"]
    statuses = ["candidate", "candidate", "probationary", "official", "official", "left"]
    for index, (action, operation, body) in enumerate(steps):
        start = await last_id(session)
        answer = await editor.post(f"{member}/{action}", json=body)
        assert answer.status_code == 200, (action, answer.text)
        recorded = await events(session, start)
        assert sorted((str(e.resource_type), str(e.action)) for e in recorded) == [
            ("member", "update"),
            ("member_event", "create"),
        ], action
        assert {e.operation for e in recorded} == {f"members-{operation}"}
        step = next(e for e in recorded if e.resource_type == "member_event")
        assert changes(step)["kind"] == (None, kinds[index])
        if "notes" in body:
            assert changes(step)["notes"] == "masked"
        member_change = changes(next(e for e in recorded if e.resource_type == "member"))
        before, after = statuses[index], statuses[index + 1]
        if before != after:
            assert member_change["status"] == (before, after)

    start = await last_id(session)
    dissolved = await editor.post(
        f"{API}/organizations/{first_id}/dissolve",
        json={"dissolved_on": "2024-01-01", "reason": "Doanh nghiệp giải thể"},
    )
    assert dissolved.status_code == 200, dissolved.text
    (dissolution,) = await events(session, start)
    assert (dissolution.resource_type, dissolution.resource_id) == ("organization", first_id)
    assert changes(dissolution)["dissolved_on"] == (None, "2024-01-01")
