"""The candidates attending a training class and their completion."""
