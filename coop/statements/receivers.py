"""The statements' answer to the home page (coop.cooperatives.home): the
printing of the year's statements. Connected when the app factory imports
this module (coop.domains)."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.api import ChecklistStep, Cooperative, StepState, checklist_requested
from coop.extensions import db
from coop.statements.models import JobState, StatementJob


@checklist_requested.connect
def printed_step(coop: Cooperative, *, year: int, **_: object) -> list[ChecklistStep]:
    """The statements of the year just ended printed as one batch: a job
    kept for a day after it finished is all that tells it."""
    finished = db.session.scalar(select(func.max(StatementJob.finished_at)).where(
        StatementJob.cooperative_id == coop.id, StatementJob.year == year - 1,
        StatementJob.state == JobState.DONE.value))
    return [ChecklistStep(90, f"{year - 1} 年度成员对账单打印",
                          StepState.DONE if finished else StepState.TODO,
                          clock.local_day(finished), url_for("statements.index"))]
