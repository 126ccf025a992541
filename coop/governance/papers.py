"""The papers of a meeting, printed on A4 from the browser or drawn as PDF
from the same HTML: the notice, the sign-in sheet, the ballot papers, the
tally sheet, the minutes and the resolutions. Reads only.

``meeting_papers`` gathers what every paper shows: the entitled people on
the meeting day (with their attendance and proxy, once recorded), and each
item's counts (as decided, or as recorded so far, or blank to be filled in
by hand).

The ballots come a part at a time, ``BALLOTS_PER_PART`` people in the
sign-in sheet's order (100 A4 pages): their PDF is drawn in the request at
about 0.05 s a ballot, and a village of 2,500 adults would pass the
request's time limit."""
from __future__ import annotations

from dataclasses import dataclass

from coop.governance.attendance import forecast
from coop.governance.constants import AttendanceMode, Body, ItemKind, Regime
from coop.governance.decisions import tally_of
from coop.governance.models import AgendaItem, Meeting
from coop.governance.rules import FSC, RCEO
from coop.governance.sheets import ReasonLine, SignInRow, reason_lines, sign_in_rows, voting_sheet
from coop.labels import LabelledEnum
from coop.paging import Page


BALLOTS_PER_PART = 300


class Paper(LabelledEnum):
    NOTICE = "notice", "会议通知"
    SIGN_IN = "sign-in", "签到表"
    BALLOTS = "ballots", "表决票"
    TALLY = "tally", "计票表"
    MINUTES = "minutes", "会议记录"
    RESOLUTION = "resolution", "决议"


NOTICE_RULES = {
    (Regime.COLLECTIVE, Body.ASSEMBLY): (
        f"依照{RCEO}第二十七条，会议召开的时间、地点和审议的事项于会议召开十日前通知全体成员。"
        "成员大会应当有本农村集体经济组织三分之二以上具有完全民事行为能力的成员参加。"
        "成员无法在现场参加会议的，可以书面委托本农村集体经济组织同户的其他具有完全民事行为能力的成员代为参加会议。"),
    (Regime.COLLECTIVE, Body.REPRESENTATIVES): (
        f"依照{RCEO}第二十八条和本社章程召开成员代表大会，请各位成员代表本人按时参加（现场或线上），"
        "成员代表不能委托他人参加。"),
    (Regime.SPECIALIZED, Body.ASSEMBLY): (
        f"依照{FSC}第三十条和本社章程召开成员大会：出席人数应当达到成员总数三分之二以上；"
        "作出决议应当由本社成员表决权总数过半数通过，作出修改章程或者合并、分立的决议"
        "应当由本社成员表决权总数的三分之二以上通过。"),
    (Regime.SPECIALIZED, Body.REPRESENTATIVES): (
        f"依照{FSC}第三十二条和本社章程召开成员代表大会，请各位成员代表本人按时参加。"),
}

DISCLOSURE_RULES = {
    Regime.COLLECTIVE: (f"依照{RCEO}第四十六条，年度经营报告、年度财务会计报告和收益分配方案"
                        "于会议召开十日前提供成员查阅。"),
    Regime.SPECIALIZED: (f"依照{FSC}第四十条，年度业务报告、盈余分配方案、亏损处理方案以及财务会计报告"
                         "于会议召开的十五日前置备于本社办公地点，供成员查阅。"),
}


@dataclass(frozen=True)
class ItemSheet:
    """One agenda item's figures on the tally sheet, the minutes and the
    resolution. A count is None while nothing was recorded (a blank box)."""

    item: AgendaItem
    entitled: int
    present: int
    total_votes: int
    needed_for: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    invalid: int | None
    reasons: list[ReasonLine]

    @property
    def verdict(self) -> str:
        return self.item.outcome_label


@dataclass(frozen=True)
class ModeCount:
    label: str
    people: int


@dataclass(frozen=True)
class MeetingPapers:
    meeting: Meeting
    coop_name: str
    people: list[SignInRow]       # every entitled person, in member-number order
    present: list[SignInRow]      # those signed in
    items: list[ItemSheet]
    modes: list[ModeCount]        # those signed in, in person / online / by proxy

    @property
    def fsc(self) -> bool:
        return self.meeting.regime == Regime.SPECIALIZED

    @property
    def representative(self) -> bool:
        return self.meeting.body == Body.REPRESENTATIVES

    @property
    def proxies(self) -> bool:
        """A proxy may attend for an entitled person (a member assembly)."""
        return not self.representative

    @property
    def entitled_label(self) -> str:
        return "成员代表" if self.representative else "成员"

    @property
    def extra_holders(self) -> list[SignInRow]:
        """Those with extra votes: told to everyone at the assembly (FSC art 22)."""
        return [row for row in self.people if row.extra_votes]

    @property
    def present_votes(self) -> int:
        return sum(row.votes for row in self.present)

    @property
    def total_votes(self) -> int:
        return len(self.people) + (self.meeting.extra_votes if self.fsc else 0)

    @property
    def notice_rule(self) -> str:
        return NOTICE_RULES[(Regime(self.meeting.regime), Body(self.meeting.body))]

    @property
    def disclosure_rule(self) -> str | None:
        if any(item.kind == ItemKind.DISTRIBUTION for item in self.meeting.items):
            return DISCLOSURE_RULES[Regime(self.meeting.regime)]
        return None

    @property
    def resolutions(self) -> list[ItemSheet]:
        return [sheet for sheet in self.items if sheet.item.passed]


def _item_sheet(item: AgendaItem, entitled: int, present: int, total_votes: int,
                needed: dict[int, int]) -> ItemSheet:
    tally = tally_of(item)
    invalid = tally.invalid if tally is not None else None
    if item.is_decided:
        return ItemSheet(item, item.entitled or 0, item.present or 0, item.total_votes or 0,
                         item.needed_for, item.votes_for, item.votes_against, item.votes_abstain,
                         invalid, reason_lines(item))
    if tally is not None:
        counts = (tally.votes_for, tally.votes_against, tally.votes_abstain)
    else:
        sheet = voting_sheet(item)
        recorded = sheet.counts
        counts = ((recorded.votes_for, recorded.votes_against, recorded.votes_abstain)
                  if recorded.not_voted < len(sheet.rows) else (None, None, None))
    return ItemSheet(item, entitled, present, total_votes, needed.get(item.id), *counts,
                     invalid, [])


def meeting_papers(meeting: Meeting, coop_name: str) -> MeetingPapers:
    people = sign_in_rows(meeting)
    present = [row for row in people if row.attendance is not None and row.attendance.is_present]
    ahead = forecast(meeting)
    needed = {f.item.id: f.needed_for for f in ahead.items}
    items = [_item_sheet(item, ahead.entitled, len(present), ahead.total_votes, needed)
             for item in meeting.items]
    modes = [ModeCount(mode.label, sum(1 for row in present if row.attendance.mode == mode))
             for mode in AttendanceMode]
    return MeetingPapers(meeting, coop_name, people, present, items, modes)


def ballots_part(papers: MeetingPapers, part: int) -> Page:
    """The people of part ``part`` (from 1) of the ballots, BALLOTS_PER_PART of them."""
    size = BALLOTS_PER_PART
    return Page(papers.people[(part - 1) * size:part * size], part, size, len(papers.people))
