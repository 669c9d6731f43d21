"""members' party card number: unique where known, the key an import matches members by first

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("members", sa.Column("party_card_no", sa.String(length=20), nullable=True))
    op.create_unique_constraint(op.f("uq_members_party_card_no"), "members", ["party_card_no"])
    op.create_check_constraint(
        op.f("ck_members_party_card_no_format"),
        "members",
        r"party_card_no ~ '^[0-9A-Z][0-9A-Z./-]*$'",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_members_party_card_no_format"), "members", type_="check")
    op.drop_constraint(op.f("uq_members_party_card_no"), "members", type_="unique")
    op.drop_column("members", "party_card_no")
