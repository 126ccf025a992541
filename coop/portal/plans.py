"""A distribution plan disclosed to the members before the assembly votes on
it (RCEO art 46, FSC art 40): from its disclosure date a member sees the
draft on /me/ (home, 我的分红, 分红公示, 财务公开) marked 草案已公开、待成员大会表决,
with the meeting's date once one is convened that has it on its agenda, and
their own line in it (what they would receive, part by part); and the whole
plan on /me/plans/<id>.

A draft is open to the members when it is disclosed by today and its year
has no approved plan (or the approved plan is the one this draft would
replace, a new version). Of a year's open drafts the newest version is
shown. Nothing here is shown before its disclosure date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response
from flask_login import current_user
from sqlalchemy import bindparam, select

from coop import clock
from coop.auth.api import MEMBER, current_coop, roles_required
from coop.dividends.api import DividendLine, DividendPlan, PlanStatus, effective_plan, waterfall
from coop.errors import RecordNotFound
from coop.extensions import db
from coop.governance.api import AgendaItem, Meeting, disclosure_wait, member_meetings, regime_of
from coop.machinery import api as machinery
from coop.members.api import Member
from coop.portal.notice import Notice, notice as notice_of
from coop.portal.services import own_member
from coop.statements.api import plan_lines
from coop.web import render

AWAITING = "草案已公开、待成员大会表决"


@dataclass(frozen=True)
class OpenDraft:
    """A disclosed draft as one member sees it."""

    plan: DividendPlan
    item: AgendaItem | None  # the agenda item that puts it to a meeting, if any
    meeting: Meeting | None
    notice: Notice  # the member's own line only (``notice.mine``), or every line on its page

    @property
    def body(self) -> str:
        return self.meeting.body_label if self.meeting is not None else "成员大会"

    @property
    def failed(self) -> bool:
        """The meeting voted on it and it did not pass."""
        return self.item is not None and self.item.is_decided and not self.item.passed

    @property
    def status(self) -> str:
        """'草案已公开、待成员大会表决', with the body that will vote."""
        if self.failed:
            return f"草案已公开，{self.body}表决未通过"
        return f"草案已公开、待{self.body}表决"

    @property
    def meeting_on(self) -> date | None:
        return self.meeting.meeting_on if self.meeting is not None else None

    @property
    def when(self) -> str:
        """The meeting's date in words, or that none is convened yet."""
        if self.meeting is None:
            return "会议日期待通知"
        verb = "召开" if not self.failed else "已召开"
        return f"{self.meeting.meeting_on:%Y-%m-%d} {verb}{self.body}"


# built once: a member's home page reads these on every view
_DISCLOSED = (
    select(DividendPlan).where(
        DividendPlan.cooperative_id == bindparam("coop_id"),
        DividendPlan.status == PlanStatus.DRAFT.value,
        DividendPlan.disclosed_on.is_not(None), DividendPlan.disclosed_on <= bindparam("today"))
    .order_by(DividendPlan.year.desc(), DividendPlan.version_no.desc()))
_OWN_LINE = select(DividendLine).where(DividendLine.plan_id == bindparam("plan_id"),
                                       DividendLine.member_id == bindparam("member_id"))


def _open_plans(coop_id: int) -> list[DividendPlan]:
    drafts = db.session.scalars(_DISCLOSED, {"coop_id": coop_id, "today": clock.today()})
    out: list[DividendPlan] = []
    for plan in drafts:
        if any(p.year == plan.year for p in out):
            continue
        approved = effective_plan(coop_id, plan.year)
        if approved is None or approved.id == plan.supersedes_id:
            out.append(plan)
    return out


def _agenda(member: Member, plan: DividendPlan) -> tuple[AgendaItem | None, Meeting | None]:
    """The agenda item putting ``plan`` to a meeting: one still to be voted
    on first, else the latest decided one."""
    found: tuple[AgendaItem | None, Meeting | None] = (None, None)
    for record in member_meetings(member):
        for item in record.items:
            if item.plan_id != plan.id:
                continue
            if not item.is_decided:
                return item, record.meeting
            if found[0] is None:
                found = (item, record.meeting)
    return found


def open_drafts(member: Member) -> list[OpenDraft]:
    """The drafts open to ``member`` today, newest year first, each with the
    member's own line (none when the plan has no line of theirs)."""
    out = []
    for plan in _open_plans(member.cooperative_id):
        mine = db.session.scalar(_OWN_LINE, {"plan_id": plan.id, "member_id": member.id})
        item, meeting = _agenda(member, plan)
        out.append(OpenDraft(plan, item, meeting,
                             notice_of(plan, [mine] if mine is not None else [], member.id)))
    return out


@roles_required(*MEMBER)
def draft_plan(plan_id: int) -> Response:
    """/me/plans/<id>: a disclosed draft, whole; any other plan id is a 404."""
    member = own_member(current_user)
    coop = current_coop()
    found = next((d for d in open_drafts(member) if d.plan.id == plan_id), None)
    if found is None:
        raise RecordNotFound("DividendPlan")
    plan = found.plan
    lines = plan_lines(plan)
    return render("portal/draft_plan.html", member=member, coop=coop, d=found, plan=plan,
                  lines=lines, notice=notice_of(plan, lines, member.id), steps=waterfall(plan),
                  law=disclosure_wait(regime_of(coop)).law,
                  services=machinery.service_report(coop.id, plan.year),
                  clients=machinery.client_group_report(coop.id, plan.year))
