"""The roster's answers to the home page (coop.cooperatives.home): the
roster step of the year and the members and households figures. Connected
when the app factory imports this module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from coop.cooperatives.api import (ChecklistStep, Cooperative, KeyFigure, StepState,
                                   checklist_requested, figures_requested)
from coop.extensions import db
from coop.members.constants import MemberStatus
from coop.members.models import Member
from coop.members.services import household_count


def _active(coop_id: int):
    return (Member.cooperative_id == coop_id, Member.status == MemberStatus.ACTIVE.value)


@checklist_requested.connect
def roster_step(coop: Cooperative, *, year: int, today: date, **_: object) -> list[ChecklistStep]:
    """The roster: done once someone is on it, dated by the latest joining."""
    count, last = db.session.execute(
        select(func.count(Member.id), func.max(Member.joined_on)).where(*_active(coop.id))).one()
    state = StepState.DONE if count else StepState.TODO
    return [ChecklistStep(20, "成员名册", state, last if count else None,
                          url_for("members.index"), note=f"在册 {count} 人" if count else "")]


@figures_requested.connect
def member_figures(coop: Cooperative, **_: object) -> list[KeyFigure]:
    members = db.session.scalar(select(func.count(Member.id)).where(*_active(coop.id))) or 0
    households = household_count(coop.id)  # the collective's empty household number is no household
    return [KeyFigure(10, "members", "在册成员", int(members), url_for("members.index")),
            KeyFigure(20, "households", "户数", int(households), url_for("members.households"))]
