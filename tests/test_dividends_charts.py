"""The waterfall's geometry (coop.dividends.charts) and the plan's status
properties the templates ask instead of comparing status strings."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import coop.models  # noqa: F401  (every mapper: plans and lines are built in memory)
from coop.dividends.charts import BAR_SPAN, BAR_X, waterfall_chart
from coop.dividends.constants import PlanStatus, WeightBasis
from coop.dividends.models import DividendLine, DividendPlan
from coop.dividends.reading import WaterfallStep, stages


def _steps(surplus: int, *rest: tuple[str, int]) -> list[WaterfallStep]:
    return [WaterfallStep("可分配盈余", surplus, "surplus")] + [
        WaterfallStep(f"第 {i} 项", amount, kind) for i, (kind, amount) in enumerate(rest)]


def test_the_bars_after_the_surplus_follow_each_other_across_its_width():
    chart = waterfall_chart(_steps(10_000, ("fund", 1_000), ("fund", 500), ("pool", 8_500)),
                            10_000)
    assert (chart.width, chart.height) == (760, 14 + 4 * 40)
    assert [(b.x, b.width) for b in chart.bars] == [(130, 560), (130, 56), (186, 28), (214, 476)]
    assert [b.y for b in chart.bars] == [8, 48, 88, 128]
    assert [b.label_y for b in chart.bars] == [28, 68, 108, 148]
    surplus, reserve, _welfare, pool = chart.bars
    # wide enough: the amount inside the bar, right-aligned; else just after it
    assert (surplus.value_x, surplus.value_y, surplus.value_anchor, surplus.value_class) == (
        682, 27, "end", "wf-in")
    assert (reserve.value_x, reserve.value_anchor, reserve.value_class) == (192, "start", "wf-out")
    assert (pool.value_x, pool.value_anchor) == (130 + 84 + 476 - 8, "end")


def test_the_retained_part_is_a_bar_of_its_own_before_the_funds():
    chart = waterfall_chart(_steps(100_000, ("retained", 30_000), ("fund", 7_000)), 100_000)
    assert [(b.kind, b.x, b.width) for b in chart.bars] == [
        ("surplus", 130, 560), ("retained", 130, 168), ("fund", 298, 39)]


def test_a_zero_surplus_draws_hairlines():
    chart = waterfall_chart(_steps(0, ("fund", 0)), 0)
    assert [(b.x, b.width) for b in chart.bars] == [(130, 1), (130, 1)]


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=6))
def test_split_amounts_never_run_past_the_surplus(parts):
    surplus = sum(parts) or 1
    chart = waterfall_chart(_steps(surplus, *(("pool", p) for p in parts)), surplus)
    ends = [b.x + (b.width if p else 0) for b, p in zip(chart.bars[1:], parts)]
    assert all(BAR_X <= end <= BAR_X + BAR_SPAN for end in ends)
    assert chart.bars[0].width == BAR_SPAN


@pytest.mark.parametrize("status, expected", [
    (PlanStatus.DRAFT, {"is_draft"}),
    (PlanStatus.APPROVED, {"is_frozen", "is_approved", "is_revisable"}),
    (PlanStatus.PUBLISHED, {"is_frozen", "is_published", "is_noticed", "is_revisable"}),
    (PlanStatus.PAID, {"is_frozen", "is_paid", "is_noticed"}),
])
def test_status_properties(status, expected):
    plan = DividendPlan(status=status.value)
    names = {"is_draft", "is_frozen", "is_approved", "is_published", "is_paid", "is_noticed",
             "is_revisable"}
    assert {name for name in names if getattr(plan, name)} == expected


def test_stages_mark_what_is_done_and_what_is_next():
    reviewed, disclosed = datetime(2026, 3, 1, 8, 0), date(2026, 3, 2)

    def marks(status: PlanStatus, **steps) -> list[str]:
        return [s.state for s in stages(DividendPlan(status=status.value, **steps))]

    assert marks(PlanStatus.DRAFT) == ["current", "", "", "", "", ""]
    assert marks(PlanStatus.DRAFT, reviewed_at=reviewed) == [
        "done", "done", "current", "", "", ""]
    assert marks(PlanStatus.DRAFT, reviewed_at=reviewed, disclosed_on=disclosed) == [
        "done", "done", "done", "current", "", ""]
    assert marks(PlanStatus.APPROVED) == ["done", "done", "done", "current", "", ""]
    assert marks(PlanStatus.PUBLISHED) == ["done", "done", "done", "done", "current", ""]
    assert marks(PlanStatus.PAID) == ["done", "done", "done", "done", "done", "current"]
    assert [s.label for s in stages(DividendPlan(status="draft"))] == [
        "草案", "监事审核", "向成员公开", "会议表决通过", "公示", "发放"]


def test_weight_unit_and_line_properties():
    assert DividendPlan(weight_basis=WeightBasis.SHARE_DAYS.value).weight_unit == "股·天"
    assert DividendPlan(weight_basis=WeightBasis.RECORD_DATE.value).weight_unit == "股数"
    assert DividendPlan(superseded_by_id=None).is_current
    assert not DividendPlan(superseded_by_id=7).is_current
    assert DividendLine(kind="collective", total_fen=0).is_collective
    assert DividendLine(total_fen=1, paid_on=None).is_owed
    assert not DividendLine(total_fen=0, paid_on=None).is_owed
