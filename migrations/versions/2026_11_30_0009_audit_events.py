"""audit events: the append-only audit trail

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:00:00

The table refuses UPDATE, DELETE and TRUNCATE by trigger, whoever asks; only `kcn-party
prune-audit` deletes, past KCN_AUDIT_RETENTION_DAYS. When KCN_DB_APP_ROLE names the role the
service connects as (the migrations then run as the tables' owner), that role is also granted
SELECT and INSERT on the table and denied UPDATE, DELETE and TRUNCATE, and it gets the usual
read/write privileges on every other table, now and in later migrations (README, "Sessions and
security").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.config import Settings

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS = ("create", "update", "delete", "login", "login_failed", "end_session")
RESOURCES = (
    "industrial_zone",
    "organization",
    "member",
    "member_event",
    "enterprise",
    "enterprise_contact",
    "investment_project",
    "training_class",
    "class_attendee",
    "campaign",
    "campaign_activity",
    "target",
    "user",
    "session",
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("operation", sa.String(length=100), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.BigInteger(), nullable=True),
        sa.Column("parent_type", sa.String(length=32), nullable=True),
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "changes",
            sa.dialects.postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.CheckConstraint(_in("action", ACTIONS), name=op.f("ck_audit_events_action_valid")),
        sa.CheckConstraint(
            _in("resource_type", RESOURCES), name=op.f("ck_audit_events_resource_type_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(
        "ix_audit_events_resource", "audit_events", ["resource_type", "resource_id", "id"]
    )
    op.create_index(
        "ix_audit_events_parent",
        "audit_events",
        ["parent_type", "parent_id", "id"],
        postgresql_where=sa.text("parent_type IS NOT NULL"),
    )
    op.create_index("ix_audit_events_actor_id", "audit_events", ["actor_id", "id"])
    op.create_index("ix_audit_events_occurred_at", "audit_events", ["occurred_at"])
    op.execute(
        """
        CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND current_setting('kcn.audit_prune', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    )
    role = Settings().db_app_role
    if role:
        quoted = op.get_bind().dialect.identifier_preparer.quote(role)
        for statement in (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {quoted}",
        ):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_events")
    op.execute("DROP FUNCTION audit_events_append_only()")
