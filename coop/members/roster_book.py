"""The member roster for people (成员花名册): an .xlsx a secretary prints or
hands on, through coop.workbooks (title row with the cooperative and the
date, Chinese headers, frozen header, totals: people and households).

Rows in the natural order of the village groups (一组, 二组 ... 十一组),
then by household, the head of the household first, then by member number.
The resident ID is masked as on every page. The shares each member holds by
class come from whoever records them (``class_holdings``: the share
register), one query for the whole roster. The members export in the import
format (coop.members.importing) is another file and stays as it is.
"""
from __future__ import annotations

import functools
from datetime import date
from io import BytesIO
from typing import Any, Iterable

from coop import clock
from coop.cooperatives.api import Cooperative, ShareClass
from coop.idcodes import gender, mask_resident_id
from coop.members.groups import group_sort_key
from coop.members.models import Member
from coop.members.signals import class_holdings
from coop.workbooks import Table, workbook

BASE_HEADERS = ("序号", "成员编号", "姓名", "性别", "身份证号", "户号", "与户主关系", "村民小组",
                "成员类别", "取得方式", "确认日期", "状态")
HEAD = "户主"


def _order_of(members: Iterable[Member]) -> list[Member]:
    """``members`` in the roster's order; a village has a few dozen groups,
    so each group's key is made once, not once a member."""
    group_key = functools.cache(group_sort_key)
    return sorted(members, key=lambda m: (
        m.village_group == "", group_key(m.village_group), m.household_no == "",
        m.household_no, m.relation_to_head != HEAD, group_sort_key(m.member_no)))


def _date(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def roster_table(coop: Cooperative, members: Iterable[Member], *, filtered: bool = False) -> Table:
    """The roster of ``members`` as one table (the workbook's only sheet)."""
    today = clock.today()
    rows_of = _order_of(members)
    held = class_holdings(coop.id, today)
    classes = [sc for sc in ShareClass if any(sc.value in held.get(m.id, {}) for m in rows_of)]
    rows: list[list[Any]] = []
    for n, m in enumerate(rows_of, start=1):
        row: list[Any] = [n, m.member_no, m.name, gender(m.id_number), mask_resident_id(m.id_number),
                          m.household_no, m.relation_to_head, m.village_group, m.kind_label,
                          m.acquired_how_label, _date(m.confirmed_on),
                          m.status_label + ("（仅享有分配权）" if m.distribution_rights_only else "")]
        if classes:
            mine = held.get(m.id, {})
            row += [mine.get(sc.value, 0) for sc in classes] + [sum(mine.values())]
        rows.append(row)
    households = len({m.household_no for m in rows_of if m.household_no})
    totals: list[Any] = ["合计", f"{len(rows)} 人", f"{households} 户"] + [""] * (len(BASE_HEADERS) - 3)
    headers = list(BASE_HEADERS)
    if classes:
        headers += [f"{sc.label}（股）" for sc in classes] + ["合计（股）"]
        width = len(BASE_HEADERS)
        totals += [sum(r[i] for r in rows) for i in range(width, width + len(classes) + 1)]
    title = (f"{coop.name} 成员花名册{'（按当前筛选）' if filtered else ''}"
             f"  导出日期 {today:%Y-%m-%d}")
    return Table(sheet="成员花名册", title=title, headers=headers, rows=rows, totals=totals,
                 unit=f"持股截至 {today:%Y-%m-%d}，单位：股；身份证号已打码" if classes
                 else "身份证号已打码",
                 widths={2: 12, 3: 12, 5: 22, 8: 12, 10: 20, 11: 12})


def roster_workbook(coop: Cooperative, members: Iterable[Member], *, filtered: bool = False) -> BytesIO:
    return workbook(roster_table(coop, members, filtered=filtered))
