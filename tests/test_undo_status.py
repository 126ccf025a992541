"""A member's status change takes the date it happened, typed: the form does
not fill in today, and a change without a date is refused and changes nothing.
Every change is written into the member's status history (shown on the
member page); one entered in error is reversed with a reason, which puts the
previous status back and the login it disabled, unless a later fact rests on
it (a later change, a share entry, an approved plan that left the member
out) or it was the member assembly's decision (a membership event)."""
from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from coop.members.models import Member
from tests.conftest import PASSWORD
from tests.test_members_views import HX, admin, field_block, html, world  # noqa: F401 (fixtures)


def test_the_status_form_has_no_date_filled_in(admin, world, specialized):
    specialized("t1")  # the direct change (under the RCEO a loss is a membership event)
    page = html(admin.get(f"/members/{world['a']}"))
    block = field_block(page, "on_date")
    assert 'name="on_date"' in block and 'value="2026-06-15"' not in block
    assert "不默认今天" in block


def test_a_status_change_without_a_date_is_refused(app, admin, world, fingerprint, specialized):
    specialized("t1")
    before = fingerprint()
    resp = admin.post(f"/members/{world['a']}/status",
                      data={"status": "deceased", "on_date": "", "version": "1"}, headers=HX)
    assert resp.status_code == 422
    assert "请填写日期" in field_block(html(resp), "on_date")
    assert fingerprint() == before
    with app.app_context():
        assert db.session.get(Member, world["a"]).status == "active"


# -- the status history and its reversal (issue 16: "reversed with a reason when entered in error") --


def _row(app, model, record_id):
    with app.app_context():
        row = db.session.get(model, record_id)
        db.session.expunge(row)
        return row


def _changes(app, member_id: int) -> list:
    from coop.members.models import MemberStatusChange

    with app.app_context():
        rows = db.session.scalars(select(MemberStatusChange).where(
            MemberStatusChange.member_id == member_id).order_by(MemberStatusChange.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _post_status(client, member_id: int, status: str, on: str, reason: str = ""):
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    version = page.split('name="version"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    return client.post(f"/members/{member_id}/status",
                       data={"status": status, "on_date": on, "reason": reason, "version": version})


def _reverse(client, member_id: int, change, reason: str, **headers):
    return client.post(f"/members/{member_id}/status/{change.id}/reverse",
                       data={"reason": reason, "version": str(change.version)}, headers=headers)


@pytest.fixture
def undo_world(app, client, auth, portal_world, specialized):
    specialized("t1")
    auth.login("admin")
    return portal_world


def test_every_status_change_is_written_into_the_history_shown_on_the_member_page(
        app, client, undo_world):
    member_id = undo_world.members["CY0003"]
    resp = _post_status(client, member_id, "withdrawn", "2026-05-01", "本人书面申请退社")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    [change] = _changes(app, member_id)
    assert (change.from_status, change.to_status, change.on_date, change.reason, change.source) == (
        "active", "withdrawn", date(2026, 5, 1), "本人书面申请退社", "roster")
    assert change.recorded_by_id == undo_world.staff["admin"] and change.reversed_at is None
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    history = page[page.index('id="status-history"'):]
    assert "状态变更记录" in history and "本人书面申请退社" in history
    assert "在册" in history and "已退社" in history and "撤销（录入错误）" in history


def test_a_change_entered_in_error_is_reversed_with_a_reason_and_the_login_comes_back(
        app, client, undo_world):
    from coop.audit.models import AuditEntry
    from coop.auth.models import User

    member_id, user_id = undo_world.members["CY0001"], undo_world.logins["cy1"]
    assert _post_status(client, member_id, "deceased", "2026-05-01").status_code == 302
    assert not _row(app, User, user_id).is_enabled
    [change] = _changes(app, member_id)
    resp = _reverse(client, member_id, change, "误将张秀兰登记为已故，本人健在")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    member = _row(app, Member, member_id)
    assert member.status == "active" and member.status_changed_on is None
    [change] = _changes(app, member_id)
    assert change.reversed_at is not None and change.reversed_by_id == undo_world.staff["admin"]
    assert change.reversed_reason == "误将张秀兰登记为已故，本人健在"
    user = _row(app, User, user_id)
    assert user.is_enabled and "撤销" in user.enabled_reason
    member_client = app.test_client()
    assert member_client.post("/login", data={"coop": "t1", "username": "CY0001",
                                              "password": PASSWORD}).status_code == 302
    with app.app_context():
        audited = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "member_status_changes", AuditEntry.action == "update")).all()
        assert any((e.after or {}).get("reversed_reason") == change.reversed_reason for e in audited)
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert "已撤销（录入错误）：误将张秀兰登记为已故" in page


def test_a_login_the_secretary_disabled_since_stays_disabled_after_the_reversal(
        app, client, undo_world):
    from coop.auth.models import User
    from coop.auth.services import set_enabled

    member_id, user_id = undo_world.members["CY0001"], undo_world.logins["cy1"]
    assert _post_status(client, member_id, "deceased", "2026-05-01").status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        set_enabled(user, True, None, "家属要求")
        set_enabled(user, False, None, "本人手机丢失")
        db.session.commit()
    [change] = _changes(app, member_id)
    assert _reverse(client, member_id, change, "录入错误").status_code == 302
    user = _row(app, User, user_id)
    assert not user.is_enabled and user.enabled_reason == "本人手机丢失"


