"""Governance's answers to the charter's signal (coop.cooperatives.signals)
and the member page's (coop.members.signals): the charter and the roster
sit below governance and cannot ask it directly. Connected when
the module is imported, which the app factory does for every domain's
``receivers`` module (coop.domains)."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import (SECRETARY, SUPERVISOR, ChecklistStep, Cooperative, StepState,
                                   charter_review_requested, checklist_requested)
from coop.extensions import db
from coop.governance.constants import MeetingStatus
from coop.governance.extra_votes import cap_error_on, rule_of
from coop.governance.member_votes import is_specialized
from coop.governance.models import Meeting
from coop.members.api import Member, panels_requested

AMEND_RULE = "请提高每增加一票的金额或起点、降低每名成员的上限，或提高总票数上限（不超过 20%）"


@charter_review_requested.connect
def extra_votes_within_cap(coop: Cooperative, *, values: dict[str, Any], **_: object) -> dict[str, str]:
    """The new charter's extra-vote rule applied to today's figures (capital
    today, transactions of last year) must keep all extra votes within the
    cap (农民专业合作社法第二十二条)."""
    rule = rule_of(values)
    if rule is None:
        return {}
    message = cap_error_on(coop.id, rule, clock.today(), what=AMEND_RULE)
    return {"extra_votes_cap_bp": message} if message else {}


@panels_requested.connect
def votes_panel(member: Member, **_: object) -> str | None:
    """A specialized cooperative's member page shows the member's basic and
    extra votes (农民专业合作社法第二十二条)."""
    return "governance/_member_votes_panel.html" if is_specialized(member.cooperative_id) else None


@checklist_requested.connect
def meeting_step(coop: Cooperative, *, today: date, **_: object) -> list[ChecklistStep]:
    """The next meeting planned, else the last one held."""
    upcoming = db.session.scalar(select(Meeting).where(
        Meeting.cooperative_id == coop.id, Meeting.status == MeetingStatus.PLANNED.value)
        .order_by(Meeting.meeting_on).limit(1))
    if upcoming is not None:
        state = StepState.LATE if upcoming.meeting_on < today else StepState.TODO
        return [ChecklistStep(75, f"会议：{upcoming.title}", state, upcoming.meeting_on,
                              url_for("governance.detail", meeting_id=upcoming.id),
                              frozenset({SECRETARY, SUPERVISOR}))]
    held = db.session.scalar(select(Meeting).where(
        Meeting.cooperative_id == coop.id, Meeting.status == MeetingStatus.HELD.value)
        .order_by(Meeting.meeting_on.desc()).limit(1))
    return [ChecklistStep(75, f"会议：{held.title}" if held else "会议", StepState.DONE if held
                          else StepState.TODO, held.meeting_on if held else None,
                          url_for("governance.index"), frozenset({SUPERVISOR}))]
