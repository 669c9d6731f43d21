"""A campaign's activities: what the working group did at each enterprise."""
