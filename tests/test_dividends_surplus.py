"""Surplus kept at a year's close and carried forward is distributed once
(issue 12, DESIGN.md "Surplus"): the year's plan distributes the surplus less
what the close retained, and the next year carries exactly what the year did
not distribute."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from coop.dividends import compute, reading, workflow
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendLine, DividendPlan
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery.years import year_figures
from coop.machinery.distribution import year_distribution
from tests.conftest_dividends import YEAR, DividendWorld


def _figures(w: DividendWorld, year: int):
    with w.app.app_context():
        return year_figures(w.coop_id(), year)


def _approve(w: DividendWorld, plan_id: int, year: int) -> None:
    w.approve(plan_id, meeting_on=date(year + 1, 3, 1))


@pytest.fixture
def later(set_clock):
    """Today is in 2031, so that 2024-2030 can all be closed."""
    set_clock(date(2031, 1, 10))


def test_kept_surplus_is_taken_out_of_the_plan_and_distributed_once(div_world, later):
    # 2024: surplus 1,000.00 (10,000.00 less a 9,000.00 expense), 300.00 kept at the close.
    w = div_world
    w.ledger("create_expense", date(YEAR, 10, 1), "fuel", 900_000)
    w.ledger("close_year", YEAR, None, 30_000)
    plan_2024 = w.plan(w.call(compute.compute_plan, YEAR))
    # The 2024 plan distributes 700.00: funds 10 % + 5 % + 5 % of it, 560.00 to the lines.
    assert (plan_2024["surplus_fen"], plan_2024["retained_fen"]) == (100_000, 30_000)
    assert (plan_2024["reserve_fen"], plan_2024["welfare_fen"], plan_2024["risk_fen"]) == (
        7_000, 3_500, 3_500)
    assert sum(line["total_fen"] for line in plan_2024["lines"].values()) == 56_000
    # Until the plan is approved nothing is distributed: 2025 would carry all 1,000.00.
    assert _figures(w, YEAR + 1).carried_surplus_fen == 100_000
    _approve(w, plan_2024["id"], YEAR)
    assert _figures(w, YEAR + 1).carried_surplus_fen == 30_000

    # 2025 has no entries: its surplus is the 300.00 carried, and its plan distributes it.
    w.close(YEAR + 1)
    plan_2025 = w.plan(w.call(compute.compute_plan, YEAR + 1))
    assert (plan_2025["surplus_fen"], plan_2025["carried_surplus_fen"], plan_2025["retained_fen"]) == (
        30_000, 30_000, 0)
    lines_2025 = sum(line["total_fen"] for line in plan_2025["lines"].values())
    funds_2025 = plan_2025["reserve_fen"] + plan_2025["welfare_fen"] + plan_2025["risk_fen"]
    assert lines_2025 + funds_2025 == 30_000
    # 700.00 + 300.00: the 1,000.00 once, not 1,300.00.
    assert 56_000 + 14_000 + lines_2025 + funds_2025 == 100_000


def test_the_waterfall_shows_the_kept_amount_as_a_step(div_world, later, client, auth):
    w = div_world
    w.ledger("create_expense", date(YEAR, 10, 1), "fuel", 900_000)
    w.ledger("close_year", YEAR, None, 30_000)
    plan_id = w.call(compute.compute_plan, YEAR)
    with w.app.app_context():
        plan = db.session.get(DividendPlan, plan_id)
        steps = reading.waterfall(plan)
        text = reading.waterfall_text(plan)
    assert [(s.label, s.amount_fen, s.kind) for s in steps[:3]] == [
        ("本年盈余", 100_000, "surplus"), ("留存（结转下年）", 30_000, "retained"),
        ("公积金", 7_000, "fund")]
    assert sum(s.amount_fen for s in steps[1:]) == 100_000  # the steps add up to the surplus
    assert "留存（结转下年）（年度结账时留存，本次分配 700.00 元）：300.00 元" in text
    auth.login("admin")
    html = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "减：年度结账时留存（结转下年）" in html and "wf-retained" in html
    assert "<th scope=\"row\">可分配盈余</th><td class=\"num\"><strong>700.00</strong></td>" in html


def test_everything_kept_leaves_nothing_to_distribute(div_world, later):
    w = div_world
    w.ledger("close_year", YEAR, None, 1_000_000)
    plan_id = w.call(compute.compute_plan, YEAR)
    plan = w.plan(plan_id)
    assert plan["lines"] == {} and plan["line_count"] == 0
    assert plan["reserve_fen"] == plan["welfare_fen"] == plan["risk_fen"] == 0
    with w.app.app_context():
        assert reading.nothing_text(db.session.get(DividendPlan, plan_id)).startswith(
            "本年度盈余 10,000.00 元已在年度结账时全部留存、结转下年")
    _approve(w, plan_id, YEAR)
    assert _figures(w, YEAR + 1).carried_surplus_fen == 1_000_000


def test_a_year_without_an_approved_plan_carries_everything_and_cannot_be_distributed_later(
        div_world, later, fingerprint):
    w = div_world
    w.ledger("close_year", YEAR, None, 30_000)
    draft = w.call(compute.compute_plan, YEAR)  # a draft is not a distribution
    w.close(YEAR + 1)
    assert _figures(w, YEAR + 1).carried_surplus_fen == 1_000_000
    with w.app.app_context():
        out = year_distribution(w.coop_id(), YEAR)
    assert (out.awaiting_fen, out.carried_surplus_fen, out.next_year_closed) == (970_000, 1_000_000, True)
    before = fingerprint()
    message = ("2025 年度已经结账：2024 年度没有表决通过的分配方案，本应分配的 9,700.00 元已作为"
               "未分配盈余结转到 2025 年度，由 2025 年度的方案分配。不能再为 2024 年度分配，"
               "否则同一笔盈余会分配两次。")
    with pytest.raises(ServiceError) as exc:
        w.call(compute.compute_plan, YEAR)
    assert str(exc.value) == message
    with pytest.raises(ServiceError) as exc:
        _approve(w, draft, YEAR)
    assert str(exc.value) == message
    assert fingerprint() == before
    # The 2025 plan distributes the whole 10,000.00, once.
    plan_2025 = w.plan(w.call(compute.compute_plan, YEAR + 1))
    assert plan_2025["surplus_fen"] == 1_000_000


def test_a_new_version_distributes_the_same_and_may_follow_the_next_close(div_world, later):
    w = div_world
    w.ledger("close_year", YEAR, None, 30_000)
    first = w.call(compute.compute_plan, YEAR)
    _approve(w, first, YEAR)
    w.close(YEAR + 1)
    second = w.with_plan(first, workflow.new_version)
    _approve(w, second, YEAR)
    assert _figures(w, YEAR + 1).carried_surplus_fen == 30_000
    with w.app.app_context():
        assert year_distribution(w.coop_id(), YEAR).distributed_fen == 970_000


def test_a_preview_is_recomputed_on_the_kept_figures(div_world, later):
    w = div_world
    preview = w.call(compute.compute_plan, YEAR)  # year still open: all of 10,000.00
    assert w.plan(preview)["retained_fen"] == 0 and w.plan(preview)["reserve_fen"] == 100_000
    w.ledger("close_year", YEAR, None, 30_000)
    w.with_plan(preview, workflow.recompute)
    plan = w.plan(preview)
    assert (plan["retained_fen"], plan["reserve_fen"], plan["is_preview"]) == (30_000, 97_000, False)
    _approve(w, preview, YEAR)
    assert _figures(w, YEAR + 1).carried_surplus_fen == 30_000


def test_a_loss_carries_and_reduces_the_next_surplus(div_world, later):
    w = div_world
    w.ledger("create_expense", date(YEAR, 10, 1), "fuel", 1_250_000)  # -2,500.00
    w.close()
    assert _figures(w, YEAR + 1).carried_loss_fen == 250_000
    w.income(date(YEAR + 1, 5, 1), 4000)
    w.close(YEAR + 1)
    plan = w.plan(w.call(compute.compute_plan, YEAR + 1))
    assert (plan["carried_loss_fen"], plan["surplus_fen"]) == (250_000, 150_000)


# ------------------------------------------------------------ any run of years

plan_choices = st.sampled_from(["none", "draft", "approve", "preview_then_approve",
                                "approve_twice", "approve_after_next_close"])
year_plans = st.tuples(
    st.integers(-600_000, 1_500_000),  # the year's own result, fen
    st.sampled_from([0, 0, 1, 33, 50, 100]),  # percent of a positive surplus kept at the close
    plan_choices)


def _setup(app, code: str) -> DividendWorld:
    w = DividendWorld(app, code)
    w.member("C000", "村集体", kind="collective", household_no="")
    for no in ("V001", "V002", "V003"):
        w.member(no, household_no=f"H{no}")
    w.member("G001", kind="cadre", household_no="HG")
    w.found([("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
             ("V001", "villager", 150), ("V002", "villager", 157), ("V003", "villager", 3)])
    return w


def _effective_totals(w: DividendWorld) -> tuple[int, int, int]:
    """(lines, funds, plans) over every year's effective plan."""
    with w.app.app_context():
        effective = select(DividendPlan).where(
            DividendPlan.cooperative_id == w.coop_id(), DividendPlan.status != PlanStatus.DRAFT,
            DividendPlan.superseded_by_id.is_(None))
        plans = list(db.session.scalars(effective))
        assert len({p.year for p in plans}) == len(plans)  # one effective plan a year
        lines = db.session.scalar(select(func.coalesce(func.sum(DividendLine.total_fen), 0)).where(
            DividendLine.plan_id.in_([p.id for p in plans]))) if plans else 0
        for plan in plans:  # what the ledger recorded is what the plan gives out
            out = year_distribution(w.coop_id(), plan.year)
            assert out.distributed_fen == plan.distributed_fen
        funds = sum(p.reserve_fen + p.welfare_fen + p.risk_fen for p in plans)
        return int(lines), funds, len(plans)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(year_plans, min_size=1, max_size=4))
