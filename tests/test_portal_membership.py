"""A member's own membership on /me/ (issue 15): confirmed since, pending
confirmation, the basis and date of acquisition, rights without membership,
their own open dispute; never another member's, whatever the URL says."""
from __future__ import annotations

from datetime import date

from coop.extensions import db
from coop.members.api import Member
from coop.membership import disputes


def _set(app, member_id: int, **fields) -> None:
    with app.app_context():
        member = db.session.get(Member, member_id)
        for name, value in fields.items():
            setattr(member, name, value)
        db.session.commit()


def _dispute(app, member_id: int | None, claim: str, claimant: str = "") -> None:
    with app.app_context():
        member = db.session.get(Member, member_id) if member_id else None
        disputes.open_dispute(member.cooperative_id if member else 1, member=member, claimant=claimant,
                              claim=claim, opened_on=date(2026, 5, 1))
        db.session.commit()


def test_a_confirmed_member_reads_the_day_and_the_basis(app, client, auth, portal_world):
    _set(app, portal_world.members["CY0001"], acquired_how="marriage", acquired_on=date(1990, 10, 1),
         confirmed_on=date(2026, 3, 21))
    auth.login("CY0001")
    page = client.get("/me/membership").get_data(as_text=True)
    # the large headline moves its date to the next line whole (a phone broke it after '2026-')
    assert '本社成员，<span class="whole">2026-03-21</span> 经成员大会确认' in page
    assert "成员身份取得方式：婚姻（1990-10-01）" in page
    assert "没有处理中的争议" in page
    home = client.get("/me/").get_data(as_text=True)
    assert "我的成员身份" in home and "2026-03-21 经成员大会确认" in home


def test_a_member_sees_their_own_open_dispute_and_not_anothers(app, client, auth, portal_world):
    _dispute(app, portal_world.members["CY0001"], "要求恢复出嫁后被取消的分红")
    _dispute(app, portal_world.members["CY0002"], "李家的宅基地与成员身份争议")
    auth.login("CY0001")
    page = client.get("/me/membership").get_data(as_text=True)
    assert "处理中：" in page and "要求恢复出嫁后被取消的分红" in page
    assert "李家的宅基地" not in page
    assert "有 1 件成员身份争议处理中" in client.get("/me/").get_data(as_text=True)
    other = portal_world.members["CY0002"]
    for url in (f"/me/membership?member_id={other}", f"/me/membership?member={other}"):
        text = client.get(url).get_data(as_text=True)
        assert "张秀兰" in text and "李家的宅基地" not in text and "李德胜" not in text


def test_a_pending_person_reads_that_the_assembly_has_not_confirmed(app, client, auth, portal_world):
    _set(app, portal_world.members["CY0001"], status="pending")
    auth.login("CY0001")
    page = client.get("/me/membership").get_data(as_text=True)
    assert "待成员大会确认" in page and "成员大会表决确认后才列入成员名册" in page


def test_rights_without_membership_read_as_such(app, client, auth, portal_world):
    _set(app, portal_world.members["CY0001"], distribution_rights_only=True)
    auth.login("CY0001")
    page = client.get("/me/membership").get_data(as_text=True)
    assert "非本社成员，享有收益分配权" in page and "不参加成员大会表决" in page


def test_staff_and_logins_without_a_member_get_no_membership_page(client, auth, portal_world, create_user):
    for role in ("admin", "accountant", "supervisor"):
        auth.login(role)
        assert client.get("/me/membership").status_code == 403
        auth.logout()
    auth.login("member")   # the staff fixture's member login, linked to no member
    assert client.get("/me/membership").status_code == 404


def test_the_rceo_dispute_routes_are_named_only_under_that_law(app, client, auth, portal_world):
    from coop.cooperatives.api import get_by_code

    auth.login("CY0001")
    assert "第五十六条" in client.get("/me/membership").get_data(as_text=True)
    with app.app_context():
        get_by_code(portal_world.code).legal_regime = "specialized"
        db.session.commit()
    assert "第五十六条" not in client.get("/me/membership").get_data(as_text=True)
