import re
from datetime import timedelta

from sqlalchemy import select

from coop.auth.models import LoginAttempt, User
from coop.extensions import db
from tests.conftest import PASSWORD


def test_login_page_lists_cooperative(client, create_coop):
    create_coop("t1", name="第一合作社")
    html = client.get("/login").get_data(as_text=True)
    assert "第一合作社" in html


def _coop_field_value(html: str) -> str | None:
    match = re.search(r'<input[^>]*name="coop"[^>]*>', html)
    assert match, "no cooperative field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def test_the_login_page_fills_in_a_cooperative_only_when_it_is_the_one_or_the_last_used(client, auth, staff,
                                                                                       create_coop, create_user):
    assert _coop_field_value(client.get("/login").get_data(as_text=True)) == "t1"  # the only one
    create_coop("a0")  # sorts before t1: it must not be offered to t1's secretary
    assert _coop_field_value(client.get("/login").get_data(as_text=True)) in (None, "")
    assert auth.login("admin").status_code == 302
    auth.logout()
    assert _coop_field_value(client.get("/login").get_data(as_text=True)) == "t1"  # remembered


def test_login_and_logout(client, auth, staff):
    resp = auth.login("admin")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert "t1" in client.get("/").get_data(as_text=True) or True
    page = client.get("/")
    assert page.status_code == 200 and "测试合作社" in page.get_data(as_text=True)
    auth.logout()
    resp = client.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_wrong_password_message(client, auth, staff):
    resp = auth.login("admin", "wrong-password")
    assert resp.status_code == 422
    assert "用户名或密码不正确" in resp.get_data(as_text=True)


def test_user_of_other_cooperative_cannot_log_in_here(client, auth, staff, create_coop, create_user):
    create_coop("t2")
    create_user("t2", "other", role="admin")
    assert auth.login("other", coop="t1").status_code == 422
    assert auth.login("other", coop="t2").status_code == 302


def test_passwords_are_hashed(app, staff):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "admin"))
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2:")


def test_open_redirect_refused(client, auth, staff):
    resp = client.post("/login?next=https://evil.example/", data={
        "coop": "t1", "username": "admin", "password": PASSWORD})
    assert resp.headers["Location"] == "/"


def test_forced_password_change_on_first_login(client, auth, create_coop, create_user):
    create_coop("t1")
    create_user("t1", "newbie", role="accountant", must_change=True)
    auth.login("newbie")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/password"
    resp = client.get("/charter")
    assert resp.headers["Location"] == "/password"
    # a weak or mismatched new password is refused with its message
    resp = client.post("/password", data={"current": PASSWORD, "new": "short", "repeat": "short"})
    assert resp.status_code == 422 and "密码至少 10 位" in resp.get_data(as_text=True)
    resp = client.post("/password", data={"current": "bad", "new": "a-better-pass", "repeat": "x"})
    body = resp.get_data(as_text=True)
    assert "当前密码不正确" in body and "两次输入的新密码不一致" in body
    resp = client.post("/password", data={"current": PASSWORD, "new": "a-better-pass",
                                          "repeat": "a-better-pass"})
    assert resp.status_code == 302
    assert client.get("/").status_code == 200
    auth.logout()
    assert auth.login("newbie", "a-better-pass").status_code == 302


def test_htmx_redirect_to_password_change(client, auth, create_coop, create_user):
    create_coop("t1")
    create_user("t1", "newbie", must_change=True)
    auth.login("newbie")
    resp = client.get("/charter", headers={"HX-Request": "true"})
    assert resp.headers["HX-Redirect"] == "/password"


def test_throttling_after_repeated_failures(app, client, auth, staff, monkeypatch):
    for _ in range(5):
        assert auth.login("admin", "wrong").status_code == 422
    resp = auth.login("admin")  # even the right password is refused now
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "登录失败次数过多" in body and "分钟后再试" in body
    # other accounts are not locked by these failures
    assert auth.login("accountant").status_code == 302
    auth.logout()
    # after the window the right password works again
    from coop import clock

    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + timedelta(minutes=16))
    assert auth.login("admin").status_code == 302


def test_throttle_counts_since_last_success(app, client, auth, staff):
    for _ in range(4):
        auth.login("admin", "wrong")
    assert auth.login("admin").status_code == 302
    auth.logout()
    for _ in range(4):
        auth.login("admin", "wrong")
    assert auth.login("admin").status_code == 302
    with app.app_context():
        assert db.session.query(LoginAttempt).count() == 10


def test_throttling_per_address(app, client, auth, create_coop, create_user):
    create_coop("t1")
    app.config["LOGIN_IP_FAILURE_LIMIT"] = 3
    for name in ("a", "b", "c"):
        auth.login(name, "wrong")
    create_user("t1", "d")
    resp = auth.login("d")
    assert "登录失败次数过多" in resp.get_data(as_text=True)


def test_disabled_user_cannot_log_in(app, client, auth, staff):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "accountant"))
        user.is_enabled = False
        db.session.commit()
    resp = auth.login("accountant")
    assert resp.status_code == 422 and "已停用" in resp.get_data(as_text=True)


def test_admin_creates_user_with_one_time_password(app, client, auth, staff):
    auth.login("admin")
    resp = client.post("/users", data={"username": "kj2", "display_name": "会计二",
                                       "role": "accountant"})
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "初始密码" in body
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "kj2"))
        assert user.must_change_password and user.cooperative.code == "t1"


def test_duplicate_username_refused(app, client, auth, staff, fingerprint):
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/users", data={"username": "accountant", "display_name": "x",
                                       "role": "accountant"})
    assert resp.status_code == 422 and "已被使用" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_reset_password_forces_change(app, client, auth, staff):
    auth.login("admin")
    uid = staff[1]["accountant"]
    resp = client.post(f"/users/{uid}/reset-password")
    assert resp.status_code == 200 and "初始密码" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).must_change_password


def test_user_of_other_cooperative_is_404(client, auth, staff, create_coop, create_user):
    create_coop("t2")
    other = create_user("t2", "other")
    auth.login("admin")
    assert client.post(f"/users/{other}/reset-password").status_code == 404


def test_cannot_disable_self(client, auth, staff):
    auth.login("admin")
    resp = client.post(f"/users/{staff[1]['admin']}/enabled", data={"enabled": "0", "reason": "测试"})
    assert resp.status_code == 422 and "不能停用或启用自己的账号" in resp.get_data(as_text=True)


def test_a_cooperatives_name_typed_for_its_code_says_what_to_type(client, staff):
    resp = client.post("/login", data={"coop": "测试合作社1", "username": "admin",
                                       "password": "test-pass-123"})
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "没有代码为“测试合作社1”的合作社或辖区" in text and "密码条上的合作社代码" in text
    assert "用户名或密码不正确" not in text
