"""A campaign's visit calendar (issue 15)."""
