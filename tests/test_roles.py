"""Every route, every role: the status each one must get.

The table must name every endpoint of the app; a new route without a row
here fails ``test_table_covers_every_route``.
"""
import pytest

STAFF = ("admin", "accountant", "supervisor")
ROLES = ("admin", "accountant", "supervisor", "member")

# endpoint: (method, url, {role: expected status}) - roles not named get 403.
TABLE = {
    "cooperatives.dashboard": ("GET", "/", {**{r: 200 for r in STAFF}, "member": 302}),
    "cooperatives.charter": ("GET", "/charter", {r: 200 for r in STAFF}),
    "cooperatives.charter_validate": ("POST", "/charter/validate", {"admin": 422}),
    "cooperatives.charter_save": ("POST", "/charter", {"admin": 422}),
    "auth.users": ("GET", "/users", {"admin": 200}),
    "auth.user_create": ("POST", "/users", {"admin": 422}),
    "auth.user_reset_password": ("POST", "/users/{accountant}/reset-password", {"admin": 200}),
    "auth.user_set_enabled": ("POST", "/users/{supervisor}/enabled", {"admin": 200}),
    "audit.index": ("GET", "/audit/", {"admin": 200, "supervisor": 200}),
    "portal.home": ("GET", "/me/", {"member": 200}),
    "auth.change_password": ("GET", "/password", {r: 200 for r in ROLES}),
}
PUBLIC = {"auth.login", "auth.logout", "static"}


def test_table_covers_every_route(app):
    endpoints = set(app.view_functions) - PUBLIC
    assert endpoints == set(TABLE), "add the new route to TABLE"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(client, auth, staff, endpoint, role):
    method, url, expected = TABLE[endpoint]
    url = url.format(**staff[1])
    auth.login(role)
    resp = client.open(url, method=method, data={} if method == "POST" else None) \
        if method == "GET" else client.post(url, data={})
    assert resp.status_code == expected.get(role, 403), (endpoint, role)


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_anonymous_gets_login_page(client, staff, endpoint):
    method, url, _ = TABLE[endpoint]
    url = url.format(**staff[1])
    resp = client.get(url) if method == "GET" else client.post(url, data={})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
