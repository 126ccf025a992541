"""The annual statistics of an area as one .xlsx table: a row per
cooperative and the total. One table rather than a sheet per cooperative: a
county statistician sorts, filters and sums the cooperatives side by side
and copies the rows into the bureau's returns; 230 sheets of one row each
could be read only one at a time."""
from __future__ import annotations

from io import BytesIO

from coop.cooperatives.api import Area, LegalRegime, ShareClass
from coop.oversight.overview import CLASSES, Figures, Overview
from coop.workbooks import Mu, Table, Yuan, workbook

HEADERS = (
    "乡镇", "村", "合作社", "合作社代码", "统一社会信用代码", "成员（人）", "户数",
    *(f"{ShareClass(c).label}（股）" for c in CLASSES), "股数合计",
    *(f"{ShareClass(c).label}股本金" for c in CLASSES), "股本金合计",
    "入股土地（亩）", "本年盈余", "上年结转", "上年盈余", "分红（已通过方案）", "分红已发放",
    "集体分红收入", "应收款", "其中一年以上",
)


def _figures(f: Figures) -> list:
    return [f.members, f.households,
            *(f.shares_by_class.get(c.value, 0) for c in CLASSES), f.shares,
            *(Yuan(f.capital_by_class.get(c.value, 0)) for c in CLASSES), Yuan(f.capital_fen),
            Mu(f.land_mu), Yuan(f.surplus_fen), Yuan(f.carried_fen), Yuan(f.last_surplus_fen),
            Yuan(f.dividends_approved_fen), Yuan(f.dividends_paid_fen), Yuan(f.collective_fen),
            Yuan(f.receivables_fen), Yuan(f.old_receivables_fen)]


# what the title calls the cooperatives when all are of one regime; a mixed
# list (or none) is of 合作社
KINDS = {LegalRegime.COLLECTIVE: "农村集体经济组织", LegalRegime.SPECIALIZED: "农民专业合作社"}


def kind_of(overview: Overview) -> str:
    regimes = {r.cooperative.regime for r in overview.rows}
    return KINDS[regimes.pop()] if len(regimes) == 1 else "合作社"


def statistics_table(area: Area, overview: Overview) -> Table:
    rows = [[r.township, r.village, r.cooperative.name, r.cooperative.code,
             r.cooperative.credit_code, *_figures(r.figures)] for r in overview.rows]
    totals = ["合计", "", f"{len(overview.rows)} 个合作社", "", "", *_figures(overview.total)]
    title = (f"{area.name} {kind_of(overview)} {overview.year} 年统计表（截至 {overview.on:%Y-%m-%d}；"
             f"分红为 {overview.plan_year} 年度分配方案）")
    return Table(sheet=f"{overview.year}年统计", title=title, headers=HEADERS, rows=rows,
                 totals=totals, unit="金额单位：元；土地单位：亩；本年盈余、上年盈余不含上年结转",
                 widths={3: 30, 5: 22})


def statistics_workbook(area: Area, overview: Overview) -> BytesIO:
    return workbook(statistics_table(area, overview))
