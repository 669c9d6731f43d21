"""Industrial zones."""
