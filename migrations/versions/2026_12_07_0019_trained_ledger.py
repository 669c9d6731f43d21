"""as-of ledger: the candidates trained in each candidates_trained target's period

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 18:00:00

`candidates_trained` counts distinct people: a candidate completing two classes in a period
counts once, so its days cannot be summed from per-day counts, and every measure counted the
period's completions anew (350 ms at 4,000 times the demo, 816,000 completions in H1 2024;
issue 12). Its targets' periods are few, though. For each period of a candidates_trained target
`ledger_trained_items` keeps each member's first completed class ending in it, and
`ledger_trained_days` the dated deltas: a target's actual on D is a sum over its period's days
up to D.

Triggers keep it in the transaction of each change:
- `class_attendees` (a completion given or taken back, an attendee added or removed, also by a
  class's deletion) and `training_classes` (a class's end moved): the members concerned are
  recomputed, after their rows' locks (as 0016 does for member events); an attendee's change
  and its class's end take turns on the class's row;
- `targets`: a candidates_trained period appearing or going: that period is recomputed for
  everyone.
Member refreshes take a shared advisory lock and period refreshes an exclusive one, so a period
is never recomputed while a member's items change. Writers must be at READ COMMITTED (0018's
check).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.migrations import StatementTriggers, execute_script

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = """
CREATE VIEW ledger_trained_items_now AS
SELECT a.member_id, p.period_start, p.period_end, min(c.ends_on) AS day
FROM class_attendees AS a
JOIN training_classes AS c ON c.id = a.class_id
JOIN (SELECT DISTINCT period_start, period_end FROM targets
      WHERE metric = 'candidates_trained') AS p
  ON c.ends_on BETWEEN p.period_start AND p.period_end
