"""Authentication: tokens, the current user and role checks."""
