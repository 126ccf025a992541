"""The disclosure's answers to the home page (coop.cooperatives.home and
signals): the step of the checklist, and a panel of the periods overdue.
Connected when the app factory imports this module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import url_for

from coop import clock
from coop.cooperatives.api import (SECRETARY, ChecklistStep, Cooperative,
                                   DashboardPanel, StepState, checklist_requested,
                                   dashboard_panels_requested)
from coop.disclosure.rules import PeriodState
from coop.disclosure.services import period_rows

LABEL = "财务公开"


@checklist_requested.connect
def disclosure_step(coop: Cooperative, *, today: date, **_: object) -> list[ChecklistStep]:
    """The secretary's step: late while a period is overdue; done when the last ended period is
    disclosed; else due by the 15th day after it ended."""
    rows = period_rows(coop, today)
    ended = [r for r in rows if r.state != PeriodState.NOT_ENDED]
    roles = frozenset({SECRETARY})
    url = url_for("disclosure.index")
    late = [r for r in ended if r.state == PeriodState.OVERDUE]
    if late:
        oldest = late[-1].period
        return [ChecklistStep(58, LABEL, StepState.LATE, oldest.due_on, url, roles,
                              note=f"{len(late)} 期逾期未公开（最早：{oldest.label}）")]
    if not ended:
        return [ChecklistStep(58, LABEL, StepState.TODO, rows[0].period.due_on if rows else None,
                              url, roles, note="本期结束后 15 日内公开")]
    last = ended[0]
    if last.state == PeriodState.DISCLOSED:
        return [ChecklistStep(58, LABEL, StepState.DONE,
                              last.disclosure.published_on if last.disclosure else None, url, roles,
                              note=f"{last.period.label}已公开")]
    return [ChecklistStep(58, LABEL, StepState.TODO, last.period.due_on, url, roles,
                          note=f"{last.period.label}待公开")]


@dashboard_panels_requested.connect
def overdue_panel(coop: Cooperative, **_: object) -> DashboardPanel | None:
    late = [r for r in period_rows(coop, clock.today()) if r.state == PeriodState.OVERDUE]
    if not late:
        return None
    return DashboardPanel("disclosure/_dashboard_overdue.html", {"late": late})
