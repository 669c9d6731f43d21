"""Candidates and party members, and their dated history."""
