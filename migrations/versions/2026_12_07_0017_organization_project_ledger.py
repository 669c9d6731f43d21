"""as-of ledger: active organizations, covered enterprises and investment projects

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:00:00

Revision 0016's ledger counted members, target metrics and open enterprises; the overview still
counted its organizations and investment projects from the records, reading every one of them
for each report (issue 12). This revision keeps those counts the same way, in the same
transaction as each change:

- `ledger_organization_spans`: an organization counted by its kind from its establishment until
  its dissolution, with its enterprise's ownership (an organization's figures by ownership
  follow its enterprise's current ownership, as the records' count does); and an enterprise
  covered while at least one organization of it is active (the organizations' active spans
  merged). `ledger_organization_days` holds their dated deltas.
- `ledger_project_spans`: a project as counted: new on its licence day, active (with its
  capital) from then until its termination. `ledger_project_days` holds the dated deltas.

Changes concerning one enterprise's organizations (an organization's, or its enterprise's
ownership) take turns on a transaction-level advisory lock of that enterprise, keyed by this
ledger's table: the spans of its organizations and its coverage are then recomputed from what
the others committed. A project's changes are serialized by its own row.

`ledger_rebuild` (0016) now takes every lock first and runs the three rebuilds: 0016's, renamed
`ledger_rebuild_0016`, and this revision's two.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.migrations import StatementTriggers, execute_script

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = """
CREATE VIEW ledger_organization_spans_now AS
SELECT o.id AS key_id, o.kind::text AS counted, o.established_on AS from_day,
       coalesce(e.ownership, '')::text AS ownership, o.dissolved_on AS to_day
FROM organizations AS o
LEFT JOIN enterprises AS e ON e.id = o.enterprise_id
WHERE o.dissolved_on IS NULL OR o.dissolved_on > o.established_on;

CREATE VIEW ledger_coverage_spans_now AS
SELECT enterprise_id AS key_id, 'enterprises_covered'::text AS counted, min(from_day) AS from_day,
       ''::text AS ownership,
       CASE WHEN bool_or(to_day IS NULL) THEN NULL ELSE max(to_day) END AS to_day
