"""Targets (chỉ tiêu) and their attainment computed from dated events."""
