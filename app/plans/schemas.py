"""Plans, their tasks, the tasks' progress notes and a plan's board, in and out."""

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field, Strict

from app.core.schemas import (
    Date,
    FilterModel,
    InputModel,
    Int,
    Label,
    OutputModel,
    ParamInt,
    Patch,
)
from app.models import TaskStatus
from app.targets.schemas import Attainment

Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=300,
        examples=["Kế hoạch thực hiện Nghị quyết 09 sau sơ kết giữa nhiệm kỳ, 6 tháng cuối 2024"],
    ),
    Label,
]
Basis = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="The decision or resolution that set the plan.",
        examples=["Nghị quyết số 09-NQ/ĐU ngày 15/7/2024 của Ban Thường vụ Đảng ủy"],
    ),
    Label,
]
Title = Annotated[
    str,
    Field(
        min_length=1, max_length=300, examples=["Khảo sát 20 doanh nghiệp FDI tại KCN Thăng Long"]
    ),
    Label,
]
Text = Annotated[str, Field(min_length=1, max_length=5000), Label]
Notes = Annotated[str, Field(max_length=5000)]
Quantity = Annotated[int, Field(ge=1, le=1_000_000), Strict()]

PLAN_EXAMPLE: dict[str, Any] = {
    "name": "Kế hoạch 6 tháng cuối năm 2024",
    "period_start": "2024-07-01",
    "period_end": "2024-12-31",
    "basis": "Nghị quyết số 09-NQ/ĐU",
    "notes": "Rõ người, rõ việc, rõ quy trình, rõ trách nhiệm, rõ hiệu quả.",
}
TASK_EXAMPLE: dict[str, Any] = {
    "title": "Vận động thành lập tổ chức đảng tại 3 doanh nghiệp Hàn Quốc",
    "description": "Phối hợp công đoàn, gặp chủ doanh nghiệp, giới thiệu tài liệu tiếng Hàn.",
    "assignee_id": 4,
    "campaign_id": 1,
    "zone_id": 2,
    "due_on": "2024-11-30",
    "expected_result": "3 chi bộ mới được thành lập",
    "target_id": 3,
    "target_quantity": 3,
}


class PlanCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [PLAN_EXAMPLE]})

    name: Name
    period_start: Date
    period_end: Date = Field(description="On or after period_start.")
    basis: Basis | None = None
    notes: Notes | None = None


class PlanUpdate(InputModel):
    name: Patch[Name] = None
    period_start: Patch[Date] = Field(
        default=None, description="The period must still hold every task's due_on."
    )
    period_end: Patch[Date] = None
    basis: Basis | None = None
    notes: Notes | None = None


class PlanFilters(FilterModel):
    in_force_on: Date | None = Field(default=None, description="Plans whose period holds the date.")
    q: str | None = Field(default=None, max_length=200, description="Name; accents optional.")


class TaskCounts(OutputModel):
    planned: int = 0
    in_progress: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = Field(0, description="Neither done nor cancelled, and due before today.")


class Plan(OutputModel):
    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    basis: str | None
    notes: str | None
    tasks: TaskCounts = Field(description="Read-only. Its tasks by status, today (Hanoi).")
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class TaskCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [TASK_EXAMPLE]})

    title: Title
    description: Text | None = None
    assignee_id: Int = Field(description="Exactly one person: an active user.")
    campaign_id: Int | None = Field(default=None, description="The working group it serves.")
    zone_id: Int | None = Field(default=None, description="The industrial zone it concerns.")
    due_on: Date = Field(description="Inside the plan's period.")
    expected_result: Text = Field(description="What counts as done, in words.")
    target_id: Int | None = Field(
        default=None, description="A target this task contributes to (its attainment is shown)."
    )
    target_quantity: Quantity | None = Field(
        default=None, description="How much of the target this task should bring."
    )
    status: TaskStatus = TaskStatus.PLANNED
    completed_on: Date | None = Field(
        default=None,
        description="Required when done, and only then; not in the future, not before the task "
        "was created.",
    )
    result: Text | None = Field(default=None, description="What came of it; required when done.")


class TaskUpdate(InputModel):
    """Editors and admins change any field; the assignee only status (to in_progress or
    done), completed_on and result: they report progress and complete their own task, while
    cancelling or reopening it is the editors' call."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"status": "done", "completed_on": "2024-11-20", "result": "3 chi bộ"}]
        }
    )

    title: Patch[Title] = None
    description: Text | None = None
    assignee_id: Patch[Int] = None
    campaign_id: Int | None = None
    zone_id: Int | None = None
    due_on: Patch[Date] = None
    expected_result: Patch[Text] = None
    target_id: Int | None = None
    target_quantity: Quantity | None = None
    status: Patch[TaskStatus] = None
    completed_on: Date | None = None
    result: Text | None = None


ASSIGNEE_FIELDS = frozenset({"status", "completed_on", "result"})
ASSIGNEE_STATUSES = frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE})


class TaskFilters(FilterModel):
    assignee_id: ParamInt | None = None
    status: TaskStatus | None = None
    due_after: Date | None = Field(default=None, description="Due on or after this date.")
    due_before: Date | None = Field(default=None, description="Due on or before this date.")
    overdue: bool | None = Field(
        default=None,
        description="true: neither done nor cancelled and due before as_of; false: the others.",
    )
    as_of: Date | None = Field(
        default=None, description="The date `overdue` is judged on; default today (Hanoi)."
    )
    q: str | None = Field(default=None, max_length=200, description="Title; accents optional.")


class Task(OutputModel):
    id: int
    plan_id: int
    title: str
    description: str | None
    assignee_id: int
    campaign_id: int | None
    zone_id: int | None
    due_on: dt.date
    expected_result: str
    target_id: int | None
    target_quantity: int | None
    status: TaskStatus
    completed_on: dt.date | None
    result: str | None
    cancelled_on: dt.date | None = Field(description="Read-only. The day it was cancelled.")
    overdue: bool = Field(
        False,
        description="Read-only. Neither done nor cancelled and due before today (Hanoi), or "
        "before as_of in a list asked as of a date.",
    )
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ProgressNoteCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"written_on": "2024-09-10", "note": "Đã gặp 2/3 doanh nghiệp; chủ DN đồng ý."}
            ]
        }
    )

    written_on: Date | None = Field(
        default=None,
        description="The day the progress is reported for; default today; not in the future.",
    )
    note: Text


class ProgressNote(OutputModel):
    id: int
    task_id: int
    written_on: dt.date
    note: str
    author_id: int | None
    created_at: dt.datetime


class TargetContribution(OutputModel):
    task_id: int
    title: str
    target_quantity: int | None
    attainment: Attainment = Field(description="The target's attainment as of the board's date.")


class AssigneeBoard(OutputModel):
    assignee_id: int
    username: str
    full_name: str
    done: int = Field(description="Completed on or before as_of.")
    open: int = Field(description="Not completed by as_of and not cancelled.")
    overdue: int = Field(description="Open, and due before as_of.")
    cancelled: int
    targets: list[TargetContribution] = Field(
        description="The assignee's tasks tied to a target, with its attainment."
    )


class PlanBoard(OutputModel):
    plan_id: int
    as_of: dt.date
    assignees: list[AssigneeBoard]
