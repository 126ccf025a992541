"""Distribution rights for a non-member (《农村集体经济组织法》第十五条): the
grant by a member-assembly resolution with 3/4 of ALL members for, the flag
on the Member row, and the roster of voters that leaves them out (and out of
the two thirds of ALL members)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance import attendance, decisions, meetings
from coop.governance.constants import AttendanceMode, Body, ItemKind, Regime
from coop.governance.meetings import ItemSpec
from coop.governance.roster import entitled_on, entitled_voters
from coop.members.api import Member, create_member
from coop.membership.models import DistributionRight
from coop.membership.rights import Person, RecordedResolution, grant_rights
from tests.conftest_members import make_id

NOTICE_ON = date(2026, 6, 15)
MEETING_ON = date(2026, 7, 1)


def person(no: str = "F001", n: int = 900) -> Person:
    return Person(member_no=no, name="外来技术员", id_number=make_id(n), household_no="F01",
                  village_group="一组")


@pytest.fixture
def coop(app, create_coop):
    code = create_coop()
    with app.app_context():
        cooperative = get_by_code(code)
        for i in range(1, 9):
            create_member(cooperative, member_no=f"A{i:02d}", name=f"成员{i}", kind="villager",
                          household_no=f"H{i:02d}", id_number=make_id(i), joined_on=date(2023, 3, 15))
        db.session.commit()
        yield cooperative


def assembly(coop, votes_for: int, *, body: str = Body.ASSEMBLY, set_clock=None):
    meeting = meetings.convene_meeting(
        coop.id, regime=Regime.COLLECTIVE, body=body, title="2026年第一次成员大会",
        meeting_on=MEETING_ON, place="村委会", convened_by="理事会", notice_on=NOTICE_ON,
        items=[ItemSpec(kind=ItemKind.OTHER, title="给予外来技术员收益分配权")])
    set_clock(MEETING_ON)
    voters = entitled_voters(meeting).voters
    for m in voters:
        attendance.record_attendance(meeting, m.id, mode=AttendanceMode.IN_PERSON.value, present=True)
    decisions.record_tally(meeting.items[0], votes_for=votes_for, votes_against=len(voters) - votes_for,
                           votes_abstain=0)
    return decisions.decide_item(meeting.items[0]).item


def test_a_resolution_with_three_quarters_of_all_members_grants_the_rights(coop, set_clock):
    item = assembly(coop, 6, set_clock=set_clock)           # 6 of 8: exactly 3/4
    right = grant_rights(coop, person(), item_id=item.id, granted_on=MEETING_ON)
    member = db.session.get(Member, right.member_id)
    assert member.distribution_rights_only and member.status == "active"
    assert (right.votes_for, right.all_members, right.resolution_no) == (6, 8, item.resolution_no)
    assert right.resolved_on == MEETING_ON


def test_a_resolution_passed_by_two_thirds_but_short_of_three_quarters_grants_nothing(coop, set_clock):
    create_member(coop, member_no="A09", name="成员9", kind="villager", household_no="H09",
                  id_number=make_id(9), joined_on=date(2023, 3, 15))
    item = assembly(coop, 6, set_clock=set_clock)           # 6 of 9: 2/3 passes, 3/4 does not
    assert item.outcome == "passed"
    with pytest.raises(ValidationFailed) as err:
        grant_rights(coop, person(), item_id=item.id, granted_on=MEETING_ON)
    assert err.value.errors["item_id"].startswith("《农村集体经济组织法》第十五条")
    assert db.session.scalar(select(Member).where(Member.member_no == "F001")) is None
    assert db.session.scalar(select(DistributionRight)) is None


def test_a_recorded_resolution_is_checked_on_its_own_counts(coop):
    recorded = RecordedResolution("乌三股合〔2024〕5号", date(2024, 12, 1), 149, 200)
    with pytest.raises(ValidationFailed) as err:
        grant_rights(coop, person(), recorded=recorded, granted_on=date(2025, 1, 1))
    assert "至少需 150 人同意，决议只有 149 人同意" in err.value.errors["votes_for"]
    right = grant_rights(coop, person(), recorded=replace(recorded, votes_for=150),
                         granted_on=date(2025, 1, 1))
    assert right.agenda_item_id is None and right.resolution_no == "乌三股合〔2024〕5号"


def test_missing_resolution_and_person_fields_are_all_named(coop):
    with pytest.raises(ValidationFailed) as err:
        grant_rights(coop, Person(member_no="", name=""), recorded=None, granted_on=None)
    assert {"resolution_no", "resolved_on", "votes_for", "all_members", "granted_on",
            "member_no", "name"} <= set(err.value.errors)


def test_an_item_of_another_cooperative_or_a_failed_one_is_refused(app, coop, create_coop, set_clock):
    other = get_by_code(create_coop("t9"))
    for i in range(1, 5):
        create_member(other, member_no=f"B{i:02d}", name=f"乙{i}", kind="villager",
                      household_no=f"G{i:02d}", id_number=make_id(200 + i), joined_on=date(2023, 3, 15))
    item = assembly(other, 4, set_clock=set_clock)
    with pytest.raises(ValidationFailed) as err:
        grant_rights(coop, person(), item_id=item.id, granted_on=MEETING_ON)
    assert err.value.errors["item_id"] == "请选择本社成员大会已通过的决议"


def test_a_rights_only_person_is_no_voter_and_not_in_the_two_thirds(coop, set_clock):
    grant_rights(coop, person(), recorded=RecordedResolution("2024-9", date(2024, 12, 1), 8, 8),
                 granted_on=date(2025, 1, 1))
    roster = entitled_on(coop.id, Regime.COLLECTIVE, Body.ASSEMBLY, MEETING_ON)
    assert roster.count == 8 and "F001" not in {m.member_no for m in roster.voters}
    meeting = meetings.convene_meeting(
        coop.id, regime=Regime.COLLECTIVE, body=Body.ASSEMBLY, title="成员大会", meeting_on=MEETING_ON,
        place="村委会", convened_by="理事会", notice_on=NOTICE_ON,
        items=[ItemSpec(kind=ItemKind.OTHER, title="审议事项")])
    set_clock(MEETING_ON)
    rights_only = db.session.scalar(select(Member).where(Member.member_no == "F001"))
    with pytest.raises(ServiceError) as err:
        attendance.record_attendance(meeting, rights_only.id, mode=AttendanceMode.IN_PERSON.value,
                                     present=True)
    assert "《农村集体经济组织法》第十五条" in err.value.message and "不参加表决" in err.value.message
    voters = entitled_voters(meeting).voters
    for m in voters[:6]:
        attendance.record_attendance(meeting, m.id, mode=AttendanceMode.IN_PERSON.value, present=True)
    decisions.record_tally(meeting.items[0], votes_for=6, votes_against=0, votes_abstain=0)
    item = decisions.decide_item(meeting.items[0]).item
    # 2/3 of ALL 8 members is 6: the ninth person would have made it 7
    assert (item.entitled, item.needed_for, item.outcome) == (8, 6, "passed")


def test_the_member_page_and_the_roster_show_the_flag(app, client, auth, staff):
    with app.app_context():
        coop = get_by_code("t1")
        right = grant_rights(coop, person(), recorded=RecordedResolution(
            "乌三股合〔2024〕5号", date(2024, 12, 1), 150, 200), granted_on=date(2025, 1, 1))
        db.session.commit()
        member_id = right.member_id
    auth.login("supervisor")
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert 'id="rights-only-flag"' in page and "乌三股合〔2024〕5号" in page
    assert "全体成员 200 人中 150 人同意" in page and "不参加表决" in page
    assert "在册成员一人一票" not in page
    assert "非成员·仅享有分配权" in client.get("/members/?q=F001").get_data(as_text=True)
    assert "外来技术员" in client.get("/membership/rights").get_data(as_text=True)


def test_the_secretary_grants_the_rights_through_the_page(app, client, auth, staff, fingerprint):
    auth.login("admin")
    assert "登记非成员收益分配权" in client.get("/membership/rights/new").get_data(as_text=True)
    data = {"member_no": "F001", "name": "外来技术员", "id_number": make_id(900),
            "household_no": "F01", "resolution_no": "乌三股合〔2024〕5号", "resolved_on": "2024-12-01",
            "votes_for": "149", "all_members": "200", "granted_on": "2025-01-01"}
    before = fingerprint()
    resp = client.post("/membership/rights", data=data, headers={"HX-Request": "true"})
    assert resp.status_code == 422 and "《农村集体经济组织法》第十五条" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post("/membership/rights", data={**data, "votes_for": "150"})
    assert resp.status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.member_no == "F001"))
        assert member.distribution_rights_only
