"""The orders plans and tasks are listed in (see app.core.pagination.orderings)."""

from typing import Literal

from app.core.pagination import by, orderings
from app.models import Plan, PlanTask, TaskProgress

PlanSort = Literal["-period_start", "name"]
TaskSort = Literal["due_on", "-due_on", "title"]

PLAN_ORDERINGS = orderings(
    PlanSort,
    {
        "-period_start": (Plan.period_start, Plan.id),
        "name": (Plan.name, Plan.id),
    },
)
TASK_ORDERINGS = orderings(
    TaskSort,
    {
        "due_on": (PlanTask.due_on, PlanTask.id),
        "-due_on": (PlanTask.due_on, PlanTask.id),
        "title": (PlanTask.title, PlanTask.id),
    },
)
# A task's progress notes: oldest first, its history as it happened.
PROGRESS_ORDERING = by(TaskProgress.written_on, TaskProgress.id)
