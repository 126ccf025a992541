"""Role tables, one module per domain, gathered by tests/test_roles.py.

Each module defines ``ROLE_TABLE``: endpoint -> (method, url, {role: status}).
Roles not named must get 403. The url may use ``{admin}``, ``{accountant}``,
``{supervisor}``, ``{member}`` (user ids of the ``staff`` fixture) and any key
that the module's optional ``role_fixture(app)`` returns (ids of records it
creates in cooperative t1, e.g. ``{member_id}``).
"""
STAFF = ("admin", "accountant", "supervisor")
ROLES = ("admin", "accountant", "supervisor", "member")
