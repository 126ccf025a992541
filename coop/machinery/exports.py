"""Reports as .xlsx workbooks (openpyxl). Money is written as exact Decimal yuan
with a two-decimal number format; areas as Decimal mu. No float anywhere."""
from __future__ import annotations

from io import BytesIO
from typing import Any, Callable

from coop.machinery.constants import ExpenseKind
from coop.machinery.ledger import AGING_BUCKETS
from coop.workbooks import Mu as _mu
from coop.workbooks import Table
from coop.workbooks import Yuan as _yuan
from coop.workbooks import workbook as _workbook

REPORTS = {
    "monthly": "逐月收支",
    "services": "按作业项目",
    "groups": "按客户类别",
    "machines": "单机核算",
    "members": "成员交易额",
    "receivables": "应收款账龄",
}

def _monthly(data: dict) -> tuple[list[str], list[list[Any]]]:
    m = data["monthly"]
    kinds = list(ExpenseKind)
    headers = (["月份", "服务收入", "其他可分配收入", "政府补助（不可分配）"]
               + [f"{k.label}支出" for k in kinds] + ["费用合计", "折旧", "当月结余"])
    rows = []
    for i in range(12):
        rows.append([f"{i + 1}月", _yuan(m.service_income[i]), _yuan(m.other_income[i]),
                     _yuan(m.grants[i])] + [_yuan(m.expenses[k.value][i]) for k in kinds]
                    + [_yuan(m.expense_total[i]), _yuan(m.depreciation[i]), _yuan(m.result[i])])
    rows.append(["合计", _yuan(sum(m.service_income)), _yuan(sum(m.other_income)),
                 _yuan(sum(m.grants))] + [_yuan(sum(m.expenses[k.value])) for k in kinds]
                + [_yuan(sum(m.expense_total)), _yuan(sum(m.depreciation)),
                   _yuan(sum(m.result))])
    return headers, rows


def _groups(lines) -> tuple[list[str], list[list[Any]]]:
    rows = [[line.label, line.orders, _mu(line.area_cmu), _yuan(line.amount_fen)]
            for line in lines]
    rows.append(["合计", sum(line.orders for line in lines),
                 _mu(sum(line.area_cmu for line in lines)),
                 _yuan(sum(line.amount_fen for line in lines))])
    return ["类别", "作业单数", "面积（亩）", "金额"], rows


def _machines(data: dict) -> tuple[list[str], list[list[Any]]]:
    headers = ["农机", "作业单数", "面积（亩）", "油耗（升）", "作业收入", "燃油费", "维修费",
               "其他费用", "折旧", "毛利"]
    rows = [[line.name, line.orders, _mu(line.area_cmu), _mu(line.fuel_cl),
             _yuan(line.income_fen), _yuan(line.fuel_fen), _yuan(line.repair_fen),
             _yuan(line.other_fen), _yuan(line.depreciation_fen), _yuan(line.margin_fen)]
            for line in data["by_machine"]]
    return headers, rows


def _members(data: dict) -> tuple[list[str], list[list[Any]]]:
    headers = ["成员编号", "姓名", "户号", "作业单数", "面积（亩）", "交易额", "已收款"]
    rows = [[line.member.member_no, line.member.name, line.member.household_no, line.orders,
             _mu(line.area_cmu), _yuan(line.amount_fen), _yuan(line.paid_fen)]
            for line in data["by_member"]]
    rows.append(["合计", "", "", sum(r[3] for r in rows),
                 _mu(sum(line.area_cmu for line in data["by_member"])),
                 _yuan(sum(line.amount_fen for line in data["by_member"])),
                 _yuan(sum(line.paid_fen for line in data["by_member"]))])
    return headers, rows


def _receivables(data: dict) -> tuple[list[str], list[list[Any]]]:
    rec = data["receivables"]
    headers = ["客户", "类别"] + [label for _, label in AGING_BUCKETS] + ["合计", "最长欠款天数"]
    rows = [[c.name, c.kind_label] + [_yuan(c.buckets[k]) for k, _ in AGING_BUCKETS]
            + [_yuan(c.total_fen), c.oldest_days] for c in rec.clients]
    rows.append(["合计", ""] + [_yuan(rec.totals[k]) for k, _ in AGING_BUCKETS]
                + [_yuan(rec.total_fen), ""])
    return headers, rows


BUILDERS: dict[str, Callable[[dict], tuple[list[str], list[list[Any]]]]] = {
    "monthly": _monthly,
    "services": lambda d: _groups(d["by_service"]),
    "groups": lambda d: _groups(d["by_group"]),
    "machines": _machines,
    "members": _members,
    "receivables": _receivables,
}


def workbook(name: str, coop_name: str, year: int, data: dict) -> BytesIO:
    headers, rows = BUILDERS[name](data)
    if name == "receivables":
        title = f"{coop_name} 应收款账龄表（截至 {data['receivables'].as_of.isoformat()}）"
    else:
        title = f"{coop_name} {year} 年 {REPORTS[name]}"
    return _workbook(Table(sheet=REPORTS[name], title=title, headers=headers, rows=rows))
