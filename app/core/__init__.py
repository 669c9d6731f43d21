"""Shared platform pieces every domain router sits on."""
