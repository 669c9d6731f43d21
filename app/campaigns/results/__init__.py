"""A campaign's results: the pipeline of enterprises and the summary on a date."""
