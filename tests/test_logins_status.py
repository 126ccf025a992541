"""A member whose membership ends loses the login at once (every path: the
roster's status change, a confirmed membership event), cannot log in even if
a path missed it; the secretary disables and enables any login with a reason
(audited); the collective entity gets no login."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from tests.conftest import PASSWORD


def _client(app, username: str, password: str = PASSWORD):
    client = app.test_client()
    resp = client.post("/login", data={"coop": "t1", "username": username, "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return client


def _locked_out(client) -> bool:
    resp = client.get("/me/")
    return resp.status_code == 302 and "/login" in resp.headers["Location"]


def _login_user(app, user_id: int):
    from coop.auth.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        return user.is_enabled, user.enabled_reason


def _change_status(app, member_id: int, status: str) -> None:
    from coop.members.api import Member, change_status

    with app.app_context():
        change_status(db.session.get(Member, member_id), status, date(2026, 5, 1))
        db.session.commit()


def _member_login(app, portal_world, no: str) -> int:
    from coop.auth.services import create_user
    from coop.cooperatives.services import get_by_code
    from coop.members.api import Member

    with app.app_context():
        member = db.session.get(Member, portal_world.members[no])
        user, _ = create_user(get_by_code("t1"), no, member.name, "member", password=PASSWORD,
                              must_change=False)
        user.member_id = member.id
        db.session.commit()
        return user.id


@pytest.mark.parametrize("status", ["deceased", "withdrawn"])
def test_status_change_disables_the_login_and_ends_its_session(app, portal_world, status):
    user_id = _member_login(app, portal_world, "CY0003")  # holds no shares: may withdraw
    member = _client(app, "CY0003")
    assert member.get("/me/").status_code == 200
    _change_status(app, portal_world.members["CY0003"], status)
    assert _locked_out(member)
    enabled, reason = _login_user(app, user_id)
    assert not enabled and "登录账号自动停用" in reason
    resp = app.test_client().post("/login", data={"coop": "t1", "username": "CY0003",
                                                  "password": PASSWORD})
    assert resp.status_code == 422 and "该账号已停用" in resp.get_data(as_text=True)


def test_a_confirmed_loss_event_disables_the_login(app, portal_world):
    from coop.membership.events import confirm_event
    from coop.membership.models import MembershipEvent

    member = _client(app, "CY0002")
    with app.app_context():
        from coop.members.api import Member
        member_row = db.session.get(Member, portal_world.members["CY0002"])
        event = MembershipEvent(cooperative_id=member_row.cooperative_id, member_id=member_row.id,
                                reason="civil_servant", occurs_on=date(2026, 5, 1), status="pending")
        db.session.add(event)
        db.session.flush()
        confirm_event(event, date(2026, 6, 1))
        db.session.commit()
    assert _locked_out(member)
    enabled, reason = _login_user(app, portal_world.logins["cy2"])
    assert not enabled and "已丧失成员身份" in reason


def test_a_member_whose_membership_ended_cannot_log_in_even_if_the_login_stayed_enabled(
        app, portal_world):
    from coop.members.api import Member

    with app.app_context():  # a path that sent no signal
        db.session.get(Member, portal_world.members["CY0001"]).status = "lost"
        db.session.commit()
    resp = app.test_client().post("/login", data={"coop": "t1", "username": "CY0001",
                                                  "password": PASSWORD})
    assert resp.status_code == 422
    assert "张秀兰 已丧失成员身份，登录账号已停用" in resp.get_data(as_text=True)
    assert _login_user(app, portal_world.logins["cy1"])[0]  # nothing else changed


def test_secretary_disables_and_enables_a_member_login_with_a_reason(app, client, auth,
                                                                     portal_world):
    from coop.audit.models import AuditEntry

    member = _client(app, "CY0001")
    member_id = portal_world.members["CY0001"]
    auth.login("admin")
    resp = client.post(f"/member-logins/{member_id}/enabled", data={"enabled": "0", "reason": ""})
    assert resp.status_code == 422 and "请填写停用或启用的原因" in resp.get_data(as_text=True)
    assert member.get("/me/").status_code == 200

    resp = client.post(f"/member-logins/{member_id}/enabled",
                       data={"enabled": "0", "reason": "本人手机丢失"})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "已停用" in text and "本人手机丢失" in text
    assert _locked_out(member)
    resp = client.post(f"/member-logins/{member_id}/enabled",
                       data={"enabled": "1", "reason": "手机已找回"})
    assert resp.status_code == 200
    assert _login_user(app, portal_world.logins["cy1"]) == (True, "手机已找回")
    assert _client(app, "CY0001").get("/me/").status_code == 200
    with app.app_context():
        changes = [e.after for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "users",
                                     AuditEntry.record_id == str(portal_world.logins["cy1"]),
                                     AuditEntry.action == "update").order_by(AuditEntry.id))
                   if "is_enabled" in (e.after or {})]
    assert [(c["is_enabled"], c["enabled_reason"]) for c in changes] == [
        (False, "本人手机丢失"), (True, "手机已找回")]


def test_a_login_of_a_member_who_died_cannot_be_enabled_again(app, client, auth, portal_world,
                                                              fingerprint):
    _change_status(app, portal_world.members["CY0001"], "deceased")
    auth.login("admin")
    before = fingerprint()
    resp = client.post(f"/member-logins/{portal_world.members['CY0001']}/enabled",
                       data={"enabled": "1", "reason": "误操作"})
    after = fingerprint()
    before.pop("login_attempts"), after.pop("login_attempts")
    assert resp.status_code == 422 and "张秀兰 已故，不能开通登录账号" in resp.get_data(as_text=True)
    assert after == before


def test_secretary_disables_a_staff_login_with_a_reason_but_not_their_own(app, client, auth,
                                                                           staff):
    auth.login("admin")
    resp = client.post(f"/users/{staff[1]['accountant']}/enabled",
                       data={"enabled": "0", "reason": "调离会计岗位"})
    assert resp.status_code == 200 and "调离会计岗位" in resp.get_data(as_text=True)
    assert _login_user(app, staff[1]["accountant"]) == (False, "调离会计岗位")
    resp = client.post(f"/users/{staff[1]['admin']}/enabled", data={"enabled": "0", "reason": "x"})
    assert resp.status_code == 422 and "不能停用或启用自己的账号" in resp.get_data(as_text=True)


def test_the_collective_entity_gets_no_login(app, client, auth, portal_world, fingerprint):
    auth.login("admin")
    page = client.get("/member-logins?q=JT001").get_data(as_text=True)
    assert f'/member-logins/{portal_world.members["JT001"]}"' not in page
    assert "不开通登录账号" in page
    before = fingerprint()
    resp = client.post(f"/member-logins/{portal_world.members['JT001']}")
    after = fingerprint()
    before.pop("login_attempts"), after.pop("login_attempts")
    assert resp.status_code == 422
    assert "村集体（集体经济组织）是合作社的出资成员，不是个人，不开通登录账号" in resp.get_data(as_text=True)
    assert after == before
