"""Governance: the meetings that make the cooperative's binding decisions,
checked against the law of its regime."""