WHERE a.completed
GROUP BY a.member_id, p.period_start, p.period_end
"""

FUNCTIONS = """
CREATE FUNCTION ledger_refresh_trained(which text, ids integer[], starts date[], ends date[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- `which`, a condition on the items' columns, says which items are recomputed: $1 is `ids`
    -- (members), $2 and $3 are `starts` and `ends` (periods).
    EXECUTE format($sql$
        WITH old AS (
            DELETE FROM ledger_trained_items WHERE %1$s RETURNING period_start, period_end, day
        ), fresh AS (
            SELECT period_start, period_end, day FROM ledger_trained_items_now WHERE %1$s
        ), changes (period_start, period_end, day, delta) AS (
            SELECT period_start, period_end, day, 1 FROM fresh
            UNION ALL SELECT period_start, period_end, day, -1 FROM old
        )
        INSERT INTO ledger_trained_days (period_start, period_end, day, delta)
        SELECT period_start, period_end, day, sum(delta) FROM changes
        GROUP BY period_start, period_end, day HAVING sum(delta) <> 0
    $sql$, which) USING ids, starts, ends;
    EXECUTE format($sql$
        INSERT INTO ledger_trained_items (member_id, period_start, period_end, day)
        SELECT member_id, period_start, period_end, day FROM ledger_trained_items_now
        WHERE %s
    $sql$, which) USING ids, starts, ends;
END
$$;

CREATE FUNCTION ledger_refresh_trained_members(ids integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM ledger_writer_check();
    PERFORM pg_advisory_xact_lock_shared('ledger_trained_items'::regclass::oid::integer, 0);
    PERFORM 1 FROM members WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    PERFORM ledger_refresh_trained('member_id = ANY ($1)', ids, NULL, NULL);
END
$$;

CREATE FUNCTION ledger_refresh_trained_periods(starts date[], ends date[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(starts), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM ledger_writer_check();
    PERFORM pg_advisory_xact_lock('ledger_trained_items'::regclass::oid::integer, 0);
    PERFORM ledger_refresh_trained(
        '(period_start, period_end) IN (SELECT * FROM unnest($2, $3))', NULL, starts, ends
    );
END
$$;

CREATE FUNCTION ledger_class_attendees_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
    classes integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT member_id), array_agg(DISTINCT class_id)
        INTO touched, classes FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT member_id), array_agg(DISTINCT class_id)
        INTO touched, classes FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT member_id), array_agg(DISTINCT class_id) INTO touched, classes
        FROM (SELECT member_id, class_id FROM old_rows
              UNION ALL SELECT member_id, class_id FROM new_rows) AS changed;
    END IF;
    -- A class's end moving (ledger_training_classes_changed) and its attendees changing take
    -- turns on the class's row: each then sees the other's change committed.
    PERFORM 1 FROM training_classes WHERE id = ANY (classes) ORDER BY id FOR SHARE;
    PERFORM ledger_refresh_trained_members(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_training_classes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    -- The attendees of the classes whose end (or id) changed.
    SELECT array_agg(DISTINCT a.member_id) INTO touched
    FROM class_attendees AS a
    WHERE a.class_id IN (
        SELECT x.id
        FROM old_rows AS o
        FULL JOIN new_rows AS n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.id), (n.id)) AS x (id)
        WHERE n.ends_on IS DISTINCT FROM o.ends_on
    );
    PERFORM ledger_refresh_trained_members(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_trained_targets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    starts date[];
    ends date[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(period_start), array_agg(period_end) INTO starts, ends
        FROM new_rows WHERE metric = 'candidates_trained';
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(period_start), array_agg(period_end) INTO starts, ends
        FROM old_rows WHERE metric = 'candidates_trained';
    ELSE  -- the periods of the targets whose metric or period (or id) changed, both sides
        SELECT array_agg(x.period_start), array_agg(x.period_end) INTO starts, ends
        FROM old_rows AS o
        FULL JOIN new_rows AS n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES
            (o.metric, o.period_start, o.period_end), (n.metric, n.period_start, n.period_end)
        ) AS x (metric, period_start, period_end)
        WHERE x.metric = 'candidates_trained'
          AND (n.metric, n.period_start, n.period_end)
              IS DISTINCT FROM (o.metric, o.period_start, o.period_end);
    END IF;
    PERFORM ledger_refresh_trained_periods(starts, ends);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_rebuild_trained(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS fresh_trained_items, fresh_trained_days;
    CREATE TEMPORARY TABLE fresh_trained_items ON COMMIT DROP AS
        SELECT member_id, period_start, period_end, day FROM ledger_trained_items_now;
    CREATE TEMPORARY TABLE fresh_trained_days ON COMMIT DROP AS
        SELECT period_start, period_end, day, count(*)::integer AS delta
        FROM fresh_trained_items GROUP BY period_start, period_end, day;

    RETURN QUERY
    SELECT 'candidates_trained', (SELECT count(*) FROM fresh_trained_items), count(*)
    FROM fresh_trained_days AS f
    FULL JOIN (SELECT period_start, period_end, day, sum(delta) AS delta
               FROM ledger_trained_days GROUP BY period_start, period_end, day
               HAVING sum(delta) <> 0) AS s USING (period_start, period_end, day)
    WHERE f.delta IS DISTINCT FROM s.delta;

    IF apply THEN
        DELETE FROM ledger_trained_items;
        DELETE FROM ledger_trained_days;
        INSERT INTO ledger_trained_items (member_id, period_start, period_end, day)
        SELECT member_id, period_start, period_end, day FROM fresh_trained_items;
        INSERT INTO ledger_trained_days (period_start, period_end, day, delta)
        SELECT period_start, period_end, day, delta FROM fresh_trained_days
        ORDER BY period_start, period_end, day;
    END IF;
END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    -- Every lock first, in one order (0018's, with the classes and this ledger).
    LOCK TABLE members, member_events, organizations, industrial_zones, enterprises,
        enterprise_events, investment_projects, targets, training_classes, class_attendees
        IN SHARE MODE;
    LOCK TABLE ledger_member_spans, ledger_member_days, ledger_metric_items, ledger_metric_days,
        ledger_enterprise_spans, ledger_enterprise_days, ledger_organization_spans,
        ledger_organization_days, ledger_project_spans, ledger_project_days, ledger_quota_days,
        ledger_trained_items, ledger_trained_days IN EXCLUSIVE MODE;
    RETURN QUERY SELECT * FROM ledger_rebuild_0018(apply);
    RETURN QUERY SELECT * FROM ledger_rebuild_trained(apply);
END
$$
"""

TRIGGERS = (
    StatementTriggers(
        "ledger_class_attendees", "class_attendees", "ledger_class_attendees_changed"
    ),
    StatementTriggers(
        "ledger_training_classes",
        "training_classes",
        "ledger_training_classes_changed",
        ("UPDATE",),
    ),
    StatementTriggers("ledger_trained_targets", "targets", "ledger_trained_targets_changed"),
)
FUNCTION_NAMES = (
    "ledger_rebuild(boolean)",
    "ledger_rebuild_trained(boolean)",
    "ledger_trained_targets_changed()",
    "ledger_training_classes_changed()",
    "ledger_class_attendees_changed()",
    "ledger_refresh_trained_periods(date[], date[])",
    "ledger_refresh_trained_members(integer[])",
    "ledger_refresh_trained(text, integer[], date[], date[])",
)


def upgrade() -> None:
    op.create_table(
        "ledger_trained_items",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "member_id", "period_start", "period_end", name=op.f("pk_ledger_trained_items")
        ),
    )
    op.create_table(
        "ledger_trained_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_trained_days")),
    )
    op.create_index(
        "ix_ledger_trained_days_period",
        "ledger_trained_days",
        ["period_start", "period_end", "day"],
        postgresql_include=["delta"],
    )
    execute_script(VIEWS)
    op.execute("ALTER FUNCTION ledger_rebuild(boolean) RENAME TO ledger_rebuild_0018")
    execute_script(FUNCTIONS)
    for triggers in TRIGGERS:
        triggers.create()
    op.execute("SELECT * FROM ledger_rebuild_trained(true)")


def downgrade() -> None:
    for triggers in TRIGGERS:
        triggers.drop()
    for function in FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION {function}")
    op.execute("ALTER FUNCTION ledger_rebuild_0018(boolean) RENAME TO ledger_rebuild")
    op.execute("DROP VIEW ledger_trained_items_now")
    op.drop_index("ix_ledger_trained_days_period", table_name="ledger_trained_days")
    op.drop_table("ledger_trained_days")
    op.drop_table("ledger_trained_items")
