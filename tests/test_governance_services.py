"""Governance services (issue 13): convening, the roster on the meeting day,
attendance and proxies, votes and secret ballots, the decision through
``check_resolution``, the forecast, resolutions and a member's own record;
for each regime and body, at the boundaries (a failed quorum, one vote
short, exactly enough)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import update

from coop.cooperatives.api import get_by_code
from coop.errors import RecordNotFound, ServiceError, StaleRecordError, ValidationFailed
from coop.extensions import db
from coop.governance import api, attendance, decisions, meetings
from coop.governance.by_charter import (add_representative_under_charter, bodies_of, charter_of,
                                        convene_under_charter, regime_of)
from coop.governance.charter import Charter
from coop.governance.constants import AttendanceMode, Body, ItemKind, MeetingStatus, Regime
from coop.governance.meetings import ItemSpec
from coop.governance.api import MemberCapital, vote_basis_requested
from coop.governance.models import AgendaItem, Attendance, Meeting
from coop.governance.roster import entitled_voters
from coop.governance.votes import MemberExtraVotes
from coop.members.api import Member, change_status, create_member
from tests.conftest_members import make_id

NOTICE_ON = date(2026, 6, 15)   # the suite's fixed today
MEETING_ON = date(2026, 7, 1)   # 16 days later
ADULT = date(1980, 1, 1)
MINOR = date(2010, 5, 1)        # 16 on the meeting day
IN_PERSON = AttendanceMode.IN_PERSON.value


class World:
    """One cooperative's roster, built through the members service."""

    def __init__(self, code: str):
        self.coop = get_by_code(code)
        self.n = 0
        self.ids: dict[str, int] = {}

    def member(self, no: str, *, born: date = ADULT, household: str | None = None,
               kind: str = "villager", phone: str = "") -> int:
        self.n += 1
        fields = {"member_no": no, "name": f"成员{no}", "kind": kind, "joined_on": date(2023, 3, 15),
                  "phone": phone}
        if kind != "collective":
            fields.update(household_no=household or f"H{no}",
                          id_number=make_id(self.n + 100 * self.coop.id, born))
        member = create_member(self.coop, **fields)
        self.ids[no] = member.id
        return member.id

    def adults(self, count: int, prefix: str = "A") -> list[int]:
        return [self.member(f"{prefix}{i:02d}", phone=f"138000000{i:02d}") for i in range(1, count + 1)]

    def meeting(self, *, regime: str = Regime.COLLECTIVE, body: str = Body.ASSEMBLY,
                kind: str = ItemKind.OTHER, notice_on: date = NOTICE_ON,
                meeting_on: date = MEETING_ON, plan_id: int | None = None) -> Meeting:
        return meetings.convene_meeting(
            self.coop.id, regime=regime, body=body, title="2026年第一次成员大会",
            meeting_on=meeting_on, place="村委会会议室", convened_by="理事会",
            notice_on=notice_on, items=[ItemSpec(kind=kind, title="审议事项", plan_id=plan_id)])


@pytest.fixture
def world(app, create_coop, set_clock):
    code = create_coop()
    with app.app_context():
        yield World(code)


def sign_in(meeting: Meeting, member_ids, **kwargs) -> None:
    for member_id in member_ids:
        attendance.record_attendance(meeting, member_id, mode=kwargs.get("mode", IN_PERSON), present=True)


def vote(item: AgendaItem, member_ids, choice: str) -> None:
    for member_id in member_ids:
        decisions.record_vote(item, member_id, choice)


def on_meeting_day(set_clock) -> None:
    set_clock(MEETING_ON)


# -- the rural collective's member assembly (RCEO art 26-27) ---------------------

@pytest.fixture
def rceo(world):
    """Nine adults (A01-A09), a minor (K01, household of A01) and the
    collective entity: nine are entitled."""
    people = world.adults(9)
    world.member("K01", born=MINOR, household="HA01")
    world.member("C000", kind="collective")
    db.session.commit()
    return world, people


def test_rceo_roster_is_the_adults_on_the_meeting_day(rceo):
    world, people = rceo
    meeting = world.meeting()
    roster = api_roster(meeting)
    assert roster == set(people)
    # turning 18 on the meeting day counts, that day included
    eighteen = world.member("K02", born=date(2008, 7, 1))
    assert eighteen in api_roster(meeting)


def api_roster(meeting: Meeting) -> set[int]:
    return entitled_voters(meeting).ids


