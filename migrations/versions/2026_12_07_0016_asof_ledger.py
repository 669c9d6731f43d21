"""as-of ledger: member states and target metrics kept as dated deltas by triggers

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 09:00:00

The ledger (app/models/ledger.py) is kept by the database in the same transaction as each change
of the records it counts, whoever makes it (the API, an import, psql). Views say what the
records count for now (`ledger_member_spans_now`, `ledger_metric_items_now`); statement-level
triggers recompute the contribution of the members and items a statement touched, append the
difference as dated deltas, and store the new contribution. `ledger_rebuild(apply)` recomputes
everything from the records, counts the differences and, when `apply`, replaces the ledger with
the recomputed one (folding the deltas to one row per key and day); this migration fills the
ledger with it.

The dossier's staleness (12 months, DOSSIER_STALE_MONTHS in app/party/charter.py) is written here
as this revision's rule; the property tests hold the ledger to the Python reference.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.migrations import execute_script

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = """
CREATE VIEW ledger_member_spans_now AS
SELECT s.member_id, x.state, x.from_day, s.to_day
FROM (
    SELECT member_id, status_after, occurred_on,
           lead(occurred_on) OVER (PARTITION BY member_id ORDER BY occurred_on) AS to_day
    FROM (
        SELECT DISTINCT ON (member_id, occurred_on) member_id, occurred_on, status_after
        FROM member_events
        ORDER BY member_id, occurred_on, id DESC
    ) AS last_of_day
) AS s
JOIN members AS m ON m.id = s.member_id
CROSS JOIN LATERAL (VALUES
    (s.status_after::text, s.occurred_on),
    ('dossier', CASE WHEN s.status_after = 'candidate' AND m.dossier_started_on IS NOT NULL
                     THEN greatest(s.occurred_on, m.dossier_started_on) END),
    ('dossier_stale', CASE WHEN s.status_after = 'candidate' AND m.dossier_started_on IS NOT NULL
                           THEN greatest(s.occurred_on,
                                         (m.dossier_started_on + interval '12 months')::date + 1)
                      END)
) AS x (state, from_day)
WHERE x.state IN ('official', 'probationary', 'candidate', 'dossier', 'dossier_stale')
  AND x.from_day IS NOT NULL
  AND (s.to_day IS NULL OR x.from_day < s.to_day);

CREATE VIEW ledger_enterprise_spans_now AS
SELECT enterprise_id, zone_id, ownership, from_day, to_day, workers
FROM (
    SELECT e.id AS enterprise_id, e.zone_id, e.ownership, d.day AS from_day,
           lead(d.day) OVER (PARTITION BY e.id ORDER BY d.day) AS to_day,
           lifecycle.kind, coalesce(workforce.workers_count, 0) AS workers
    FROM enterprises AS e
    CROSS JOIN LATERAL (
        SELECT e.registered_on AS day
        UNION
        SELECT occurred_on FROM enterprise_events
        WHERE enterprise_id = e.id AND occurred_on > e.registered_on
    ) AS d
    LEFT JOIN LATERAL (
        SELECT kind FROM enterprise_events
        WHERE enterprise_id = e.id AND occurred_on <= d.day
          AND kind IN ('registered', 'closed', 'reopened')
        ORDER BY occurred_on DESC, id DESC LIMIT 1
    ) AS lifecycle ON true
    LEFT JOIN LATERAL (
        SELECT workers_count FROM enterprise_events
        WHERE enterprise_id = e.id AND occurred_on <= d.day
          AND kind IN ('registered', 'workforce_reported')
        ORDER BY occurred_on DESC, id DESC LIMIT 1
    ) AS workforce ON true
) AS steps
WHERE kind <> 'closed';

CREATE VIEW ledger_event_items_now AS
SELECT CASE e.kind WHEN 'admitted' THEN 'members_admitted' ELSE 'members_recognized' END
           AS metric,
       e.id AS item_id, k.scope, k.scope_key, e.occurred_on AS day
