"""What every domain shares about the Party: the Charter's numbers and who was what on a date."""
