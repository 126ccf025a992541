"""The holdings file: .xlsx for people, CSV for machines (the page's downloads and the CLI)."""
from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import IO

from coop import clock
from coop.cooperatives.api import Cooperative, ShareClass
from coop.members.api import MemberKind
from coop.money import format_yuan
from coop.shares.register import holdings_with_members
from coop.spreadsheets import csv_writer
from coop.workbooks import Table, Yuan, workbook


def write_holdings_csv(out: IO[str], coop: Cooperative, on: date) -> int:
    """member_no,name,kind,class,shares,value_fen: one row per member and class
    held on ``on``; returns the number of rows."""
    writer = csv_writer(out)
    writer.writerow(["member_no", "name", "kind", "class", "shares", "value_fen"])
    par = coop.par_value_fen
    lines = holdings_with_members(coop.id, on)
    # unpacked, not read by name: a row's attributes cost microseconds each
    writer.writerows((member_no, name, kind, share_class, shares, shares * par)
                     for member_no, name, kind, share_class, shares in lines)
    return len(lines)


HOLDINGS_HEADERS = ("成员编号", "姓名", "成员类型", "股份类别", "股数", "股金")


def holdings_workbook(coop: Cooperative, on: date) -> BytesIO:
    """The holdings on ``on`` for people: a row per member and class, the totals last."""
    par = coop.par_value_fen
    rows = [[member_no, name, MemberKind.label_of(kind, kind),
             ShareClass.label_of(share_class, share_class), shares, Yuan(shares * par)]
            for member_no, name, kind, share_class, shares in holdings_with_members(coop.id, on)]
    total = sum(r[4] for r in rows)
    members = len({r[0] for r in rows})
    title = (f"{coop.name} 成员持股表（截至 {on:%Y-%m-%d}，每股 {format_yuan(coop.par_value_fen)} 元）"
             f"  导出日期 {clock.today():%Y-%m-%d}")
    return workbook(Table(sheet="成员持股", title=title, headers=HOLDINGS_HEADERS, rows=rows,
                          totals=["合计", f"{members} 人", "", "", total,
                                  Yuan(total * coop.par_value_fen)], widths={2: 14}))
