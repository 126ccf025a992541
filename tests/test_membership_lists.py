"""Confirmation lists (issue 15): gathering pending events, the public notice,
objections, and the decision through a member-assembly meeting (RCEO arts
12, 26, 28): a passed item confirms the events and makes a roster version,
a failed one returns them to pending, a list goes to the vote only after its
notice, and never before a representative assembly."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coop.errors import RecordNotFound, ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance import decisions, meetings
from coop.governance.agenda_sources import list_choices
from coop.governance.constants import Body, ItemKind
from coop.governance.meetings import ItemSpec
from coop.members.api import Member, MemberStatus
from coop.membership import lists, rosters
from coop.membership.constants import DisputeStatus, EventReason, EventStatus, ListStatus
from coop.membership.models import Dispute, RosterVersion

from tests.membership_roster_world import DECIDABLE, MEETING_ON, TODAY, Village


@pytest.fixture
def village(app, create_coop, set_clock):
    code = create_coop()
    with app.app_context():
        yield Village(code)


# -- composing ----------------------------------------------------------------------

def test_a_list_gathers_pending_events(village):
    assert {e.id for e in lists.pending_events(village.coop.id)} == set(village.event_ids)
    lst = lists.create_list(village.coop.id, village.event_ids)
    assert (lst.number, lst.title, lst.status) == (1, "2026年第1批成员身份确认名单", ListStatus.DRAFT)
    assert {e.status for e in lists.events_of(lst)} == {EventStatus.LISTED}
    assert lists.pending_events(village.coop.id) == []
    second = village.event(village.adults[0], EventReason.CIVIL_SERVANT, date(2026, 6, 1))
    assert lists.create_list(village.coop.id, [second.id], title=" 补充名单 ").title == "补充名单"


def test_a_listed_event_cannot_go_on_another_list(village):
    lists.create_list(village.coop.id, [village.baby_event.id])
    with pytest.raises(ServiceError, match="已列入确认名单"):
        lists.create_list(village.coop.id, [village.baby_event.id])
    with pytest.raises(ServiceError, match="至少选择一项"):
        lists.create_list(village.coop.id, [])


def test_another_cooperatives_event_is_not_found(village, create_coop):
    other = Village(create_coop())
    with pytest.raises(RecordNotFound):
        lists.create_list(village.coop.id, [other.baby_event.id])


def test_a_draft_is_changed_a_noticed_list_is_not(village):
    lst = lists.create_list(village.coop.id, village.event_ids)
    assert lists.remove_event(lst, village.death_event.id).status == EventStatus.PENDING
    lists.add_events(lst, [village.death_event.id])
    lists.publish(lst, notice_start=TODAY, notice_days=7)
    with pytest.raises(ServiceError, match="公示中"):
        lists.remove_event(lst, village.death_event.id)
    lists.withdraw_notice(lst)
    assert (lst.status, lst.notice_start) == (ListStatus.DRAFT, None)


# -- the notice ---------------------------------------------------------------------

def test_the_notice_starts_no_earlier_than_it_is_published(village):
    lst = lists.create_list(village.coop.id, village.event_ids)
    with pytest.raises(ValidationFailed) as exc:
        lists.publish(lst, notice_start=TODAY - timedelta(days=1), notice_days=7)
    assert "不能早于发布公示之日" in exc.value.errors["notice_start"]
    assert lst.status == ListStatus.DRAFT
    lists.publish(lst, notice_start=TODAY + timedelta(days=2), notice_days=10)
    facts = lists.notice_facts(lst)
    assert (facts.last_day, facts.decidable_from, facts.running) == (
        date(2026, 6, 26), date(2026, 6, 27), False)


def test_an_art8_flag_is_reviewed_before_the_notice(village):
    village.bride_event.women_review = True
    lst = lists.create_list(village.coop.id, village.event_ids)
    with pytest.raises(ServiceError, match="第八条"):
        lists.publish(lst, notice_start=TODAY, notice_days=7)


def test_objections_with_their_outcome(village, set_clock):
    lst = lists.create_list(village.coop.id, village.event_ids)
    with pytest.raises(ServiceError, match="公示中"):
        lists.record_objection(lst, raised_by="张三", raised_on=TODAY, content="有异议")
    lists.publish(lst, notice_start=TODAY, notice_days=7)
    set_clock(date(2026, 6, 17))
    objection = lists.record_objection(lst, raised_by="成员A03", raised_on=date(2026, 6, 16),
                                       content="W01 户口尚未迁入", event_id=village.bride_event.id)
    with pytest.raises(ValidationFailed) as exc:
        lists.record_objection(lst, raised_by="", raised_on=date(2026, 6, 14), content="")
    assert set(exc.value.errors) == {"raised_by", "raised_on", "content"}
    lists.record_outcome(objection, outcome="已核实结婚登记证明和户口迁入证明，异议不成立",
                         outcome_on=date(2026, 6, 17))
    assert [(o.raised_by, o.outcome_on) for o in lists.objections_of(lst)] == [
        ("成员A03", date(2026, 6, 17))]
    with pytest.raises(ValidationFailed):
        lists.record_outcome(objection, outcome="x", outcome_on=date(2026, 6, 15))


def test_an_open_dispute_is_marked_on_the_list(village):
    db.session.add(Dispute(cooperative_id=village.coop.id, member_id=village.bride.id,
                           claimant="成员W01", claim="婚入后的成员身份", opened_on=TODAY,
                           status=DisputeStatus.OPEN.value))
    lst = lists.create_list(village.coop.id, village.event_ids)
    marked = {row.member.member_no: row.disputed for row in lists.list_rows(lst)}
    assert marked == {"B01": False, "W01": True, "A09": False}


# -- on the agenda --------------------------------------------------------------------

def test_the_convening_page_offers_noticed_lists_only(village):
    draft = lists.create_list(village.coop.id, [village.baby_event.id])
    assert list_choices(village.coop.id) == []
    lists.publish(draft, notice_start=TODAY, notice_days=7)
    [choice] = list_choices(village.coop.id)
    assert (choice.list_id, choice.decidable_from) == (draft.id, DECIDABLE)
    village.meeting(draft)
    assert list_choices(village.coop.id) == []   # on an open item already
    with pytest.raises(ValidationFailed, match="已列入 2026-06-26 的会议议程"):
        village.meeting(draft)


def test_a_meeting_before_the_notice_has_run_is_refused(village):
    lst = village.noticed_list()
    with pytest.raises(ValidationFailed) as exc:
        village.meeting(lst, meeting_on=date(2026, 6, 21), notice_on=date(2026, 6, 11))
    message = exc.value.errors["items-0-membership_list_id"]
    assert "第十二条" in message and "2026-06-22 起才能提交表决" in message
    village.meeting(lst, meeting_on=DECIDABLE, notice_on=date(2026, 6, 12))


def test_a_draft_list_is_refused_on_an_agenda(village):
    lst = lists.create_list(village.coop.id, village.event_ids)
    with pytest.raises(ValidationFailed, match="尚未公示"):
        village.meeting(lst)


def test_only_a_membership_item_names_a_list(village):
    lst = village.noticed_list()
    with pytest.raises(ValidationFailed, match="只有“成员身份确认”议题关联确认名单"):
        meetings.convene_meeting(
            village.coop.id, regime="collective", body="assembly", title="会", meeting_on=MEETING_ON,
            place="村委会", convened_by="理事会", notice_on=TODAY,
            items=[ItemSpec(kind=ItemKind.OTHER, title="x", membership_list_id=lst.id)])


def test_the_representative_assembly_may_not_decide_a_list(village, set_clock):
    """RCEO art 28: the representatives may not confirm membership; refused
    when convened, and an item that got there otherwise fails and leaves
    the events pending."""
    lst = village.noticed_list()
    with pytest.raises(ValidationFailed) as exc:
        village.meeting(lst, body=Body.REPRESENTATIVES)
    assert "第二十八条" in exc.value.errors["items-0-kind"]
    representative = village.adults[0]
    meetings.add_representative(village.coop.id, representative, term_start=date(2025, 1, 1),
                                term_end=date(2029, 12, 31), households=[f"H{h:02d}" for h in range(1, 6)])
    meeting = village.meeting(lst)
    meeting.body = Body.REPRESENTATIVES.value
    set_clock(MEETING_ON)
    item = meeting.items[0]
    village.vote(item, "for", [representative])
    assert not decisions.decide_item(item).verdict.passed
    assert any("第二十八条" in r and "须由成员大会决定" in r for r in item.reasons)
    assert {e.status for e in lists.events_of(lst)} == {EventStatus.PENDING}
    assert village.baby.status == MemberStatus.PENDING


def test_the_decision_is_refused_while_the_notice_runs(village, set_clock):
    lst = village.noticed_list()
    meeting = village.meeting(lst)
    meetings.update_meeting(meeting, title=meeting.title, meeting_on=date(2026, 6, 21),
                            place=meeting.place, convened_by=meeting.convened_by,
                            notice_on=date(2026, 6, 11))
    set_clock(date(2026, 6, 21))
    item = meeting.items[0]
    village.vote(item, "for")
    with pytest.raises(ServiceError, match="2026-06-22 起才能提交表决"):
        decisions.decide_item(item)
    assert item.outcome is None and lst.status == ListStatus.NOTICED


# -- the decision -----------------------------------------------------------------------

def test_a_passed_item_confirms_the_list_and_makes_a_roster_version(village, set_clock):
    first = rosters.make_first_version(village.coop.id)
    lst = village.noticed_list()
    item = village.meeting(lst).items[0]
    set_clock(MEETING_ON)
    village.vote(item, "for")
    decision = decisions.decide_item(item)
    assert decision.verdict.passed
    assert (lst.status, lst.outcome, lst.decided_on, lst.resolution_no, lst.agenda_item_id) == (
        ListStatus.DECIDED, "passed", MEETING_ON, item.resolution_no, item.id)
    assert {e.status for e in lists.events_of(lst)} == {EventStatus.CONFIRMED}
    assert village.baby.status == village.bride.status == MemberStatus.ACTIVE
    assert db.session.get(Member, village.adults[8]).status == MemberStatus.DECEASED
    version = rosters.version_by_number(village.coop.id, None)
    assert (version.number, version.list_id, version.resolution_no, version.made_on,
            version.member_count) == (2, lst.id, item.resolution_no, MEETING_ON, 10)
    diff = rosters.diff_of(version)
    assert [r.member_no for r in diff.added] == ["B01", "W01"]
    assert [r.member_no for r in diff.removed] == ["A09"]
    assert diff.changed == ()
    assert first.number == 1 and first.member_count == 9
    assert list_choices(village.coop.id) == []
    with pytest.raises(ValidationFailed, match="已由 2026-06-26 的会议表决"):
        village.meeting(lst, meeting_on=date(2026, 7, 10))


def test_a_failed_item_returns_the_events_to_pending(village, set_clock):
    lst = village.noticed_list()
    item = village.meeting(lst).items[0]
    set_clock(MEETING_ON)
    village.vote(item, "against")
    assert not decisions.decide_item(item).verdict.passed
    assert (lst.status, lst.outcome, lst.resolution_no) == (ListStatus.DECIDED, "failed", None)
    assert {e.status for e in lists.events_of(lst)} == {EventStatus.PENDING}
    assert village.baby.status == MemberStatus.PENDING
    assert db.session.scalar(select(RosterVersion).where(
        RosterVersion.cooperative_id == village.coop.id)) is None
    # pending again: they may go on a new list
    assert lists.create_list(village.coop.id, village.event_ids).number == 2


def test_a_list_decided_before_any_version_makes_version_one(village, set_clock):
    lst = village.noticed_list()
    item = village.meeting(lst).items[0]
    set_clock(MEETING_ON)
    village.vote(item, "for")
    decisions.decide_item(item)
    version = rosters.version_by_number(village.coop.id, None)
    assert (version.number, version.list_id) == (1, lst.id)
    with pytest.raises(ServiceError, match="已经编制"):
        rosters.make_first_version(village.coop.id)


def test_a_specialized_cooperative_decides_its_list_the_same_way(app, create_coop, set_clock):
    """FSC art 24: joining is decided by the member assembly (or the
    representative assembly the charter sets); the same list and meeting."""
    code = create_coop(distribution_mode="specialized")
    with app.app_context():
        _fsc_decides(Village(code), set_clock)


def _fsc_decides(village: Village, set_clock) -> None:
    lst = village.noticed_list()
    meeting = meetings.convene_meeting(
        village.coop.id, regime="specialized", body="assembly", title="成员大会",
        meeting_on=MEETING_ON, place="社部", convened_by="理事会", notice_on=TODAY,
        items=[ItemSpec(kind=ItemKind.MEMBERSHIP, title="接纳新成员", membership_list_id=lst.id)])
    set_clock(MEETING_ON)
    village.vote(meeting.items[0], "for")
    assert decisions.decide_item(meeting.items[0]).verdict.passed
    assert village.baby.status == MemberStatus.ACTIVE
    assert "第二十四条" in str(lists.regime_law(village.coop))
