"""visits and materials: the working groups' visit calendar, calendar feeds, the materials library

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 18:00:00

Material files are stored in PostgreSQL (`material_files.content`), so that a backup of the
database holds everything the service answers with.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOURCES_BEFORE = (
    "industrial_zone", "organization", "member", "member_event", "enterprise",
    "enterprise_contact", "investment_project", "training_class", "class_attendee", "campaign",
    "campaign_activity", "target", "user", "session", "enterprise_event", "plan", "plan_task",
    "task_update",
)  # fmt: skip
RESOURCES = (*RESOURCES_BEFORE, "planned_visit", "calendar_feed", "material")


def _resource_check(values: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_events_resource_type_valid"), "audit_events", type_="check")
    listed = ", ".join(repr(v) for v in values)
    op.create_check_constraint(
        op.f("ck_audit_events_resource_type_valid"), "audit_events", f"resource_type IN ({listed})"
    )


def upgrade() -> None:
    _resource_check(RESOURCES)
    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_calendar_feeds_token_sha256")),
    )
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("edition", sa.String(length=50), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=200), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
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
            "(kind = 'video_link') = (url IS NOT NULL AND sha256 IS NULL)",
            name=op.f("ck_materials_file_or_link"),
        ),
        sa.CheckConstraint(
            "kind IN ('leaflet', 'booklet', 'slides', 'video_link')",
            name=op.f("ck_materials_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_materials_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint("sha256", name=op.f("uq_materials_sha256")),
    )
    op.create_index(op.f("ix_materials_language"), "materials", ["language"], unique=False)
    op.create_table(
        "material_files",
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_material_files_material_id_materials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("material_id", name=op.f("pk_material_files")),
    )
    op.create_table(
        "planned_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("contact_roles", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
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
            "status IN ('planned', 'cancelled')", name=op.f("ck_planned_visits_status_valid")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_planned_visits_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_planned_visits_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_planned_visits_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_visits")),
    )
    op.create_index(
        "ix_planned_visits_campaign_id_planned_on_id",
        "planned_visits",
        ["campaign_id", "planned_on", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_planned_visits_enterprise_id"), "planned_visits", ["enterprise_id"], unique=False
    )
    op.create_table(
        "planned_visit_materials",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_planned_visit_materials_material_id_materials"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["planned_visits.id"],
            name=op.f("fk_planned_visit_materials_visit_id_planned_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "material_id", name=op.f("pk_planned_visit_materials")),
    )
    op.create_index(
        op.f("ix_planned_visit_materials_material_id"),
        "planned_visit_materials",
        ["material_id"],
        unique=False,
    )
    op.create_table(
        "activity_materials",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["campaign_activities.id"],
            name=op.f("fk_activity_materials_activity_id_campaign_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_activity_materials_material_id_materials"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "material_id", name=op.f("pk_activity_materials")),
    )
    op.create_index(
        op.f("ix_activity_materials_material_id"),
        "activity_materials",
        ["material_id"],
        unique=False,
    )
    op.add_column("campaign_activities", sa.Column("planned_visit_id", sa.Integer(), nullable=True))
    op.create_unique_constraint(
        op.f("uq_campaign_activities_planned_visit_id"), "campaign_activities", ["planned_visit_id"]
    )
    op.create_foreign_key(
        op.f("fk_campaign_activities_planned_visit_id_planned_visits"),
        "campaign_activities",
        "planned_visits",
        ["planned_visit_id"],
        ["id"],
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_campaign_activities_planned_visit_id_planned_visits"),
        "campaign_activities",
        type_="foreignkey",
    )
    op.drop_constraint(
        op.f("uq_campaign_activities_planned_visit_id"), "campaign_activities", type_="unique"
    )
    op.drop_column("campaign_activities", "planned_visit_id")
    op.drop_index(op.f("ix_activity_materials_material_id"), table_name="activity_materials")
    op.drop_table("activity_materials")
    op.drop_index(
        op.f("ix_planned_visit_materials_material_id"), table_name="planned_visit_materials"
    )
    op.drop_table("planned_visit_materials")
    op.drop_index(op.f("ix_planned_visits_enterprise_id"), table_name="planned_visits")
    op.drop_index("ix_planned_visits_campaign_id_planned_on_id", table_name="planned_visits")
    op.drop_table("planned_visits")
    op.drop_table("material_files")
    op.drop_index(op.f("ix_materials_language"), table_name="materials")
    op.drop_table("materials")
    op.drop_table("calendar_feeds")
    op.execute(
        "DELETE FROM audit_events "
        "WHERE resource_type IN ('planned_visit', 'calendar_feed', 'material')"
    )
    _resource_check(RESOURCES_BEFORE)
