"""enterprise history: registration, closing, reopening and workforce reports, dated

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00

Existing enterprises get `registered_on` = the earliest date the data supports: the least of
the day the record was created (in Hanoi), its first investment project's licence, its first
party organization's establishment, and the first registration of a member it employs (not a
member's earlier steps: a member transferred in brings a history from another employer). Their
history starts with a `registered` event on that day carrying today's workers count (the only
count known). An enterprise recorded as closed gets `closed_on` = the day the record was last
changed (at the earliest its registration), with a `closed` event saying it was closed before
the history was kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("registered", "closed", "reopened", "workforce_reported")
RESOURCES_BEFORE = (
    "industrial_zone", "organization", "member", "member_event", "enterprise",
    "enterprise_contact", "investment_project", "training_class", "class_attendee", "campaign",
    "campaign_activity", "target", "user", "session",
)  # fmt: skip
RESOURCES = (*RESOURCES_BEFORE, "enterprise_event")
HANOI_DAY = "(({column}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _resource_check(values: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_events_resource_type_valid"), "audit_events", type_="check")
    op.create_check_constraint(
        op.f("ck_audit_events_resource_type_valid"), "audit_events", _in("resource_type", values)
    )


def upgrade() -> None:
    op.add_column("enterprises", sa.Column("registered_on", sa.Date(), nullable=True))
    op.add_column("enterprises", sa.Column("closed_on", sa.Date(), nullable=True))
    created = HANOI_DAY.format(column="e.created_at")
    updated = HANOI_DAY.format(column="e.updated_at")
    op.execute(
        f"""
        UPDATE enterprises e SET registered_on = LEAST(
            {created},
            (SELECT min(p.licensed_on) FROM investment_projects p WHERE p.enterprise_id = e.id),
            (SELECT min(o.established_on) FROM organizations o WHERE o.enterprise_id = e.id),
            (SELECT min(m.registered_on) FROM members m WHERE m.enterprise_id = e.id)
        )
        """
    )
    op.execute(
        f"UPDATE enterprises e SET closed_on = GREATEST(e.registered_on, {updated}) "
        "WHERE e.status = 'closed'"
    )
    op.alter_column("enterprises", "registered_on", nullable=False)
    op.create_check_constraint(
        "ck_enterprises_closed_on_iff",
        "enterprises",
        "(status = 'closed') = (closed_on IS NOT NULL)",
    )
    op.create_check_constraint(
        "ck_enterprises_closed_after",
        "enterprises",
        "closed_on IS NULL OR closed_on >= registered_on",
    )
    op.create_table(
        "enterprise_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("workers_count", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_enterprise_events_kind_valid")),
        sa.CheckConstraint(
            "workers_count >= 0", name=op.f("ck_enterprise_events_workers_count_not_negative")
        ),
        sa.CheckConstraint(
            "(kind IN ('registered', 'workforce_reported')) = (workers_count IS NOT NULL)",
            name=op.f("ck_enterprise_events_workers_count_iff_workforce"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_enterprise_events_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_events_enterprise_id_enterprises"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_events")),
    )
    op.create_index(
        "ix_enterprise_events_timeline",
        "enterprise_events",
        ["enterprise_id", "occurred_on", "id"],
    )
    op.create_index(
        "uq_enterprise_events_workforce_day",
        "enterprise_events",
        ["enterprise_id", "occurred_on"],
        unique=True,
        postgresql_where=sa.text("kind = 'workforce_reported'"),
    )
    op.execute(
        """
        INSERT INTO enterprise_events (enterprise_id, kind, occurred_on, workers_count)
        SELECT id, 'registered', registered_on, workers_count FROM enterprises ORDER BY id
        """
    )
    op.execute(
        """
        INSERT INTO enterprise_events (enterprise_id, kind, occurred_on, reason)
        SELECT id, 'closed', closed_on, 'closed before the enterprise history was kept'
        FROM enterprises WHERE closed_on IS NOT NULL ORDER BY id
        """
    )
    _resource_check(RESOURCES)


def downgrade() -> None:
    # The trail is append-only (0009); its events of the dropped table go the way prune-audit
    # deletes.
    op.execute("SET LOCAL kcn.audit_prune = 'on'")
    op.execute("DELETE FROM audit_events WHERE resource_type = 'enterprise_event'")
    _resource_check(RESOURCES_BEFORE)
    op.drop_table("enterprise_events")
    op.drop_constraint(op.f("ck_enterprises_closed_after"), "enterprises", type_="check")
    op.drop_constraint(op.f("ck_enterprises_closed_on_iff"), "enterprises", type_="check")
    op.drop_column("enterprises", "closed_on")
    op.drop_column("enterprises", "registered_on")
