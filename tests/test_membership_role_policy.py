"""The roles of every membership route (issue 15), checked against the rule
rather than route by route: the secretary records; the accountant and the
supervisor read (the supervisor also writes the art 8 review, 第八条); a
member's login reaches none of them and reads only their own standing on
/me/membership. The statuses themselves are asserted by tests/test_roles.py
from the tables in tests/roles/."""
from __future__ import annotations

from tests.test_roles import TABLE

READERS = {"accountant", "supervisor"}
# the art 8 review is the supervisor's to write as well as the secretary's
REVIEWED_BY = {"membership.review": {"admin", "supervisor"}}


def _allowed(expected: dict[str, int]) -> set[str]:
    return {role for role, status in expected.items() if status != 403}


def test_every_membership_route_is_in_a_table(app):
    endpoints = {e for e in app.view_functions if e.startswith("membership.")}
    assert endpoints and endpoints <= set(TABLE)


def test_writes_are_the_secretarys_and_reads_are_every_staff_roles():
    for endpoint, (_module, (method, _url, expected)) in TABLE.items():
        if not endpoint.startswith("membership."):
            continue
        allowed = _allowed(expected)
        assert "member" not in allowed, endpoint
        if method == "POST":
            assert allowed <= REVIEWED_BY.get(endpoint, {"admin"}), endpoint
        else:
            assert "admin" in allowed, endpoint
            # the readers read alike; only the filing with full IDs is the secretary's
            assert READERS <= allowed or not (READERS & allowed), endpoint


def test_a_member_reads_only_their_own_standing():
    _module, (method, url, expected) = TABLE["portal.membership"]
    assert (method, url, _allowed(expected)) == ("GET", "/me/membership", {"member"})
