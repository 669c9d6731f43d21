"""Campaigns: the outreach working groups (đoàn công tác), their activities and results."""
