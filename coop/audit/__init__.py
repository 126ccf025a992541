"""The audit log: who created, changed or reversed which record, and how."""