FROM member_events AS e
LEFT JOIN organizations AS o ON o.id = e.organization_id
CROSS JOIN LATERAL (VALUES
    ('committee', 0), ('organization', e.organization_id), ('organization', o.parent_id)
) AS k (scope, scope_key)
WHERE e.kind IN ('admitted', 'recognized') AND k.scope_key IS NOT NULL;

CREATE VIEW ledger_organization_items_now AS
SELECT 'organizations_established' AS metric, o.id AS item_id, k.scope, k.scope_key,
       o.established_on AS day
FROM organizations AS o
CROSS JOIN LATERAL (VALUES
    ('committee', 0), ('organization', o.id), ('organization', o.parent_id),
    ('campaign', o.campaign_id)
) AS k (scope, scope_key)
WHERE o.kind IN ('grassroots_committee', 'grassroots_cell') AND k.scope_key IS NOT NULL;

CREATE VIEW ledger_zone_items_now AS
SELECT 'industrial_zones_established' AS metric, z.id AS item_id, 'committee' AS scope,
       0 AS scope_key, z.established_on AS day
FROM industrial_zones AS z
WHERE z.established_on IS NOT NULL;

CREATE VIEW ledger_metric_items_now AS
SELECT metric, item_id::bigint, scope, scope_key, day FROM ledger_event_items_now
UNION ALL
SELECT metric, item_id, scope, scope_key, day FROM ledger_organization_items_now
UNION ALL
SELECT metric, item_id, scope, scope_key, day FROM ledger_zone_items_now;
"""

FUNCTIONS = """
CREATE FUNCTION ledger_refresh_members(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    -- Changes of one member's records are serialized on the member's row, so each statement
    -- below sees the other transactions' changes to these members committed, or none of them.
    PERFORM 1 FROM members WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    WITH old AS (
        DELETE FROM ledger_member_spans WHERE member_id = ANY (ids)
        RETURNING state, from_day, to_day
    ), fresh AS (
        SELECT state, from_day, to_day FROM ledger_member_spans_now WHERE member_id = ANY (ids)
    ), changes (state, day, delta) AS (
        SELECT state, from_day, 1 FROM fresh
        UNION ALL SELECT state, to_day, -1 FROM fresh WHERE to_day IS NOT NULL
        UNION ALL SELECT state, from_day, -1 FROM old
        UNION ALL SELECT state, to_day, 1 FROM old WHERE to_day IS NOT NULL
    )
    INSERT INTO ledger_member_days (state, day, delta)
    SELECT state, day, sum(delta) FROM changes GROUP BY state, day HAVING sum(delta) <> 0;
    INSERT INTO ledger_member_spans (member_id, state, from_day, to_day)
    SELECT member_id, state, from_day, to_day FROM ledger_member_spans_now
    WHERE member_id = ANY (ids);
END
$$;

CREATE FUNCTION ledger_refresh_enterprises(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM enterprises WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    WITH old AS (
        DELETE FROM ledger_enterprise_spans WHERE enterprise_id = ANY (ids)
        RETURNING zone_id, ownership, from_day, to_day, workers
    ), fresh AS (
        SELECT zone_id, ownership, from_day, to_day, workers FROM ledger_enterprise_spans_now
        WHERE enterprise_id = ANY (ids)
    ), changes (zone_id, ownership, day, open, workers) AS (
        SELECT zone_id, ownership, from_day, 1, workers FROM fresh
        UNION ALL SELECT zone_id, ownership, to_day, -1, -workers FROM fresh
                  WHERE to_day IS NOT NULL
        UNION ALL SELECT zone_id, ownership, from_day, -1, -workers FROM old
        UNION ALL SELECT zone_id, ownership, to_day, 1, workers FROM old WHERE to_day IS NOT NULL
    )
    INSERT INTO ledger_enterprise_days (zone_id, ownership, day, open_delta, workers_delta)
    SELECT zone_id, ownership, day, sum(open), sum(workers) FROM changes
    GROUP BY zone_id, ownership, day HAVING sum(open) <> 0 OR sum(workers) <> 0;
    INSERT INTO ledger_enterprise_spans
        (enterprise_id, from_day, zone_id, ownership, to_day, workers)
    SELECT enterprise_id, from_day, zone_id, ownership, to_day, workers
    FROM ledger_enterprise_spans_now WHERE enterprise_id = ANY (ids);
END
$$;

CREATE FUNCTION ledger_enterprise_events_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT enterprise_id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT enterprise_id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT enterprise_id) INTO touched
        FROM (SELECT enterprise_id FROM old_rows
              UNION ALL SELECT enterprise_id FROM new_rows) AS changed;
    END IF;
    PERFORM ledger_refresh_enterprises(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_enterprises_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSE  -- a new enterprise counts from its registration event, which its own trigger adds
        SELECT array_agg(n.id) INTO touched
        FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
        WHERE (n.zone_id, n.ownership, n.registered_on)
              IS DISTINCT FROM (o.zone_id, o.ownership, o.registered_on);
    END IF;
    PERFORM ledger_refresh_enterprises(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_refresh_items(source regclass, which text, ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    -- `source` is the items' own view (ledger_*_items_now), whose item_id has its table's
    -- type: the filter on it is then an index lookup.
    EXECUTE format($sql$
        WITH old AS (
            DELETE FROM ledger_metric_items WHERE metric = $1 AND item_id = ANY ($2)
            RETURNING scope, scope_key, day
        ), fresh AS (
            SELECT scope, scope_key, day FROM %s WHERE metric = $1 AND item_id = ANY ($2)
        ), changes (scope, scope_key, day, delta) AS (
            SELECT scope, scope_key, day, 1 FROM fresh
            UNION ALL SELECT scope, scope_key, day, -1 FROM old
        )
        INSERT INTO ledger_metric_days (metric, scope, scope_key, day, delta)
        SELECT $1, scope, scope_key, day, sum(delta) FROM changes
        GROUP BY scope, scope_key, day HAVING sum(delta) <> 0
    $sql$, source) USING which, ids;
    EXECUTE format($sql$
        INSERT INTO ledger_metric_items (metric, item_id, scope, scope_key, day)
        SELECT metric, item_id, scope, scope_key, day FROM %s
        WHERE metric = $1 AND item_id = ANY ($2)
    $sql$, source) USING which, ids;
END
$$;

CREATE FUNCTION ledger_member_events_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
    items bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT member_id),
               array_agg(id) FILTER (WHERE kind IN ('admitted', 'recognized'))
        INTO touched, items FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT member_id),
               array_agg(id) FILTER (WHERE kind IN ('admitted', 'recognized'))
        INTO touched, items FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT member_id),
               array_agg(DISTINCT id) FILTER (WHERE kind IN ('admitted', 'recognized'))
        INTO touched, items
        FROM (SELECT id, member_id, kind FROM old_rows
              UNION ALL SELECT id, member_id, kind FROM new_rows) AS changed;
    END IF;
    PERFORM ledger_refresh_members(touched);
    PERFORM ledger_refresh_items('ledger_event_items_now', 'members_admitted', items);
    PERFORM ledger_refresh_items('ledger_event_items_now', 'members_recognized', items);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_members_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    SELECT array_agg(n.id) INTO touched
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.dossier_started_on IS DISTINCT FROM o.dossier_started_on;
    PERFORM ledger_refresh_members(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_organizations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
    moved integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(n.id),
               array_agg(n.id) FILTER (WHERE n.parent_id IS DISTINCT FROM o.parent_id)
        INTO touched, moved
        FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id;
    END IF;
    PERFORM ledger_refresh_items('ledger_organization_items_now', 'organizations_established',
                                 touched);
    IF moved IS NOT NULL THEN  -- the member events counted for the old parent now count for the new
        touched := ARRAY(SELECT id FROM member_events
                         WHERE organization_id = ANY (moved) AND kind IN ('admitted', 'recognized'));
        PERFORM ledger_refresh_items('ledger_event_items_now', 'members_admitted', touched);
        PERFORM ledger_refresh_items('ledger_event_items_now', 'members_recognized', touched);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_industrial_zones_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(id) INTO touched FROM new_rows;
    END IF;
    PERFORM ledger_refresh_items('ledger_zone_items_now', 'industrial_zones_established',
                                 touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    -- Writers wait (their triggers would write to the ledger being replaced); readers go on
    -- reading the ledger as it was until this transaction ends.
    LOCK TABLE members, member_events, organizations, industrial_zones, enterprises,
        enterprise_events IN SHARE MODE;
    LOCK TABLE ledger_member_spans, ledger_member_days, ledger_metric_items, ledger_metric_days,
        ledger_enterprise_spans, ledger_enterprise_days IN EXCLUSIVE MODE;
    DROP TABLE IF EXISTS fresh_spans, fresh_member_days, fresh_items, fresh_metric_days,
        fresh_enterprise_spans, fresh_enterprise_days;
    CREATE TEMPORARY TABLE fresh_spans ON COMMIT DROP AS SELECT * FROM ledger_member_spans_now;
    CREATE TEMPORARY TABLE fresh_member_days ON COMMIT DROP AS
        SELECT state, day, sum(delta)::integer AS delta
        FROM (SELECT state, from_day AS day, 1 AS delta FROM fresh_spans
              UNION ALL
              SELECT state, to_day, -1 FROM fresh_spans WHERE to_day IS NOT NULL) AS steps
        GROUP BY state, day HAVING sum(delta) <> 0;
    CREATE TEMPORARY TABLE fresh_items ON COMMIT DROP AS SELECT * FROM ledger_metric_items_now;
    CREATE TEMPORARY TABLE fresh_metric_days ON COMMIT DROP AS
        SELECT metric, scope, scope_key, day, count(*)::integer AS delta
        FROM fresh_items GROUP BY metric, scope, scope_key, day;
    CREATE TEMPORARY TABLE fresh_enterprise_spans ON COMMIT DROP AS
        SELECT * FROM ledger_enterprise_spans_now;
    CREATE TEMPORARY TABLE fresh_enterprise_days ON COMMIT DROP AS
        SELECT zone_id, ownership, day, sum(open)::integer AS open_delta,
               sum(workers)::integer AS workers_delta
        FROM (SELECT zone_id, ownership, from_day AS day, 1 AS open, workers
              FROM fresh_enterprise_spans
              UNION ALL
              SELECT zone_id, ownership, to_day, -1, -workers FROM fresh_enterprise_spans
              WHERE to_day IS NOT NULL) AS steps
        GROUP BY zone_id, ownership, day HAVING sum(open) <> 0 OR sum(workers) <> 0;

    RETURN QUERY
    SELECT 'member_states', (SELECT count(*) FROM fresh_spans), count(*)
    FROM fresh_member_days AS f
    FULL JOIN (SELECT state, day, sum(delta) AS delta FROM ledger_member_days
               GROUP BY state, day HAVING sum(delta) <> 0) AS s USING (state, day)
    WHERE f.delta IS DISTINCT FROM s.delta;
    RETURN QUERY
    SELECT 'metric_items', (SELECT count(*) FROM fresh_items), count(*)
    FROM fresh_metric_days AS f
    FULL JOIN (SELECT metric, scope, scope_key, day, sum(delta) AS delta FROM ledger_metric_days
               GROUP BY metric, scope, scope_key, day HAVING sum(delta) <> 0) AS s
        USING (metric, scope, scope_key, day)
    WHERE f.delta IS DISTINCT FROM s.delta;
    RETURN QUERY
    SELECT 'open_enterprises', (SELECT count(*) FROM fresh_enterprise_spans), count(*)
    FROM fresh_enterprise_days AS f
    FULL JOIN (SELECT zone_id, ownership, day, sum(open_delta) AS open_delta,
                      sum(workers_delta) AS workers_delta
               FROM ledger_enterprise_days GROUP BY zone_id, ownership, day
               HAVING sum(open_delta) <> 0 OR sum(workers_delta) <> 0) AS s
        USING (zone_id, ownership, day)
    WHERE (f.open_delta, f.workers_delta) IS DISTINCT FROM (s.open_delta, s.workers_delta);

    IF apply THEN
        DELETE FROM ledger_member_spans;
        DELETE FROM ledger_member_days;
        DELETE FROM ledger_metric_items;
        DELETE FROM ledger_metric_days;
        DELETE FROM ledger_enterprise_spans;
        DELETE FROM ledger_enterprise_days;
        INSERT INTO ledger_member_spans (member_id, state, from_day, to_day)
        SELECT member_id, state, from_day, to_day FROM fresh_spans;
        INSERT INTO ledger_member_days (state, day, delta)
        SELECT state, day, delta FROM fresh_member_days ORDER BY day, state;
        INSERT INTO ledger_metric_items (metric, item_id, scope, scope_key, day)
        SELECT metric, item_id, scope, scope_key, day FROM fresh_items;
        INSERT INTO ledger_metric_days (metric, scope, scope_key, day, delta)
        SELECT metric, scope, scope_key, day, delta FROM fresh_metric_days
        ORDER BY metric, scope, scope_key, day;
        INSERT INTO ledger_enterprise_spans
            (enterprise_id, from_day, zone_id, ownership, to_day, workers)
        SELECT enterprise_id, from_day, zone_id, ownership, to_day, workers
        FROM fresh_enterprise_spans;
        INSERT INTO ledger_enterprise_days (zone_id, ownership, day, open_delta, workers_delta)
        SELECT zone_id, ownership, day, open_delta, workers_delta FROM fresh_enterprise_days
        ORDER BY day, zone_id, ownership;
    END IF;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER ledger_enterprise_events_inserted AFTER INSERT ON enterprise_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_enterprise_events_changed();
CREATE TRIGGER ledger_enterprise_events_updated AFTER UPDATE ON enterprise_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_enterprise_events_changed();
CREATE TRIGGER ledger_enterprise_events_deleted AFTER DELETE ON enterprise_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_enterprise_events_changed();
CREATE TRIGGER ledger_enterprises_updated AFTER UPDATE ON enterprises
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_enterprises_changed();
CREATE TRIGGER ledger_enterprises_deleted AFTER DELETE ON enterprises
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_enterprises_changed();
CREATE TRIGGER ledger_member_events_inserted AFTER INSERT ON member_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_member_events_changed();
CREATE TRIGGER ledger_member_events_updated AFTER UPDATE ON member_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_member_events_changed();
CREATE TRIGGER ledger_member_events_deleted AFTER DELETE ON member_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_member_events_changed();
CREATE TRIGGER ledger_members_updated AFTER UPDATE ON members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_members_changed();
CREATE TRIGGER ledger_organizations_inserted AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_organizations_changed();
CREATE TRIGGER ledger_organizations_updated AFTER UPDATE ON organizations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_organizations_changed();
CREATE TRIGGER ledger_organizations_deleted AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_organizations_changed();
CREATE TRIGGER ledger_industrial_zones_inserted AFTER INSERT ON industrial_zones
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_industrial_zones_changed();
CREATE TRIGGER ledger_industrial_zones_updated AFTER UPDATE ON industrial_zones
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_industrial_zones_changed();
CREATE TRIGGER ledger_industrial_zones_deleted AFTER DELETE ON industrial_zones
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_industrial_zones_changed();
"""

TRIGGER_NAMES = {
    "enterprise_events": ("inserted", "updated", "deleted"),
    "enterprises": ("updated", "deleted"),
    "member_events": ("inserted", "updated", "deleted"),
    "members": ("updated",),
    "organizations": ("inserted", "updated", "deleted"),
    "industrial_zones": ("inserted", "updated", "deleted"),
}
FUNCTION_NAMES = (
    "ledger_rebuild(boolean)",
    "ledger_industrial_zones_changed()",
    "ledger_organizations_changed()",
    "ledger_members_changed()",
    "ledger_member_events_changed()",
    "ledger_refresh_items(regclass, text, bigint[])",
    "ledger_refresh_members(integer[])",
    "ledger_enterprises_changed()",
    "ledger_enterprise_events_changed()",
    "ledger_refresh_enterprises(integer[])",
)


def upgrade() -> None:
    op.create_table(
        "ledger_member_spans",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint(
            "member_id", "state", "from_day", name=op.f("pk_ledger_member_spans")
        ),
    )
    op.create_table(
        "ledger_member_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_member_days")),
    )
    op.create_index(
        "ix_ledger_member_days_day",
        "ledger_member_days",
        ["day", "state"],
        postgresql_include=["delta"],
    )
    op.create_table(
        "ledger_metric_items",
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("scope_key", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "metric", "item_id", "scope", "scope_key", name=op.f("pk_ledger_metric_items")
        ),
    )
    op.create_table(
        "ledger_metric_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("scope_key", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_metric_days")),
    )
    op.create_index(
        "ix_ledger_metric_days_key",
        "ledger_metric_days",
        ["metric", "scope", "scope_key", "day"],
        postgresql_include=["delta"],
    )
    op.create_index(
        "ix_ledger_metric_days_window",
        "ledger_metric_days",
        ["metric", "scope", "day"],
        postgresql_include=["scope_key", "delta"],
    )
    op.create_table(
        "ledger_enterprise_spans",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=True),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "enterprise_id", "from_day", name=op.f("pk_ledger_enterprise_spans")
        ),
    )
    op.create_table(
        "ledger_enterprise_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("open_delta", sa.Integer(), nullable=False),
        sa.Column("workers_delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_enterprise_days")),
    )
    op.create_index(
        "ix_ledger_enterprise_days_day",
        "ledger_enterprise_days",
        ["day"],
        postgresql_include=["zone_id", "ownership", "open_delta", "workers_delta"],
    )
    op.create_index(
        "ix_targets_quotas",
        "targets",
        ["metric", "period_start", "period_end"],
        postgresql_where=sa.text("scope = 'organization'"),
    )
    execute_script(VIEWS)
    execute_script(FUNCTIONS)
    execute_script(TRIGGERS)
    op.execute("SELECT * FROM ledger_rebuild(true)")


def downgrade() -> None:
    for table, events in TRIGGER_NAMES.items():
        for event in events:
            op.execute(f"DROP TRIGGER ledger_{table}_{event} ON {table}")
    for function in FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION {function}")
    for view in ("metric", "zone", "organization", "event"):
        op.execute(f"DROP VIEW ledger_{view}_items_now")
    op.execute("DROP VIEW ledger_enterprise_spans_now")
    op.execute("DROP VIEW ledger_member_spans_now")
    op.drop_index("ix_targets_quotas", table_name="targets")
    op.drop_index("ix_ledger_enterprise_days_day", table_name="ledger_enterprise_days")
    op.drop_table("ledger_enterprise_days")
    op.drop_table("ledger_enterprise_spans")
    op.drop_index("ix_ledger_metric_days_window", table_name="ledger_metric_days")
    op.drop_index("ix_ledger_metric_days_key", table_name="ledger_metric_days")
    op.drop_table("ledger_metric_days")
    op.drop_table("ledger_metric_items")
    op.drop_index("ix_ledger_member_days_day", table_name="ledger_member_days")
    op.drop_table("ledger_member_days")
    op.drop_table("ledger_member_spans")
