"""Users, roles, login and the access rules every route declares."""
