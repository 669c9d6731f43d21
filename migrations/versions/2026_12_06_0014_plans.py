"""plans and tasks: a plan's period, its tasks with one assignee each, their progress notes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOURCES_BEFORE = (
    "industrial_zone", "organization", "member", "member_event", "enterprise",
    "enterprise_contact", "investment_project", "training_class", "class_attendee", "campaign",
    "campaign_activity", "target", "user", "session", "enterprise_event",
)  # fmt: skip
RESOURCES = (*RESOURCES_BEFORE, "plan", "plan_task", "task_update")


def _resource_check(values: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_events_resource_type_valid"), "audit_events", type_="check")
    listed = ", ".join(repr(v) for v in values)
    op.create_check_constraint(
        op.f("ck_audit_events_resource_type_valid"), "audit_events", f"resource_type IN ({listed})"
    )


def upgrade() -> None:
    _resource_check(RESOURCES)
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("search_key", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("period_start <= period_end", name=op.f("ck_plans_period_ordered")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_plans_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_period_end"), "plans", ["period_end"], unique=False)
    op.create_table(
        "plan_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("expected_result", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target_quantity", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("search_key", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(status = 'done') = (completed_on IS NOT NULL AND result IS NOT NULL)",
            name=op.f("ck_plan_tasks_done_has_result"),
        ),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_on IS NOT NULL)",
            name=op.f("ck_plan_tasks_cancelled_has_date"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'cancelled')",
            name=op.f("ck_plan_tasks_status_valid"),
        ),
        sa.CheckConstraint(
            "target_quantity IS NULL OR (target_id IS NOT NULL AND target_quantity > 0)",
            name=op.f("ck_plan_tasks_quantity_of_a_target"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_plan_tasks_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_plan_tasks_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_plan_tasks_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_tasks_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_plan_tasks_target_id_targets")
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["industrial_zones.id"],
            name=op.f("fk_plan_tasks_zone_id_industrial_zones"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_tasks")),
    )
    op.create_index(op.f("ix_plan_tasks_assignee_id"), "plan_tasks", ["assignee_id"], unique=False)
    op.create_index(op.f("ix_plan_tasks_campaign_id"), "plan_tasks", ["campaign_id"], unique=False)
    op.create_index(
        "ix_plan_tasks_plan_id_due_on_id", "plan_tasks", ["plan_id", "due_on", "id"], unique=False
    )
    op.create_index(op.f("ix_plan_tasks_target_id"), "plan_tasks", ["target_id"], unique=False)
    op.create_index(op.f("ix_plan_tasks_zone_id"), "plan_tasks", ["zone_id"], unique=False)
    op.create_table(
        "task_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_task_updates_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_tasks.id"],
            name=op.f("fk_task_updates_task_id_plan_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_updates")),
    )
    op.create_index(op.f("ix_task_updates_task_id"), "task_updates", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_task_updates_task_id"), table_name="task_updates")
    op.drop_table("task_updates")
    op.drop_index(op.f("ix_plan_tasks_zone_id"), table_name="plan_tasks")
    op.drop_index(op.f("ix_plan_tasks_target_id"), table_name="plan_tasks")
    op.drop_index("ix_plan_tasks_plan_id_due_on_id", table_name="plan_tasks")
    op.drop_index(op.f("ix_plan_tasks_campaign_id"), table_name="plan_tasks")
    op.drop_index(op.f("ix_plan_tasks_assignee_id"), table_name="plan_tasks")
    op.drop_table("plan_tasks")
    op.drop_index(op.f("ix_plans_period_end"), table_name="plans")
    op.drop_table("plans")
    op.execute(
        "DELETE FROM audit_events WHERE resource_type IN ('plan', 'plan_task', 'task_update')"
    )
    _resource_check(RESOURCES_BEFORE)
