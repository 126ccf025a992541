"""The warnings of an area's cooperatives, each with the page in the
drill-down that shows its cause. The facts come from each domain's api in
one query per kind over all the cooperatives; the verdicts from the pure
rules (coop.oversight.rules) with the date passed in."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from coop.cooperatives.api import Cooperative
from coop.disclosure.api import overdue_of
from coop.dividends.api import dividend_tallies, drafts_progress, large_cash_dividends
from coop.governance.api import failed_items
from coop.machinery.api import closed_years_of, large_expenses, receivable_tallies, year_figures_of
from coop.membership.api import filing_rule, unfiled_rosters
from coop.money import format_yuan
from coop.oversight import rules
from coop.oversight.first_years import first_years


@dataclass(frozen=True)
class Cause:
    """The drill-down page that shows a warning's cause: an endpoint and its arguments."""

    endpoint: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Warning:
    cooperative: Cooperative
    kind: str
    text: str
    cause: Cause


@dataclass(frozen=True)
class Thresholds:
    old_receivables_fen: int = rules.OLD_RECEIVABLES_FEN
    large_cash_fen: int = rules.LARGE_CASH_FEN


KINDS = {
    "close": "年度未结账",
    "plan": "分配方案未通过",
    "disclosure": "财务公开逾期",
    "roster": "成员名册未备案",
    "resolution": "决议未通过",
    "receivables": "长期应收款",
    "cash": "大额现金支付",
}


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _disclosure_law(coop: Cooperative) -> str:
    """What an overdue disclosure cites: the law of the cooperative's own
    regime (its words), the period's rule after it unless already named."""
    law, period_law = coop.words.disclosure_law, coop.words.disclosure_period_law
    return law if period_law in law else f"{law}，{period_law}"


def area_warnings(cooperatives: list[Cooperative], today: date,
                  thresholds: Thresholds = Thresholds()) -> list[Warning]:
    """Every warning of ``cooperatives`` on ``today``, by cooperative code then kind."""
    by_id = {c.id: c for c in cooperatives}
    ids = list(by_id)
    first_year = first_years(cooperatives)
    out: list[Warning] = []

    close_year = rules.year_due_for_close(today)
    closed = closed_years_of(ids, [close_year])
    for coop in cooperatives:
        if rules.close_overdue(close_year, (coop.id, close_year) in closed, first_year[coop.id], today):
            out.append(Warning(coop, "close", (
                f"{close_year} 年度未在 {_day(rules.close_deadline(close_year))} 前结账"),
                Cause("machinery.years")))

    plan_year = rules.year_due_for_plan(today)
    plans = dividend_tallies(ids, plan_year)
    figures = year_figures_of(ids, plan_year)
    drafts = drafts_progress(ids, plan_year)
    for coop in cooperatives:
        year = figures[coop.id]
        to_distribute = year.to_distribute_fen if year.closed else None
        if rules.plan_overdue(plan_year, coop.id in plans, to_distribute, first_year[coop.id], today):
            where = f"现为{drafts[coop.id]}" if coop.id in drafts else "尚未计算分配方案"
            out.append(Warning(coop, "plan", (
                f"{plan_year} 年度分配方案未在 {_day(rules.plan_deadline(plan_year))} 前表决通过"
                f"（{where}）"), Cause("dividends.index")))

    disclosures = overdue_of(ids, today)
    for coop in cooperatives:
        if late := disclosures.get(coop.id):
            oldest = late[0]
            more = f"等 {len(late)} 期" if len(late) > 1 else ""
            out.append(Warning(coop, "disclosure", (
                f"{oldest.label}{more}的财务未按时公开（最早一期应于 {oldest.due_on:%Y-%m-%d} 前公开，"
                f"已逾期 {oldest.days_late} 天；{_disclosure_law(coop)}）"),
                Cause("disclosure.period", {"year": oldest.period.year, "period_key": oldest.period.key})))

    for roster in unfiled_rosters(ids, today):
        out.append(Warning(by_id[roster.cooperative_id], "roster", (
            f"成员名册第 {roster.number} 版（{roster.made_on:%Y-%m-%d} 编制）逾期未备案，应于 "
            f"{roster.due_on:%Y-%m-%d} 前报送（{filing_rule(by_id[roster.cooperative_id])}）"),
            Cause("membership.roster", {"roster_id": roster.roster_id})))

    since = today - timedelta(days=rules.FAILED_RESOLUTION_DAYS)
    for item in failed_items(ids, since, today):
        out.append(Warning(by_id[item.cooperative_id], "resolution", (
            f"{item.meeting_on:%Y-%m-%d}「{item.meeting_title}」：议题「{item.item_title}」未通过"),
            Cause("governance.detail", {"meeting_id": item.meeting_id})))

    for coop_id, owed in receivable_tallies(ids, today).items():
        if rules.old_receivables_over(owed.old_fen, thresholds.old_receivables_fen):
            out.append(Warning(by_id[coop_id], "receivables", (
                f"超过一年的应收款 {format_yuan(owed.old_fen)} 元（在应收款页“90 天以上”一栏中；提示线 "
                f"{format_yuan(thresholds.old_receivables_fen)} 元）"), Cause("machinery.receivables")))

    start = date(today.year - 1, 1, 1)
    for line in large_cash_dividends(ids, start, today, thresholds.large_cash_fen):
        out.append(Warning(by_id[line.cooperative_id], "cash", (
            f"{line.paid_on:%Y-%m-%d} 以现金发放 {line.name}（{line.member_no}）分红 "
            f"{format_yuan(line.cash_fen)} 元"), Cause("dividends.detail", {"plan_id": line.plan_id})))
    for expense in large_expenses(ids, start, today, thresholds.large_cash_fen):
        out.append(Warning(by_id[expense.cooperative_id], "cash", (
            f"{expense.spent_on:%Y-%m-%d} 单笔{'现金' if expense.method else ''}支出 "
            f"{format_yuan(expense.amount_fen)} 元{'（' + expense.payee + '）' if expense.payee else ''}"
            f"{'' if expense.method else '，未登记付款方式'}"), Cause("machinery.expenses")))

    order = list(KINDS)
    return sorted(out, key=lambda w: (w.cooperative.code, order.index(w.kind)))
