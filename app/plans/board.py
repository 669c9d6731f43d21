"""A plan's board: per assignee, what is done, open and overdue on a date, and the attainment of
the targets their tasks serve (the targets' own computation, app.targets.service). A task counts
from the day it was recorded; it is cancelled from its cancellation day and done from its
completion day, open before."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Plan, PlanTask, Target, TaskStatus, User
from app.plans.repository import TaskRepository
from app.plans.schemas import AssigneeBoard, PlanBoard, TargetContribution
from app.plans.service import created_on
from app.targets.service import TargetService


def _done_by(task: PlanTask, on: dt.date) -> bool:
    return (
        task.status == TaskStatus.DONE
        and task.completed_on is not None
        and (task.completed_on <= on)
    )


async def board_of(session: AsyncSession, plan: Plan, on: dt.date) -> PlanBoard:
    rows = await TaskRepository(session).of_plan(plan)
    target_ids = {task.target_id for task, _user in rows if task.target_id is not None}
    targets = list(await session.scalars(select(Target).where(Target.id.in_(target_ids))))
    attainment = {
        result.target_id: result for result in await TargetService(session).attainments(targets, on)
    }
    boards: dict[int, AssigneeBoard] = {}
    for task, user in rows:
        if created_on(task) > on:
            continue  # not recorded yet on that day
        board = boards.get(user.id) or boards.setdefault(user.id, _empty(user))
        if task.cancelled_on is not None and task.cancelled_on <= on:
            board.cancelled += 1
        elif _done_by(task, on):
            board.done += 1
        else:
            board.open += 1
            board.overdue += task.due_on < on
        if task.target_id is not None:
            board.targets.append(
                TargetContribution(
                    task_id=task.id,
                    title=task.title,
                    target_quantity=task.target_quantity,
                    attainment=attainment[task.target_id],
                )
            )
    return PlanBoard(plan_id=plan.id, as_of=on, assignees=list(boards.values()))


def _empty(user: User) -> AssigneeBoard:
    return AssigneeBoard(
        assignee_id=user.id,
        username=user.username,
        full_name=user.full_name,
        done=0,
        open=0,
        overdue=0,
        cancelled=0,
        targets=[],
    )
