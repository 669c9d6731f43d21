"""class attendee version: ETag/If-Match for class attendees

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing attendees start at version 1; the default is dropped afterwards so that the column
    # matches every other versioned table (the ORM sets the version on insert).
    op.add_column(
        "class_attendees",
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.alter_column("class_attendees", "version", server_default=None)


def downgrade() -> None:
    op.drop_column("class_attendees", "version")
