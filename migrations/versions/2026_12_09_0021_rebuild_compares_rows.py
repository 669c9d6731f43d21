"""as-of ledger: the rebuild compares the kept spans and items too, not only the day sums

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-09 18:00:00

`ledger_rebuild` compared each ledger's sums per key and day with the records' and nothing else.
Its spans and items are read too (a member's official span by the campaign pipeline, an
enterprise's open span by the lists as of a date) and are what the triggers' next deltas are
computed from: a kept span that is wrong where the day sums are right (two members' spans
exchanged, a completion's previous day wrong for two members at once) went unreported. Now each
ledger's count of differences also counts the rows of its kept spans or items that the
recomputed ones do not have, and the recomputed rows the kept ones lack (the quota roll-ups
keep sums only).

With `apply`, the comparison runs first, then `ledger_fill()` replaces the ledger, recomputing
it (0020's rebuild: the quota roll-ups are recomputed from the repaired metric days, in its
order), and the day sums reported are that pass's, as before: a repair takes a check's time
and a fill's. `ledger_fill()` alone (a ledger known to be empty,
as bench.national's copies leave it) recomputes and replaces without comparing the rows.
"""

from collections.abc import Sequence

from alembic import op

from app.core.migrations import execute_script

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = """
CREATE FUNCTION ledger_row_differences(kept text, fresh text, columns text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    found bigint;
BEGIN
    EXECUTE format(
        'SELECT count(*) FROM ((SELECT %1$s FROM %2$I EXCEPT ALL SELECT %1$s FROM %3$I)'
        ' UNION ALL (SELECT %1$s FROM %3$I EXCEPT ALL SELECT %1$s FROM %2$I)) AS d',
        columns, kept, fresh)
    INTO found;
    RETURN found;
END
$$;

CREATE FUNCTION ledger_fill()
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE sql AS $$
    SELECT * FROM ledger_rebuild_0020(true)
$$;

CREATE FUNCTION ledger_kept_rows_differing(ledger_name text) RETURNS bigint LANGUAGE sql AS $$
    -- A ledger's kept spans or items against the fresh_ table 0020's rebuild has just
    -- recomputed them into (the quota roll-ups keep sums only).
    SELECT CASE ledger_name
        WHEN 'member_states' THEN ledger_row_differences(
            'ledger_member_spans', 'fresh_spans', 'member_id, state, from_day, to_day')
        WHEN 'metric_items' THEN ledger_row_differences(
            'ledger_metric_items', 'fresh_items', 'metric, item_id, scope, scope_key, day')
        WHEN 'open_enterprises' THEN ledger_row_differences(
            'ledger_enterprise_spans', 'fresh_enterprise_spans',
            'enterprise_id, from_day, zone_id, ownership, to_day, workers')
        WHEN 'organizations' THEN ledger_row_differences(
            'ledger_organization_spans', 'fresh_organization_spans',
            'key_id, counted, from_day, ownership, to_day')
        WHEN 'investment_projects' THEN ledger_row_differences(
            'ledger_project_spans', 'fresh_project_spans',
            'project_id, is_fdi, capital, licensed_on, terminated_on')
        WHEN 'candidates_trained' THEN ledger_row_differences(
            'ledger_trained_items', 'fresh_trained_items',
            'member_id, period_start, period_end, day')
        WHEN 'completions' THEN ledger_row_differences(
            'ledger_completions', 'fresh_completions', 'member_id, day, previous_day')
        ELSE 0
    END
$$;

CREATE FUNCTION ledger_rebuild(apply boolean)
RETURNS TABLE (ledger text, rows_counted bigint, differences bigint) LANGUAGE plpgsql AS $$
DECLARE
    found record;
    kept_rows jsonb := '{}';  -- per ledger, its kept rows that differ
BEGIN
    -- 0020's rebuild takes every lock, recomputes each ledger into its fresh_ tables (kept
    -- until the transaction ends) and compares the day sums; the rows are compared here.
    FOR found IN SELECT * FROM ledger_rebuild_0020(false) LOOP
        kept_rows := kept_rows
            || jsonb_build_object(found.ledger, ledger_kept_rows_differing(found.ledger));
        IF NOT apply THEN
            ledger := found.ledger;
            rows_counted := found.rows_counted;
            differences := found.differences + (kept_rows ->> found.ledger)::bigint;
            RETURN NEXT;
        END IF;
    END LOOP;
    IF apply THEN
        -- The repair's own day sums: it recomputes the quota roll-ups from the metric days it
        -- has just repaired, where the check above read the kept ones.
        FOR found IN SELECT * FROM ledger_fill() LOOP
            ledger := found.ledger;
            rows_counted := found.rows_counted;
            differences := found.differences + (kept_rows ->> found.ledger)::bigint;
            RETURN NEXT;
        END LOOP;
    END IF;
END
$$
"""


def upgrade() -> None:
    op.execute("ALTER FUNCTION ledger_rebuild(boolean) RENAME TO ledger_rebuild_0020")
    execute_script(FUNCTIONS)


def downgrade() -> None:
    op.execute("DROP FUNCTION ledger_rebuild(boolean)")
    op.execute("DROP FUNCTION ledger_fill()")
    op.execute("DROP FUNCTION ledger_kept_rows_differing(text)")
    op.execute("DROP FUNCTION ledger_row_differences(text, text, text)")
    op.execute("ALTER FUNCTION ledger_rebuild_0020(boolean) RENAME TO ledger_rebuild")
