"""/attainment: the attainment of every target in force, computed by app.targets."""
