"""A plan's dividend lines as an .xlsx workbook for people (coop.workbooks)."""
from __future__ import annotations

from io import BytesIO

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative, ShareClass
from coop.extensions import db
from coop.dividends.models import DividendLine, DividendPlan
from coop.dividends.reading import pool_totals
from coop.members.api import MemberKind
from coop.workbooks import Table, Yuan, workbook

HEADERS = ("成员编号", "姓名", "成员类型", "股份类别", "股份权数", "保底收益", "按交易量返还",
           "按股分红", "合计", "发放日期", "发放方式")


def class_labels(joined: str) -> str:
    """"villager+cadre" -> "村民股、干部股"."""
    return "、".join(ShareClass.label_of(c, c) for c in joined.split("+") if c)


def plan_workbook(coop: Cooperative, plan: DividendPlan) -> BytesIO:
    """One sheet: a line per member, the totals of every pool last."""
    title = (f"{coop.name} {plan.year} 年度分红明细（第 {plan.version_no} 版，{plan.status_label}）"
             f"  导出日期 {clock.today():%Y-%m-%d}")
    lines = db.session.scalars(select(DividendLine).where(DividendLine.plan_id == plan.id)
                               .order_by(DividendLine.member_no, DividendLine.member_id))
    rows = [[line.member_no, line.name, MemberKind.label_of(line.kind, line.kind),
             class_labels(line.share_class), line.weight, Yuan(line.guaranteed_fen),
             Yuan(line.patronage_fen), Yuan(line.capital_fen), Yuan(line.total_fen),
             line.paid_on.isoformat() if line.paid_on else "", line.payment_method_label]
            for line in lines]
    t = pool_totals(plan)
    totals = ["合计", f"{len(rows)} 人", "", "", t.weight, Yuan(t.guaranteed_fen),
              Yuan(t.patronage_fen), Yuan(t.capital_fen), Yuan(t.total_fen), "", ""]
    return workbook(Table(sheet=f"{plan.year}年分红明细", title=title, headers=HEADERS,
                          rows=rows, totals=totals, widths={2: 14, 4: 16}))
