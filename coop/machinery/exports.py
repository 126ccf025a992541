"""Reports and ledgers as .xlsx workbooks for people, through coop.workbooks:
a title row with the cooperative, the subject and the export date, Chinese
headers and labels, money as exact Decimal yuan with two decimals, areas as
Decimal mu, a frozen header and a totals row (issue 16). No float anywhere."""
from __future__ import annotations

from io import BytesIO
from typing import Any, Callable, NamedTuple, Sequence

from coop import clock
from coop.machinery.constants import ExpenseKind, PaymentMethod, client_kind_label
from coop.machinery.ledger import AGING_BUCKETS
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.orders import OrderRow
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


class Sheet(NamedTuple):
    headers: list[str]
    rows: list[list[Any]]
    totals: list[Any] | None


def _exported() -> str:
    return f"导出日期 {clock.today():%Y-%m-%d}"


def _monthly(data: dict) -> Sheet:
    m = data["monthly"]
    kinds = list(ExpenseKind)
    headers = (["月份", "服务收入", "其他可分配收入", "政府补助（不可分配）"]
               + [f"{k.label}支出" for k in kinds] + ["费用合计", "折旧", "当月结余"])
    rows = []
    for i in range(12):
        rows.append([f"{i + 1}月", _yuan(m.service_income[i]), _yuan(m.other_income[i]),
                     _yuan(m.grants[i])] + [_yuan(m.expenses[k.value][i]) for k in kinds]
                    + [_yuan(m.expense_total[i]), _yuan(m.depreciation[i]), _yuan(m.result[i])])
    totals = (["合计", _yuan(sum(m.service_income)), _yuan(sum(m.other_income)),
               _yuan(sum(m.grants))] + [_yuan(sum(m.expenses[k.value])) for k in kinds]
              + [_yuan(sum(m.expense_total)), _yuan(sum(m.depreciation)), _yuan(sum(m.result))])
    return Sheet(headers, rows, totals)


def _groups(lines) -> Sheet:
    rows = [[line.label, line.orders, _mu(line.area_cmu), _yuan(line.amount_fen)]
            for line in lines]
    totals = ["合计", sum(line.orders for line in lines), _mu(sum(line.area_cmu for line in lines)),
              _yuan(sum(line.amount_fen for line in lines))]
    return Sheet(["类别", "作业单数", "面积（亩）", "金额"], rows, totals)


def _machines(data: dict) -> Sheet:
    headers = ["农机", "作业单数", "面积（亩）", "油耗（升）", "作业收入", "燃油费", "维修费",
               "其他费用", "折旧", "毛利"]
    lines = data["by_machine"]
    rows = [[line.name, line.orders, _mu(line.area_cmu), _mu(line.fuel_cl),
             _yuan(line.income_fen), _yuan(line.fuel_fen), _yuan(line.repair_fen),
             _yuan(line.other_fen), _yuan(line.depreciation_fen), _yuan(line.margin_fen)]
            for line in lines]
    totals = ["合计", sum(line.orders for line in lines), _mu(sum(line.area_cmu for line in lines)),
              _mu(sum(line.fuel_cl for line in lines))] + [
        _yuan(sum(getattr(line, f) for line in lines))
        for f in ("income_fen", "fuel_fen", "repair_fen", "other_fen", "depreciation_fen",
                  "margin_fen")]
    return Sheet(headers, rows, totals)


def _members(data: dict) -> Sheet:
    headers = ["成员编号", "姓名", "户号", "作业单数", "面积（亩）", "交易额", "已收款"]
    lines = data["by_member"]
    rows = [[line.member.member_no, line.member.name, line.member.household_no, line.orders,
             _mu(line.area_cmu), _yuan(line.amount_fen), _yuan(line.paid_fen)]
            for line in lines]
    totals = ["合计", f"{len(rows)} 人", "", sum(line.orders for line in lines),
              _mu(sum(line.area_cmu for line in lines)),
              _yuan(sum(line.amount_fen for line in lines)),
              _yuan(sum(line.paid_fen for line in lines))]
    return Sheet(headers, rows, totals)