FROM (
    -- Gaps and islands: an active span starts a new island when it begins after every earlier
    -- one (by start, then end, then id: one total order for both windows) has ended; an
    -- island is one covered span.
    SELECT enterprise_id, from_day, to_day,
           sum(starts::integer) OVER (PARTITION BY enterprise_id
                                      ORDER BY from_day, to_day NULLS LAST, id
                                      ROWS UNBOUNDED PRECEDING) AS island
    FROM (
        SELECT id, enterprise_id, established_on AS from_day, dissolved_on AS to_day,
               established_on > coalesce(
                   max(coalesce(dissolved_on, 'infinity'::date))
                       OVER (PARTITION BY enterprise_id
                             ORDER BY established_on, dissolved_on NULLS LAST, id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                   '-infinity'::date) AS starts
        FROM organizations
        WHERE enterprise_id IS NOT NULL
          AND (dissolved_on IS NULL OR dissolved_on > established_on)
    ) AS active
) AS islands
GROUP BY enterprise_id, island;

CREATE VIEW ledger_project_spans_now AS
SELECT id AS project_id, is_fdi, registered_capital_usd::numeric AS capital, licensed_on,
       terminated_on
FROM investment_projects
"""

FUNCTIONS = """
CREATE FUNCTION ledger_refresh_organizations(organization_ids integer[], enterprise_ids integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(organization_ids), 0) + coalesce(cardinality(enterprise_ids), 0) = 0
    THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock('ledger_organization_spans'::regclass::oid::integer, id)
    FROM (SELECT DISTINCT unnest(enterprise_ids) AS id ORDER BY 1) AS enterprise;
    -- With the locks held, the enterprises' organizations (some committed meanwhile) too.
    organization_ids := ARRAY(
        SELECT unnest(organization_ids)
        UNION SELECT id FROM organizations WHERE enterprise_id = ANY (enterprise_ids)
    );
    WITH old AS (
        DELETE FROM ledger_organization_spans
        WHERE (key_id = ANY (organization_ids) AND counted <> 'enterprises_covered')
           OR (key_id = ANY (enterprise_ids) AND counted = 'enterprises_covered')
        RETURNING counted, ownership, from_day, to_day
    ), fresh AS (
        SELECT counted, ownership, from_day, to_day FROM ledger_organization_spans_now
        WHERE key_id = ANY (organization_ids)
        UNION ALL
        SELECT counted, ownership, from_day, to_day FROM ledger_coverage_spans_now
        WHERE key_id = ANY (enterprise_ids)
    ), changes (counted, ownership, day, delta) AS (
        SELECT counted, ownership, from_day, 1 FROM fresh
        UNION ALL SELECT counted, ownership, to_day, -1 FROM fresh WHERE to_day IS NOT NULL
        UNION ALL SELECT counted, ownership, from_day, -1 FROM old
        UNION ALL SELECT counted, ownership, to_day, 1 FROM old WHERE to_day IS NOT NULL
    )
    INSERT INTO ledger_organization_days (counted, ownership, day, delta)
    SELECT counted, ownership, day, sum(delta) FROM changes
    GROUP BY counted, ownership, day HAVING sum(delta) <> 0;
    INSERT INTO ledger_organization_spans (key_id, counted, from_day, ownership, to_day)
    SELECT key_id, counted, from_day, ownership, to_day FROM ledger_organization_spans_now
    WHERE key_id = ANY (organization_ids)
    UNION ALL
    SELECT key_id, counted, from_day, ownership, to_day FROM ledger_coverage_spans_now
    WHERE key_id = ANY (enterprise_ids);
END
$$;

CREATE FUNCTION ledger_organization_spans_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    organization_ids integer[];
    enterprise_ids integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id), array_agg(DISTINCT enterprise_id)
        INTO organization_ids, enterprise_ids FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id), array_agg(DISTINCT enterprise_id)
        INTO organization_ids, enterprise_ids FROM old_rows;
    ELSE  -- the organizations whose counted fields (or id) changed, as they were and are
        SELECT array_agg(DISTINCT x.id) FILTER (WHERE x.id IS NOT NULL),
               array_agg(DISTINCT x.enterprise_id)
        INTO organization_ids, enterprise_ids
        FROM old_rows AS o
        FULL JOIN new_rows AS n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.id, o.enterprise_id), (n.id, n.enterprise_id))
            AS x (id, enterprise_id)
        WHERE (n.kind, n.enterprise_id, n.established_on, n.dissolved_on)
              IS DISTINCT FROM (o.kind, o.enterprise_id, o.established_on, o.dissolved_on);
    END IF;
    PERFORM ledger_refresh_organizations(
        organization_ids, array_remove(enterprise_ids, NULL)
    );
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_enterprise_ownership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    enterprise_ids integer[];
BEGIN
    SELECT array_agg(n.id) INTO enterprise_ids
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE n.ownership IS DISTINCT FROM o.ownership;
    PERFORM ledger_refresh_organizations(NULL, enterprise_ids);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_refresh_projects(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;
    WITH old AS (
        DELETE FROM ledger_project_spans WHERE project_id = ANY (ids)
        RETURNING is_fdi, capital, licensed_on, terminated_on, -1 AS sign
    ), fresh AS (
        SELECT is_fdi, capital, licensed_on, terminated_on, 1 AS sign
        FROM ledger_project_spans_now WHERE project_id = ANY (ids)
    ), changes (is_fdi, day, licensed, licensed_capital, active, capital) AS (
        SELECT s.is_fdi, x.day, s.sign * x.licensed, s.sign * x.licensed_capital,
               s.sign * x.active, s.sign * x.capital
        FROM (SELECT * FROM fresh UNION ALL SELECT * FROM old) AS s
        CROSS JOIN LATERAL ledger_project_steps(s.capital, s.licensed_on, s.terminated_on) AS x
    )
    INSERT INTO ledger_project_days
        (is_fdi, day, licensed, licensed_capital, active_delta, capital_delta)
    SELECT is_fdi, day, sum(licensed), sum(licensed_capital), sum(active), sum(capital)
    FROM changes GROUP BY is_fdi, day
    HAVING (sum(licensed), sum(licensed_capital), sum(active), sum(capital)) <> (0, 0, 0, 0);
    INSERT INTO ledger_project_spans (project_id, is_fdi, capital, licensed_on, terminated_on)
    SELECT project_id, is_fdi, capital, licensed_on, terminated_on FROM ledger_project_spans_now
    WHERE project_id = ANY (ids);
END
$$;

CREATE FUNCTION ledger_investment_projects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSE  -- the projects whose counted fields (or id) changed, as they were and are
        SELECT array_agg(DISTINCT x.id) FILTER (WHERE x.id IS NOT NULL) INTO touched
        FROM old_rows AS o
        FULL JOIN new_rows AS n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.id), (n.id)) AS x (id)
        WHERE (n.is_fdi, n.registered_capital_usd, n.licensed_on, n.terminated_on)
              IS DISTINCT FROM
              (o.is_fdi, o.registered_capital_usd, o.licensed_on, o.terminated_on);
    END IF;
    PERFORM ledger_refresh_projects(touched);
    RETURN NULL;
