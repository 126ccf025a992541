"""The roster's answers to the home page (coop.cooperatives.home): the
roster step of the year and the members and households figures. Connected
when the app factory imports this module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import url_for

from coop.cooperatives.api import (ChecklistStep, Cooperative, KeyFigure, StepState,
                                   checklist_requested, figures_requested)
from coop.members.counts import member_counts


@checklist_requested.connect
def roster_step(coop: Cooperative, *, year: int, today: date, **_: object) -> list[ChecklistStep]:
    """The roster: done once someone is on it, dated by the latest joining."""
    counts = member_counts(coop.id)
    count = counts.active
    state = StepState.DONE if count else StepState.TODO
    return [ChecklistStep(20, "成员名册", state, counts.last_joined if count else None,
                          url_for("members.index"), note=f"在册 {count} 人" if count else "")]


@figures_requested.connect
def member_figures(coop: Cooperative, **_: object) -> list[KeyFigure]:
    counts = member_counts(coop.id)  # the collective's empty household number is no household
    return [KeyFigure(10, "members", "在册成员", counts.active, url_for("members.index")),
            KeyFigure(20, "households", "户数", counts.households, url_for("members.households"))]
