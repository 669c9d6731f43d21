"""The audit trail read back: every change and login for admins, a record's history for editors."""
