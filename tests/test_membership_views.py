"""The membership pages: recording a newborn and a bride through the forms,
refusals in the same block (422), the art 8 review, evidence upload and its
privacy, the events list filters, and the member page under each regime."""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from coop.members.models import Member
from coop.membership.evidence import MAX_SCAN_BYTES
from coop.membership.models import MembershipEvent
from tests.conftest_members import make_id

HX = {"HX-Request": "true"}
BABY = make_id(501, born=date(2026, 3, 2))
BRIDE = make_id(502, born=date(1998, 8, 8))
PDF = b"%PDF-1.4\n%birth certificate\n"


@pytest.fixture
def scans(app, tmp_path):
    app.config["MEMBERSHIP_FILES_DIR"] = str(tmp_path)
    return tmp_path / "membership_files"


@pytest.fixture
def village(staff, create_member, scans):
    father = create_member("t1", member_no="CY0007", name="王建国", household_no="01003",
                           village_group="一组", id_number=make_id(7, born=date(1990, 1, 1)))
    groom = create_member("t1", member_no="CY0009", name="赵志强", household_no="01004",
                          village_group="一组", id_number=make_id(9, born=date(1995, 1, 1)))
    return {"father": father, "groom": groom}


@pytest.fixture
def admin(client, auth, village):
    auth.login("admin")
    return client


def html(resp) -> str:
    return resp.get_data(as_text=True)


def newborn(**extra):
    data = {"reason": "birth", "occurs_on": "2026-03-02", "name": "王小宝", "id_number": BABY,
            "relative_no": "CY0007", "relation_to_head": "子", "doc_type": "出生医学证明",
            "doc_no": "Q260001", "doc_date": "2026-03-05"}
    return {**data, **extra}


def test_the_secretary_records_a_newborn_who_is_then_visibly_pending(app, admin, village):
    resp = admin.post("/membership/gains", data=newborn(scan=(io.BytesIO(PDF), "出生证.pdf")),
                      content_type="multipart/form-data")
    assert resp.status_code == 302
    page = html(admin.get(resp.headers["Location"]))
    assert "出生" in page and "待确认" in page and "第十二条第二款（应当确认）" in page
    assert "Q260001" in page and "出生证.pdf" in page
    with app.app_context():
        event = db.session.scalar(select(MembershipEvent))
        member = db.session.get(Member, event.member_id)
        assert (member.status, member.household_no, member.member_no) == ("pending", "01003", "CY0010")
    member_page = html(admin.get(f"/members/{member.id}"))
    assert "badge-pending" in member_page and "须经成员大会确认后才列入成员名册" in member_page
    assert f"/membership/events/{event.id}" in member_page
    scan = admin.get(f"/membership/events/{event.id}/scan")
    assert scan.status_code == 200 and scan.data == PDF and scan.mimetype == "application/pdf"
    assert scan.headers["Cache-Control"] == "no-store"


def test_a_refused_gain_comes_back_in_the_same_block_and_changes_nothing(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/membership/gains", data=newborn(relative_no="CY0099", name=""), headers=HX)
    assert resp.status_code == 422
    page = html(resp)
    assert page.lstrip().startswith('<section class="panel" id="gain-panel"')
    assert "第十二条第二款" in page and "请填写姓名" in page
    assert fingerprint() == before


def test_a_too_large_or_false_scan_is_refused(admin, scans, fingerprint):
    before = fingerprint()
    for data, message in ((b"%PDF-" + b"0" * MAX_SCAN_BYTES, "不能超过 5 MB"),
                          (b"GIF89a not allowed", "PDF、JPEG 或 PNG")):
        resp = admin.post("/membership/gains", data=newborn(scan=(io.BytesIO(data), "x.pdf")),
                          content_type="multipart/form-data")
        assert resp.status_code == 422 and message in html(resp)
    assert fingerprint() == before
    assert not scans.exists() or not any(scans.iterdir())


def test_a_bride_marrying_in_is_reviewed_by_the_supervisor(app, client, auth, village):
    auth.login("admin")
    resp = client.post("/membership/gains", data={
        "reason": "marriage_in", "occurs_on": "2026-05-01", "name": "刘桂兰", "id_number": BRIDE,
        "relative_no": "CY0009", "doc_type": "结婚证"})
    assert resp.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(MembershipEvent))
        assert event.women_review
    listing = html(client.get("/membership/?review=awaiting"))
    assert "刘桂兰" in listing and "第八条待复核" in listing
    auth.logout()
    auth.login("supervisor")
    page = html(client.get(f"/membership/events/{event.id}"))
    assert "记录复核意见" in page and "第八条" in page and "撤回此项登记" not in page
    resp = client.post(f"/membership/events/{event.id}/review",
                       data={"review_note": "", "version": event.version}, headers=HX)
    assert resp.status_code == 422 and "请写明复核意见" in html(resp)
    resp = client.post(f"/membership/events/{event.id}/review",
                       data={"review_note": "婚入本村，原村未取消其成员身份，未损害其权益",
                             "version": event.version})
    assert resp.status_code == 302
    page = html(client.get(f"/membership/events/{event.id}"))
    assert "已复核" in page and "婚入本村" in page
    assert "刘桂兰" not in html(client.get("/membership/?review=awaiting"))
    assert client.post("/membership/gains", data={}).status_code == 403


