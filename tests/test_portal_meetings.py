"""A member's meetings on /me/ (issue 13, "members see it"): meetings to come
with their agenda, meetings held with each item's outcome and resolution
number, the member's own attendance and votes (a secret ballot shows only
that they were there), never another member's vote, and another
cooperative's meeting is a 404."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.auth.api import create_user
from coop.cooperatives.api import get_by_code
from coop.dividends import approval
from coop.dividends.models import DividendPlan
from coop.extensions import db
from coop.governance import attendance, decisions, meetings
from coop.governance.constants import AttendanceMode, ItemKind
from coop.governance.meetings import ItemSpec
from coop.governance.models import Meeting
from coop.machinery.models import ServiceOrder
from coop.members.api import Member
from tests.conftest import PASSWORD
from tests.conftest_portal import MEMBERS

HELD_NOTICE, HELD_ON = date(2026, 5, 1), date(2026, 5, 20)
NEXT_NOTICE, NEXT_ON = date(2026, 6, 10), date(2026, 6, 25)
TODAY_BEFORE, TODAY_AFTER = date(2026, 5, 20), date(2026, 6, 1)


def _convene(coop_id: int, title: str, notice_on: date, meeting_on: date, items) -> Meeting:
    return meetings.convene_meeting(
        coop_id, regime="collective", body="assembly", title=title, meeting_on=meeting_on,
        place="村委会会议室", convened_by="理事会", notice_on=notice_on,
        items=[ItemSpec(kind=ItemKind.OTHER.value, title=t) for t in items])


@pytest.fixture
def met(app, portal_world, set_clock):
    """A meeting held on 2026-05-20 (CY0001 in person votes against item 1,
    CY0002 online and two others vote for; item 2 is a secret ballot), and a
    meeting to come on 2026-06-25. Today: 2026-06-01."""
    m = portal_world.members
    with app.app_context():
        coop = get_by_code(portal_world.code)
        set_clock(TODAY_BEFORE)
        held = _convene(coop.id, "2026年第一次成员大会", HELD_NOTICE, HELD_ON, ["修建村道", "选举监事"])
        attendance.record_attendance(held, m["CY0001"], mode=AttendanceMode.IN_PERSON.value)
        attendance.record_attendance(held, m["CY0002"], mode=AttendanceMode.ONLINE.value)
        for no in ("GB001", "CY0003"):
            attendance.record_attendance(held, m[no], mode=AttendanceMode.IN_PERSON.value)
        road, vote_ = held.items
        decisions.record_vote(road, m["CY0001"], "against")
        for no in ("CY0002", "GB001", "CY0003"):
            decisions.record_vote(road, m[no], "for")
        decisions.record_tally(vote_, votes_for=4, votes_against=0, votes_abstain=0)
        decisions.decide_item(road)
        decisions.decide_item(vote_)
        set_clock(TODAY_AFTER)
        coming = _convene(coop.id, "2026年第二次成员大会", NEXT_NOTICE, NEXT_ON, ["确认新成员资格"])
        db.session.commit()
        return {"held": held.id, "coming": coming.id,
                "resolutions": [i.resolution_no for i in held.items]}


def test_the_list_has_meetings_to_come_and_held(client, auth, met):
    auth.login("CY0001")
    text = client.get("/me/meetings").get_data(as_text=True)
    coming, held = text.index("即将召开"), text.index("已召开")
    assert coming < text.index("2026年第二次成员大会") < held < text.index("2026年第一次成员大会")
    assert f"/me/meetings/{met['coming']}" in text and f"/me/meetings/{met['held']}" in text


def test_home_counts_the_meetings_to_come(client, auth, met, set_clock):
    auth.login("CY0001")
    assert "即将召开 1 次会议" in client.get("/me/").get_data(as_text=True)
    set_clock(date(2026, 7, 1))
    assert "目前没有即将召开的会议" in client.get("/me/").get_data(as_text=True)


def test_the_agenda_of_a_meeting_to_come(client, auth, met):
    auth.login("CY0002")
    text = client.get(f"/me/meetings/{met['coming']}").get_data(as_text=True)
    for part in ("2026-06-25", "村委会会议室", "成员大会", "确认新成员资格", "还没有登记"):
        assert part in text, part


def test_a_held_meeting_shows_outcomes_resolution_numbers_and_own_votes(client, auth, met):
    auth.login("CY0001")
    text = client.get(f"/me/meetings/{met['held']}").get_data(as_text=True)
    assert "修建村道" in text and "选举监事" in text
    assert text.count("通过") >= 2
    for no in met["resolutions"]:
        assert no and f"决议编号 {no}" in text
    assert "现场参会" in text
    assert "您投了：反对" in text
    assert "赞成" not in text  # three others voted for: never shown to this member
    assert "无记名投票，您已参加" in text


def test_own_vote_is_the_members_own(client, auth, met):
    auth.login("CY0002")
    text = client.get(f"/me/meetings/{met['held']}").get_data(as_text=True)
    assert "线上参会" in text
    assert "您投了：赞成" in text and "反对" not in text


def test_a_proxy_shows_who_held_it(app, client, auth, portal_world, set_clock):
    m = portal_world.members
    with app.app_context():
        coop = get_by_code(portal_world.code)
        set_clock(HELD_ON)
        held = _convene(coop.id, "委托测试会议", HELD_NOTICE, HELD_ON, ["其他事项"])
        # CY0002 in CY0001's household, so the proxy is lawful (RCEO)
        db.session.get(Member, m["CY0002"]).household_no = "H001"
        attendance.record_attendance(held, m["CY0002"], mode=AttendanceMode.PROXY.value,
                                     proxy_holder_id=m["CY0001"], proxy_form="委托书 1 号")
        db.session.commit()
        held_id = held.id
    auth.login("CY0002")
    text = client.get(f"/me/meetings/{held_id}").get_data(as_text=True)
    assert "书面委托" in text and "受托人：张秀兰" in text


def test_a_member_without_attendance_sees_no_votes(client, auth, app, portal_world, met):
    with app.app_context():
        coop = get_by_code(portal_world.code)
        user, _ = create_user(coop, "JT001", "集体", "member", password=PASSWORD, must_change=False)
        user.member_id = portal_world.members["JT001"]
        db.session.commit()
    auth.login("JT001")
    text = client.get(f"/me/meetings/{met['held']}").get_data(as_text=True)
    assert "没有您的参会记录" in text
    assert "您投了" not in text and "无记名投票，您已参加" not in text


def test_another_cooperatives_meeting_is_a_404(app, client, auth, met, create_coop, set_clock):
    code = create_coop()
    with app.app_context():
        set_clock(TODAY_AFTER)
        other = _convene(get_by_code(code).id, "别社会议", NEXT_NOTICE, NEXT_ON, ["别社事项"])
        db.session.commit()
        other_id = other.id
    auth.login("CY0001")
    assert client.get(f"/me/meetings/{other_id}").status_code == 404
    assert "别社会议" not in client.get("/me/meetings").get_data(as_text=True)
    assert client.get("/me/meetings/999999").status_code == 404


def test_a_cancelled_meeting_is_not_shown(app, client, auth, met):
    with app.app_context():
        meetings.cancel_meeting(db.session.get(Meeting, met["coming"]))
        db.session.commit()
    auth.login("CY0001")
    assert client.get(f"/me/meetings/{met['coming']}").status_code == 404
    assert "2026年第二次成员大会" not in client.get("/me/meetings").get_data(as_text=True)


def test_staff_do_not_reach_the_members_meeting_pages(client, auth, met):
    auth.login("admin")
    assert client.get("/me/meetings").status_code == 403
    assert client.get(f"/me/meetings/{met['held']}").status_code == 403


# -- the plan open for review before the meeting (RCEO art 46, FSC art 40) ---------

DISCLOSED_ON = date(2026, 6, 5)
LINK = "查看分配方案（公开材料）"


@pytest.fixture
def disclosed(app, portal_world, met, set_clock):
    """The draft 2026 plan, reviewed and disclosed from 2026-06-05, on the
    agenda of a meeting on 2026-06-25. Today: 2026-06-01."""
    with app.app_context():
        coop = get_by_code(portal_world.code)
        plan = db.session.get(DividendPlan, portal_world.plans["2026"])
        approval.review_plan(plan, note="经审核，方案符合章程", user_id=None)
        approval.disclose_plan(plan, disclosed_on=DISCLOSED_ON)
        m = meetings.convene_meeting(
            coop.id, regime="collective", body="assembly", title="2026年分配方案表决大会",
            meeting_on=NEXT_ON, place="村委会会议室", convened_by="理事会", notice_on=NEXT_NOTICE,
            items=[ItemSpec(kind=ItemKind.DISTRIBUTION.value, title="2026 年度收益分配方案",
                            plan_id=plan.id),
                   ItemSpec(kind=ItemKind.OTHER.value, title="其他事项")])
        db.session.commit()
        return {"meeting": m.id, "item": m.items[0].id, "other_item": m.items[1].id}


def _plan_url(d) -> str:
    return f"/me/meetings/{d['meeting']}/plan/{d['item']}"


def test_the_plan_is_not_open_before_its_disclosure_date(client, auth, disclosed, set_clock):
    set_clock(date(2026, 6, 4))
    auth.login("CY0001")
    assert LINK not in client.get(f"/me/meetings/{disclosed['meeting']}").get_data(as_text=True)
    assert client.get(_plan_url(disclosed)).status_code == 404


def test_from_the_disclosure_date_the_meeting_links_to_the_plan(client, auth, disclosed, set_clock):
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    text = client.get(f"/me/meetings/{disclosed['meeting']}").get_data(as_text=True)
    assert LINK in text and _plan_url(disclosed) in text
    assert text.count(LINK) == 1  # the "other" item has no plan
    resp = client.get(_plan_url(disclosed))
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    for part in ("2026 年度收益分配方案", "2026-06-05", "2026年分配方案表决大会", "2026-06-25",
                 "公积金", "按股分红", "data-print", "测试村集体经济组织", "JT001"):
        assert part in page, part


def test_after_the_meeting_the_plan_reads_as_decided(app, client, auth, disclosed, set_clock):
    """Once its meeting has decided it, the plan is no longer called a draft
    put to a coming vote; it cites the law of this cooperative only."""
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    page = client.get(_plan_url(disclosed)).get_data(as_text=True)
    assert "收益分配方案（草案）公开查阅" in page
    assert "将提交 2026-06-25 召开的2026年分配方案表决大会（成员大会）表决" in page
    assert "《农村集体经济组织法》第四十六条" in page and "农民专业合作社法" not in page
    set_clock(date(2026, 6, 26))
    with app.app_context():
        meeting = db.session.get(Meeting, disclosed["meeting"])
        item = meeting.items[0]
        item.outcome, item.resolution_no = "passed", "股合〔2026〕1号"
        db.session.get(DividendPlan, item.plan_id).status = "approved"
        db.session.commit()
    page = client.get(_plan_url(disclosed)).get_data(as_text=True)
    assert "（草案）" not in page and "将提交" not in page
    assert ("已由 2026-06-25 召开的2026年分配方案表决大会（成员大会）表决通过"
            "（决议编号 股合〔2026〕1号）") in page


def test_the_members_own_row_is_highlighted_and_no_id_numbers(client, auth, disclosed, set_clock):
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    page = client.get(_plan_url(disclosed)).get_data(as_text=True)
    mine = [row for row in page.split("<tr") if 'class="pt-mine"' in row]
    assert len(mine) == 1 and "CY0001" in mine[0] and "张秀兰" in mine[0]
    assert "88,888.88" in mine[0]
    for _, _, _, _, id_number in MEMBERS:
        if id_number:
            assert id_number not in page and id_number[:6] not in page and id_number[-4:] not in page
    assert "身份证" not in page and "电话" not in page


def test_an_item_not_of_this_meeting_is_a_404(client, auth, disclosed, met, set_clock):
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    assert client.get(f"/me/meetings/{met['coming']}/plan/{disclosed['item']}").status_code == 404
    assert client.get(f"/me/meetings/{disclosed['meeting']}/plan/{disclosed['other_item']}"
                      ).status_code == 404
    assert client.get(f"/me/meetings/{disclosed['meeting']}/plan/999999").status_code == 404


def test_another_cooperatives_plan_is_a_404(app, client, auth, disclosed, create_coop, staff,
                                            set_clock):
    code = create_coop()
    with app.app_context():
        other = get_by_code(code)
        plan = DividendPlan(cooperative_id=other.id, year=2026, status="draft", mode="joint_stock",
                            record_date=date(2026, 12, 31), surplus_fen=100_00,
                            capital_pool_fen=100_00, total_weight=1, total_shares=1, line_count=0)
        db.session.add(plan)
        db.session.flush()
        approval.review_plan(plan, note="同意", user_id=None)
        approval.disclose_plan(plan, disclosed_on=DISCLOSED_ON)
        m = meetings.convene_meeting(
            other.id, regime="collective", body="assembly", title="别社大会", meeting_on=NEXT_ON,
            place="别村", convened_by="理事会", notice_on=NEXT_NOTICE,
            items=[ItemSpec(kind=ItemKind.DISTRIBUTION.value, title="别社方案", plan_id=plan.id)])
        db.session.commit()
        theirs = {"meeting": m.id, "item": m.items[0].id}
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    assert client.get(_plan_url(theirs)).status_code == 404
    assert client.get(f"/me/meetings/{disclosed['meeting']}/plan/{theirs['item']}").status_code == 404
    assert client.get(_plan_url(disclosed)).status_code == 200


def test_the_disclosed_plan_shows_the_years_operating_report(app, client, auth, disclosed,
                                                             portal_world, set_clock):
    """The operating report (经营情况) is disclosed with the plan: the year's
    service work by kind, and member and non-member business apart."""
    with app.app_context():
        coop = get_by_code(portal_world.code)
        member = db.session.scalar(select(Member).where(Member.cooperative_id == coop.id,
                                                        Member.member_no == "CY0001"))
        db.session.add(ServiceOrder(cooperative_id=coop.id, order_no="FW2026-0001",
                                    service_on=date(2026, 4, 10), member_id=member.id,
                                    service="sowing", area_cmu=12_50, unit_price_fen=40_00,
                                    amount_fen=500_00))
        db.session.commit()
    set_clock(DISCLOSED_ON)
    auth.login("CY0001")
    page = client.get(_plan_url(disclosed)).get_data(as_text=True)
    report = page.split("2026 年度经营情况")[1].split("分配方案")[0]
    assert "播种" in report and "500.00 元" in report and "1 单，12.50 亩" in report
    assert "本社成员" in report and "没有农机作业记录" not in report
