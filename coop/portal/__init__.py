"""Members' own pages (phone first)."""
