"""Plans and their tasks: "clear person, clear task, clear process, clear responsibility, clear
result" (rõ người, rõ việc, rõ quy trình, rõ trách nhiệm, rõ hiệu quả) — each task has one
assignee, a due date inside its plan's period, an expected result, and a dated history of progress
notes that is never edited."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.audit import Audited, AuditResource
from app.models.base import Base, Searchable, Timestamped, Versioned, enum_check


class TaskStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Plan(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "plans"
    __audit__ = Audited(AuditResource.PLAN)
    __search_fields__ = ("name",)
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date, index=True)
    basis: Mapped[str | None] = mapped_column(String(500))  # the decision that set the plan
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PlanTask(Searchable, Versioned, Timestamped, Base):
    __tablename__ = "plan_tasks"
    __audit__ = Audited(AuditResource.PLAN_TASK, parent=(AuditResource.PLAN, "plan_id"))
    __search_fields__ = ("title",)
    __table_args__ = (
        enum_check("status", TaskStatus),
        # Done means a date and a result; any other status has neither.
        CheckConstraint(
            "(status = 'done') = (completed_on IS NOT NULL AND result IS NOT NULL)",
            name="done_has_result",
        ),
        CheckConstraint(
            "(status = 'cancelled') = (cancelled_on IS NOT NULL)", name="cancelled_has_date"
        ),
        CheckConstraint(
            "target_quantity IS NULL OR (target_id IS NOT NULL AND target_quantity > 0)",
            name="quantity_of_a_target",
        ),
        Index("ix_plan_tasks_plan_id_due_on_id", "plan_id", "due_on", "id"),  # the list order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("industrial_zones.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    expected_result: Mapped[str] = mapped_column(Text)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"), index=True)
    target_quantity: Mapped[int | None]
    status: Mapped[TaskStatus] = mapped_column(String(16))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)
    # The day it was cancelled (set by the service), so that a board as of an earlier day
    # still shows it open.
    cancelled_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class TaskProgress(Base):
    """A dated progress note on a task: appended, never edited (the task's history)."""

    __tablename__ = "task_updates"
    __audit__ = Audited(AuditResource.TASK_UPDATE, parent=(AuditResource.PLAN_TASK, "task_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("plan_tasks.id", ondelete="CASCADE"), index=True
    )
    written_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
