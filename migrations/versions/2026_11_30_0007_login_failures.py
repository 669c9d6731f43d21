"""login failures: failed logins per account and client address, for throttling

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column(
            "failed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_username_failed_at", "login_failures", ["username", "failed_at"]
    )
    op.create_index(
        "ix_login_failures_client_address_failed_at",
        "login_failures",
        ["client_address", "failed_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_login_failures_client_address_failed_at", table_name="login_failures")
    op.drop_index("ix_login_failures_username_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
