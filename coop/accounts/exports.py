"""Every member's account of a year as an .xlsx workbook (coop.workbooks)."""
from __future__ import annotations

from io import BytesIO

from coop import clock
from coop.accounts.reading import AccountRow, AccountTotals
from coop.cooperatives.api import Cooperative
from coop.workbooks import Mu, Table, Yuan, workbook

HEADERS = ("成员编号", "姓名", "年末出资额", "本年出资变动", "本年公积金量化", "公积金量化累计",
           "本年补助和捐赠量化", "补助和捐赠量化累计", "账户合计", "本年交易额", "本年作业面积（亩）",
           "本年作业单数")


def _figures(a) -> list:
    return [Yuan(a.capital_fen), Yuan(a.capital_change_fen), Yuan(a.reserve_fen),
            Yuan(a.reserve_balance_fen), Yuan(a.grants_fen), Yuan(a.grants_balance_fen),
            Yuan(a.total_fen), Yuan(a.business.amount_fen), Mu(a.business.area_cmu),
            a.business.orders]


def accounts_workbook(coop: Cooperative, year: int, rows: list[AccountRow],
                      totals: AccountTotals) -> BytesIO:
    """One sheet: a row per member, the totals of every member last."""
    title = (f"{coop.name} {year} 年度成员账户（《农民专业合作社法》第四十三条）"
             f"  导出日期 {clock.today():%Y-%m-%d}")
    body = [[r.member.member_no, r.member.name, *_figures(r.account)] for r in rows]
    return workbook(Table(sheet=f"{year}年成员账户", title=title, headers=HEADERS, rows=body,
                          totals=["合计", f"{len(rows)} 名成员", *_figures(totals)],
                          widths={2: 16}))
