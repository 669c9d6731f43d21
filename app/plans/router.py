"""/plans: the Standing Committee's plans, each task with one assignee, and a plan's board."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app import models
from app.auth.dependencies import EditorUser
from app.core.dates import today
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.http import IfMatch, check_if_match, set_etag, set_location
from app.core.idempotency import IdempotentRoute
from app.core.pagination import Page, list_query
from app.core.repository import path_row
from app.core.schemas import Date
from app.plans.board import board_of
from app.plans.repository import PlanListQuery, PlanRepository
from app.plans.schemas import Plan, PlanBoard, PlanCreate, PlanFilters, PlanUpdate
from app.plans.service import PlanService
from app.plans.sorting import PlanSort

router = APIRouter(prefix="/plans", tags=["plans"], route_class=IdempotentRoute)

PlanDep = Annotated[models.Plan, Depends(path_row(PlanRepository, "plan_id"))]
PlanQuery = Annotated[PlanListQuery, Depends(list_query(PlanSort, "-period_start", PlanFilters))]
WRITE_RESPONSES = problem_responses(412)


async def _read(session: SessionDep, plan: models.Plan, response: Response) -> Plan:
    set_etag(response, plan.version)
    counts = await PlanRepository(session).task_counts([plan.id], today())
    return Plan.of_record(plan, tasks=counts[plan.id])


@router.get("", name="list", response_model=Page[Plan])
async def list_plans(session: SessionDep, query: PlanQuery) -> Page[Plan]:
    """Plans with their tasks counted by status (and those overdue today), latest period first
    (default) or by name. Filter by in_force_on (the period holds the date) or q (name)."""
    repository = PlanRepository(session)
    found = await repository.list(query)
    counts = await repository.task_counts([plan.id for plan in found.items], today())
    return found.page(lambda plan: Plan.of_record(plan, tasks=counts[plan.id]))


@router.post("", name="create", response_model=Plan, status_code=status.HTTP_201_CREATED)
async def create_plan(
    data: PlanCreate, session: SessionDep, user: EditorUser, response: Response
) -> Plan:
    """Record a plan (editors and admins): its name, period and the decision behind it;
    period_end before period_start is a 422."""
    plan = await PlanService(session, user).create(data)
    set_location(response, "plans", plan.id)
    return await _read(session, plan, response)


@router.get("/{plan_id}", name="get", response_model=Plan)
async def get_plan(plan: PlanDep, session: SessionDep, response: Response) -> Plan:
    """One plan with its tasks counted by status, and its ETag."""
    return await _read(session, plan, response)


@router.patch("/{plan_id}", name="update", response_model=Plan, responses=WRITE_RESPONSES)
async def update_plan(
    plan: PlanDep,
    data: PlanUpdate,
    session: SessionDep,
    user: EditorUser,
    response: Response,
    if_match: IfMatch = None,
) -> Plan:
    """Change a plan (editors and admins). A period that would leave a task's due_on outside it
    is a 422 `due_outside_plan`; a stale If-Match a 412."""
    check_if_match(if_match, plan.version)
    plan = await PlanService(session, user).update(plan, data)
    return await _read(session, plan, response)


@router.delete(
    "/{plan_id}", name="delete", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_RESPONSES
)
async def delete_plan(
    plan: PlanDep, session: SessionDep, user: EditorUser, if_match: IfMatch = None
) -> None:
    """Delete a plan with its tasks and their progress notes (editors and admins; the audit
    trail keeps what they were)."""
    check_if_match(if_match, plan.version)
    await PlanService(session, user).delete(plan)


@router.get("/{plan_id}/board", name="get-board", response_model=PlanBoard)
async def get_plan_board(
    plan: PlanDep,
    session: SessionDep,
    as_of: Annotated[
        Date | None, Query(description="The date to judge on; default today (Hanoi).")
    ] = None,
) -> PlanBoard:
    """Per assignee: tasks done by as_of, open, overdue on as_of and cancelled; and for each task
    tied to a target, that target's attainment as of the date."""
    on: dt.date = as_of or today()
    return await board_of(session, plan, on)
