"""Financial disclosure to the members (财务公开)."""
