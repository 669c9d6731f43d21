"""Key contacts of an enterprise: the people the working groups meet."""
