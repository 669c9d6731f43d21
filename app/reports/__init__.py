"""Reports: the committee's overview figures and their downloads."""