def test_an_art18_loss_is_refused_with_its_article(app, admin, village, fingerprint):
    before = fingerprint()
    resp = admin.post(f"/membership/members/{village['father']}/loss",
                      data={"reason": "work", "occurs_on": "2026-06-01"}, headers=HX)
    assert resp.status_code == 422
    assert "《农村集体经济组织法》第十八条" in html(resp) and "外出务工" in html(resp)
    resp = admin.post(f"/membership/members/{village['father']}/loss",
                      data={"reason": "withdrawal", "occurs_on": "2026-06-01",
                            "withdrawal_terms": "split", "doc_type": "书面申请",
                            "doc_date": "2026-06-01"}, headers=HX)
    assert resp.status_code == 422 and "不得要求分割集体财产" in html(resp)
    assert fingerprint() == before


def test_a_death_is_recorded_and_the_member_stays_on_the_roster_until_confirmed(app, admin, village):
    resp = admin.post(f"/membership/members/{village['father']}/loss",
                      data={"reason": "death", "occurs_on": "2026-06-01", "doc_type": "死亡证明"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Member, village["father"]).status == "active"
    listing = html(admin.get("/membership/?direction=loss&status=open"))
    assert "丧失：死亡" in listing and "王建国" in listing
    assert "王建国" not in html(admin.get("/membership/?direction=gain"))
    page = html(admin.get(f"/members/{village['father']}"))
    assert "查看待确认的变动" in page and f"/membership/members/{village['father']}/loss" not in page


def test_cancelling_a_pending_gain(app, admin, village):
    admin.post("/membership/gains", data=newborn())
    with app.app_context():
        event = db.session.scalar(select(MembershipEvent))
    assert admin.post(f"/membership/events/{event.id}/cancel", data={}).status_code == 409
    resp = admin.post(f"/membership/events/{event.id}/cancel", data={"version": event.version})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(Member, event.member_id).status == "not_confirmed"
        assert db.session.get(MembershipEvent, event.id).status == "cancelled"


def test_under_the_rceo_the_member_page_links_to_a_loss_instead_of_changing_status(
        app, admin, village, fingerprint):
    page = html(admin.get(f"/members/{village['father']}"))
    assert "登记状态变更" not in page
    assert f"/membership/members/{village['father']}/loss" in page and "登记成员身份丧失" in page
    before = fingerprint()
    resp = admin.post(f"/members/{village['father']}/status",
                      data={"status": "deceased", "on_date": "2026-06-01", "version": "1"})
    assert resp.status_code == 422 and "经成员大会确认后才改变成员名册" in html(resp)
    assert fingerprint() == before


def test_a_specialized_cooperative_keeps_the_direct_status_change(app, client, auth, create_coop,
                                                                  create_user, create_member, scans):
    code = create_coop("fsc", distribution_mode="specialized")
    create_user(code, "sec", role="admin")
    member = create_member(code, member_no="S001", name="孙和")
    client.post("/login", data={"coop": code, "username": "sec", "password": "test-pass-123"})
    page = html(client.get(f"/members/{member}"))
    assert "登记状态变更" in page and "登记成员身份丧失" not in page
    resp = client.post("/membership/gains", data=newborn(relative_no="S001"))
    assert resp.status_code == 422 and "《农民专业合作社法》" in html(resp)


def test_readers_see_the_events_and_no_recording_controls(app, client, auth, village):
    auth.login("admin")
    client.post("/membership/gains", data=newborn(scan=(io.BytesIO(PDF), "b.pdf")),
                content_type="multipart/form-data")
    with app.app_context():
        event = db.session.scalar(select(MembershipEvent))
    auth.logout()
    auth.login("accountant")
    listing = html(client.get("/membership/"))
    assert "王小宝" in listing and "登记取得成员身份" not in listing
    page = html(client.get(f"/membership/events/{event.id}"))
    assert "保存证明材料" not in page and "撤回此项登记" not in page
    assert client.get(f"/membership/events/{event.id}/scan").data == PDF
    auth.logout()
    auth.login("member")
    assert client.get(f"/membership/events/{event.id}/scan").status_code == 403


def test_a_household_splits_merges_and_a_member_moves_in_through_the_page(app, admin, village,
                                                                         fingerprint):
    with app.app_context():
        father = db.session.get(Member, village["father"])
        father.relation_to_head = "户主"
        db.session.commit()
    page = html(admin.get("/membership/households/01003"))
    assert "王建国" in page and "分户" in page and "合户" in page
    before = fingerprint()
    resp = admin.post("/membership/households/01003/split", data={"member_ids": [village["father"]],
                                                                  "head_id": village["father"]},
                      headers=HX)
    assert resp.status_code == 422 and "至少留下一人" in html(resp)
    assert 'id="split-panel"' in html(resp) and "<html" not in html(resp)
    assert fingerprint() == before
    resp = admin.post("/membership/households/01004/move",
                      data={"member_id": village["groom"], "household_no": "01003",
                            "relation_to_head": "户主"})
    assert resp.status_code == 422 and "一户只有一位户主" in html(resp)
    resp = admin.post("/membership/households/01004/move",
                      data={"member_id": village["groom"], "household_no": "01003",
                            "relation_to_head": "女婿"})
    assert resp.status_code == 302
    resp = admin.post("/membership/households/01003/split",
                      data={"member_ids": [village["groom"]], "head_id": village["groom"]})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/membership/households/01004")
    resp = admin.post("/membership/households/01004/merge", data={"into_no": "01003"})
    assert resp.status_code == 302
    with app.app_context():
        groom = db.session.get(Member, village["groom"])
        assert (groom.household_no, groom.relation_to_head) == ("01003", "其他")
    assert admin.get("/membership/households/01004").status_code == 404
