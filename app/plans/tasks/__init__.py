"""A plan's tasks and their progress notes (rules, queries and bodies: app/plans)."""
