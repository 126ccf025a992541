"""What the secretary's meeting pages show, read in one place: the meetings
by status, the sign-in sheet (every entitled person with their attendance
and, under the RCEO, the adults of their household who may hold their
proxy), the voting sheet of an item, and a decision's reasons marked met or
not. Reads only; the writes are in meetings, attendance and decisions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from coop.errors import ValidationFailed
from coop.extensions import db
from coop.governance.attendance import attendances_of
from coop.governance.constants import Body, MeetingStatus, Regime, VoteChoice
from coop.governance.decisions import tally_of, votes_of
from coop.governance.extra_votes import weights_of
from coop.governance.meetings import meetings_of, representatives_of
from coop.governance.models import AgendaItem, Attendance, BallotTally, Meeting, Representative, Vote
from coop.governance.roster import entitled_voters
from coop.members.api import Member

NOT_MET = "不符合"


@dataclass(frozen=True)
class MeetingLists:
    upcoming: list[Meeting]
    held: list[Meeting]
    cancelled: list[Meeting]


def meeting_lists(coop_id: int) -> MeetingLists:
    """The cooperative's meetings: those planned (soonest first), held and
    cancelled (latest first)."""
    every = meetings_of(coop_id)
    return MeetingLists(
        upcoming=sorted((m for m in every if m.status == MeetingStatus.PLANNED),
                        key=lambda m: (m.meeting_on, m.id)),
        held=[m for m in every if m.status == MeetingStatus.HELD],
        cancelled=[m for m in every if m.status == MeetingStatus.CANCELLED])


@dataclass(frozen=True)
class ReasonLine:
    text: str
    ok: bool


def reason_lines(item: AgendaItem) -> list[ReasonLine]:
    """A decided item's reasons as stored, each marked met or not (a reason
    that was not met ends in 不符合)."""
    return [ReasonLine(text, not text.endswith(NOT_MET)) for text in item.reasons or ()]


@dataclass(frozen=True)
class SignInRow:
    """One entitled person on the sign-in sheet."""

    member: Member
    attendance: Attendance | None
    proxy_holders: list[Member]   # whom the form suggests as proxy holder
    proxy_holder: Member | None   # the recorded one
    extra_votes: int = 0          # computed when the meeting was convened (FSC art 22)
    extra_basis: str = ""         # what they follow, in words

    @property
    def votes(self) -> int:
        return 1 + self.extra_votes

    @property
    def version(self) -> int:
        return self.attendance.version if self.attendance else 0


def _households(coop_id: int, numbers: set[str]) -> dict[str, list[Member]]:
    grouped: dict[str, list[Member]] = {}
    if numbers:
        for member in db.session.scalars(select(Member).where(
                Member.cooperative_id == coop_id, Member.household_no.in_(numbers))
                .order_by(Member.member_no)):
            grouped.setdefault(member.household_no, []).append(member)
    return grouped


def _matches(member: Member, q: str) -> bool:
    q = q.strip().upper()
    return not q or any(q in (text or "").upper()
                        for text in (member.name, member.member_no, member.household_no))


def sign_in_rows(meeting: Meeting, q: str = "") -> list[SignInRow]:
    """The sign-in sheet in member-number order (those whose name, number or
    household number contains ``q``).
    Under the RCEO member assembly the suggested proxy holders are the other
    entitled adults of the household (art 27); under the FSC, none are
    suggested (any member may hold one)."""
    roster = entitled_voters(meeting)
    voters = [m for m in roster.voters if _matches(m, q)]
    attendance = {a.member_id: a for a in attendances_of(meeting)}
    holder_ids = {a.proxy_holder_id for a in attendance.values() if a.proxy_holder_id}
    holders = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_(holder_ids or {0})))}
    suggest = meeting.regime == Regime.COLLECTIVE and meeting.body == Body.ASSEMBLY
    households = _households(meeting.cooperative_id,
                             {m.household_no for m in voters if m.household_no} if suggest else set())
    weights = weights_of(meeting)
    rows = []
    for member in voters:
        record = attendance.get(member.id)
        others = [m for m in households.get(member.household_no, []) if m.id != member.id
                  and m.id in roster.ids] if member.household_no else []
        rows.append(SignInRow(member, record, others,
                              holders.get(record.proxy_holder_id) if record else None,
                              weights.extra_of(member.id), weights.basis_of(member.id)))
    return rows


@dataclass(frozen=True)
class VoteRow:
    """One person signed in, and how they voted on the item."""

    member: Member
    attendance: Attendance
    vote: Vote | None
    votes: int = 1   # the basic vote and any extra votes (FSC art 22)

    @property
    def version(self) -> int:
        return self.vote.version if self.vote else 0


@dataclass(frozen=True)
class VoteCounts:
    votes_for: int
    votes_against: int
    votes_abstain: int
    not_voted: int   # people signed in with no vote recorded


@dataclass(frozen=True)
class VotingSheet:
    rows: list[VoteRow]
    tally: BallotTally | None
    people: int
    votes: int

    @property
    def counts(self) -> VoteCounts:
        """The person-by-person votes recorded so far, in votes."""
        sums = {choice.value: 0 for choice in VoteChoice}
        for row in self.rows:
            if row.vote is not None:
                sums[row.vote.choice] += row.votes
        return VoteCounts(sums[VoteChoice.FOR], sums[VoteChoice.AGAINST],
                          sums[VoteChoice.ABSTAIN], sum(1 for r in self.rows if r.vote is None))


def voting_sheet(item: AgendaItem) -> VotingSheet:
    """Those signed in with their vote on ``item``, and the secret ballot's
    tally if one was recorded."""
    present = [a for a in attendances_of(item.meeting) if a.is_present]
    members = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_({a.member_id for a in present} or {0})))}
    votes = {v.member_id: v for v in votes_of(item)}
    weights = weights_of(item.meeting)
    rows = sorted((VoteRow(members[a.member_id], a, votes.get(a.member_id), weights.votes_of(a.member_id))
                   for a in present),
                  key=lambda r: (len(r.member.member_no), r.member.member_no))
    return VotingSheet(rows, tally_of(item), len(present), sum(r.votes for r in rows))


def member_id_by_no(coop_id: int, member_no: Any, field: str, *,
                    required: bool = False) -> int | None:
    """The id of the member numbered ``member_no`` in the cooperative; None
    for an empty number unless ``required``; ValidationFailed on ``field``
    for an unknown one."""
    number = (member_no or "").strip().upper()
    if not number and required:
        raise ValidationFailed({field: "请填写成员编号"})
    if not number:
        return None
    found = db.session.scalar(select(Member.id).where(Member.cooperative_id == coop_id,
                                                      Member.member_no == number))
    if found is None:
        raise ValidationFailed({field: f"本社没有编号为 {number} 的成员"})
    return found


def vote_row(sheet: VotingSheet, member_id: int) -> VoteRow | None:
    return next((row for row in sheet.rows if row.member.id == member_id), None)


@dataclass(frozen=True)
class RepresentativeRow:
    representative: Representative
    member: Member


def representative_rows(coop_id: int) -> list[RepresentativeRow]:
    """Every representative's term with the member, latest terms first."""
    terms = representatives_of(coop_id)
    members = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_({t.member_id for t in terms} or {0})))}
    return [RepresentativeRow(t, members[t.member_id]) for t in terms]
