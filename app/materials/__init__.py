"""The outreach materials library (issue 15)."""
