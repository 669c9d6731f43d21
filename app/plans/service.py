"""The rules of plans and tasks: a plan's period holds its tasks' due dates; a task has one
active assignee; done means a completion date (not in the future, not before the task was
created) and a result; the assignee may report on and complete their own task, editors and admins
do everything else; progress notes are appended, never changed."""

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import EDITORS
from app.campaigns.repository import CampaignRepository
from app.core.dates import HANOI, ensure_not_future, today
from app.core.errors import Forbidden, RuleViolation
from app.core.problem_codes import ProblemCode
from app.models import Plan, PlanTask, TaskProgress, TaskStatus, User
from app.plans.repository import PlanRepository, TaskRepository
from app.plans.schemas import (
    ASSIGNEE_FIELDS,
    ASSIGNEE_STATUSES,
    PlanCreate,
    PlanUpdate,
    ProgressNoteCreate,
    TaskCreate,
    TaskUpdate,
)
from app.targets.repository import TargetRepository
from app.users.repository import UserRepository
from app.zones.repository import ZoneRepository


def _period_ordered(plan: Plan) -> None:
    if plan.period_end < plan.period_start:
        raise RuleViolation(
            "period_end is before period_start",
            code=ProblemCode.PERIOD_REVERSED,
            field="period_end",
        )


OPEN_STATUSES = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


def created_on(task: PlanTask) -> dt.date:
    """The day (in Hanoi) the task was recorded."""
    return task.created_at.astimezone(HANOI).date()


def may_edit_plans(user: User) -> bool:
    return user.role in EDITORS


def require_task_reporter(user: User, task: PlanTask) -> None:
    """Editors and admins, or the task's assignee: who may note progress and complete it."""
    if may_edit_plans(user) or user.id == task.assignee_id:
        return
    raise Forbidden(
        f"task {task.id} is assigned to another user; its assignee, editors and admins report "
        "on it",
        code=ProblemCode.NOT_ASSIGNEE,
    )


class PlanService:
    def __init__(self, session: AsyncSession, actor: User) -> None:
        self.actor = actor
        self.plans = PlanRepository(session)

    async def create(self, data: PlanCreate) -> Plan:
        plan = Plan(**data.model_dump(), created_by_id=self.actor.id)
        _period_ordered(plan)
        return await self.plans.add(plan)

    async def update(self, plan: Plan, data: PlanUpdate) -> Plan:
        """The merged period must still hold every task's due date."""
        start = data.period_start or plan.period_start
        end = data.period_end or plan.period_end
        if start <= end:
            outside = await self.plans.tasks_due_outside(plan, start, end)
            if outside:
                raise RuleViolation(
                    f"{outside} task(s) of the plan are due outside {start} to {end}; move "
                    "their due_on first",
                    code=ProblemCode.DUE_OUTSIDE_PLAN,
                    field="period_start" if start > plan.period_start else "period_end",
                )
        return await self.plans.update(plan, data, check=_period_ordered)

    async def delete(self, plan: Plan) -> None:
        """The plan goes with its tasks and their progress notes, each deleted through the
        session so that the audit trail records what they were."""
        await TaskRepository(self.plans.session).delete_with_notes(
            await TaskRepository(self.plans.session).all_of(plan)
        )
        await self.plans.delete(plan)


