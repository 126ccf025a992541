"""Who has a vote at a meeting: the roster on the meeting day.

- Member assembly of a rural collective economic organization: the members
  with full civil capacity (农村集体经济组织法第二十六条), i.e. natural persons
  (not the collective entity) on the roster that day who are 18 or older by
  the birth date in their resident ID (``coop.idcodes.is_adult``). A member
  whose ID holds no readable birth date is counted as entitled and listed in
  ``unknown_age``: leaving them out would lower the two-thirds of ALL members
  a decision needs, so the roster's gap can only make a meeting harder to
  pass, never easier; the forecast lists them so the secretary corrects the
  roster before the meeting.
- Member assembly of a specialized cooperative: every member on the roster
  that day (农民专业合作社法第二十二条: one basic vote each; members may be
  organizations).
- Representative assembly (either regime): the representatives whose term
  covers the day and who are on the roster that day.

On the roster that day: joined on or before it, and active then (active now
and not re-admitted after it, or withdrawn/deceased only after it). A person
granted distribution rights without membership (农村集体经济组织法第十五条,
``Member.distribution_rights_only``) is on no roster that day: they share in
the distributions but never vote, and they do not count in the two thirds of
ALL members a decision needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from coop.extensions import db
from coop.governance.constants import Body, Regime
from coop.governance.models import Meeting, Representative
from coop.idcodes import is_adult
from coop.members.api import Member, MemberKind, MemberStatus


@dataclass(frozen=True)
class Roster:
    """The entitled on a meeting day, in member-number order, and those of
    them whose age the resident ID does not tell (counted, to be fixed)."""

    voters: list[Member]
    unknown_age: list[Member]

    @property
    def count(self) -> int:
        return len(self.voters)

    @property
    def ids(self) -> set[int]:
        return {m.id for m in self.voters}


def on_roster(day: date) -> ColumnElement[bool]:
    """A member is on the roster on ``day`` (a WHERE condition)."""
    active_then = or_(
        and_(Member.status == MemberStatus.ACTIVE.value,
             or_(Member.status_changed_on.is_(None), Member.status_changed_on <= day)),
        and_(Member.status != MemberStatus.ACTIVE.value, Member.status_changed_on > day),
    )
    return and_(Member.distribution_rights_only.is_(False),
                or_(Member.joined_on.is_(None), Member.joined_on <= day), active_then)


def representatives_on(coop_id: int, day: date) -> list[Representative]:
    """The representatives whose term covers ``day``."""
    return list(db.session.scalars(
        select(Representative).where(
            Representative.cooperative_id == coop_id,
            Representative.term_start <= day, Representative.term_end >= day)
        .order_by(Representative.id)))


def _natural_sort(members: list[Member]) -> list[Member]:
    return sorted(members, key=lambda m: (len(m.member_no), m.member_no))


def entitled_on(coop_id: int, regime: str, body: str, day: date) -> Roster:
    """The roster of those entitled to vote at a meeting of ``body`` on ``day``."""
    query = select(Member).where(Member.cooperative_id == coop_id, on_roster(day))
    if body == Body.REPRESENTATIVES:
        chosen = select(Representative.member_id).where(
            Representative.cooperative_id == coop_id,
            Representative.term_start <= day, Representative.term_end >= day)
        query = query.where(Member.id.in_(chosen))
    members = list(db.session.scalars(query))
    unknown: list[Member] = []
    if body == Body.ASSEMBLY and regime == Regime.COLLECTIVE:
        people = []
        for member in members:
            if member.kind == MemberKind.COLLECTIVE:
                continue
            adult = is_adult(member.id_number, day)
            if adult is None:
                unknown.append(member)
            if adult is not False:
                people.append(member)
        members = people
    return Roster(_natural_sort(members), _natural_sort(unknown))


def entitled_voters(meeting: Meeting) -> Roster:
    """Those entitled to vote at ``meeting``, on its day."""
    return entitled_on(meeting.cooperative_id, meeting.regime, meeting.body, meeting.meeting_on)


def not_entitled_reason(meeting: Meeting, member: Member) -> str:
    """Why ``member`` has no vote at ``meeting`` (they are not in its roster)."""
    day = meeting.meeting_on
    on_day = f"{day:%Y-%m-%d}"
    if member.distribution_rights_only:
        return (f"《农村集体经济组织法》第十五条：{member.name}（{member.member_no}）不是本社成员，"
                "经成员大会决议只享有收益分配等权利，不参加表决")
    listed = db.session.scalar(select(Member.id).where(Member.id == member.id, on_roster(day)))
    if listed is None:
        return f"{member.name}（{member.member_no}）在会议当日 {on_day} 不在成员名册上，没有表决权"
    if meeting.body == Body.REPRESENTATIVES:
        article = ("《农村集体经济组织法》第二十八条" if meeting.regime == Regime.COLLECTIVE
                   else "《农民专业合作社法》第三十二条")
        return (f"{article}：成员代表大会由成员代表组成，{member.name}（{member.member_no}）"
                f"在会议当日 {on_day} 不是任期内的成员代表")
    if member.kind == MemberKind.COLLECTIVE:
        return ("《农村集体经济组织法》第二十六条：成员大会由具有完全民事行为能力的全体成员组成，"
                f"{member.name}（{member.member_no}）不是自然人成员，不参加表决")
    return ("《农村集体经济组织法》第二十六条：成员大会由具有完全民事行为能力的全体成员组成，"
            f"{member.name}（{member.member_no}）在会议当日 {on_day} 未满十八周岁")
