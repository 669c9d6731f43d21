"""The numbers the members' rules are written in besides the Charter's (app.party.charter)."""

# Ages are counted in full months and told in years and months.
MONTHS_PER_YEAR = 12
