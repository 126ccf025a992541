"""Throttling that cannot be bypassed (issue 17, medium 5), that keeps the
owner in at the usual address, that sees each client's address behind a
proxy (COOP_PROXY_HOPS), and an unknown username that costs a password check."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coop import clock, create_app
from coop.auth import passwords
from coop.auth.models import LoginAttempt
from coop.extensions import db
from tests.conftest import CoopClient, PASSWORD, _config

LOCKED = "登录失败次数过多"
OWNER = "10.0.0.1"


def _login(client, username: str, password: str = PASSWORD, addr: str = "127.0.0.1",
           headers: dict | None = None):
    return client.post("/login", data={"coop": "t1", "username": username, "password": password},
                       environ_base={"REMOTE_ADDR": addr}, headers=headers or {})


def _ok(resp) -> bool:
    return resp.status_code == 302


def _locked(resp) -> bool:
    return resp.status_code == 422 and LOCKED in resp.get_data(as_text=True)


def test_member_number_in_another_case_is_the_same_locked_account(client, portal_world):
    for _ in range(5):
        assert not _ok(_login(client, "CY0001", "wrong-guess"))
    assert _locked(_login(client, "cy0001"))
    assert _locked(_login(client, "Cy0001"))
    assert _locked(_login(client, "CY0001"))


def test_guesses_in_any_case_add_up(client, portal_world):
    for username in ("CY0001", "cy0001", "cY0001", "Cy0001", "CY0001"):
        assert not _ok(_login(client, username, "wrong-guess"))
    assert _locked(_login(client, "CY0001"))


def test_a_success_from_the_address_does_not_reset_its_count(app, client, auth, staff):
    """57 guesses interleaved with logins to one's own account never locked."""
    app.config["LOGIN_IP_FAILURE_LIMIT"] = 10
    for target in ("admin", "supervisor"):
        for _ in range(4):
            assert not _ok(_login(client, target, "wrong-guess"))
        assert _ok(_login(client, "accountant"))  # the guesser's own account
        auth.logout()
    for _ in range(2):
        assert not _ok(_login(client, "ghost", "wrong-guess"))
    assert _locked(_login(client, "accountant"))
    assert _locked(_login(client, "member"))


def test_the_owner_keeps_logging_in_from_the_usual_address(app, staff):
    def attempt(password: str, addr: str):
        return _login(app.test_client(), "admin", password, addr=addr)

    assert _ok(attempt(PASSWORD, OWNER))
    # five guesses from one address lock the account there, the right password too
    for _ in range(5):
        assert not _ok(attempt("wrong-guess", "198.51.100.7"))
    assert _locked(attempt(PASSWORD, "198.51.100.7"))
    assert _ok(attempt(PASSWORD, OWNER))
    # guesses spread over many addresses lock the account everywhere but at the owner's
    for n in range(1, 5):
        for _ in range(4):
            assert not _ok(attempt("wrong-guess", f"203.0.113.{n}"))
    assert _locked(attempt(PASSWORD, "203.0.113.99"))
    assert _ok(attempt(PASSWORD, OWNER))
    # ... and at the owner's address the owner's own five mistakes still lock
    for _ in range(5):
        attempt("wrong-guess", OWNER)
    assert _locked(attempt(PASSWORD, OWNER))


def test_the_account_lock_ends_with_the_window(app, staff, monkeypatch):
    for n in range(20):
        _login(app.test_client(), "admin", "wrong-guess", addr=f"203.0.113.{n}")
    assert _locked(_login(app.test_client(), "admin", addr="203.0.113.200"))
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=16))
    assert _ok(_login(app.test_client(), "admin", addr="203.0.113.200"))


def test_the_lock_lasts_until_enough_failures_have_left_the_window(app, client, staff,
                                                                  monkeypatch):
    real = clock.utcnow
    start = real()
    for minute in range(5):  # failures at minutes 0..4
        monkeypatch.setattr(clock, "utcnow", lambda m=minute: start + timedelta(minutes=m))
        _login(client, "admin", "wrong-guess")
    app.config["LOGIN_FAILURE_LIMIT"] = 3
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=6))
    # five failures, three lock: it lifts when the one of minute 2 leaves, at minute 17
    assert "请 11 分钟后再试" in _login(client, "admin").get_data(as_text=True)
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=17, seconds=1))
    assert _ok(_login(client, "admin"))


