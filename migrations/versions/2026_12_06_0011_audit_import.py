"""audit action `import`: one event per spreadsheet brought in, with its counts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS_BEFORE = ("create", "update", "delete", "login", "login_failed", "end_session")
ACTIONS = (*ACTIONS_BEFORE, "import")


def _actions(values: Sequence[str]) -> None:
    op.drop_constraint(op.f("ck_audit_events_action_valid"), "audit_events", type_="check")
    listed = ", ".join(repr(v) for v in values)
    op.create_check_constraint(
        op.f("ck_audit_events_action_valid"), "audit_events", f"action IN ({listed})"
    )


def upgrade() -> None:
    _actions(ACTIONS)


def downgrade() -> None:
    # The trail is append-only (0009); its import events go the way prune-audit deletes.
    op.execute("SET LOCAL kcn.audit_prune = 'on'")
    op.execute("DELETE FROM audit_events WHERE action = 'import'")
    _actions(ACTIONS_BEFORE)
