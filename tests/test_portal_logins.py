"""The secretary issues and resets members' logins (one-time password slip);
the member must change the password at the first login."""
from __future__ import annotations

import re

from sqlalchemy import select

from coop.extensions import db
from tests.conftest import PASSWORD

SLIP_PASSWORD = re.compile(r'<dd class="password-slip">([a-z0-9]+)</dd>')


def _user(app, username: str, coop: str = "t1"):
    from coop.auth.models import User
    from coop.cooperatives.models import Cooperative

    with app.app_context():
        return db.session.execute(
            select(User.id, User.member_id, User.role, User.must_change_password, User.is_enabled)
            .join(Cooperative, Cooperative.id == User.cooperative_id)
            .where(User.username == username, Cooperative.code == coop)).one_or_none()


def test_logins_page_lists_members_with_their_login_state(client, auth, portal_world):
    auth.login("admin")
    text = client.get("/member-logins").get_data(as_text=True)
    assert "共 5 位成员" in text
    row = text[text.index("<td>CY0003</td>"):]
    assert "未开通" in row[:400] and "开通登录" in row[:800]
    row = text[text.index("<td>CY0001</td>"):]
    assert "正常" in row[:400] and "重置密码" in row[:800]
    found = client.get("/member-logins?q=cy0003").get_data(as_text=True)
    assert "共 1 位成员" in found and "赵小梅" in found and "张秀兰" not in found
    by_name = client.get("/member-logins?q=李", headers={"HX-Request": "true"})
    assert "李德胜" in by_name.get_data(as_text=True)
    assert "<html" not in by_name.get_data(as_text=True)  # only the rows block


def test_users_page_links_to_members_logins(client, auth, staff):
    auth.login("admin")
    assert 'href="/member-logins"' in client.get("/users").get_data(as_text=True)


def test_issue_a_login_then_first_login_forces_a_password_change(client, auth, portal_world):
    app = client.application
    app.config["COOP_PUBLIC_URL"] = "https://coop.example.cn/"
    auth.login("admin")
    resp = client.post(f"/member-logins/{portal_world.members['CY0003']}")
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "已为 赵小梅开通登录账号" in text and "初始密码只显示这一次" in text
    assert '<dd class="pt-slip-user">CY0003</dd>' in text
    # the address people type, from the setting, with its QR code; never the request's host
    assert '<dd class="mono">https://coop.example.cn</dd>' in text
    assert 'class="pt-slip-qr" src="data:image/png;base64,' in text
    assert "localhost" not in text
    assert "忘记密码请找村书记重置" in text  # a village collective's members ask its secretary
    password = SLIP_PASSWORD.search(text).group(1)
    user = _user(app, "CY0003")
    assert user.role == "member" and user.member_id == portal_world.members["CY0003"]
    assert user.must_change_password and user.is_enabled
    auth.logout()

    resp = auth.login("CY0003", password=password)
    assert resp.status_code == 302
    resp = client.get("/me/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/password")
    resp = client.post("/password", data={"current": password, "new": "new-secret-88",
                                          "repeat": "new-secret-88"})
    assert resp.status_code == 302
    assert "赵小梅，您好" in client.get("/me/").get_data(as_text=True)
    assert not _user(app, "CY0003").must_change_password


def test_reset_gives_a_new_one_time_password(client, auth, portal_world):
    app = client.application
    auth.login("admin")
    text = client.post(f"/member-logins/{portal_world.members['CY0001']}").get_data(as_text=True)
    assert "已为 张秀兰重置密码" in text
    password = SLIP_PASSWORD.search(text).group(1)
    assert _user(app, "CY0001").must_change_password
    auth.logout()
    assert "用户名或密码不正确" in auth.login("CY0001", password=PASSWORD).get_data(as_text=True)
    assert auth.login("CY0001", password=password).status_code == 302


def _refused(client, fingerprint, member_id: int):
    """The secretary's request to issue ``member_id`` a login, which must
    change nothing (the secretary's own login attempt aside)."""
    before = fingerprint()
    resp = client.post(f"/member-logins/{member_id}")
    after = fingerprint()
    before.pop("login_attempts"), after.pop("login_attempts")
    assert after == before
    return resp


def test_a_deceased_member_gets_no_login(client, auth, portal_world, fingerprint):
    from coop.members.models import Member

    with client.application.app_context():
        db.session.get(Member, portal_world.members["CY0003"]).status = "deceased"
        db.session.commit()
    auth.login("admin")
    resp = _refused(client, fingerprint, portal_world.members["CY0003"])
    assert resp.status_code == 422
    assert "赵小梅 已故，不能开通登录账号" in resp.get_data(as_text=True)


def test_a_member_number_used_by_a_staff_login_is_refused(client, auth, portal_world,
                                                          create_user, fingerprint):
    create_user(portal_world.code, "cy0003", role="accountant", display_name="会计小赵")
    auth.login("admin")
    resp = _refused(client, fingerprint, portal_world.members["CY0003"])
    assert resp.status_code == 422
    assert "用户名 CY0003 已被账号“会计小赵”使用" in resp.get_data(as_text=True)


def test_a_member_of_another_cooperative_is_a_404(client, auth, portal_world, create_coop,
                                                  fingerprint):
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member

    code = create_coop("t2")
    with client.application.app_context():
        m = Member(cooperative_id=get_by_code(code).id, member_no="X001", name="外社成员",
                   kind="villager")
        db.session.add(m)
        db.session.commit()
        other_id = m.id
    auth.login("admin")
    assert _refused(client, fingerprint, other_id).status_code == 404


def test_the_demo_has_a_member_login(app, demo):
    from coop.auth.models import User
    from coop.portal.demo import demo_member

    from coop.cooperatives.services import get_by_code

    with app.app_context():
        member = demo_member(get_by_code(demo))
        user = db.session.scalar(select(User).where(User.member_id == member.id))
        assert user.username == member.member_no == "CY0003"  # as the README says
        assert user.role == "member"
        assert not user.must_change_password


def test_member_logins_page_in_pages(app, client, auth, staff, create_member):
    """More members than a page: the shared pager, keeping the search."""
    from coop.portal import logins as views

    for i in range(views.LOGINS_PER_PAGE + 3):
        create_member("t1", member_no=f"P{i:04d}", name=f"成员{i}")
    auth.login("admin")
    first = client.get("/member-logins?q=p").get_data(as_text=True)
    assert "第 1 / 2 页" in first and "P0049" in first and "P0050" not in first
    assert "/member-logins?q=p&amp;page=2" in first
    second = client.get("/member-logins?q=p&page=2").get_data(as_text=True)
    assert "P0050" in second and "P0052" in second and "P0049" not in second