@pytest.mark.parametrize("reason", ["", " ", "长" * 201])
def test_a_reversal_without_a_proper_reason_is_refused_and_changes_nothing(
        app, client, undo_world, fingerprint, reason):
    member_id = undo_world.members["CY0003"]
    assert _post_status(client, member_id, "withdrawn", "2026-05-01").status_code == 302
    [change] = _changes(app, member_id)
    before = fingerprint()
    resp = _reverse(client, member_id, change, reason, **HX)
    assert resp.status_code == 422
    assert "撤销原因" in field_block(html(resp), "reason")
    assert fingerprint() == before


def test_only_the_latest_change_is_reversed(app, client, undo_world, fingerprint):
    member_id = undo_world.members["CY0003"]
    assert _post_status(client, member_id, "withdrawn", "2026-05-01").status_code == 302
    assert _post_status(client, member_id, "active", "2026-05-20", "重新入社").status_code == 302
    first, latest = _changes(app, member_id)
    before = fingerprint()
    resp = _reverse(client, member_id, first, "录入错误", **HX)
    assert resp.status_code == 422 and "只能撤销最近一次状态变更" in html(resp)
    assert fingerprint() == before
    assert _reverse(client, member_id, latest, "重新入社登记错了").status_code == 302
    member = _row(app, Member, member_id)
    assert member.status == "withdrawn" and member.status_changed_on == date(2026, 5, 1)
    assert _reverse(client, member_id, first, "退社也登记错了").status_code == 302
    assert _row(app, Member, member_id).status == "active"


def test_a_reversal_is_refused_while_an_inheritance_rests_on_the_death(
        app, client, undo_world, fingerprint):
    from coop.cooperatives.services import get_by_code
    from coop.shares.movements import record_inheritance

    member_id = undo_world.members["CY0001"]
    assert _post_status(client, member_id, "deceased", "2026-05-01").status_code == 302
    with app.app_context():
        record_inheritance(get_by_code("t1"), deceased_id=member_id,
                           heir_id=undo_world.members["CY0003"], effective_on=date(2026, 5, 10))
        db.session.commit()
    [change] = _changes(app, member_id)
    before = fingerprint()
    resp = _reverse(client, member_id, change, "录入错误", **HX)
    assert resp.status_code == 422
    assert "在此变更之后有股权登记" in html(resp) and "继承转出" in html(resp)
    assert fingerprint() == before
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert "最近一次变更不能作为录入错误撤销" in page


def test_a_reversal_is_refused_once_an_approved_plan_left_the_member_out(
        app, client, undo_world, fingerprint):
    from coop import clock
    from coop.dividends.models import DividendPlan

    member_id = undo_world.members["CY0002"]
    assert _post_status(client, member_id, "deceased", "2026-05-01").status_code == 302
    with app.app_context():  # 2026's plan approved afterwards, without CY0002's line
        plan = db.session.get(DividendPlan, undo_world.plans["2026"])
        plan.status, plan.approved_at = "approved", clock.utcnow()
        db.session.commit()
    [change] = _changes(app, member_id)
    before = fingerprint()
    resp = _reverse(client, member_id, change, "录入错误", **HX)
    assert resp.status_code == 422
    assert "2026 年度收益分配方案（第 1 版）在此变更之后表决通过" in html(resp)
    assert fingerprint() == before


def test_a_confirmed_membership_event_is_not_reversed_as_an_error(app, client, auth, portal_world,
                                                                  fingerprint):
    from coop.membership.events import confirm_event
    from coop.membership.models import MembershipEvent

    member_id = portal_world.members["CY0002"]
    with app.app_context():
        member = db.session.get(Member, member_id)
        event = MembershipEvent(cooperative_id=member.cooperative_id, member_id=member.id,
                                reason="civil_servant", occurs_on=date(2026, 5, 1), status="pending")
        db.session.add(event)
        db.session.flush()
        confirm_event(event, date(2026, 6, 1))
        db.session.commit()
    [change] = _changes(app, member_id)
    assert (change.from_status, change.to_status, change.source) == ("active", "lost", "event")
    assert "成为公务员" in change.reason and change.on_date == date(2026, 6, 1)
    auth.login("admin")
    before = fingerprint()
    resp = _reverse(client, member_id, change, "录入错误", **HX)
    assert resp.status_code == 422 and "第十二条、第十七条" in html(resp)
    assert fingerprint() == before
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert "成员身份变动" in page and "撤销（录入错误）</button>" not in page


def test_a_change_of_another_member_is_not_found(app, client, undo_world):
    member_id = undo_world.members["CY0003"]
    assert _post_status(client, member_id, "withdrawn", "2026-05-01").status_code == 302
    [change] = _changes(app, member_id)
    resp = _reverse(client, undo_world.members["CY0001"], change, "录入错误")
    assert resp.status_code == 404