def test_paid_plus_funds_plus_carried_is_the_total_surplus(app, create_coop, later, years):
    w = _setup(app, create_coop())
    first = YEAR
    results = []
    pending_late: list[tuple[int, int]] = []  # (year, plan id) to approve after the next close
    for i, (result, kept_pct, choice) in enumerate(years):
        year = first + i
        if result > 0:
            w.ledger("create_income", date(year, 6, 1), "produce_sales", result)
        elif result < 0:
            w.ledger("create_expense", date(year, 6, 1), "fuel", -result)
        results.append(result)
        preview = w.call(compute.compute_plan, year) if choice == "preview_then_approve" else None
        surplus = _figures(w, year).surplus_fen
        kept = surplus * kept_pct // 100 if surplus > 0 else 0
        w.ledger("close_year", year, None, kept)
        for late_year, plan_id in pending_late:  # the next year is closed now
            with w.app.app_context():
                awaiting = year_distribution(w.coop_id(), late_year).awaiting_fen
            if awaiting:
                with pytest.raises(ServiceError, match="否则同一笔盈余会分配两次"):
                    _approve(w, plan_id, late_year)
            else:
                _approve(w, plan_id, late_year)
        pending_late = []
        if choice == "none":
            continue
        if preview is not None:
            w.with_plan(preview, workflow.recompute)
            plan_id = preview
        else:
            plan_id = w.call(compute.compute_plan, year)
        plan = w.plan(plan_id)
        assert plan["surplus_fen"] - plan["retained_fen"] == surplus - kept
        if choice == "draft":
            continue
        if choice == "approve_after_next_close":
            pending_late.append((year, plan_id))
            continue
        _approve(w, plan_id, year)
        if choice == "approve_twice":
            _approve(w, w.with_plan(plan_id, workflow.new_version), year)

    lines, funds, _ = _effective_totals(w)
    after = _figures(w, first + len(years))  # the open year after the run
    carried = after.carried_surplus_fen - after.carried_loss_fen
    assert lines + funds + carried == sum(results)


def test_the_year_pages_say_where_the_surplus_goes(div_world, later, client, auth):
    w = div_world
    w.ledger("close_year", YEAR, None, 30_000)
    auth.login("accountant")
    page = client.get(f"/machinery/years/{YEAR}").get_data(as_text=True)
    assert "结账时留存（不分配）</dt><dd>300.00 元" in page
    assert "9,700.00 元，分配方案尚未表决通过" in page
    assert '<dd id="carried-out">10,000.00 元</dd>' in page
    # The next year's close form warns that closing it ends 2024's distribution.
    page = client.get(f"/machinery/years/{YEAR + 1}").get_data(as_text=True)
    assert "2024 年度的分配方案还没有表决通过：其应分配的 9,700.00 元已计入上年结转" in page
    _approve(w, w.call(compute.compute_plan, YEAR), YEAR)
    page = client.get(f"/machinery/years/{YEAR}").get_data(as_text=True)
    assert "9,700.00 元（分配方案已表决通过）" in page and '<dd id="carried-out">300.00 元</dd>' in page
    assert "还没有表决通过" not in client.get(f"/machinery/years/{YEAR + 1}").get_data(as_text=True)
