"""Plans and tasks (issue 15): clear person, clear task, clear result — every rule with its
problem answer and nothing written, who may do what, overdue around the deadline in Hanoi's date,
and the board with the targets' attainment."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.dates import today
from app.models import AuditEvent, PlanTask, Role, User
from tests.fixtures.auth import ClientFactory, UserFactory
from tests.fixtures.db import Fingerprint
from tests.problems import assert_problem

PLANS = "/api/v1/plans"


def _day(offset: int) -> str:
    return (today() + dt.timedelta(days=offset)).isoformat()


async def _plan(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Kế hoạch 6 tháng", "period_start": _day(-90), "period_end": _day(90),
            "basis": "Nghị quyết 09-NQ/ĐU"} | overrides  # fmt: skip
    answer = await client.post(PLANS, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def _task(
    client: httpx.AsyncClient, plan: dict[str, Any], assignee: User, **overrides: Any
) -> dict[str, Any]:
    body = {"title": "Khảo sát doanh nghiệp", "assignee_id": assignee.id, "due_on": _day(30),
            "expected_result": "Danh sách 20 doanh nghiệp"} | overrides  # fmt: skip
    answer = await client.post(f"{PLANS}/{plan['id']}/tasks", json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def test_a_plan_is_recorded_read_and_counted(
    editor: httpx.AsyncClient, viewer: httpx.AsyncClient, make_user: UserFactory
) -> None:
    clerk = await make_user(Role.EDITOR)
    answer = await editor.post(
        PLANS,
        json={"name": "Kế hoạch", "period_start": "2024-07-01", "period_end": "2024-12-31"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"{PLANS}/{answer.json()['id']}"
    assert answer.headers["ETag"]
    plan = await _plan(editor)
    await _task(editor, plan, clerk)
    await _task(editor, plan, clerk, due_on=_day(-1))
    await _task(editor, plan, clerk, status="done", completed_on=_day(0), result="Xong")

    read = await viewer.get(f"{PLANS}/{plan['id']}")
    listed = await viewer.get(PLANS, params={"in_force_on": _day(0)})

    assert read.json()["tasks"] == {
        "planned": 2, "in_progress": 0, "done": 1, "cancelled": 0, "overdue": 1,
    }  # fmt: skip
    assert [p["id"] for p in listed.json()["items"]] == [plan["id"]]
    assert listed.json()["items"][0]["tasks"] == read.json()["tasks"]


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"due_on": "1"}, 422, "validation_error", "due_on"),
        ({"due_on": _day(91)}, 422, "due_outside_plan", "due_on"),
        ({"due_on": _day(-91)}, 422, "due_outside_plan", "due_on"),
        ({"assignee_id": 987654}, 422, "unknown_reference", "assignee_id"),
        ({"target_quantity": 3}, 422, "rule_violation", "target_quantity"),
        ({"target_id": 987654}, 422, "unknown_reference", "target_id"),
        ({"campaign_id": 987654}, 422, "unknown_reference", "campaign_id"),
        ({"status": "done", "result": "Xong"}, 422, "result_required", "completed_on"),
        ({"status": "done", "completed_on": _day(0)}, 422, "result_required", "result"),
        ({"status": "done", "completed_on": _day(1), "result": "x"}, 422, "date_in_future",
         "completed_on"),
        ({"status": "done", "completed_on": _day(-1), "result": "x"}, 422,
         "date_before_history", "completed_on"),
        ({"completed_on": _day(0)}, 422, "result_required", "completed_on"),
        ({"status": "in_progress", "result": "x"}, 422, "result_required", "result"),
        ({"status": "stalled"}, 422, "validation_error", "status"),
    ],
)  # fmt: skip
async def test_a_task_breaking_a_rule_is_refused_and_nothing_is_written(
    editor: httpx.AsyncClient,
    make_user: UserFactory,
    fingerprint: Fingerprint,
    overrides: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    assignee = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    before = await fingerprint()
    body = {"title": "Việc", "assignee_id": assignee.id, "due_on": _day(10),
            "expected_result": "Kết quả"} | overrides  # fmt: skip

    answer = await editor.post(f"{PLANS}/{plan['id']}/tasks", json=body)

    problem = assert_problem(answer, status, code)
    assert problem["errors"][0]["loc"][-1] == field
    assert await fingerprint() == before


async def test_a_task_goes_to_an_active_user_and_the_plan_keeps_its_tasks_inside(
    editor: httpx.AsyncClient, make_user: UserFactory, fingerprint: Fingerprint
) -> None:
    gone = await make_user(Role.EDITOR, is_active=False)
    here = await make_user(Role.VIEWER)
    plan = await _plan(editor)
    await _task(editor, plan, here, due_on=_day(60))
    before = await fingerprint()

    inactive = await editor.post(
        f"{PLANS}/{plan['id']}/tasks",
        json={"title": "Việc", "assignee_id": gone.id, "due_on": _day(1),
              "expected_result": "x"},
    )  # fmt: skip
    shrunk = await editor.patch(f"{PLANS}/{plan['id']}", json={"period_end": _day(59)})
    reversed_ = await editor.patch(f"{PLANS}/{plan['id']}", json={"period_start": _day(91)})

    assert_problem(inactive, 422, "inactive_assignee")
    assert assert_problem(shrunk, 422, "due_outside_plan")["errors"][0]["loc"][-1] == "period_end"
    assert_problem(reversed_, 422, "period_reversed")
    assert await fingerprint() == before
    moved = await editor.patch(f"{PLANS}/{plan['id']}", json={"period_end": _day(60)})
    assert moved.status_code == 200, moved.text


async def test_who_may_write_plans_tasks_and_progress(
    editor: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    leader: httpx.AsyncClient,
    make_user: UserFactory,
    client_as: ClientFactory,
    fingerprint: Fingerprint,
) -> None:
    """Editors and admins write plans and tasks; the assignee (whatever their role) reports on
    and completes their own task; anyone else reads."""
    assignee_user = await make_user(Role.GROUP_LEADER)
    assignee = client_as(assignee_user)
    plan = await _plan(editor)
    task = await _task(editor, plan, assignee_user)
    url = f"{PLANS}/{plan['id']}/tasks/{task['id']}"
    before = await fingerprint()

    refused = {
        "viewer creates a plan": await viewer.post(
            PLANS, json={"name": "x", "period_start": _day(0), "period_end": _day(1)}
        ),
        "leader creates a task": await leader.post(
            f"{PLANS}/{plan['id']}/tasks",
            json={
                "title": "x",
                "assignee_id": assignee_user.id,
                "due_on": _day(1),
                "expected_result": "x",
            },
        ),
        "assignee renames": await assignee.patch(url, json={"title": "Khác"}),
        "other completes": await leader.patch(
            url, json={"status": "done", "completed_on": _day(0), "result": "x"}
        ),
        "other reports": await viewer.post(f"{url}/updates", json={"note": "x"}),
        "assignee deletes": await assignee.delete(url),
        "viewer deletes the plan": await viewer.delete(f"{PLANS}/{plan['id']}"),
    }
    codes = {why: answer.json().get("code") for why, answer in refused.items()}
    assert codes == {
        "viewer creates a plan": "forbidden_role",
        "leader creates a task": "forbidden_role",
        "assignee renames": "not_assignee",
        "other completes": "not_assignee",
        "other reports": "not_assignee",
        "assignee deletes": "forbidden_role",
        "viewer deletes the plan": "forbidden_role",
    }
    assert all(answer.status_code == 403 for answer in refused.values())
    assert await fingerprint() == before

    noted = await assignee.post(f"{url}/updates", json={"note": "Đã gặp 2 doanh nghiệp"})
    done = await assignee.patch(
        url, json={"status": "done", "completed_on": _day(0), "result": "20 doanh nghiệp"}
    )
    by_editor = await editor.post(f"{url}/updates", json={"note": "Đã kiểm tra"})
    read = await viewer.get(url)

    assert noted.status_code == by_editor.status_code == 201, noted.text
    assert noted.json()["author_id"] == assignee_user.id
    assert done.status_code == 200, done.text
    assert (read.json()["status"], read.json()["result"]) == ("done", "20 doanh nghiệp")


async def test_overdue_is_judged_on_hanois_date_around_the_deadline(
    editor: httpx.AsyncClient, make_user: UserFactory
) -> None:
    assignee = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    due_yesterday = await _task(editor, plan, assignee, title="Hôm qua", due_on=_day(-1))
    due_today = await _task(editor, plan, assignee, title="Hôm nay", due_on=_day(0))
    await _task(editor, plan, assignee, title="Đã xong", due_on=_day(-2), status="done",
                completed_on=_day(0), result="x")  # fmt: skip
    await _task(editor, plan, assignee, title="Đã hủy", due_on=_day(-2), status="cancelled")
    tasks = f"{PLANS}/{plan['id']}/tasks"

    def titles(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 200, answer.text
        return [t["title"] for t in answer.json()["items"]]

    assert titles(await editor.get(tasks, params={"overdue": "true"})) == ["Hôm qua"]
    assert titles(await editor.get(tasks, params={"overdue": "true", "as_of": _day(1)})) == [
        "Hôm qua",
        "Hôm nay",
    ]
    assert titles(await editor.get(tasks, params={"overdue": "true", "as_of": _day(-1)})) == []
    assert titles(await editor.get(tasks, params={"overdue": "false"})) == [
        "Đã xong", "Đã hủy", "Hôm nay",
    ]  # fmt: skip
    assert (await editor.get(f"{tasks}/{due_yesterday['id']}")).json()["overdue"] is True
    assert (await editor.get(f"{tasks}/{due_today['id']}")).json()["overdue"] is False
    filtered = await editor.get(
        tasks, params={"assignee_id": assignee.id, "status": "planned", "due_after": _day(0)}
    )
    assert titles(filtered) == ["Hôm nay"]


async def test_a_task_reopened_drops_its_completion_and_its_notes_stay_in_order(
    editor: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    assignee = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    task = await _task(editor, plan, assignee, status="done", completed_on=_day(0), result="x")
    url = f"{PLANS}/{plan['id']}/tasks/{task['id']}"
    await session.execute(  # recorded a week ago: notes may be dated since then
        update(PlanTask)
        .where(PlanTask.id == task["id"])
        .values(created_at=func.now() - dt.timedelta(days=7))
    )
    await session.commit()

    reopened = await editor.patch(url, json={"status": "in_progress"})
    await editor.post(f"{url}/updates", json={"note": "Hai", "written_on": _day(-1)})
    await editor.post(f"{url}/updates", json={"note": "Một", "written_on": _day(-3)})
    future = await editor.post(f"{url}/updates", json={"note": "Mai", "written_on": _day(1)})
    notes = await editor.get(f"{url}/updates")
    elsewhere = await editor.get(f"{PLANS}/{(await _plan(editor))['id']}/tasks/{task['id']}")

    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["completed_on"], reopened.json()["result"]) == (None, None)
    assert_problem(future, 422, "date_in_future")
    assert [n["note"] for n in notes.json()["items"]] == ["Một", "Hai"]
    assert_problem(elsewhere, 404, "not_found")


async def test_the_board_counts_each_assignees_tasks_as_of_a_date_with_the_targets_attainment(
    editor: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    """A task counts from the day it was recorded, is cancelled from the day it was, done from
    its completion day."""
    first = await make_user(Role.EDITOR, full_name="An")
    second = await make_user(Role.GROUP_LEADER, full_name="Bình")
    target = await editor.post(
        "/api/v1/targets",
        json={"name": "Kết nạp", "metric": "members_admitted", "scope": "committee",
              "period_start": "2024-01-01", "period_end": "2024-12-31", "value": 4},
    )  # fmt: skip
    assert target.status_code == 201, target.text
    plan = await _plan(editor)
    await _task(editor, plan, first, due_on=_day(-5))
    await _task(editor, plan, first, due_on=_day(5), status="done", completed_on=_day(0),
                result="x", target_id=target.json()["id"], target_quantity=2)  # fmt: skip
    await _task(editor, plan, second, due_on=_day(-5), status="cancelled")
    late = await _task(editor, plan, second, due_on=_day(-1))
    # Recorded three weeks ago, all but the late one (recorded today).
    await session.execute(
        update(PlanTask)
        .where(PlanTask.plan_id == plan["id"], PlanTask.id != late["id"])
        .values(created_at=func.now() - dt.timedelta(days=21))
    )
    await session.commit()
    board_url = f"{PLANS}/{plan['id']}/board"

    now = (await editor.get(board_url)).json()
    before = (await editor.get(board_url, params={"as_of": _day(-10)})).json()

    def counts(board: dict[str, Any]) -> list[tuple[str, int, int, int, int]]:
        return [
            (a["full_name"], a["done"], a["open"], a["overdue"], a["cancelled"])
            for a in board["assignees"]
        ]

    assert counts(now) == [("An", 1, 1, 1, 0), ("Bình", 0, 1, 1, 1)]
    assert counts(before) == [("An", 0, 2, 0, 0), ("Bình", 0, 1, 0, 0)]
    [contribution] = now["assignees"][0]["targets"]
    assert contribution["target_quantity"] == 2
    assert contribution["attainment"]["target_id"] == target.json()["id"]
    assert contribution["attainment"]["as_of"] == _day(0)
    assert before["as_of"] == _day(-10)


async def test_deleting_a_plan_takes_its_tasks_and_notes(
    editor: httpx.AsyncClient, make_user: UserFactory
) -> None:
    assignee = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    task = await _task(editor, plan, assignee)
    await editor.post(f"{PLANS}/{plan['id']}/tasks/{task['id']}/updates", json={"note": "x"})

    stale = await editor.delete(f"{PLANS}/{plan['id']}", headers={"If-Match": '"99"'})
    deleted = await editor.delete(f"{PLANS}/{plan['id']}")

    assert_problem(stale, 412)
    assert deleted.status_code == 204
    assert_problem(await editor.get(f"{PLANS}/{plan['id']}/tasks/{task['id']}"), 404)


async def test_the_assignee_completes_but_does_not_cancel_and_notes_start_with_the_task(
    editor: httpx.AsyncClient,
    make_user: UserFactory,
    client_as: ClientFactory,
    fingerprint: Fingerprint,
) -> None:
    assignee_user = await make_user(Role.VIEWER)
    assignee = client_as(assignee_user)
    plan = await _plan(editor)
    task = await _task(editor, plan, assignee_user)
    url = f"{PLANS}/{plan['id']}/tasks/{task['id']}"
    before = await fingerprint()

    cancelled = await assignee.patch(url, json={"status": "cancelled"})
    too_early = await assignee.post(f"{url}/updates", json={"note": "x", "written_on": _day(-1)})

    assert_problem(cancelled, 403, "not_assignee")
    assert_problem(too_early, 422, "date_before_history")
    assert await fingerprint() == before
    started = await assignee.patch(url, json={"status": "in_progress"})
    assert started.status_code == 200, started.text
    assert_problem(await assignee.patch(url, json={"status": "planned"}), 403, "not_assignee")
    by_editor = await editor.patch(url, json={"status": "cancelled"})
    assert (by_editor.json()["status"], by_editor.json()["cancelled_on"]) == ("cancelled", _day(0))
    reopened = await editor.patch(url, json={"status": "planned"})
    assert reopened.json()["cancelled_on"] is None


async def test_a_deactivated_assignees_task_can_still_be_cancelled(
    editor: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    leaving = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    task = await _task(editor, plan, leaving)
    await session.execute(update(User).where(User.id == leaving.id).values(is_active=False))
    await session.commit()
    url = f"{PLANS}/{plan['id']}/tasks/{task['id']}"

    cancelled = await editor.patch(url, json={"status": "cancelled"})
    given_back = await editor.patch(url, json={"assignee_id": leaving.id, "title": "Khác"})

    assert cancelled.status_code == 200, cancelled.text
    assert given_back.status_code == 200, given_back.text  # the same assignee: not a new one


async def test_deleting_a_plan_leaves_its_tasks_and_notes_in_the_audit_trail(
    editor: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    assignee = await make_user(Role.EDITOR)
    plan = await _plan(editor)
    task = await _task(editor, plan, assignee)
    note = await editor.post(
        f"{PLANS}/{plan['id']}/tasks/{task['id']}/updates", json={"note": "Đã gặp"}
    )

    assert (await editor.delete(f"{PLANS}/{plan['id']}")).status_code == 204

    deleted = set(
        (
            await session.execute(
                select(AuditEvent.resource_type, AuditEvent.resource_id).where(
                    AuditEvent.action == "delete"
                )
            )
        ).all()
    )
    assert {("plan", plan["id"]), ("plan_task", task["id"]),
            ("task_update", note.json()["id"])} <= deleted  # fmt: skip
