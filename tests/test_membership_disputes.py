"""The dispute log over membership (《农村集体经济组织法》第五十六条): services
and pages. A dispute of a member or of a claimant who is not one, its steps,
its close; refused input changes nothing; an open dispute shows on the
member's page and in ``open_disputes_by_member``; the prosecutors are named
where a woman's membership because of marriage or divorce is at stake."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.members.api import Member, create_member
from coop.membership import disputes
from coop.membership.api import open_disputes_by_member
from coop.membership.models import Dispute, DisputeStep
from tests.conftest_members import make_id

TODAY = date(2026, 6, 15)   # the suite's fixed today


@pytest.fixture
def village(app, staff):
    with app.app_context():
        coop = get_by_code("t1")
        bride = create_member(coop, member_no="M001", name="王秀英", kind="villager", household_no="H01",
                              id_number=make_id(1, date(1998, 3, 2)), joined_on=date(2023, 3, 15))
        other = create_member(coop, member_no="M002", name="李德胜", kind="villager", household_no="H02",
                              id_number=make_id(2), joined_on=date(2023, 3, 15))
        db.session.commit()
        return {"coop_id": coop.id, "bride": bride.id, "other": other.id}


def test_a_dispute_goes_through_mediation_and_court_and_closes(app, village):
    with app.app_context():
        member = db.session.get(Member, village["bride"])
        d = disputes.open_dispute(village["coop_id"], member=member, claimant="", concerns_women=True,
                                  claim="要求确认其因婚姻迁入取得的成员身份", opened_on=date(2026, 3, 1))
        assert d.claimant == "王秀英" and d.status == "open"
        disputes.add_step(d, stage="mediation", on=date(2026, 3, 20), note="镇人民政府调解，未达成协议")
        disputes.add_step(d, stage="court", on=date(2026, 5, 8), note="向县人民法院起诉")
        [row] = open_disputes_by_member(village["coop_id"])[member.id]
        assert row.last_stage == "诉讼" and row.concerns_women
        assert "2026-03-01 起有成员身份争议" in row.summary
        with pytest.raises(ValidationFailed) as err:
            disputes.close_dispute(d, outcome="判决确认其成员身份", closed_on=date(2026, 5, 1))
        assert "早于已登记的 2026-05-08" in err.value.errors["closed_on"]
        disputes.close_dispute(d, outcome="判决确认其成员身份", closed_on=date(2026, 6, 10))
        assert d.status == "closed" and open_disputes_by_member(village["coop_id"]) == {}
        with pytest.raises(ValidationFailed):
            disputes.add_step(d, stage="other", on=TODAY, note="再议")


def test_a_claimant_who_is_not_a_member_is_logged_by_name(app, village):
    with app.app_context():
        d = disputes.open_dispute(village["coop_id"], member=None, claimant="赵桂芳",
                                  claim="离婚后户口仍在本村，要求确认成员身份", opened_on=TODAY)
        assert d.member_id is None
        assert open_disputes_by_member(village["coop_id"]) == {}   # by member only
        with pytest.raises(ValidationFailed) as err:
            disputes.open_dispute(village["coop_id"], member=None, claimant=" ", claim="",
                                  opened_on=date(2026, 6, 16))
        assert set(err.value.errors) == {"claimant", "claim", "opened_on"}


def test_the_secretary_records_a_dispute_and_its_steps_through_the_pages(client, auth, village):
    auth.login("admin")
    assert "登记成员身份争议" in client.get("/membership/disputes/new?member_no=M001").get_data(as_text=True)
    resp = client.post("/membership/disputes", data={
        "member_no": "M001", "claim": "出嫁后被取消分红，要求确认成员身份", "opened_on": "2026-04-01",
        "concerns_women": "y"})
    assert resp.status_code == 302
    with client.application.app_context():
        d = db.session.scalar(select(Dispute))
        dispute_id, version = d.id, d.version
    page = client.get(f"/membership/disputes/{dispute_id}").get_data(as_text=True)
    assert "检察机关可以发出检察建议或者依法提起公益诉讼" in page and "第五十六条第二款" in page
    resp = client.post(f"/membership/disputes/{dispute_id}/steps",
                       data={"stage": "mediation", "on": "2026-04-20", "note": "镇调解委员会受理"})
    assert resp.status_code == 302
    member_page = client.get(f"/members/{village['bride']}").get_data(as_text=True)
    assert "处理中：2026-04-01 起有成员身份争议" in member_page and "乡镇调解" in member_page
    resp = client.post(f"/membership/disputes/{dispute_id}/close",
                       data={"version": version, "outcome": "调解达成协议，恢复其分红", "closed_on": "2026-05-02"})
    assert resp.status_code == 302
    listing = client.get("/membership/disputes?status=closed").get_data(as_text=True)
    assert "王秀英" in listing and "已结案" in listing


def test_a_dispute_not_about_a_woman_does_not_name_the_prosecutors(client, auth, village):
    auth.login("admin")
    client.post("/membership/disputes", data={"claimant": "孙强", "claim": "要求确认成员身份",
                                              "opened_on": "2026-04-01"})
    with client.application.app_context():
        dispute_id = db.session.scalar(select(Dispute.id))
    page = client.get(f"/membership/disputes/{dispute_id}").get_data(as_text=True)
    assert "农村土地承包仲裁机构" in page and "公益诉讼" not in page


def test_bad_input_is_refused_next_to_its_field_and_changes_nothing(client, auth, village, fingerprint):
    auth.login("admin")
    before = fingerprint()
    for data, message in (({"member_no": "X999", "claim": "要求确认", "opened_on": "2026-06-01"},
                           "本社没有成员编号为 X999 的成员"),
                          ({"member_no": "M001", "claim": "要求确认", "opened_on": "2026-13-01"},
                           "争议日期格式应为"),
                          ({"member_no": "", "claimant": "", "claim": "", "opened_on": "2026-06-01"},
                           "请写明争议事项")):
        resp = client.post("/membership/disputes", data=data, headers={"HX-Request": "true"})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True), data
    assert fingerprint() == before
    with client.application.app_context():
        d = disputes.open_dispute(village["coop_id"], member=None, claimant="赵桂芳", claim="x",
                                  opened_on=date(2026, 6, 1))
        db.session.commit()
        dispute_id, version = d.id, d.version
    before = fingerprint()
    for url, data in ((f"/membership/disputes/{dispute_id}/steps",
                       {"stage": "nonsense", "on": "2026-05-01", "note": ""}),
                      (f"/membership/disputes/{dispute_id}/close",
                       {"version": version, "outcome": "", "closed_on": "2026-06-20"})):
        resp = client.post(url, data=data, headers={"HX-Request": "true"})
        assert resp.status_code == 422, url
    assert fingerprint() == before
    resp = client.post(f"/membership/disputes/{dispute_id}/close",
                       data={"version": version + 5, "outcome": "了结", "closed_on": "2026-06-10"})
    assert resp.status_code == 409


def test_readers_read_and_may_not_write(client, auth, village):
    with client.application.app_context():
        d = disputes.open_dispute(village["coop_id"], member=None, claimant="赵桂芳", claim="x",
                                  opened_on=date(2026, 6, 1))
        db.session.commit()
        dispute_id = d.id
    for role in ("accountant", "supervisor"):
        auth.login(role)
        page = client.get(f"/membership/disputes/{dispute_id}").get_data(as_text=True)
        assert "赵桂芳" in page and "step-panel" not in page and "close-panel" not in page
        assert client.post(f"/membership/disputes/{dispute_id}/steps",
                           data={"stage": "court", "on": "2026-06-10", "note": "x"}).status_code == 403
        auth.logout()
    with client.application.app_context():
        assert db.session.scalar(select(DisputeStep)) is None
