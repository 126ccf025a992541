"""Role table of the foundation's routes (see tests/test_roles.py)."""
from tests.roles import ROLES, STAFF

ROLE_TABLE = {
    "cooperatives.dashboard": ("GET", "/", {**{r: 200 for r in STAFF}, "member": 302}),
    "cooperatives.charter": ("GET", "/charter", {r: 200 for r in STAFF}),
    # an empty form has no version of the charter (409)
    "cooperatives.charter_validate": ("POST", "/charter/validate", {"admin": 409}),
    "cooperatives.charter_save": ("POST", "/charter", {"admin": 409}),
    "auth.users": ("GET", "/users", {"admin": 200}),
    "auth.user_create": ("POST", "/users", {"admin": 422}),
    "auth.user_reset_password": ("POST", "/users/{accountant}/reset-password", {"admin": 200}),
    # no reason given
    "auth.user_set_enabled": ("POST", "/users/{supervisor}/enabled", {"admin": 422}),
    "audit.index": ("GET", "/audit/", {"admin": 200, "supervisor": 200}),
    "portal.home": ("GET", "/me/", {"member": 200}),
    "auth.change_password": ("GET", "/password", {r: 200 for r in ROLES}),
}
