"""/plans/{plan_id}/tasks: each task with one assignee, and its progress notes."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from app.auth.dependencies import CurrentUser, EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_lock
from app.core.schemas import ParamInt
from app.models import PlanTask
from app.plans.repository import ProgressListQuery, TaskListQuery, TaskRepository, is_overdue
from app.plans.router import PlanDep
from app.plans.schemas import (
    ProgressNote,
    ProgressNoteCreate,
    Task,
    TaskCreate,
    TaskFilters,
    TaskUpdate,
)
from app.plans.service import TaskService
from app.plans.sorting import TaskSort

router = APIRouter(
    prefix="/plans/{plan_id}/tasks", tags=["plan-tasks"], route_class=IdempotentRoute
)
WRITE_RESPONSES = problem_responses(412)


async def valid_task(
    plan: PlanDep, task_id: ParamInt, session: SessionDep, request: Request
) -> PlanTask:
    return await TaskRepository(session).get_in(plan, task_id, lock=path_lock(request))


TaskDep = Annotated[PlanTask, Depends(valid_task)]
TaskQuery = Annotated[TaskListQuery, Depends(list_query(TaskSort, "due_on", TaskFilters))]
ProgressQuery = Annotated[ProgressListQuery, Depends(list_query())]


def _read(task: PlanTask, response: Response) -> Task:
    set_etag(response, task.version)
    return Task.of_record(task, overdue=is_overdue(task, today()))


@router.get("", name="list", response_model=Page[Task])
async def list_tasks(plan: PlanDep, session: SessionDep, query: TaskQuery) -> Page[Task]:
    """The plan's tasks, soonest due first (default), latest due first or by title. Filter by
    assignee_id, status, a due_after / due_before range, q (title) and overdue (neither done
    nor cancelled and due before as_of, today by default)."""
    on = query.filters.as_of or today()
    found = await TaskRepository(session).list(plan, on, query)
    return found.page(lambda task: Task.of_record(task, overdue=is_overdue(task, on)))


@router.post("", name="create", response_model=Task, status_code=status.HTTP_201_CREATED)
async def create_task(
    plan: PlanDep, data: TaskCreate, session: SessionDep, user: EditorUser, response: Response
) -> Task:
    """Add a task to the plan (editors and admins): one active assignee, due_on inside the
    plan's period (422 `due_outside_plan`), an expected result, optionally the campaign, zone
    and target it serves. A done task needs completed_on and result (422 `result_required`)."""
    task = await TaskService(session, plan, user).create(data)
    set_location(response, "plans", plan.id, "tasks", task.id)
    return _read(task, response)


@router.get("/{task_id}", name="get", response_model=Task)
async def get_task(task: TaskDep, response: Response) -> Task:
    """One task of the plan (404 when it belongs to another), with its ETag."""
    return _read(task, response)


@router.patch("/{task_id}", name="update", response_model=Task, responses=WRITE_RESPONSES)
async def update_task(
    plan: PlanDep,
    task: TaskDep,
    data: TaskUpdate,
    session: SessionDep,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> Task:
    """Change a task, judged merged as a new one. Editors and admins change anything; the
    assignee changes only status, completed_on and result (403 `not_assignee` otherwise), so that
    they complete their own task. Done needs completed_on (not in the future, not before the
    task was created) and result; reopening a done task clears them. A stale If-Match is a
    412."""
    check_if_match(if_match, task.version)
    task = await TaskService(session, plan, user).update(task, data)
    return _read(task, response)


@router.delete(
    "/{task_id}", name="delete", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES
)
async def delete_task(
    plan: PlanDep,
    task: TaskDep,
    session: SessionDep,
    user: EditorUser,
    if_match: IfMatch = None,
) -> None:
    """Delete a task with its progress notes (editors and admins)."""
    check_if_match(if_match, task.version)
    await TaskService(session, plan, user).delete(task)


@router.get("/{task_id}/updates", name="list-updates", response_model=Page[ProgressNote])
async def list_task_updates(
    task: TaskDep, session: SessionDep, query: ProgressQuery
) -> Page[ProgressNote]:
    """The task's progress notes, oldest first: its history, never edited."""
    found = await TaskRepository(session).progress(task, query)
    return found.page(ProgressNote.of_record)


@router.post(
    "/{task_id}/updates",
    name="add-update",
    response_model=ProgressNote,
    status_code=status.HTTP_201_CREATED,
)
async def add_task_update(
    plan: PlanDep,
    task: TaskDep,
    data: ProgressNoteCreate,
    session: SessionDep,
    user: CurrentUser,
) -> ProgressNote:
    """Append a dated progress note (the assignee, editors and admins; 403 `not_assignee` for
    others). written_on defaults to today and may not be in the future."""
    note = await TaskService(session, plan, user).add_progress(task, data)
    return ProgressNote.of_record(note)
