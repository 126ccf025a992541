"""Membership confirmation (成员身份确认) and the filed member roster (成员名册)."""
