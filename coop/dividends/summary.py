"""A plan's figures as the rows of one surplus table (templates/_surplus.html):
the surplus computation on the plan's page, and what the plan does with the
surplus on the notice, the members' portal and the annual statement."""
from __future__ import annotations

from typing import TYPE_CHECKING

from coop.machinery.api import SurplusRow, surplus_rows

if TYPE_CHECKING:
    from coop.dividends.models import DividendPlan


def plan_surplus_rows(plan: DividendPlan) -> list[SurplusRow]:
    """The year's figures as the plan took them, down to the distributable S
    (for a specialized plan S is before the reserve: FSC art 44 calls only
    what the reserve leaves distributable)."""
    rows = surplus_rows(plan, after_retention=True)
    if plan.is_specialized:
        rows = [row._replace(label="本次分配的盈余（提取公积金前）") if row.label == "可分配盈余"
                else row for row in rows]
    return rows


def distribution_rows(plan: DividendPlan) -> list[SurplusRow]:
    """Where the surplus goes: what the close retained, S, the three funds,
    what is left after them and each pool (land and patronage when there are any)."""
    rows = []
    if plan.retained_fen:
        rows += [SurplusRow("本年盈余", plan.surplus_fen),
                 SurplusRow("留存结转下年", plan.retained_fen)]
    if plan.is_specialized:  # FSC art 44: distributable is what the reserve leaves
        rows += [SurplusRow("本年盈余（弥补亏损后）", plan.to_distribute_fen),
                 SurplusRow("提取公积金", plan.reserve_fen),
                 SurplusRow("可分配盈余", plan.after_reserve_fen)]
    else:
        rows += [SurplusRow("可分配盈余", plan.to_distribute_fen),
                 SurplusRow("提取公积金", plan.reserve_fen)]
    rows += [SurplusRow("提取公益金", plan.welfare_fen),
             SurplusRow("提取风险金", plan.risk_fen),
             SurplusRow("提取后可分配", plan.distributable_fen)]
    if plan.guaranteed_total_fen:
        rows.append(SurplusRow("土地保底收益", plan.guaranteed_total_fen))
    if plan.patronage_pool_fen:
        rows.append(SurplusRow("按交易量返还", plan.patronage_pool_fen))
    if plan.is_by_the_book:
        rows.append(SurplusRow("按出资额、公积金份额和补助量化返还", plan.capital_pool_fen))
        if plan.converted_fen:
            rows.append(SurplusRow("其中转为成员出资（盈余转增）", plan.converted_fen, "aside"))
    else:
        rows.append(SurplusRow("按股分红总额", plan.capital_pool_fen))
    return rows
