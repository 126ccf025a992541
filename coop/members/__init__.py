"""Members (成员) and households (户)."""
