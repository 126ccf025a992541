"""Sessions can be revoked (issue 17, medium 4): a copy of a session cookie
("replayed" in another client) stops working at logout, password change,
password reset and account disabling; a login starts a fresh session with a
new CSRF token."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coop.auth.models import User
from coop.extensions import db
from tests.conftest import CSRF_RE, PASSWORD

COOKIE = "coop_session"
SLIP_PASSWORD = re.compile(r'<dd class="password-slip">([a-z0-9]+)</dd>')


def _logged_in(app, username: str, password: str = PASSWORD):
    client = app.test_client()
    resp = client.post("/login", data={"coop": "t1", "username": username,
                                       "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return client


def _replay(app, source):
    """Another client holding a copy of ``source``'s session cookie."""
    copy = app.test_client()
    copy.set_cookie(COOKIE, source.get_cookie(COOKIE).value)
    return copy


def _locked_out(client, path: str = "/") -> bool:
    resp = client.get(path)
    return resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_copied_cookie_works_until_logout_then_not(app, staff):
    owner = _logged_in(app, "accountant")
    copy = _replay(app, owner)
    assert copy.get("/").status_code == 200  # the replay is a live session before logout
    assert owner.post("/logout").status_code == 302
    assert _locked_out(copy)
    assert _locked_out(owner)


def test_a_replayed_htmx_request_gets_401_after_logout(app, staff):
    owner = _logged_in(app, "accountant")
    copy = _replay(app, owner)
    owner.post("/logout")
    resp = copy.get("/members/", headers={"HX-Request": "true"})
    assert resp.status_code == 401 and resp.headers["HX-Redirect"] == "/login"


def test_password_change_ends_other_sessions_and_keeps_this_one(app, staff):
    owner = _logged_in(app, "accountant")
    other_device = _logged_in(app, "accountant")
    copy = _replay(app, owner)
    resp = owner.post("/password", data={"current": PASSWORD, "new": "a-better-pass",
                                         "repeat": "a-better-pass"})
    assert resp.status_code == 302
    assert owner.get("/").status_code == 200
    assert _locked_out(copy)
    assert _locked_out(other_device)
    assert _logged_in(app, "accountant", "a-better-pass").get("/").status_code == 200


def test_password_reset_by_the_secretary_ends_the_sessions(app, staff):
    victim = _logged_in(app, "accountant")
    copy = _replay(app, victim)
    admin = _logged_in(app, "admin")
    assert admin.post(f"/users/{staff[1]['accountant']}/reset-password").status_code == 200
    assert _locked_out(victim)
    assert _locked_out(copy)
    assert admin.get("/").status_code == 200


def test_disabling_an_account_ends_its_sessions(app, staff):
    victim = _logged_in(app, "accountant")
    copy = _replay(app, victim)
    admin = _logged_in(app, "admin")
    resp = admin.post(f"/users/{staff[1]['accountant']}/enabled", data={"enabled": "0", "reason": "调离岗位"})
    assert resp.status_code == 200
    assert _locked_out(victim)
    assert _locked_out(copy)
    # enabled again, the old sessions stay ended: only a new login works
    admin.post(f"/users/{staff[1]['accountant']}/enabled", data={"enabled": "1", "reason": "回到岗位"})
    assert _locked_out(copy)
    assert _logged_in(app, "accountant").get("/").status_code == 200


def test_a_disabled_account_is_logged_out_even_with_its_current_token(app, staff):
    victim = _logged_in(app, "accountant")
    with app.app_context():
        db.session.get(User, staff[1]["accountant"]).is_enabled = False
        db.session.commit()
    assert _locked_out(victim)


def test_a_session_with_only_the_user_id_is_refused(app, staff):
    """Sessions made before session tokens (or forged with the key) carry the
    bare id: they no longer log anyone in."""
    client = _logged_in(app, "accountant")
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(client.get_cookie(COOKIE).value)
    assert data["_user_id"].startswith(f"{staff[1]['accountant']}:")
    data["_user_id"] = str(staff[1]["accountant"])
    client.set_cookie(COOKIE, serializer.dumps(data))
    assert _locked_out(client)
    data["_user_id"] = "9" * 30 + ":x"
    client.set_cookie(COOKIE, serializer.dumps(data))
    assert _locked_out(client)


def test_login_starts_a_new_session_and_csrf_token(app, staff):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(html)
    old_token = match.group(1) or match.group(2)
    serializer = app.session_interface.get_signing_serializer(app)
    before = serializer.loads(client.get_cookie(COOKIE).value)
    resp = client.post("/login", data={"coop": "t1", "username": "admin",
                                       "password": PASSWORD, "csrf_token": old_token}, csrf=False)
    assert resp.status_code == 302
    after = serializer.loads(client.get_cookie(COOKIE).value)
    assert "csrf_token" not in after or after["csrf_token"] != before["csrf_token"]
    # the token of the page before login is refused; the new session's works
    form = {"username": "kj2", "display_name": "会计二", "role": "accountant"}
    resp = client.post("/users", data={**form, "csrf_token": old_token}, csrf=False)
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
    assert client.post("/users", data=form).status_code == 200


def test_a_cookie_from_before_a_new_login_stays_valid_only_until_logout(app, staff):
    """Logging in again (another device) does not end other sessions; logging out does."""
    first = _logged_in(app, "accountant")
    second = _logged_in(app, "accountant")
    assert first.get("/").status_code == 200 and second.get("/").status_code == 200
    second.post("/logout")
    assert _locked_out(first)


# -- members' logins (the portal) use the same sessions ----------------------------


def test_member_session_replay_after_logout(app, portal_world):
    member = _logged_in(app, "CY0001")
    copy = _replay(app, member)
    assert copy.get("/me/").status_code == 200
    member.post("/logout")
    assert _locked_out(copy, "/me/")


def test_member_session_replay_after_password_change(app, portal_world):
    member = _logged_in(app, "cy0001")
    copy = _replay(app, member)
    resp = member.post("/password", data={"current": PASSWORD, "new": "my-own-pass-2026",
                                          "repeat": "my-own-pass-2026"})
    assert resp.status_code == 302
    assert member.get("/me/").status_code == 200
    assert _locked_out(copy, "/me/")


def test_member_session_replay_after_the_secretary_resets_the_login(app, portal_world):
    member = _logged_in(app, "CY0001")
    copy = _replay(app, member)
    admin = _logged_in(app, "admin")
    text = admin.post(f"/member-logins/{portal_world.members['CY0001']}").get_data(as_text=True)
    password = SLIP_PASSWORD.search(text).group(1)
    assert _locked_out(member, "/me/")
    assert _locked_out(copy, "/me/")
    _logged_in(app, "CY0001", password)  # the slip's password logs in (and must be changed)


@pytest.mark.parametrize("event", ["logout", "reset"])
def test_the_session_token_changes(app, client, auth, staff, event):
    with app.app_context():
        before = db.session.scalar(select(User.session_token).where(User.username == "admin"))
    auth.login("admin")
    if event == "logout":
        auth.logout()
    else:
        client.post(f"/users/{staff[1]['admin']}/reset-password")
    with app.app_context():
        after = db.session.scalar(select(User.session_token).where(User.username == "admin"))
    assert after != before and len(after) >= 40
