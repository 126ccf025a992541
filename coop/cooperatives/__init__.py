"""The cooperative itself and its charter (章程)."""
