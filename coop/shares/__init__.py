"""Share structure: contributions, the append-only share register, certificates."""
