"""as-of ledger: the organization quotas under committee targets, rolled up as dated deltas

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:00:00

A committee target's attainment rolls up the organization quotas of its metric and period:
their number, their allotted values and the sum of their actuals. From the ledger's daily
counts that was still one join of every quota with its organization's days (127 ms for the
committee target with the most quotas at 1,000 times the demo, 95,000 quotas; issue 12).
`ledger_quota_days` keeps the roll-up itself per (metric, period) as deltas: rows without a day
for the quotas' number and values, rows on the period's days for their actuals. Two triggers
keep it in the transaction of each change:

- on `targets`: a quota added, removed or changed adds (or takes back) its allotment and its
  organization's daily counts in its period, read from `ledger_metric_days`;
- on `ledger_metric_days` (itself kept by 0016's triggers): new deltas of an organization add
  to every quota of that organization whose period holds their day.

Both take turns on a transaction advisory lock per organization, keyed by this ledger's table,
so a quota and its organization's items changing at once are each counted once. The metric
ledger's own rebuild (which rewrites `ledger_metric_days`) skips the second trigger; this
ledger's rebuild then recomputes it from the rebuilt deltas.

The targets' list orders (by period, by name) get their indexes: the attainment list's first
page read every target in force to sort them (50 ms at 4,000 times the demo, 392,000 targets).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.migrations import StatementTriggers, execute_script

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = """
CREATE TYPE ledger_quota AS (
    metric text, period_start date, period_end date, organization_id integer, allotted integer,
    sign integer
);

CREATE FUNCTION ledger_writer_check() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- These deltas are added from what the other transactions committed, read after the
    -- organization's lock: a snapshot taken before it (REPEATABLE READ, SERIALIZABLE) would
    -- miss them silently. Such a writer is refused instead.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'quotas and counted records are written at READ COMMITTED only'
            USING ERRCODE = 'feature_not_supported';
    END IF;
END
$$;

