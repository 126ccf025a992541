"""The distribution plans' answers to governance's signals
(coop.governance.agenda_sources): governance sits below the plans and cannot
ask for them directly. Connected when the module is imported, which the app
factory does for every domain's ``receivers`` module (coop.domains)."""
from __future__ import annotations

from sqlalchemy import select

from coop.cooperatives.api import Cooperative
from coop.dividends import approval
from coop.dividends.api import DividendPlan, PlanStatus
from coop.extensions import db
from coop.governance.api import (AgendaItem, PlanChoice, PlanDisclosure, item_decided,
                                 plan_choices_requested, plan_disclosure_requested)
from coop.tenancy import get_owned


@plan_choices_requested.connect
def plans_to_decide(coop_id: int, **_: object) -> list[PlanChoice]:
    """The cooperative's draft plans of closed years: what a meeting may approve."""
    plans = db.session.scalars(select(DividendPlan).where(
        DividendPlan.cooperative_id == coop_id, DividendPlan.status == PlanStatus.DRAFT.value,
        DividendPlan.is_preview.is_(False)).order_by(DividendPlan.year.desc(),
                                                     DividendPlan.version_no.desc()))
    return [PlanChoice(plan.id, plan.year, f"{plan.year} 年度收益分配方案（第 {plan.version_no} 版，草案）")
            for plan in plans]


def _plan_of(item: AgendaItem) -> tuple[Cooperative, DividendPlan]:
    return (db.session.get(Cooperative, item.cooperative_id),
            get_owned(DividendPlan, item.plan_id, item.cooperative_id))


@plan_disclosure_requested.connect
def disclosure_of(item: AgendaItem, **_: object) -> PlanDisclosure:
    """The plan's recorded disclosure, once it may be put to the vote
    (reviewed, disclosed, its year closed); otherwise the decision is refused."""
    coop, plan = _plan_of(item)
    return PlanDisclosure(plan.id, approval.ready_for_vote(coop, plan))


@item_decided.connect
def approve_when_passed(item: AgendaItem, **_: object) -> None:
    """A passed distribution item approves its plan; a failed one leaves it a draft."""
    if item.plan_id is None or not item.passed:
        return
    coop, plan = _plan_of(item)
    approval.approve_by_resolution(coop, plan, item)
