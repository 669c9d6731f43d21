"""Party organizations."""
