"""Every route, every role: the status each one must get.

The tables live in tests/roles/<domain>.py; together they must name every
endpoint of the app, or ``test_tables_cover_every_route`` fails.
"""
import importlib
import pkgutil

import pytest

import tests.roles
from tests.roles import ROLES

MODULES = [importlib.import_module(f"tests.roles.{m.name}")
           for m in pkgutil.iter_modules(tests.roles.__path__)]
TABLE = {endpoint: (module, row) for module in MODULES for endpoint, row in module.ROLE_TABLE.items()}
PUBLIC = {"auth.login", "auth.logout", "static", "healthz", "favicon"}


def test_tables_cover_every_route(app):
    endpoints = set(app.view_functions) - PUBLIC
    assert endpoints - set(TABLE) == set(), "add the new routes to a table in tests/roles/"
    assert set(TABLE) - endpoints == set(), "the table names routes that do not exist"


def expected_status(method: str, expected: dict[str, int], role: str) -> int:
    """The overseer reads what the supervisor reads and writes nothing."""
    if role == "overseer" and role not in expected:
        return expected.get("supervisor", 403) if method == "GET" else 403
    return expected.get(role, 403)


@pytest.fixture
def world(app, load_once, make_staff, create_overseer):
    """``world(module, overseer)``: cooperative t1 with its staff (the
    ``staff`` fixture), the township's overseer when asked, and what the
    module's ``role_fixture`` makes; the values its urls use. Built once per
    worker for each module and copied in for the module's later tests; a
    fixture's ``app_config`` is set on each test's app."""
    def make(module, overseer: bool) -> dict:
        def roles_world() -> dict:
            _, values = make_staff()
            if overseer:
                values["area"] = create_overseer("t1")
            return {**values, **(module.role_fixture(app) if hasattr(module, "role_fixture") else {})}

        values = load_once(roles_world, module.__name__, overseer)
        app.config.update(values.get("app_config", {}))
        return values
    return make


@pytest.fixture
def login_as(client, auth):
    def login(role: str, values: dict) -> None:
        if role == "overseer":
            auth.login("overseer", coop=values["area"])
            assert client.get("/oversight/coops/t1").status_code == 302
        else:
            auth.login(role)
    return login


@pytest.mark.parametrize("endpoint", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(client, login_as, world, endpoint, role):
    module, (method, url, expected) = TABLE[endpoint]
    values = world(module, overseer=role == "overseer")
    url = url.format(**values)
    login_as(role, values)
    resp = client.get(url) if method == "GET" else client.post(url, data={})
    assert resp.status_code == expected_status(method, expected, role), (endpoint, role)


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_anonymous_gets_login_page(client, world, endpoint):
    module, (method, url, _) = TABLE[endpoint]
    url = url.format(**world(module, overseer=False))
    resp = client.get(url) if method == "GET" else client.post(url, data={})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