def test_an_unknown_username_locks_like_a_known_one(client, staff):
    for _ in range(5):
        _login(client, "ghost", "wrong-guess")
    assert _locked(_login(client, "ghost", "wrong-guess"))


def test_the_password_form_is_throttled(app, client, auth, staff):
    auth.login("accountant")
    for _ in range(5):
        resp = client.post("/password", data={"current": "wrong-guess", "new": "a-better-pass",
                                              "repeat": "a-better-pass"})
        assert resp.status_code == 422 and "当前密码不正确" in resp.get_data(as_text=True)
    resp = client.post("/password", data={"current": PASSWORD, "new": "a-better-pass",
                                          "repeat": "a-better-pass"})
    assert resp.status_code == 422 and LOCKED in resp.get_data(as_text=True)
    auth.logout()
    assert _locked(_login(client, "accountant"))  # the same guesses, the same lock
    with app.app_context():
        failures = db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.success.is_(False))).all()
        assert len(failures) == 5 and {a.user_id for a in failures} == {staff[1]["accountant"]}


def test_an_unknown_username_still_checks_a_password_hash(app, client, staff, monkeypatch):
    """No timing difference between unknown and known usernames: both check a
    hash of the configured method (a spy, not a stopwatch)."""
    checked = []
    real = passwords.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    assert "用户名或密码不正确" in _login(client, "ghost", "guess").get_data(as_text=True)
    assert _ok(_login(client, "admin"))
    method = app.config["PASSWORD_HASH_METHOD"]
    assert len(checked) == 2 and all(h.startswith(method + "$") for h in checked), checked


# -- behind a reverse proxy -----------------------------------------------------------


def _proxied_app(database_url, tmp_path, hops: int):
    app = create_app({**_config(database_url, tmp_path), "COOP_PROXY_HOPS": hops,
                      "LOGIN_IP_FAILURE_LIMIT": 3})
    app.test_client_class = CoopClient
    return app


def _forwarded(addr: str) -> dict:
    return {"X-Forwarded-For": addr}


def test_with_one_proxy_hop_each_forwarded_address_is_throttled_alone(app, database_url,
                                                                      tmp_path, staff):
    proxied = _proxied_app(database_url, tmp_path, 1)
    client = proxied.test_client()
    for name in ("a", "b", "c"):
        _login(client, name, "wrong-guess", headers=_forwarded("198.51.100.7"))
    assert _locked(_login(client, "admin", headers=_forwarded("198.51.100.7")))
    assert _ok(_login(client, "admin", headers=_forwarded("198.51.100.8")))
    with app.app_context():
        addresses = set(db.session.scalars(select(LoginAttempt.remote_addr)))
    assert addresses == {"198.51.100.7", "198.51.100.8"}


def test_without_proxy_hops_the_forwarded_address_is_ignored(app, database_url, tmp_path, staff):
    direct = _proxied_app(database_url, tmp_path, 0)
    client = direct.test_client()
    for name in ("a", "b", "c"):
        _login(client, name, "wrong-guess", headers=_forwarded("198.51.100.7"))
    assert _locked(_login(client, "admin", headers=_forwarded("198.51.100.8")))


def test_proxy_hops_from_the_environment(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("COOP_PROXY_HOPS", "2")
    assert create_app(_config(database_url, tmp_path)).config["COOP_PROXY_HOPS"] == 2
    monkeypatch.setenv("COOP_PROXY_HOPS", "two")
    with pytest.raises(RuntimeError, match="COOP_PROXY_HOPS"):
        create_app(_config(database_url, tmp_path))


# -- HTTPS ----------------------------------------------------------------------------


def test_with_https_every_cookie_is_secure_and_hsts_covers_subdomains(
        app, database_url, tmp_path, staff, monkeypatch):
    monkeypatch.setenv("COOP_HTTPS", "1")
    secure = create_app(_config(database_url, tmp_path))
    secure.test_client_class = CoopClient
    resp = _login(secure.test_client(), "admin")
    assert _ok(resp)
    cookies = {c.split("=", 1)[0]: c for c in resp.headers.getlist("Set-Cookie")}
    assert "; Secure" in cookies["coop_code"] and "; Secure" in cookies["coop_session"]
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_without_https_cookies_stay_usable_on_plain_http(client, staff):
    resp = _login(client, "admin")
    assert all("Secure" not in c for c in resp.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in resp.headers
