"""The surplus rows are defined once (coop.machinery.surplus.surplus_rows for
a year's figures, coop.dividends.summary for a plan) and rendered by one
partial (templates/_surplus.html) on the ledger's year page, the plan's page,
the printed notice, the members' portal and the annual statement."""
from __future__ import annotations

import re
from datetime import date

import coop.models  # noqa: F401  (every mapper: plans are built in memory)
from coop.dividends import compute, workflow
from coop.dividends.models import DividendPlan
from coop.dividends.summary import plan_surplus_rows
from coop.machinery.surplus import figures, surplus_rows
from tests.conftest_dividends import YEAR


def _rows(rows) -> list[tuple[str, int, str]]:
    return [(r.label, r.amount_fen, r.kind) for r in rows]


def test_a_years_rows_end_with_its_surplus_and_show_carried_amounts_only_when_there_are_any():
    f = figures(YEAR, service_income_members_fen=300_000, service_income_nonmembers_fen=50_000,
                other_income_fen=60_000, nondistributable_income_fen=0, expenses_fen=20_000,
                depreciation_fen=10_000, carried_loss_fen=5_000)
    assert _rows(f.rows) == [
        ("服务收入（本社成员）", 300_000, ""), ("服务收入（非成员）", 50_000, ""),
        ("其他可分配收入", 60_000, ""), ("减：费用", 20_000, ""), ("减：折旧", 10_000, ""),
        ("减：上年结转亏损", 5_000, ""), ("本年可分配盈余", 375_000, "total")]
    assert f.rows[-1].cell_id == "surplus"


def test_a_plans_rows_take_off_what_the_close_retained():
    plan = DividendPlan(surplus_fen=100_000, retained_fen=30_000, nondistributable_income_fen=500,
                        service_income_members_fen=100_000, service_income_nonmembers_fen=0,
                        other_income_fen=0, expenses_fen=0, depreciation_fen=0,
                        carried_surplus_fen=0, carried_loss_fen=0)
    assert _rows(plan.surplus_rows)[-4:] == [
        ("本年盈余", 100_000, "total"), ("减：年度结账时留存（结转下年）", 30_000, ""),
        ("可分配盈余", 70_000, "total"), ("政府补助（不可分配，不计入盈余）", 500, "aside")]
    assert surplus_rows(plan, after_retention=True) == plan.surplus_rows


def test_where_a_plans_surplus_goes():
    plan = DividendPlan(surplus_fen=100_000, retained_fen=0, reserve_fen=10_000, welfare_fen=5_000,
                        risk_fen=5_000, distributable_fen=80_000, guaranteed_total_fen=0,
                        patronage_pool_fen=0, capital_pool_fen=80_000, mode="joint_stock")
    assert [(r.label, r.amount_fen) for r in plan.distribution_rows] == [
        ("可分配盈余", 100_000), ("提取公积金", 10_000), ("提取公益金", 5_000),
        ("提取风险金", 5_000), ("提取后可分配", 80_000), ("按股分红总额", 80_000)]


def test_a_specialized_plans_distributable_surplus_is_after_the_reserve():
    # FSC art 44: what covering losses and the reserve leave is the distributable
    # surplus, and the patronage pool is at least 60 % of it (54,000 of 90,000).
    plan = DividendPlan(surplus_fen=100_000, retained_fen=0, reserve_fen=10_000, welfare_fen=5_000,
                        risk_fen=5_000, distributable_fen=80_000, guaranteed_total_fen=0,
                        patronage_pool_fen=54_000, capital_pool_fen=26_000, mode="specialized")
    assert [(r.label, r.amount_fen) for r in plan.distribution_rows] == [
        ("本年盈余（弥补亏损后）", 100_000), ("提取公积金", 10_000), ("可分配盈余", 90_000),
        ("提取公益金", 5_000), ("提取风险金", 5_000), ("提取后可分配", 80_000),
        ("按交易量返还", 54_000), ("按股分红总额", 26_000)]
    assert plan_surplus_rows(plan)[-1].label == "本次分配的盈余（提取公积金前）"


def _cells(html: str) -> dict[str, str]:
    """Label -> amount of every row the partial rendered as a table."""
    return {label: amount for label, amount in re.findall(
        r'<th scope="row">([^<]+)</th><td class="num[^"]*"[^>]*>(?:<strong>)?([^<]+)', html)}


def test_the_pages_show_the_same_rows_with_the_same_numbers(client, auth, div_world, set_clock):
    w = div_world
    set_clock(date(YEAR + 1, 3, 2))
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.approve(plan_id)
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2), notice_days=7)
    auth.login("admin")
    year = _cells(client.get(f"/machinery/years/{YEAR}").get_data(as_text=True))
    plan_page = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "已发放 0 / 4 人" in plan_page and "把尚未发放的 4 人" in plan_page
    plan = _cells(plan_page)
    notice = _cells(client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True))
    assert year["本年可分配盈余"] == plan["可分配盈余"] == "10,000.00"
    for label in ("服务收入（本社成员）", "其他可分配收入", "减：费用"):
        assert year[label] == plan[label]
    assert notice["可分配盈余"] == "10,000.00 元" and notice["提取公积金"] == "1,000.00 元"
    assert notice["提取后可分配"] == "8,000.00 元" and notice["按股分红总额"] == "8,000.00 元"
