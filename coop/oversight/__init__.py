"""The township and county view (issue 20): an overseer reads every
cooperative of an area side by side, sees warnings and exports the annual
statistics; nothing here writes a cooperative's records."""