def test_rceo_minor_is_not_entitled(rceo):
    world, people = rceo
    meeting = world.meeting()
    with pytest.raises(ServiceError) as refused:
        attendance.record_attendance(meeting, world.ids["K01"], mode=IN_PERSON, present=False)
    assert "《农村集体经济组织法》第二十六条" in refused.value.message
    assert "未满十八周岁" in refused.value.message
    with pytest.raises(ServiceError) as refused:
        attendance.record_attendance(meeting, world.ids["C000"], mode=IN_PERSON, present=False)
    assert "不是自然人成员" in refused.value.message


def test_rceo_failed_quorum_is_recorded_as_failed(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    item = meeting.items[0]
    on_meeting_day(set_clock)
    sign_in(meeting, people[:5])           # 5 of 9: 3*5 < 2*9
    vote(item, people[:5], "for")
    decision = decisions.decide_item(item)
    db.session.commit()
    assert not decision.verdict.passed and not decision.verdict.quorum_met
    assert item.outcome == "failed" and item.resolution_no is None
    assert (item.entitled, item.present, item.votes_for, item.quorum_met) == (9, 5, 5, False)
    assert any("第二十七条" in r and "需 6 人，实到 5 人" in r for r in item.reasons)
    assert meeting.status == MeetingStatus.HELD
    assert api.resolutions(world.coop.id) == []


def test_rceo_failed_quorum_may_be_declared_without_votes(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    on_meeting_day(set_clock)
    sign_in(meeting, people[:2])
    decision = decisions.decide_item(meeting.items[0])
    assert decision.item.outcome == "failed" and decision.item.votes_for == 0


def test_rceo_quorum_met_needs_the_votes_recorded(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    with pytest.raises(ServiceError, match="请先逐人记录表决"):
        decisions.decide_item(meeting.items[0])
    assert meeting.items[0].outcome is None


def test_rceo_one_vote_short_fails(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    item = meeting.items[0]
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    vote(item, people[:5], "for")          # 3*5 < 2*9: two thirds of ALL is 6
    vote(item, people[5:], "abstain")
    decision = decisions.decide_item(item)
    assert decision.verdict.quorum_met and not decision.verdict.passed
    assert (item.outcome, item.needed_for, item.votes_for, item.votes_abstain) == ("failed", 6, 5, 4)
    assert any("全体成员三分之二以上同意" in r and "差 1 票" in r for r in item.reasons)


def test_rceo_exactly_enough_passes_with_a_resolution_number(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    item = meeting.items[0]
    on_meeting_day(set_clock)
    sign_in(meeting, people[:6])           # exactly the quorum
    vote(item, people[:6], "for")          # exactly two thirds of all nine
    decision = decisions.decide_item(item, user_id=None)
    db.session.commit()
    assert decision.verdict.passed
    assert (item.outcome, item.resolution_no, item.needed_for, item.notice_days) == (
        "passed", "2026-001", 6, 16)
    listed = api.resolutions(world.coop.id)
    assert [r.resolution_no for r in listed] == ["2026-001"]
    assert api.find_resolution(world.coop.id, "2026-001").item_id == item.id
    assert api.find_resolution(world.coop.id, "2026-002") is None
    with pytest.raises(ServiceError, match="已表决完毕"):
        decisions.record_vote(item, people[7], "for")
    with pytest.raises(ServiceError, match="已表决完毕"):
        decisions.decide_item(item)


def test_rceo_notice_under_ten_days_is_refused(rceo):
    world, _ = rceo
    with pytest.raises(ValidationFailed) as refused:
        world.meeting(meeting_on=NOTICE_ON + timedelta(days=9))
    assert "《农村集体经济组织法》第二十七条" in refused.value.errors["meeting_on"]
    assert "2026-06-25" in refused.value.errors["meeting_on"]
    assert world.meeting(meeting_on=NOTICE_ON + timedelta(days=10)).notice_days == 10


def test_rceo_one_person_one_vote_refuses_extra_votes(rceo):
    # extra votes are computed by a specialized cooperative's charter, never typed:
    # a rural collective's meeting refuses any handed to it
    world, people = rceo
    with pytest.raises(ValidationFailed) as refused:
        meetings.convene_meeting(
            world.coop.id, regime=Regime.COLLECTIVE, body=Body.ASSEMBLY, title="成员大会",
            meeting_on=MEETING_ON, place="村委会", convened_by="理事会", notice_on=NOTICE_ON,
            extra_votes=[MemberExtraVotes(people[0], 1_000_000, 0, 1, 0, 1)])
    assert "一人一票" in refused.value.errors["extra_votes"]
    assert "第二十七条" in refused.value.errors["extra_votes"]


def test_rceo_proxy_from_another_household_is_refused(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    on_meeting_day(set_clock)
    with pytest.raises(ValidationFailed) as refused:
        attendance.record_attendance(meeting, people[0], mode="proxy", proxy_holder_id=people[1],
                                     proxy_form="委托书 001")
    message = refused.value.errors["proxy_holder_id"]
    assert "《农村集体经济组织法》第二十七条" in message and "不是同一户" in message
    assert db.session.query(Attendance).count() == 0


def test_rceo_proxy_needs_an_adult_of_the_same_household(rceo, set_clock):
    world, people = rceo
    spouse = world.member("B01", household="HA01")
    meeting = world.meeting()
    on_meeting_day(set_clock)
    with pytest.raises(ValidationFailed) as refused:   # the household's minor cannot hold it
        attendance.record_attendance(meeting, people[0], mode="proxy",
                                     proxy_holder_id=world.ids["K01"], proxy_form="委托书 001")
    assert "年满十八周岁" in refused.value.errors["proxy_holder_id"]
    with pytest.raises(ValidationFailed) as refused:   # the written form is required
        attendance.record_attendance(meeting, people[0], mode="proxy", proxy_holder_id=spouse)
    assert "proxy_form" in refused.value.errors
    row = attendance.record_attendance(meeting, people[0], mode="proxy", proxy_holder_id=spouse,
                                       proxy_form="委托书 001")
    assert (row.proxy_holder_id, row.proxy_form, row.is_present) == (spouse, "委托书 001", True)
    vote(meeting.items[0], [people[0]], "for")        # the holder's vote counts for the member


def test_rceo_sign_in_only_from_the_meeting_day(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    with pytest.raises(ValidationFailed) as refused:
        attendance.record_attendance(meeting, people[0], mode=IN_PERSON, present=True)
    assert "当天起才能签到" in refused.value.errors["status"]
    confirmed = attendance.record_attendance(meeting, people[0], mode=IN_PERSON, present=False)
    assert not confirmed.is_present
    on_meeting_day(set_clock)
    with pytest.raises(ServiceError, match="没有签到参会"):   # confirmed is not signed in
        decisions.record_vote(meeting.items[0], people[0], "for")


def test_rceo_distribution_needs_ten_days_of_disclosure(rceo, set_clock):
    world, people = rceo
    plan_id = _plan(world.coop.id)
    meeting = world.meeting(kind=ItemKind.DISTRIBUTION, plan_id=plan_id)
    item = meeting.items[0]
    with pytest.raises(ValidationFailed) as refused:   # a plan is on one open item at a time
        world.meeting(kind=ItemKind.DISTRIBUTION, plan_id=plan_id)
    assert "已列入" in refused.value.errors["items-0-plan_id"]
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    vote(item, people, "for")
    plan = _reviewed(world.coop.id, plan_id)
    with pytest.raises(ValidationFailed) as refused:
        decisions.decide_item(item)
    assert "第四十六条" in refused.value.errors["disclosed_on"]
    plan.disclosed_on = MEETING_ON - timedelta(days=9)   # the plan's record, not a typed date
    decision = decisions.decide_item(item, disclosed_on=MEETING_ON - timedelta(days=30))
    assert not decision.verdict.passed and item.disclosed_days == 9
    assert any("第四十六条" in r and "少 1 日" in r for r in item.reasons)
    assert api.decided_item_for_plan(world.coop.id, plan_id).id == item.id
    # put to a new meeting, disclosed ten days before it: passes
    again = world.meeting(kind=ItemKind.DISTRIBUTION, plan_id=plan_id, notice_on=MEETING_ON,
                          meeting_on=MEETING_ON + timedelta(days=10))
    set_clock(MEETING_ON + timedelta(days=10))
    sign_in(again, people)
    vote(again.items[0], people, "for")
    plan.disclosed_on = MEETING_ON
    decided = decisions.decide_item(again.items[0])
    assert decided.verdict.passed and plan.status == "approved"
    assert api.decided_item_for_plan(world.coop.id, plan_id).id == again.items[0].id
    with pytest.raises(ValidationFailed) as refused:
        world.meeting(kind=ItemKind.DISTRIBUTION, plan_id=plan_id, notice_on=MEETING_ON + timedelta(days=10),
                      meeting_on=MEETING_ON + timedelta(days=20))
    assert "已经由" in refused.value.errors["items-0-plan_id"]


def _reviewed(coop_id: int, plan_id: int):
    """The plan's year closed and the plan reviewed by the supervisor: only
    its disclosure is missing before a meeting may vote on it."""
    from coop.dividends.models import DividendPlan
    from coop.machinery.api import close_year

    close_year(coop_id, 2025, None)
    plan = db.session.get(DividendPlan, plan_id)
    plan.reviewed_at = datetime(2026, 6, 1)
    db.session.flush()
    return plan


def _plan(coop_id: int, year: int = 2025) -> int:
    from coop.dividends.models import DividendPlan

    plan = DividendPlan(cooperative_id=coop_id, year=year, mode="joint_stock",
                        record_date=date(year, 12, 31))
    db.session.add(plan)
    db.session.flush()
    return plan.id


def test_secret_ballot_over_the_attendance_is_refused(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    item = meeting.items[0]
    on_meeting_day(set_clock)
    sign_in(meeting, people[:7])
    with pytest.raises(ValidationFailed) as refused:
        decisions.record_tally(item, votes_for=6, votes_against=1, votes_abstain=0, invalid=1)
    assert "合计 8 票，多于签到参会的 7 人" in refused.value.errors["votes_for"]
    with pytest.raises(ValidationFailed):
        decisions.record_tally(item, votes_for=-1, votes_against=0, votes_abstain=0)
    tally = decisions.record_tally(item, votes_for=6, votes_against=0, votes_abstain=0, invalid=1)
    with pytest.raises(ServiceError, match="无记名投票"):
        decisions.record_vote(item, people[0], "for")
    decision = decisions.decide_item(item)
    assert decision.verdict.passed and (item.votes_for, item.present) == (6, 7)
    assert tally.invalid == 1


def test_unreadable_id_is_counted_and_listed(rceo):
    world, people = rceo
    db.session.execute(update(Member).where(Member.id == people[0]).values(id_number=None))
    meeting = world.meeting()
    forecast = attendance.forecast(meeting)
    assert forecast.entitled == 9
    assert [a.member_id for a in forecast.unknown_age] == [people[0]]


def test_forecast_before_the_meeting(rceo):
    world, people = rceo
    meeting = world.meeting()
    for member_id in people[:4]:
        attendance.record_attendance(meeting, member_id, mode=IN_PERSON, present=False)
    forecast = attendance.forecast(meeting)
    assert (forecast.entitled, forecast.confirmed, forecast.present) == (9, 4, 0)
    assert (forecast.needed_for_quorum, forecast.more_for_quorum) == (6, 2)
    assert [(f.needed_for, f.more_for_majority) for f in forecast.items] == [(6, 2)]
    assert [a.member_no for a in forecast.not_confirmed] == ["A05", "A06", "A07", "A08", "A09"]
    assert forecast.not_confirmed[0].phone == "13800000005"


# -- the rural collective's representative assembly (RCEO art 28) ----------------

@pytest.fixture
def reps(world):
    """Thirty households (A01-A30); three representatives (A01-A03) for
    households 1-5, 6-10 and 11-15, term 2025-2029."""
    people = world.adults(30)
    for i, member_id in enumerate(people[:3]):
        meetings.add_representative(world.coop.id, member_id, term_start=date(2025, 1, 1),
                                    term_end=date(2029, 12, 31),
                                    households=[f"HA{h:02d}" for h in range(5 * i + 1, 5 * i + 6)])
    db.session.commit()
    return world, people


def test_representative_assembly_refused_on_membership(reps, set_clock):
    world, people = reps
    with pytest.raises(ValidationFailed, match="第二十八条"):   # refused when convened
        world.meeting(body=Body.REPRESENTATIVES, kind=ItemKind.MEMBERSHIP)
    # and refused again when decided, for an item that got there otherwise
    meeting = world.meeting(body=Body.REPRESENTATIVES)
    item = meeting.items[0]
    item.kind = ItemKind.MEMBERSHIP.value
    assert api_roster(meeting) == set(people[:3])
    on_meeting_day(set_clock)
    sign_in(meeting, people[:3])
    vote(item, people[:3], "for")
    decision = decisions.decide_item(item)
    assert not decision.verdict.passed and decision.verdict.quorum_met
    assert item.outcome == "failed" and item.resolution_no is None
    assert any("《农村集体经济组织法》第二十八条" in r and "须由成员大会决定" in r for r in item.reasons)


def test_representative_assembly_decides_by_two_thirds_of_all_representatives(reps, set_clock):
    world, people = reps
    meeting = world.meeting(body=Body.REPRESENTATIVES)
    on_meeting_day(set_clock)
    with pytest.raises(ServiceError) as refused:       # not a representative
        attendance.record_attendance(meeting, people[5], mode=IN_PERSON)
    assert "第二十八条" in refused.value.message
    with pytest.raises(ValidationFailed) as refused:   # a representative attends in person
        attendance.record_attendance(meeting, people[0], mode="proxy", proxy_holder_id=people[1],
                                     proxy_form="委托书")
    assert "不能委托他人" in refused.value.errors["proxy_holder_id"]
    sign_in(meeting, people[:3])
    item = meeting.items[0]
    vote(item, people[:1], "for")                      # 1 of 3: one short
    vote(item, people[1:3], "against")
    assert decisions.decide_item(item).item.outcome == "failed" and item.needed_for == 2
    second = world.meeting(body=Body.REPRESENTATIVES, notice_on=MEETING_ON,
                           meeting_on=MEETING_ON + timedelta(days=3))
    set_clock(MEETING_ON + timedelta(days=3))
    sign_in(second, people[:3])
    vote(second.items[0], people[:2], "for")           # exactly two thirds
    assert decisions.decide_item(second.items[0]).verdict.passed


def test_representatives_terms_and_households(reps):
    world, people = reps
    with pytest.raises(ValidationFailed) as refused:
        meetings.add_representative(world.coop.id, people[3], term_start=date(2025, 1, 1),
                                    term_end=date(2029, 12, 31), households="HA16,HA17,HA18,HA19")
    assert "第二十八条" in refused.value.errors["households"] and "4 户" in refused.value.errors["households"]
    with pytest.raises(ValidationFailed) as refused:
        meetings.add_representative(world.coop.id, people[3], term_start=date(2025, 1, 1),
                                    term_end=date(2030, 1, 1), households="HA16,HA17,HA18,HA19,HA20")
    assert "任期为五年" in refused.value.errors["term_end"]
    with pytest.raises(ValidationFailed) as refused:
        meetings.add_representative(world.coop.id, people[3], term_start=date(2025, 1, 1),
                                    term_end=date(2029, 12, 31), households="HA01,HA17,HA18,HA19,HA20")
    assert "已由另一名代表代表" in refused.value.errors["households"]
    with pytest.raises(ValidationFailed) as refused:
        meetings.add_representative(world.coop.id, people[3], term_start=date(2025, 1, 1),
                                    term_end=date(2029, 12, 31), households="HA16,HA17,HA18,HA19,X9")
    assert "X9" in refused.value.errors["households"]


def test_representative_meeting_needs_representatives_in_term(world):
    world.adults(3)
    with pytest.raises(ValidationFailed) as refused:
        world.meeting(body=Body.REPRESENTATIVES)
    assert "没有任期内的成员代表" in refused.value.errors["body"]


# -- the specialized cooperative (FSC arts 22, 30) ------------------------------

@pytest.fixture
def fsc(world):
    """Ten members; the charter gives two extra votes (20% of 10) to F01."""
    people = world.adults(10, prefix="F")
    db.session.commit()
    return world, people


def fsc_charter(coop, *, cap_bp: int = 2000) -> None:
    """A specialized cooperative's charter: one extra vote per 10,000 yuan of
    capital, at most five a member."""
    for name, value in dict(legal_regime="specialized", distribution_mode="specialized",
                            extra_votes_allowed=True, extra_votes_cap_bp=cap_bp, extra_votes_basis="capital",
                            extra_votes_capital_step_fen=1_000_000, extra_votes_member_max=5).items():
        setattr(coop, name, value)
    db.session.flush()


@contextmanager
def capital(yuan_by_member: dict[int, int]):
    """The members' capital (yuan) as the share register would answer it."""
    def answer(coop_id, *, on, **_):
        return MemberCapital(on, {member_id: yuan * 100 for member_id, yuan in yuan_by_member.items()})
    with vote_basis_requested.connected_to(answer):
        yield


def fsc_meeting(world, **values) -> Meeting:
    return convene_under_charter(world.coop, body=Body.ASSEMBLY, title="2026年第一次成员大会",
                                 place="村委会会议室", convened_by="理事会",
                                 items=[ItemSpec(kind=values.pop("kind", ItemKind.OTHER), title="审议事项")],
                                 **{"meeting_on": MEETING_ON, "notice_on": NOTICE_ON, **values})


def test_fsc_extra_votes_capped_at_twenty_percent(fsc):
    # extra votes used to be typed on convening and at the sign-in; they are
    # now computed from the charter's rule and the members' capital
    world, people = fsc
    fsc_charter(world.coop)
    with capital({people[0]: 30_000}), pytest.raises(ValidationFailed) as refused:
        fsc_meeting(world)                       # 3 extra votes, 20% of 10 is 2
    assert "《农民专业合作社法》第二十二条" in refused.value.errors["extra_votes"]
    assert "请先修改章程" in refused.value.errors["extra_votes"]
    with capital({people[0]: 29_999}):
        meeting = fsc_meeting(world)
    assert meeting.extra_votes == 2


def test_fsc_more_than_half_of_all_votes(fsc, set_clock):
    # F01's two extra votes come from 20,000 yuan of capital (they were typed before)
    world, people = fsc
    fsc_charter(world.coop)
    with capital({people[0]: 20_000}):
        meeting = fsc_meeting(world)             # 12 votes in all
    item = meeting.items[0]
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    vote(item, people[1:7], "for")                     # 6 of 12: not more than half
    vote(item, people[7:], "against")
    vote(item, people[:1], "against")
    decision = decisions.decide_item(item)
    assert not decision.verdict.passed and (item.needed_for, item.votes_for, item.total_votes) == (7, 6, 12)
    assert item.votes_against == 3 + 3                 # F01's three votes among them
    # F01 and three others for: 3 + 4 = 7 of 12
    with capital({people[0]: 20_000}):
        second = fsc_meeting(world, notice_on=MEETING_ON, meeting_on=MEETING_ON + timedelta(days=1))
    set_clock(MEETING_ON + timedelta(days=1))
    sign_in(second, people)
    vote(second.items[0], people[:5], "for")           # 3 + 4 = 7: the least more than half
    vote(second.items[0], people[5:], "against")
    decided = decisions.decide_item(second.items[0])
    assert decided.verdict.passed and decided.item.votes_for == 7


def test_fsc_charter_change_needs_two_thirds_of_all_votes(fsc, set_clock):
    world, people = fsc
    meeting = world.meeting(regime=Regime.SPECIALIZED, kind=ItemKind.CHARTER)
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    decisions.record_tally(meeting.items[0], votes_for=6, votes_against=4, votes_abstain=0)
    decision = decisions.decide_item(meeting.items[0])
    assert not decision.verdict.passed and decision.verdict.needed_for == 7


def test_fsc_failed_quorum(fsc, set_clock):
    world, people = fsc
    meeting = world.meeting(regime=Regime.SPECIALIZED)
    on_meeting_day(set_clock)
    sign_in(meeting, people[:6])                       # 6 of 10 < two thirds
    vote(meeting.items[0], people[:6], "for")
    decision = decisions.decide_item(meeting.items[0])
    assert not decision.verdict.quorum_met and not decision.verdict.passed
    assert any("《农民专业合作社法》第三十条" in r for r in decision.item.reasons)


def test_fsc_proxy_by_another_member(fsc, set_clock):
    world, people = fsc
    meeting = world.meeting(regime=Regime.SPECIALIZED)
    on_meeting_day(set_clock)
    row = attendance.record_attendance(meeting, people[0], mode="proxy", proxy_holder_id=people[1],
                                       proxy_form="委托书 7")
    assert row.proxy_holder_id == people[1]


def test_fsc_roster_counts_every_member_on_the_day(fsc):
    world, people = fsc
    world.member("F99", born=MINOR)
    gone = people[9]
    change_status(db.session.get(Member, gone), "deceased", date(2026, 6, 1))
    meeting = world.meeting(regime=Regime.SPECIALIZED)
    assert api_roster(meeting) == set(people[:9]) | {world.ids["F99"]}


# -- the meeting's life, versions, tenancy and the member's page -----------------

def test_agenda_is_fixed_once_the_notice_is_out(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    set_clock(NOTICE_ON + timedelta(days=1))
    with pytest.raises(ServiceError, match="第二十七条"):
        meetings.add_item(meeting, kind=ItemKind.OTHER, title="临时动议")
    meetings.update_meeting(meeting, title=meeting.title, meeting_on=MEETING_ON + timedelta(days=1),
                            place=meeting.place, convened_by=meeting.convened_by,
                            notice_on=NOTICE_ON + timedelta(days=1))
    assert meetings.add_item(meeting, kind=ItemKind.OTHER, title="临时动议").position == 2


def test_decided_meeting_cannot_be_changed_or_cancelled(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    on_meeting_day(set_clock)
    sign_in(meeting, people[:2])
    decisions.decide_item(meeting.items[0])
    with pytest.raises(ServiceError, match="已有议题表决完毕"):
        meetings.cancel_meeting(meeting)
    with pytest.raises(ServiceError, match="已有议题表决完毕"):
        attendance.record_attendance(meeting, people[3], mode=IN_PERSON)
    assert meetings.record_minutes(meeting, "  会议由理事长主持。 ").minutes == "会议由理事长主持。"


def test_cancelled_meeting_refuses_everything(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    meetings.cancel_meeting(meeting)
    on_meeting_day(set_clock)
    with pytest.raises(ServiceError, match="已取消"):
        attendance.record_attendance(meeting, people[0], mode=IN_PERSON)
    with pytest.raises(ServiceError, match="已取消"):
        decisions.decide_item(meeting.items[0])


def test_decision_before_the_meeting_day_is_refused(rceo):
    world, _ = rceo
    meeting = world.meeting()
    with pytest.raises(ServiceError, match="当天起才能记录表决"):
        decisions.decide_item(meeting.items[0])


def test_stale_edits_are_refused(app, rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    db.session.commit()
    loaded = meeting.version
    meetings.update_meeting(meeting, title="改名", meeting_on=MEETING_ON, place=meeting.place,
                            convened_by=meeting.convened_by, notice_on=NOTICE_ON,
                            expected_version=loaded)
    db.session.commit()
    with pytest.raises(StaleRecordError) as stale:
        meetings.update_meeting(meeting, title="又改名", meeting_on=MEETING_ON, place=meeting.place,
                                convened_by=meeting.convened_by, notice_on=NOTICE_ON,
                                expected_version=loaded)
    assert "会议名称" in stale.value.message and stale.value.current_version == loaded + 1
    with pytest.raises(StaleRecordError):
        meetings.record_minutes(meeting, "记录", expected_version=loaded)
    on_meeting_day(set_clock)
    row = attendance.record_attendance(meeting, people[0], mode=IN_PERSON)
    db.session.commit()
    seen = row.version
    attendance.record_attendance(meeting, people[0], mode="online", expected_version=seen)
    db.session.commit()
    with pytest.raises(StaleRecordError):
        attendance.record_attendance(meeting, people[0], mode=IN_PERSON, expected_version=seen)
    item = meeting.items[0]
    first = decisions.record_vote(item, people[0], "for")
    db.session.commit()
    seen = first.version
    decisions.record_vote(item, people[0], "against", expected_version=seen)
    db.session.commit()
    with pytest.raises(StaleRecordError):
        decisions.record_vote(item, people[0], "abstain", expected_version=seen)
    with pytest.raises(StaleRecordError):
        decisions.decide_item(item, expected_version=item.version + 1)


def test_another_cooperatives_records_are_not_found(app, create_coop, rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    db.session.commit()
    other = World(create_coop())
    stranger = other.member("Z01")
    other_meeting = other.meeting()
    with pytest.raises(RecordNotFound):
        meetings.get_meeting(other.coop.id, meeting.id)
    with pytest.raises(RecordNotFound):
        meetings.get_item(other.coop.id, meeting.items[0].id)
    with pytest.raises(RecordNotFound):
        meetings.get_meeting(world.coop.id, "abc")
    on_meeting_day(set_clock)
    with pytest.raises(RecordNotFound):
        attendance.record_attendance(meeting, stranger, mode=IN_PERSON)
    with pytest.raises(RecordNotFound):
        decisions.record_vote(other_meeting.items[0], people[0], "for")
    with pytest.raises(RecordNotFound):
        meetings.add_representative(world.coop.id, stranger, term_start=date(2025, 1, 1),
                                    term_end=date(2029, 12, 31), households="HA01")
    assert api.resolutions(other.coop.id) == []


def test_member_sees_their_own_meetings_attendance_and_votes(rceo, set_clock):
    world, people = rceo
    held = world.meeting()
    on_meeting_day(set_clock)
    sign_in(held, people[:6])
    vote(held.items[0], people[:6], "for")
    decisions.decide_item(held.items[0])
    coming = world.meeting(notice_on=MEETING_ON, meeting_on=MEETING_ON + timedelta(days=20))
    cancelled = world.meeting(notice_on=MEETING_ON, meeting_on=MEETING_ON + timedelta(days=30))
    meetings.cancel_meeting(cancelled)
    mine = api.member_meetings(db.session.get(Member, people[0]))
    assert [m.meeting.id for m in mine] == [coming.id, held.id]
    assert mine[0].upcoming and mine[0].attendance is None
    assert mine[1].attendance.is_present
    assert {i: v.choice for i, v in mine[1].votes.items()} == {held.items[0].id: "for"}
    absent = api.member_meetings(db.session.get(Member, people[8]))
    assert absent[1].attendance is None and absent[1].votes == {}


def test_convening_with_a_bad_item_writes_nothing(rceo):
    world, _ = rceo
    with pytest.raises(ValidationFailed) as refused:
        meetings.convene_meeting(
            world.coop.id, regime=Regime.COLLECTIVE, body=Body.ASSEMBLY, title="大会",
            meeting_on=MEETING_ON, place="", convened_by="理事会", notice_on=NOTICE_ON,
            items=[ItemSpec(kind=ItemKind.OTHER, title="事项"),
                   ItemSpec(kind=ItemKind.DISTRIBUTION, title="分配方案")])
    assert set(refused.value.errors) == {"place", "items-1-plan_id"}
    assert db.session.query(Meeting).count() == 0 and db.session.query(AgendaItem).count() == 0


def test_a_past_meeting_may_be_recorded_with_its_agenda(rceo, set_clock):
    world, people = rceo
    set_clock(date(2026, 9, 1))
    meeting = world.meeting()                          # noticed 2026-06-15, held 2026-07-01
    assert [i.title for i in meeting.items] == ["审议事项"]
    sign_in(meeting, people[:6])
    vote(meeting.items[0], people[:6], "for")
    assert decisions.decide_item(meeting.items[0]).verdict.passed


def test_the_charter_may_be_stricter_than_the_law(rceo, set_clock):
    world, people = rceo
    meeting = world.meeting()
    charter = Charter(regime=Regime.COLLECTIVE, majorities={ItemKind.OTHER: Fraction(3, 4)})
    assert [f.needed_for for f in attendance.forecast(meeting, charter).items] == [7]
    on_meeting_day(set_clock)
    sign_in(meeting, people)
    vote(meeting.items[0], people[:6], "for")          # the law's two thirds, not the charter's
    with pytest.raises(ServiceError, match="法律类型"):
        decisions.decide_item(meeting.items[0], charter=Charter(regime=Regime.SPECIALIZED))
    decision = decisions.decide_item(meeting.items[0], charter=charter)
    assert not decision.verdict.passed and decision.item.needed_for == 7
    assert any("章程" in r and "四分之三" in r for r in decision.item.reasons)


def test_a_representative_assembly_cannot_be_convened_on_membership(world):
    households = [f"HR{i}" for i in range(1, 6)]
    rep = world.member("R1", household=households[0])
    for n, h in enumerate(households[1:]):
        world.member(f"R{n + 2}x", household=h)
    meetings.add_representative(world.coop.id, rep, term_start=date(2025, 1, 1),
                                term_end=date(2029, 12, 31), households=households)
    with pytest.raises(ValidationFailed) as refused:
        world.meeting(body=Body.REPRESENTATIVES, kind=ItemKind.MEMBERSHIP)
    assert "《农村集体经济组织法》第二十八条" in refused.value.errors["items-0-kind"]
    meeting = world.meeting(body=Body.REPRESENTATIVES, kind=ItemKind.OTHER)
    with pytest.raises(ValidationFailed) as refused:
        meetings.add_item(meeting, kind=ItemKind.CHARTER, title="修改章程")
    assert "第二十八条" in refused.value.errors["kind"]


# -- the charter's fields as governance reads them (coop.governance.by_charter) -------------

def test_charter_of_builds_the_governance_charter_from_the_cooperatives_fields(app, create_coop):
    with app.app_context():
        coop = get_by_code(create_coop("c1"))
        assert regime_of(coop) is Regime.COLLECTIVE and bodies_of(coop) == [Body.ASSEMBLY]
        plain = charter_of(coop)
        assert plain.majorities == {} and plain.notice_days == 10 and plain.representatives_decide == frozenset()
        coop.representative_assembly = True
        coop.majority_distribution_num, coop.majority_distribution_den = 3, 4
        charter = charter_of(coop)
        assert charter.majorities == {ItemKind.DISTRIBUTION: Fraction(3, 4)}
        assert charter.representatives_decide == {ItemKind.DISTRIBUTION, ItemKind.OTHER}
        assert bodies_of(coop) == [Body.ASSEMBLY, Body.REPRESENTATIVES]
        fsc = get_by_code(create_coop("c2", distribution_mode="specialized"))
        assert regime_of(fsc) is Regime.SPECIALIZED
        fsc.representative_assembly = True
        assert charter_of(fsc).representatives_decide == frozenset(ItemKind)


def test_convening_under_a_charter_without_a_representative_assembly_is_refused(app, create_coop):
    with app.app_context():
        coop = get_by_code(create_coop("c1"))
        with pytest.raises(ValidationFailed) as refused:
            convene_under_charter(coop, body="representatives", title="代表大会", meeting_on=date(2026, 7, 1),
                                  place="村委会", convened_by="理事会", notice_on=date(2026, 6, 1))
        assert "《农村集体经济组织法》第二十八条" in refused.value.errors["body"]
        with pytest.raises(ValidationFailed) as refused:
            add_representative_under_charter(coop, 1, term_start=date(2025, 1, 1), term_end=date(2029, 12, 31),
                                             households=["H1"])
        assert "本社章程未设成员代表大会" in refused.value.errors["member_id"]


def test_the_demo_is_a_collective_with_a_member_assembly(app, demo):
    with app.app_context():
        coop = get_by_code(demo)
        assert coop.legal_regime == "collective" and not coop.representative_assembly
        assert charter_of(coop).regime is Regime.COLLECTIVE and bodies_of(coop) == [Body.ASSEMBLY]
        assert not coop.extra_votes_allowed and coop.notice_days == 10
