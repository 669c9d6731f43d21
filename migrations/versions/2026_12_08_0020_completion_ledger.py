"""as-of ledger: the distinct people trained in any period; the targets in force by scope

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 18:00:00

The overview's `trained_in_period` counts the distinct people completing a class that ended in
the report's period, any period: 0019's ledger keeps the targets' periods only, so the overview
still counted the period's completions anew (73 ms at 1,000 times the demo's history, 204,000
attendances read; issue 12). A member is among the distinct people of [a, b] once, on their
first completion in it: the one whose previous completion is before a, or who has none. So
`ledger_completions` keeps each member's completion days (one however many classes ended that
day) with the day before it, and `ledger_completion_days` the count per (day, previous day):
the period's figure is a sum over its days' rows whose previous day is before its start.

0019's triggers keep it: the member refresh they call (`ledger_refresh_trained_members`, after
the members' row locks) now recomputes the members' completions too. `ledger_rebuild` rebuilds
it last, with every lock taken first in 0019's order.

Also `ix_targets_scope_period_end`: the overview's targets in force (committee and campaign
scopes) were found by reading every target, quotas and all (18 ms at 95,000 targets).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.migrations import execute_script

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = """
CREATE VIEW ledger_completions_now AS
SELECT member_id, day, lag(day) OVER (PARTITION BY member_id ORDER BY day) AS previous_day
FROM (
    SELECT DISTINCT a.member_id, c.ends_on AS day
    FROM class_attendees AS a
    JOIN training_classes AS c ON c.id = a.class_id
    WHERE a.completed
) AS completed
"""

FUNCTIONS = """
CREATE FUNCTION ledger_refresh_completions(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- The members' rows are locked by the caller: their completions are recomputed whole.
    WITH old AS (
        DELETE FROM ledger_completions WHERE member_id = ANY (ids)
        RETURNING day, previous_day
    ), fresh AS (
        SELECT day, previous_day FROM ledger_completions_now WHERE member_id = ANY (ids)
    ), changes (day, previous_day, delta) AS (
        SELECT day, previous_day, 1 FROM fresh
        UNION ALL SELECT day, previous_day, -1 FROM old
    )
    INSERT INTO ledger_completion_days (day, previous_day, delta)
    SELECT day, previous_day, sum(delta) FROM changes
    GROUP BY day, previous_day HAVING sum(delta) <> 0;
    INSERT INTO ledger_completions (member_id, day, previous_day)
    SELECT member_id, day, previous_day FROM ledger_completions_now WHERE member_id = ANY (ids);
END
$$;

CREATE FUNCTION ledger_rebuild_completions(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS fresh_completions, fresh_completion_days;
    CREATE TEMPORARY TABLE fresh_completions ON COMMIT DROP AS
        SELECT member_id, day, previous_day FROM ledger_completions_now;
    CREATE TEMPORARY TABLE fresh_completion_days ON COMMIT DROP AS
        SELECT day, previous_day, count(*)::integer AS delta
        FROM fresh_completions GROUP BY day, previous_day;

    RETURN QUERY
    SELECT 'completions', (SELECT count(*) FROM fresh_completions), count(*)
    FROM fresh_completion_days AS f
    FULL JOIN (SELECT day, previous_day, sum(delta) AS delta
               FROM ledger_completion_days GROUP BY day, previous_day
               HAVING sum(delta) <> 0) AS s
      ON s.day = f.day AND s.previous_day IS NOT DISTINCT FROM f.previous_day
    WHERE f.delta IS DISTINCT FROM s.delta;

    IF apply THEN
        DELETE FROM ledger_completions;
        DELETE FROM ledger_completion_days;
        INSERT INTO ledger_completions (member_id, day, previous_day)
        SELECT member_id, day, previous_day FROM fresh_completions;
        INSERT INTO ledger_completion_days (day, previous_day, delta)
        SELECT day, previous_day, delta FROM fresh_completion_days ORDER BY day, previous_day;
    END IF;
END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    -- Every lock first, in 0019's order, with this ledger's tables.
    LOCK TABLE members, member_events, organizations, industrial_zones, enterprises,
        enterprise_events, investment_projects, targets, training_classes, class_attendees
        IN SHARE MODE;
    LOCK TABLE ledger_member_spans, ledger_member_days, ledger_metric_items, ledger_metric_days,
        ledger_enterprise_spans, ledger_enterprise_days, ledger_organization_spans,
        ledger_organization_days, ledger_project_spans, ledger_project_days, ledger_quota_days,
        ledger_trained_items, ledger_trained_days, ledger_completions, ledger_completion_days
        IN EXCLUSIVE MODE;
    RETURN QUERY SELECT * FROM ledger_rebuild_0019(apply);
    RETURN QUERY SELECT * FROM ledger_rebuild_completions(apply);
END
$$
"""


def member_refresh(then: str) -> str:
    """0019's member refresh (its body as it was), doing `then` last."""
    return f"""
CREATE OR REPLACE FUNCTION ledger_refresh_trained_members(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM ledger_writer_check();
    PERFORM pg_advisory_xact_lock_shared('ledger_trained_items'::regclass::oid::integer, 0);
    PERFORM 1 FROM members WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    PERFORM ledger_refresh_trained('member_id = ANY ($1)', ids, NULL, NULL);
    {then}
END
$$
"""


def upgrade() -> None:
    op.create_index("ix_targets_scope_period_end", "targets", ["scope", "period_end"])
    op.create_table(
        "ledger_completions",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("previous_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("member_id", "day", name=op.f("pk_ledger_completions")),
    )
    op.create_table(
        "ledger_completion_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("previous_day", sa.Date(), nullable=True),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_completion_days")),
    )
    op.create_index(
        "ix_ledger_completion_days_day",
        "ledger_completion_days",
        ["day"],
        postgresql_include=["previous_day", "delta"],
    )
    execute_script(VIEWS)
    op.execute("ALTER FUNCTION ledger_rebuild(boolean) RENAME TO ledger_rebuild_0019")
    execute_script(FUNCTIONS)
    execute_script(member_refresh("PERFORM ledger_refresh_completions(ids);"))
    # Filled from the classes as they are: writers of them wait until this revision commits
    # (until then they would run the old refresh, and the new ledger would miss their change).
    op.execute("LOCK TABLE training_classes, class_attendees IN SHARE MODE")
    op.execute("SELECT * FROM ledger_rebuild_completions(true)")


def downgrade() -> None:
    op.execute("DROP FUNCTION ledger_rebuild(boolean)")
    op.execute("DROP FUNCTION ledger_rebuild_completions(boolean)")
    execute_script(member_refresh(""))
    op.execute("DROP FUNCTION ledger_refresh_completions(integer[])")
    op.execute("ALTER FUNCTION ledger_rebuild_0019(boolean) RENAME TO ledger_rebuild")
    op.execute("DROP VIEW ledger_completions_now")
    op.drop_index("ix_ledger_completion_days_day", table_name="ledger_completion_days")
    op.drop_table("ledger_completion_days")
    op.drop_table("ledger_completions")
    op.drop_index("ix_targets_scope_period_end", table_name="targets")
