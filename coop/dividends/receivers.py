"""The distribution plans' answers to governance's signals
(coop.governance.agenda_sources): governance sits below the plans and cannot
ask for them directly. Connected when the module is imported, which the app
factory does for every domain's ``receivers`` module (coop.domains)."""
from __future__ import annotations

from sqlalchemy import select

from coop.dividends.api import DividendPlan, PlanStatus
from coop.extensions import db
from coop.governance.api import PlanChoice, plan_choices_requested


@plan_choices_requested.connect
def plans_to_decide(coop_id: int, **_: object) -> list[PlanChoice]:
    """The cooperative's draft plans of closed years: what a meeting may approve."""
    plans = db.session.scalars(select(DividendPlan).where(
        DividendPlan.cooperative_id == coop_id, DividendPlan.status == PlanStatus.DRAFT.value,
        DividendPlan.is_preview.is_(False)).order_by(DividendPlan.year.desc(),
                                                     DividendPlan.version_no.desc()))
    return [PlanChoice(plan.id, plan.year, f"{plan.year} 年度收益分配方案（第 {plan.version_no} 版，草案）")
            for plan in plans]