def _receivables(data: dict) -> Sheet:
    rec = data["receivables"]
    headers = ["客户", "类别"] + [label for _, label in AGING_BUCKETS] + ["合计", "最长欠款天数"]
    rows = [[c.name, c.kind_label] + [_yuan(c.buckets[k]) for k, _ in AGING_BUCKETS]
            + [_yuan(c.total_fen), c.oldest_days] for c in rec.clients]
    totals = (["合计", f"{len(rows)} 个客户"] + [_yuan(rec.totals[k]) for k, _ in AGING_BUCKETS]
              + [_yuan(rec.total_fen), ""])
    return Sheet(headers, rows, totals)


BUILDERS: dict[str, Callable[[dict], Sheet]] = {
    "monthly": _monthly,
    "services": lambda d: _groups(d["by_service"]),
    "groups": lambda d: _groups(d["by_group"]),
    "machines": _machines,
    "members": _members,
    "receivables": _receivables,
}


def workbook(name: str, coop_name: str, year: int, data: dict) -> BytesIO:
    sheet = BUILDERS[name](data)
    if name == "receivables":
        title = f"{coop_name} 应收款账龄表（截至 {data['receivables'].as_of.isoformat()}）"
    else:
        title = f"{coop_name} {year} 年 {REPORTS[name]}"
    return _workbook(Table(sheet=REPORTS[name], title=f"{title}  {_exported()}",
                           headers=sheet.headers, rows=sheet.rows, totals=sheet.totals))


ORDER_HEADERS = ["作业单号", "作业日期", "客户", "客户类别", "作业项目", "地块", "面积（亩）",
                 "单价（元/亩）", "金额", "已收款", "未收款", "农机", "机手", "油耗（升）", "备注"]


def _order_line(row: OrderRow, word: str) -> list[Any]:
    o: ServiceOrder = row.order
    note = f"冲销作业单（{o.note}）" if o.reverses_id else o.note
    return [o.order_no, f"{o.service_on:%Y-%m-%d}", o.client_name, client_kind_label(o.client_kind, word),
            o.service_label, o.plot, _mu(o.area_cmu), _yuan(o.unit_price_fen), _yuan(o.amount_fen),
            _yuan(row.paid_fen), _yuan(row.outstanding_fen),
            o.machine.name if o.machine is not None else "", o.operator, _mu(o.fuel_cl), note]


def orders_workbook(coop_name: str, year: int, rows: Sequence[OrderRow], word: str,
                    subject: str = "作业单") -> BytesIO:
    """A year's service orders (作业单), as the list filters them, with what
    was paid and is still owed on each; ``word`` names an outside village."""
    lines = [_order_line(row, word) for row in rows]
    totals = ["合计", f"{len(lines)} 单", "", "", "", "",
              _mu(sum(r.order.area_cmu for r in rows)), "",
              _yuan(sum(r.order.amount_fen for r in rows)), _yuan(sum(r.paid_fen for r in rows)),
              _yuan(sum(r.outstanding_fen for r in rows)), "", "",
              _mu(sum(r.order.fuel_cl for r in rows)), ""]
    return _workbook(Table(sheet=subject, title=f"{coop_name} {year} 年{subject}  {_exported()}",
                           headers=ORDER_HEADERS, rows=lines, totals=totals,
                           unit="金额单位：元；面积单位：亩", widths={3: 16, 15: 24}))


PAYMENT_HEADERS = ["收款日期", "作业单号", "作业日期", "客户", "作业项目", "收款金额", "收款方式", "备注"]


def payments_workbook(coop_name: str, year: int, payments: Sequence[ServicePayment],
                      orders: dict[int, ServiceOrder]) -> BytesIO:
    """A year's payments received (收款), a reversal as a negative line."""
    lines = []
    for p in payments:
        o = orders[p.order_id]
        note = f"冲销收款（{p.note}）" if p.reverses_id else p.note
        lines.append([f"{p.paid_on:%Y-%m-%d}", o.order_no, f"{o.service_on:%Y-%m-%d}", o.client_name,
                      o.service_label, _yuan(p.amount_fen), PaymentMethod.label_of(p.method), note])
    totals = ["合计", f"{len(lines)} 笔", "", "", "", _yuan(sum(p.amount_fen for p in payments)), "", ""]
    return _workbook(Table(sheet="收款记录", title=f"{coop_name} {year} 年收款记录  {_exported()}",
                           headers=PAYMENT_HEADERS, rows=lines, totals=totals,
                           widths={4: 16, 8: 24}))