CREATE FUNCTION ledger_apply_quotas(changed ledger_quota[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(changed), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM ledger_writer_check();
    PERFORM pg_advisory_xact_lock('ledger_quota_days'::regclass::oid::integer, key)
    FROM (SELECT DISTINCT organization_id AS key FROM unnest(changed) ORDER BY 1) AS organization;
    INSERT INTO ledger_quota_days
        (metric, period_start, period_end, day, quotas_delta, allocated_delta, actual_delta)
    SELECT metric, period_start, period_end, day, sum(quotas), sum(allocated), sum(actual)
    FROM (
        SELECT c.metric, c.period_start, c.period_end, NULL::date AS day, c.sign AS quotas,
               c.sign * c.allotted AS allocated, 0 AS actual
        FROM unnest(changed) AS c
        UNION ALL
        SELECT c.metric, c.period_start, c.period_end, m.day, 0, 0, c.sign * m.delta
        FROM unnest(changed) AS c
        JOIN ledger_metric_days AS m
          ON m.metric = c.metric AND m.scope = 'organization' AND m.scope_key = c.organization_id
         AND m.day BETWEEN c.period_start AND c.period_end
    ) AS steps
    GROUP BY metric, period_start, period_end, day
    HAVING (sum(quotas), sum(allocated), sum(actual)) <> (0, 0, 0);
END
$$;

CREATE FUNCTION ledger_quotas_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed ledger_quota[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY(
            SELECT ROW(metric, period_start, period_end, organization_id,
                       coalesce(value, min_value, 0), 1)::ledger_quota
            FROM new_rows WHERE scope = 'organization');
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(
            SELECT ROW(metric, period_start, period_end, organization_id,
                       coalesce(value, min_value, 0), -1)::ledger_quota
            FROM old_rows WHERE scope = 'organization');
    ELSE  -- the quotas whose roll-up (or id) changed: taken back as they were, added as they are
        changed := ARRAY(
            SELECT x.quota
            FROM old_rows AS o
            FULL JOIN new_rows AS n ON n.id = o.id
            CROSS JOIN LATERAL (VALUES
                (o.scope, ROW(o.metric, o.period_start, o.period_end, o.organization_id,
                              coalesce(o.value, o.min_value, 0), -1)::ledger_quota),
                (n.scope, ROW(n.metric, n.period_start, n.period_end, n.organization_id,
                              coalesce(n.value, n.min_value, 0), 1)::ledger_quota)
            ) AS x (scope, quota)
            WHERE x.scope = 'organization'
              AND (n.scope, n.metric, n.period_start, n.period_end, n.organization_id,
                   coalesce(n.value, n.min_value, 0))
                  IS DISTINCT FROM
                  (o.scope, o.metric, o.period_start, o.period_end, o.organization_id,
                   coalesce(o.value, o.min_value, 0)));
    END IF;
    PERFORM ledger_apply_quotas(changed);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_quota_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('kcn.ledger_rebuild', true) = 'on' THEN
        RETURN NULL;  -- ledger_rebuild recomputes this ledger after the metric ledger's
    END IF;
    IF NOT EXISTS (SELECT FROM new_rows WHERE scope = 'organization') THEN
        RETURN NULL;
    END IF;
    PERFORM ledger_writer_check();
    PERFORM pg_advisory_xact_lock('ledger_quota_days'::regclass::oid::integer, key)
    FROM (SELECT DISTINCT scope_key AS key FROM new_rows WHERE scope = 'organization'
          ORDER BY 1) AS organization;
    INSERT INTO ledger_quota_days
        (metric, period_start, period_end, day, quotas_delta, allocated_delta, actual_delta)
    SELECT n.metric, q.period_start, q.period_end, n.day, 0, 0, sum(n.delta)
    FROM new_rows AS n
    JOIN targets AS q
      ON q.scope = 'organization' AND q.organization_id = n.scope_key AND q.metric = n.metric
     AND n.day BETWEEN q.period_start AND q.period_end
    WHERE n.scope = 'organization'
    GROUP BY n.metric, q.period_start, q.period_end, n.day
    HAVING sum(n.delta) <> 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_rebuild_quotas(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS fresh_quota_days;
    CREATE TEMPORARY TABLE fresh_quota_days ON COMMIT DROP AS
        SELECT metric, period_start, period_end, day, sum(quotas)::integer AS quotas_delta,
               sum(allocated)::bigint AS allocated_delta, sum(actual)::integer AS actual_delta
        FROM (
            SELECT q.metric, q.period_start, q.period_end, NULL::date AS day, 1 AS quotas,
                   coalesce(q.value, q.min_value, 0) AS allocated, 0 AS actual
            FROM targets AS q WHERE q.scope = 'organization'
            UNION ALL
            SELECT q.metric, q.period_start, q.period_end, m.day, 0, 0, m.delta
            FROM targets AS q
            JOIN ledger_metric_days AS m
              ON m.metric = q.metric AND m.scope = 'organization'
             AND m.scope_key = q.organization_id
             AND m.day BETWEEN q.period_start AND q.period_end
            WHERE q.scope = 'organization'
        ) AS steps
        GROUP BY metric, period_start, period_end, day
        HAVING (sum(quotas), sum(allocated), sum(actual)) <> (0, 0, 0);

    RETURN QUERY
    SELECT 'quota_rollups',
           (SELECT count(*) FROM targets WHERE scope = 'organization'), count(*)
    FROM (SELECT metric, period_start, period_end, coalesce(day, '-infinity') AS day_key,
                 quotas_delta, allocated_delta, actual_delta
          FROM fresh_quota_days) AS f
    FULL JOIN (SELECT metric, period_start, period_end, coalesce(day, '-infinity') AS day_key,
                      sum(quotas_delta) AS quotas_delta, sum(allocated_delta) AS allocated_delta,
                      sum(actual_delta) AS actual_delta
               FROM ledger_quota_days GROUP BY metric, period_start, period_end, day
               HAVING (sum(quotas_delta), sum(allocated_delta), sum(actual_delta))
                      <> (0, 0, 0)) AS s
        USING (metric, period_start, period_end, day_key)
    WHERE (f.quotas_delta, f.allocated_delta, f.actual_delta)
          IS DISTINCT FROM (s.quotas_delta, s.allocated_delta, s.actual_delta);

    IF apply THEN
        DELETE FROM ledger_quota_days;
        INSERT INTO ledger_quota_days
            (metric, period_start, period_end, day, quotas_delta, allocated_delta, actual_delta)
        SELECT metric, period_start, period_end, day, quotas_delta, allocated_delta,
               actual_delta
        FROM fresh_quota_days ORDER BY metric, period_start, period_end, day;
    END IF;
END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    -- Every lock first, in one order (0017's, with the targets and this ledger).
    LOCK TABLE members, member_events, organizations, industrial_zones, enterprises,
        enterprise_events, investment_projects, targets IN SHARE MODE;
    LOCK TABLE ledger_member_spans, ledger_member_days, ledger_metric_items, ledger_metric_days,
        ledger_enterprise_spans, ledger_enterprise_days, ledger_organization_spans,
        ledger_organization_days, ledger_project_spans, ledger_project_days, ledger_quota_days
        IN EXCLUSIVE MODE;
    PERFORM set_config('kcn.ledger_rebuild', 'on', true);
    RETURN QUERY SELECT * FROM ledger_rebuild_0017(apply);
    PERFORM set_config('kcn.ledger_rebuild', 'off', true);
    RETURN QUERY SELECT * FROM ledger_rebuild_quotas(apply);
END
$$
"""

TRIGGERS = (
    StatementTriggers("ledger_quotas", "targets", "ledger_quotas_changed"),
    StatementTriggers(
        "ledger_quota_items", "ledger_metric_days", "ledger_quota_items_changed", ("INSERT",)
    ),
)
FUNCTION_NAMES = (
    "ledger_rebuild(boolean)",
    "ledger_rebuild_quotas(boolean)",
    "ledger_quota_items_changed()",
    "ledger_quotas_changed()",
    "ledger_apply_quotas(ledger_quota[])",
    "ledger_writer_check()",
)


def upgrade() -> None:
    op.create_table(
        "ledger_quota_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("quotas_delta", sa.Integer(), nullable=False),
        sa.Column("allocated_delta", sa.BigInteger(), nullable=False),
        sa.Column("actual_delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_quota_days")),
    )
    op.create_index(
        "ix_ledger_quota_days_group",
        "ledger_quota_days",
        ["metric", "period_start", "period_end", "day"],
        postgresql_include=["quotas_delta", "allocated_delta", "actual_delta"],
    )
    op.create_index("ix_targets_period_start_id", "targets", ["period_start", "id"])
    op.create_index("ix_targets_name_id", "targets", ["name", "id"])
    op.execute("ALTER FUNCTION ledger_rebuild(boolean) RENAME TO ledger_rebuild_0017")
    execute_script(FUNCTIONS)
    for triggers in TRIGGERS:
        triggers.create()
    op.execute("SELECT * FROM ledger_rebuild_quotas(true)")


def downgrade() -> None:
    for triggers in TRIGGERS:
        triggers.drop()
    for function in FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION {function}")
    op.execute("DROP TYPE ledger_quota")
    op.execute("ALTER FUNCTION ledger_rebuild_0017(boolean) RENAME TO ledger_rebuild")
    op.drop_index("ix_targets_name_id", table_name="targets")
    op.drop_index("ix_targets_period_start_id", table_name="targets")
    op.drop_index("ix_ledger_quota_days_group", table_name="ledger_quota_days")
    op.drop_table("ledger_quota_days")
