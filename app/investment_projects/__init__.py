"""Investment projects of the enterprises (dự án đầu tư), at /investment-projects."""
