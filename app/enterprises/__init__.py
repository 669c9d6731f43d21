"""Enterprises in the zones, their key contacts and their investment projects."""
