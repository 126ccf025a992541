"""Role tables, one module per domain, gathered by tests/test_roles.py.

Each module defines ``ROLE_TABLE``: endpoint -> (method, url, {role: status}).
Roles not named must get 403. The overseer (a township official reading
cooperative t1 of their area) needs no column of its own: on a GET they get
what the supervisor gets, and 403 on everything else, unless a row names
``overseer``. The url may use ``{admin}``, ``{accountant}``,
``{supervisor}``, ``{member}`` (user ids of the ``staff`` fixture) and any key
that the module's optional ``role_fixture(app)`` returns (ids of records it
creates in cooperative t1, e.g. ``{member_id}``). The fixture runs once per
worker and its rows are copied in for the later tests (tests/db_snapshots.py),
so it changes nothing but the database: settings the app needs go in the
``app_config`` it returns, set on each test's app.
"""
STAFF = ("admin", "accountant", "supervisor")
ROLES = ("admin", "accountant", "supervisor", "member", "overseer")
