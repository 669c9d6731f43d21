"""Queries over plans, their tasks and the tasks' progress notes, with the counts by status
computed in SQL."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select

from app.core.errors import NotFound
from app.core.pagination import ListQuery, Slice
from app.core.repository import Repository, where_equal
from app.core.text import matches_search
from app.models import Plan, PlanTask, TaskProgress, TaskStatus, User
from app.plans.schemas import PlanFilters, TaskCounts, TaskFilters
from app.plans.sorting import (
    PLAN_ORDERINGS,
    PROGRESS_ORDERING,
    TASK_ORDERINGS,
    PlanSort,
    TaskSort,
)

PlanListQuery = ListQuery[PlanSort, PlanFilters]
TaskListQuery = ListQuery[TaskSort, TaskFilters]
ProgressListQuery = ListQuery[None, None]

OPEN = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


def overdue_on(on: dt.date) -> ColumnElement[bool]:
    """A task neither done nor cancelled whose due date is past on `on`."""
    return PlanTask.status.in_(OPEN) & (PlanTask.due_on < on)


def is_overdue(task: PlanTask, on: dt.date) -> bool:
    """`overdue_on` for a loaded task."""
    return task.status in OPEN and task.due_on < on


class PlanRepository(Repository[Plan]):
    model = Plan
    noun = "plan"

    async def list(self, query: PlanListQuery) -> Slice[Plan]:
        filters = query.filters
        stmt = select(Plan)
        if filters.in_force_on is not None:
            stmt = stmt.where(
                Plan.period_start <= filters.in_force_on, Plan.period_end >= filters.in_force_on
            )
        if filters.q:
            stmt = stmt.where(matches_search(Plan.search_key, filters.q))
        return await self._scalar_page(stmt, PLAN_ORDERINGS[query.sort], query.limit, query.cursor)

    async def task_counts(self, plan_ids: Iterable[int], on: dt.date) -> dict[int, TaskCounts]:
        """Each plan's tasks by status, and those overdue on `on`: one statement."""
        ids = list(set(plan_ids))
        counts = {ident: TaskCounts() for ident in ids}
        if not ids:
            return counts
        rows = await self.session.execute(
            select(
                PlanTask.plan_id,
                PlanTask.status,
                func.count(),
                func.count().filter(overdue_on(on)),
            )
            .where(PlanTask.plan_id.in_(ids))
            .group_by(PlanTask.plan_id, PlanTask.status)
        )
        for plan_id, status, count, overdue in rows:
            setattr(counts[plan_id], status, count)
            counts[plan_id].overdue += overdue
        return counts

    async def tasks_due_outside(self, plan: Plan, start: dt.date, end: dt.date) -> int:
        stmt = select(func.count()).where(
            PlanTask.plan_id == plan.id, (PlanTask.due_on < start) | (PlanTask.due_on > end)
        )
        return int(await self.session.scalar(stmt) or 0)


class TaskRepository(Repository[PlanTask]):
    model = PlanTask
    noun = "task"

    async def get_in(self, plan: Plan, task_id: int, **lock: Any) -> PlanTask:
        """The task, which must be one of the plan's (404 otherwise)."""
        task = await self.get_or_none(task_id, **lock)
        if task is None or task.plan_id != plan.id:
            raise NotFound(f"task {task_id} of plan {plan.id} does not exist")
        return task

    async def list(self, plan: Plan, on: dt.date, query: TaskListQuery) -> Slice[PlanTask]:
        filters = query.filters
        stmt = where_equal(
            select(PlanTask).where(PlanTask.plan_id == plan.id),
            (PlanTask.assignee_id, filters.assignee_id),
            (PlanTask.status, filters.status),
        )
        if filters.due_after is not None:
            stmt = stmt.where(PlanTask.due_on >= filters.due_after)
        if filters.due_before is not None:
            stmt = stmt.where(PlanTask.due_on <= filters.due_before)
        if filters.overdue is not None:
            stmt = stmt.where(overdue_on(on) if filters.overdue else ~overdue_on(on))
        if filters.q:
            stmt = stmt.where(matches_search(PlanTask.search_key, filters.q))
        return await self._scalar_page(stmt, TASK_ORDERINGS[query.sort], query.limit, query.cursor)

    async def of_plan(self, plan: Plan) -> Sequence[Row[PlanTask, User]]:
        """Every task of the plan with its assignee, by assignee then due date (the board)."""
        stmt = (
            select(PlanTask, User)
            .join(User, User.id == PlanTask.assignee_id)
            .where(PlanTask.plan_id == plan.id)
            .order_by(User.full_name, User.id, PlanTask.due_on, PlanTask.id)
        )
        return (await self.session.execute(stmt)).all()

    async def all_of(self, plan: Plan) -> Sequence[PlanTask]:
        return (
            await self.session.scalars(select(PlanTask).where(PlanTask.plan_id == plan.id))
        ).all()

    async def delete_with_notes(self, tasks: Sequence[PlanTask]) -> None:
        ids = [task.id for task in tasks]
        notes = await self.session.scalars(
            select(TaskProgress).where(TaskProgress.task_id.in_(ids))
        )
        for batch in (list(notes), tasks):  # notes first: they refer to the tasks
            for row in batch:
                await self.session.delete(row)
            await self.session.flush()

    async def progress(self, task: PlanTask, query: ProgressListQuery) -> Slice[TaskProgress]:
        stmt = select(TaskProgress).where(TaskProgress.task_id == task.id)
        return await self._scalar_page(stmt, PROGRESS_ORDERING, query.limit, query.cursor)

    async def add_progress(self, note: TaskProgress) -> TaskProgress:
        self.session.add(note)
        await self.session.flush()
        return note
