"""The confirmation list pages through the test client (issue 15): the
secretary gathers pending events, publishes the notice, records objections
and their outcome, and the convening page offers the list on notice; the
printed notice masks IDs; refusals come back with 422 next to the field."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from coop.governance import attendance, decisions
from coop.members.api import Member
from coop.governance.models import AgendaItem
from coop.membership.constants import EventStatus, ListStatus
from coop.membership.models import ConfirmationList, MembershipEvent, Objection
from tests.membership_roster_world import Village
from tests.test_governance_views import decide

HTMX = {"HX-Request": "true"}


@pytest.fixture
def village(app, staff, auth):
    auth.login("admin")
    with app.app_context():
        world = Village("t1")
        ids = dict(events=world.event_ids, baby=world.baby_event.id, bride=world.bride_event.id,
                   death=world.death_event.id, bride_id=world.bride.id)
    return ids


def make_list(client, village) -> int:
    resp = client.post("/membership/lists", data={"event_ids": [str(i) for i in village["events"]]})
    assert resp.status_code == 302
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def publish(client, list_id: int, start: str = "2026-06-15", days: str = "7"):
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    version = re.search(r'action="/membership/lists/%d/publish".*?name="version" type="hidden" value="(\d+)"'
                        % list_id, page, re.S).group(1)
    return client.post(f"/membership/lists/{list_id}/publish",
                       data={"notice_start": start, "notice_days": days, "version": version},
                       headers=HTMX)


def test_the_secretary_gathers_pending_events_into_a_list(client, village, app):
    page = client.get("/membership/lists").get_data(as_text=True)
    assert "待确认的变动（3 项）" in page and "成员B01（出生，2026-03-01）" in page
    list_id = make_list(client, village)
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "2026年第1批成员身份确认名单" in page and "草稿" in page
    assert "1502**********" in page            # IDs masked
    with app.app_context():
        assert {e.status for e in db.session.scalars(select(MembershipEvent))} == {EventStatus.LISTED}


def test_a_list_of_nothing_is_refused_with_422(client, village, fingerprint):
    before = fingerprint()
    resp = client.post("/membership/lists", data={}, headers=HTMX)
    assert resp.status_code == 422 and "请至少选择一项" in resp.get_data(as_text=True)
    resp = client.post("/membership/lists", data={"event_ids": ["999999"]}, headers=HTMX)
    assert resp.status_code == 422 and "请刷新页面后重新选择" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_publish_refuses_a_start_in_the_past_then_publishes(client, village, app):
    list_id = make_list(client, village)
    resp = publish(client, list_id, start="2026-06-14")
    assert resp.status_code == 422
    assert "不能早于发布公示之日（2026-06-15）" in resp.get_data(as_text=True)
    resp = publish(client, list_id)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == f"/membership/lists/{list_id}"
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "2026-06-15 起 7 日，至 2026-06-21 期满；2026-06-22 起可提交成员大会表决" in page
    with app.app_context():
        assert db.session.get(ConfirmationList, list_id).status == ListStatus.NOTICED


def test_objection_and_its_outcome(client, village, app):
    list_id = make_list(client, village)
    publish(client, list_id)
    resp = client.post(f"/membership/lists/{list_id}/objections", headers=HTMX,
                       data={"raised_by": "", "raised_on": "2026-06-15", "content": ""})
    assert resp.status_code == 422 and "请填写异议人" in resp.get_data(as_text=True)
    resp = client.post(f"/membership/lists/{list_id}/objections",
                       data={"raised_by": "成员A03", "raised_on": "2026-06-15", "event_id": str(village["bride"]),
                             "content": "户口尚未迁入"})
    assert resp.status_code == 302
    with app.app_context():
        objection = db.session.scalar(select(Objection))
        assert (objection.raised_by, objection.event_id) == ("成员A03", village["bride"])
    resp = client.post(f"/membership/objections/{objection.id}/outcome",
                       data={f"o{objection.id}-outcome": "已核实户口迁入证明，异议不成立",
                             f"o{objection.id}-outcome_on": "2026-06-15"})
    assert resp.status_code == 302
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "处理结果（2026-06-15）：已核实户口迁入证明，异议不成立" in page


def test_the_printed_notice_masks_ids_and_states_the_days(client, village, app):
    list_id = make_list(client, village)
    publish(client, list_id)
    page = client.get(f"/membership/lists/{list_id}/notice").get_data(as_text=True)
    assert "成员身份确认公示" in page and "2026-06-15 至 2026-06-21，共 7 日" in page
    assert "第五十六条" in page and "（盖章）" in page
    assert not re.search(r"\d{17}[\dX]", page)      # no full ID anywhere
    assert "增加（出生）" in page and "减少（死亡）" in page


def test_the_convening_page_offers_the_noticed_list(client, village, app):
    list_id = make_list(client, village)
    assert f'<option value="{list_id}">' not in client.get("/meetings/new").get_data(as_text=True)
    publish(client, list_id)
    page = client.get("/meetings/new").get_data(as_text=True)
    assert f'<option value="{list_id}">2026年第1批成员身份确认名单（公示至 2026-06-21，2026-06-22 起可表决）' in page
    form = {"body": "assembly", "title": "成员大会", "meeting_on": "2026-06-21", "notice_on": "2026-06-11", "starts_at": "09:00",
            "place": "村委会", "convened_by": "理事会", "items-0-kind": "membership", "items-0-title": "",
            "items-0-membership_list_id": str(list_id)}
    resp = client.post("/meetings/", data=form, headers=HTMX)
    assert resp.status_code == 422 and "2026-06-22 起才能提交表决" in resp.get_data(as_text=True)
    form.update({"meeting_on": "2026-06-26", "notice_on": "2026-06-15"})
    assert client.post("/meetings/", data=form).status_code == 302
    with app.app_context():
        item = db.session.scalar(select(AgendaItem))
        assert (item.membership_list_id, item.title) == (list_id, "2026年第1批成员身份确认名单（公示至 2026-06-21，2026-06-22 起可表决）")
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "已列入 2026-06-26 的会议议程" in page


def test_a_list_cannot_be_chosen_for_another_kind_of_item(client, village):
    list_id = make_list(client, village)
    publish(client, list_id)
    form = {"body": "assembly", "title": "成员大会", "meeting_on": "2026-06-26", "notice_on": "2026-06-15", "starts_at": "09:00",
            "place": "村委会", "convened_by": "理事会", "items-0-kind": "other", "items-0-title": "修路",
            "items-0-membership_list_id": str(list_id)}
    resp = client.post("/meetings/", data=form, headers=HTMX)
    assert resp.status_code == 422 and "只有“成员身份确认”议题关联确认名单" in resp.get_data(as_text=True)


@pytest.mark.parametrize("role", ["accountant", "supervisor"])
def test_staff_read_the_list_without_forms(client, village, auth, role):
    list_id = make_list(client, village)
    auth.logout()
    auth.login(role)
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "2026年第1批成员身份确认名单" in page
    assert "发布公示" not in page and "移出" not in page
    assert client.post(f"/membership/lists/{list_id}/publish", data={}).status_code == 403


def test_a_refusal_on_a_panel_not_shown_is_still_shown(client, village):
    """An objection to a draft, a notice of a noticed list: the refusal comes
    back with its form (422), not swallowed because the panel is hidden."""
    list_id = make_list(client, village)
    resp = client.post(f"/membership/lists/{list_id}/objections", headers=HTMX,
                       data={"raised_by": "张三", "raised_on": "2026-06-15", "content": "x"})
    assert resp.status_code == 422 and "只有公示中（尚未表决）的名单可以登记异议" in resp.get_data(as_text=True)
    publish(client, list_id)
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    version = re.search(r'action="/membership/lists/%d/withdraw".*?name="version" type="hidden" value="(\d+)"'
                        % list_id, page, re.S).group(1)
    resp = client.post(f"/membership/lists/{list_id}/publish", headers=HTMX,
                       data={"notice_start": "2026-06-15", "notice_days": "7", "version": version})
    assert resp.status_code == 422 and "内容不能再更改" in resp.get_data(as_text=True)
    resp = client.post(f"/membership/lists/{list_id}/withdraw", data={"version": version})
    assert resp.status_code == 302
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "发布公示" in page and "尚未公示" in page


def test_the_assembly_decides_the_list_through_the_meeting_pages(client, village, app, set_clock):
    """Convened with the list, voted, decided on the item page: the list is
    decided, its people confirmed, and roster version 1 shows them added."""
    list_id = make_list(client, village)
    publish(client, list_id)
    form = {"body": "assembly", "title": "2026年第二次成员大会", "meeting_on": "2026-06-26",
            "notice_on": "2026-06-15", "starts_at": "09:00", "place": "村委会", "convened_by": "理事会",
            "items-0-kind": "membership", "items-0-title": "", "items-0-membership_list_id": str(list_id)}
    assert client.post("/meetings/", data=form).status_code == 302
    set_clock(date(2026, 6, 26))
    with app.app_context():
        item = db.session.scalar(select(AgendaItem))
        item_id = item.id
        for member in db.session.scalars(select(Member).where(Member.member_no.like("A%"))):
            attendance.record_attendance(item.meeting, member.id, mode="in_person", present=True)
            decisions.record_vote(item, member.id, "for")
        db.session.commit()
    resp = decide(client, item_id)
    assert resp.status_code == 302
    page = client.get(f"/membership/lists/{list_id}").get_data(as_text=True)
    assert "已决议" in page and "决议编号 2026-001" in page and "名单上的变动已全部确认" in page
    page = client.get("/membership/rosters").get_data(as_text=True)
    assert "第 1 版" in page and "决议 2026-001" in page
    with app.app_context():
        assert db.session.get(Member, village["bride_id"]).status == "active"