END
$$;

CREATE FUNCTION ledger_rebuild_organizations(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS fresh_organization_spans, fresh_organization_days;
    CREATE TEMPORARY TABLE fresh_organization_spans ON COMMIT DROP AS
        SELECT key_id, counted, from_day, ownership, to_day FROM ledger_organization_spans_now
        UNION ALL
        SELECT key_id, counted, from_day, ownership, to_day FROM ledger_coverage_spans_now;
    CREATE TEMPORARY TABLE fresh_organization_days ON COMMIT DROP AS
        SELECT counted, ownership, day, sum(delta)::integer AS delta
        FROM (SELECT counted, ownership, from_day AS day, 1 AS delta
              FROM fresh_organization_spans
              UNION ALL
              SELECT counted, ownership, to_day, -1 FROM fresh_organization_spans
              WHERE to_day IS NOT NULL) AS steps
        GROUP BY counted, ownership, day HAVING sum(delta) <> 0;

    RETURN QUERY
    SELECT 'organizations', (SELECT count(*) FROM fresh_organization_spans), count(*)
    FROM fresh_organization_days AS f
    FULL JOIN (SELECT counted, ownership, day, sum(delta) AS delta
               FROM ledger_organization_days GROUP BY counted, ownership, day
               HAVING sum(delta) <> 0) AS s USING (counted, ownership, day)
    WHERE f.delta IS DISTINCT FROM s.delta;

    IF apply THEN
        DELETE FROM ledger_organization_spans;
        DELETE FROM ledger_organization_days;
        INSERT INTO ledger_organization_spans (key_id, counted, from_day, ownership, to_day)
        SELECT key_id, counted, from_day, ownership, to_day FROM fresh_organization_spans;
        INSERT INTO ledger_organization_days (counted, ownership, day, delta)
        SELECT counted, ownership, day, delta FROM fresh_organization_days
        ORDER BY day, counted, ownership;
    END IF;
END
$$;

CREATE FUNCTION ledger_rebuild_projects(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS fresh_project_spans, fresh_project_days;
    CREATE TEMPORARY TABLE fresh_project_spans ON COMMIT DROP AS
        SELECT * FROM ledger_project_spans_now;
    CREATE TEMPORARY TABLE fresh_project_days ON COMMIT DROP AS
        SELECT s.is_fdi, x.day, sum(x.licensed)::integer AS licensed,
               sum(x.licensed_capital) AS licensed_capital, sum(x.active)::integer AS active,
               sum(x.capital) AS capital
        FROM fresh_project_spans AS s
        CROSS JOIN LATERAL ledger_project_steps(s.capital, s.licensed_on, s.terminated_on) AS x
        GROUP BY s.is_fdi, x.day
        HAVING (sum(x.licensed), sum(x.licensed_capital), sum(x.active), sum(x.capital))
               <> (0, 0, 0, 0);

    RETURN QUERY
    SELECT 'investment_projects', (SELECT count(*) FROM fresh_project_spans), count(*)
    FROM fresh_project_days AS f
    FULL JOIN (SELECT is_fdi, day, sum(licensed) AS licensed,
                      sum(licensed_capital) AS licensed_capital, sum(active_delta) AS active,
                      sum(capital_delta) AS capital
               FROM ledger_project_days GROUP BY is_fdi, day
               HAVING (sum(licensed), sum(licensed_capital), sum(active_delta),
                       sum(capital_delta)) <> (0, 0, 0, 0)) AS s USING (is_fdi, day)
    WHERE (f.licensed, f.licensed_capital, f.active, f.capital)
          IS DISTINCT FROM (s.licensed, s.licensed_capital, s.active, s.capital);

    IF apply THEN
        DELETE FROM ledger_project_spans;
        DELETE FROM ledger_project_days;
        INSERT INTO ledger_project_spans (project_id, is_fdi, capital, licensed_on, terminated_on)
        SELECT project_id, is_fdi, capital, licensed_on, terminated_on FROM fresh_project_spans;
        INSERT INTO ledger_project_days
            (is_fdi, day, licensed, licensed_capital, active_delta, capital_delta)
        SELECT is_fdi, day, licensed, licensed_capital, active, capital FROM fresh_project_days
        ORDER BY day, is_fdi;
    END IF;
END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
BEGIN
    -- Every lock first, in one order: writers wait (their triggers would write to the ledger
    -- being replaced); readers go on reading the ledger as it was until this transaction ends.
    LOCK TABLE members, member_events, organizations, industrial_zones, enterprises,
        enterprise_events, investment_projects IN SHARE MODE;
    LOCK TABLE ledger_member_spans, ledger_member_days, ledger_metric_items, ledger_metric_days,
        ledger_enterprise_spans, ledger_enterprise_days, ledger_organization_spans,
        ledger_organization_days, ledger_project_spans, ledger_project_days IN EXCLUSIVE MODE;
    RETURN QUERY SELECT * FROM ledger_rebuild_0016(apply);
    RETURN QUERY SELECT * FROM ledger_rebuild_organizations(apply);
    RETURN QUERY SELECT * FROM ledger_rebuild_projects(apply);
END
$$
"""

# A project's steps: new (with its capital) and active from its licence day; no longer active
# from its termination (on its licence day when terminated by then: never active).
STEPS = """
CREATE FUNCTION ledger_project_steps(numeric, date, date)
RETURNS TABLE (day date, licensed integer, licensed_capital numeric, active integer,
               capital numeric)
LANGUAGE sql IMMUTABLE AS $$
    -- ($1, $2, $3): the project's capital, licence day and termination day
    SELECT $2, 1, $1, 1, $1
    UNION ALL
    SELECT greatest($3, $2), 0, 0, -1, -$1
    WHERE $3 IS NOT NULL
$$
"""

# 0016's organization and zone triggers joined a statement's old and new rows by id: a row
# whose id changed kept its old items. They now refresh every id the statement saw. (A
# downgrade keeps these bodies: they use 0016's objects only.)
FIXES = """
CREATE OR REPLACE FUNCTION ledger_organizations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
    moved integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT id) INTO touched
        FROM (SELECT id FROM old_rows UNION ALL SELECT id FROM new_rows) AS changed;
        SELECT array_agg(n.id) INTO moved
        FROM new_rows AS n LEFT JOIN old_rows AS o ON o.id = n.id
        WHERE n.parent_id IS DISTINCT FROM o.parent_id;
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

CREATE OR REPLACE FUNCTION ledger_industrial_zones_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(id) INTO touched FROM old_rows;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO touched FROM new_rows;
    ELSE
        SELECT array_agg(DISTINCT id) INTO touched
        FROM (SELECT id FROM old_rows UNION ALL SELECT id FROM new_rows) AS changed;
    END IF;
    PERFORM ledger_refresh_items('ledger_zone_items_now', 'industrial_zones_established',
                                 touched);
    RETURN NULL;
END
$$
"""

TRIGGERS = (
    StatementTriggers(
        "ledger_organization_spans", "organizations", "ledger_organization_spans_changed"
    ),
    StatementTriggers(
        "ledger_enterprise_ownership",
        "enterprises",
        "ledger_enterprise_ownership_changed",
        ("UPDATE",),
    ),
    StatementTriggers(
        "ledger_investment_projects", "investment_projects", "ledger_investment_projects_changed"
    ),
)
FUNCTION_NAMES = (
    "ledger_rebuild(boolean)",
    "ledger_rebuild_projects(boolean)",
    "ledger_rebuild_organizations(boolean)",
    "ledger_investment_projects_changed()",
    "ledger_refresh_projects(integer[])",
    "ledger_project_steps(numeric, date, date)",
    "ledger_enterprise_ownership_changed()",
    "ledger_organization_spans_changed()",
    "ledger_refresh_organizations(integer[], integer[])",
)


def upgrade() -> None:
    op.create_table(
        "ledger_organization_spans",
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("counted", sa.String(length=32), nullable=False),
        sa.Column("from_day", sa.Date(), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("to_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint(
            "key_id", "counted", "from_day", name=op.f("pk_ledger_organization_spans")
        ),
    )
    op.create_table(
        "ledger_organization_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("counted", sa.String(length=32), nullable=False),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_organization_days")),
    )
    op.create_index(
        "ix_ledger_organization_days_day",
        "ledger_organization_days",
        ["day"],
        postgresql_include=["counted", "ownership", "delta"],
    )
    op.create_table(
        "ledger_project_spans",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("is_fdi", sa.Boolean(), nullable=False),
        sa.Column("capital", sa.Numeric(), nullable=False),
        sa.Column("licensed_on", sa.Date(), nullable=False),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_ledger_project_spans")),
    )
    op.create_table(
        "ledger_project_days",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("is_fdi", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("licensed", sa.Integer(), nullable=False),
        sa.Column("licensed_capital", sa.Numeric(), nullable=False),
        sa.Column("active_delta", sa.Integer(), nullable=False),
        sa.Column("capital_delta", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_project_days")),
    )
    op.create_index(
        "ix_ledger_project_days_day",
        "ledger_project_days",
        ["day"],
        postgresql_include=[
            "is_fdi",
            "licensed",
            "licensed_capital",
            "active_delta",
            "capital_delta",
        ],
    )
    execute_script(VIEWS)
    execute_script(STEPS)
    op.execute("ALTER FUNCTION ledger_rebuild(boolean) RENAME TO ledger_rebuild_0016")
    execute_script(FUNCTIONS)
    for triggers in TRIGGERS:
        triggers.create()
    execute_script(FIXES)
    op.execute("SELECT * FROM ledger_rebuild_organizations(true)")
    op.execute("SELECT * FROM ledger_rebuild_projects(true)")


def downgrade() -> None:
    for triggers in TRIGGERS:
        triggers.drop()
    for function in FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION {function}")
    op.execute("ALTER FUNCTION ledger_rebuild_0016(boolean) RENAME TO ledger_rebuild")
    for view in ("project", "coverage", "organization"):
        op.execute(f"DROP VIEW ledger_{view}_spans_now")
    op.drop_index("ix_ledger_project_days_day", table_name="ledger_project_days")
    op.drop_table("ledger_project_days")
    op.drop_table("ledger_project_spans")
    op.drop_index("ix_ledger_organization_days_day", table_name="ledger_organization_days")
    op.drop_table("ledger_organization_days")
    op.drop_table("ledger_organization_spans")
