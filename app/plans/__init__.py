"""Plans and tasks (issue 15)."""