class TaskService:
    def __init__(self, session: AsyncSession, plan: Plan, actor: User) -> None:
        self.plan, self.actor = plan, actor
        self.tasks = TaskRepository(session)
        self.users = UserRepository(session)
        self.campaigns = CampaignRepository(session)
        self.zones = ZoneRepository(session)
        self.targets = TargetRepository(session)

    async def _checked(
        self, values: dict[str, Any], created_on: dt.date, *, new_assignee: bool = True
    ) -> None:
        """The merged task's rules; the assignee is checked active when the task is given to
        them (so that a deactivated user's task can still be cancelled or moved)."""
        plan = self.plan
        due_on: dt.date = values["due_on"]
        if not plan.period_start <= due_on <= plan.period_end:
            raise RuleViolation(
                f"due_on {due_on} is outside the plan's period "
                f"({plan.period_start} to {plan.period_end})",
                code=ProblemCode.DUE_OUTSIDE_PLAN,
                field="due_on",
            )
        assignee = await self.users.reference(values["assignee_id"], "assignee_id")
        if new_assignee and not assignee.is_active:
            raise RuleViolation(
                f"user {assignee.id} is deactivated; a task goes to an active user",
                code=ProblemCode.INACTIVE_ASSIGNEE,
                field="assignee_id",
            )
        await self.campaigns.reference(values.get("campaign_id"), "campaign_id")
        await self.zones.reference(values.get("zone_id"), "zone_id")
        await self.targets.reference(values.get("target_id"), "target_id")
        if values.get("target_quantity") is not None and values.get("target_id") is None:
            raise RuleViolation(
                "target_quantity needs the target_id it counts towards", field="target_quantity"
            )
        self._completion(values, created_on)

    @staticmethod
    def _completion(values: dict[str, Any], created_on: dt.date) -> None:
        completed_on: dt.date | None = values.get("completed_on")
        if values["status"] != TaskStatus.DONE:
            for field in ("completed_on", "result"):
                if values.get(field) is not None:
                    raise RuleViolation(
                        f"{field} is recorded only when the task is done",
                        code=ProblemCode.RESULT_REQUIRED,
                        field=field,
                    )
            return
        for field in ("completed_on", "result"):
            if values.get(field) is None:
                raise RuleViolation(
                    f"a done task needs its {field}",
                    code=ProblemCode.RESULT_REQUIRED,
                    field=field,
                )
        assert completed_on is not None
        ensure_not_future(completed_on, "completed_on")
        if completed_on < created_on:
            raise RuleViolation(
                f"completed_on {completed_on} is before the task was created ({created_on})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field="completed_on",
            )

    async def create(self, data: TaskCreate) -> PlanTask:
        values = data.model_dump()
        await self._checked(values, today())
        cancelled_on = today() if data.status == TaskStatus.CANCELLED else None
        return await self.tasks.add(
            PlanTask(
                plan_id=self.plan.id,
                created_by_id=self.actor.id,
                cancelled_on=cancelled_on,
                **values,
            )
        )

    async def update(self, task: PlanTask, data: TaskUpdate) -> PlanTask:
        """Judged merged, as a new task would be. A task reopened (done → another status)
        drops its completion unless the body sets it; the assignee changes only status,
        completed_on and result."""
        changes = data.model_dump(exclude_unset=True)
        if not may_edit_plans(self.actor):
            require_task_reporter(self.actor, task)
            others = sorted(set(changes) - ASSIGNEE_FIELDS)
            if others:
                raise Forbidden(
                    f"the assignee changes only status, completed_on and result, not "
                    f"{', '.join(others)}",
                    code=ProblemCode.NOT_ASSIGNEE,
                )
            status = changes.get("status")
            if (
                status is not None
                and status != task.status
                and (status not in ASSIGNEE_STATUSES or task.status not in OPEN_STATUSES)
            ):
                raise Forbidden(
                    f"the assignee moves their task to in_progress or done; {task.status} to "
                    f"{status} is the editors' call",
                    code=ProblemCode.NOT_ASSIGNEE,
                )
        reopened = task.status == TaskStatus.DONE and changes.get("status") not in (
            None,
            TaskStatus.DONE,
        )
        if reopened:
            changes = {"completed_on": None, "result": None} | changes
        current = {name: getattr(task, name) for name in TaskUpdate.model_fields}
        new_assignee = changes.get("assignee_id", task.assignee_id) != task.assignee_id
        await self._checked(current | changes, created_on(task), new_assignee=new_assignee)
        status = changes.get("status", task.status)
        if status != task.status:
            changes["cancelled_on"] = today() if status == TaskStatus.CANCELLED else None
        for name, value in changes.items():
            setattr(task, name, value)
        await self.tasks.session.flush()
        return task

    async def delete(self, task: PlanTask) -> None:
        """The task with its progress notes, each deleted through the session so that the
        audit trail records what they were."""
        await self.tasks.delete_with_notes([task])

    async def add_progress(self, task: PlanTask, data: ProgressNoteCreate) -> TaskProgress:
        require_task_reporter(self.actor, task)
        written_on = data.written_on or today()
        ensure_not_future(written_on, "written_on")
        if written_on < created_on(task):
            raise RuleViolation(
                f"written_on {written_on} is before the task was created ({created_on(task)})",
                code=ProblemCode.DATE_BEFORE_HISTORY,
                field="written_on",
            )
        return await self.tasks.add_progress(
            TaskProgress(
                task_id=task.id, written_on=written_on, note=data.note, author_id=self.actor.id
            )
        )
