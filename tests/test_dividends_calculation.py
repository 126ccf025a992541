"""The pure distribution plan: waterfall and lines, both modes, worked by hand (issue 6)."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from coop.cooperatives.constants import DistributionMode
from coop.dividends.calculation import (GuaranteedExceedsPoolError, MemberLine, NoHoldersError,
                                        NoTransactionsError, PatronageFloorError, PlanError,
                                        PlanInputs, Waterfall, calculate_plan)
from coop.money import apply_rate

JOINT, SPECIAL = "joint_stock", "specialized"


def lines_as_tuples(result):
    return [(l.key, l.weight, l.transactions_fen, l.guaranteed_fen, l.patronage_fen, l.capital_fen,
             l.total_fen) for l in result.lines]


def test_joint_stock_by_shares_on_record_date():
    # S = 12,345.67 yuan = 1,234,567 fen; reserve 10 %, welfare 5 %, risk 5 %.
    #   reserve = 123,456.7  -> 123,457 (half-up)
    #   welfare =  61,728.35 ->  61,728
    #   risk    =  61,728.35 ->  61,728
    #   D = 1,234,567 - 123,457 - 61,728 - 61,728 = 987,654
    # Guaranteed land payments M002 10,000 + M003 20,000 = 30,000 -> D = 957,654, all by shares.
    # Shares on the record date: M001 (collective) 300, M002 100, M003 100, M004 200; W = 700.
    #   M001: 957,654 x 300 = 287,296,200 = 410,423 x 700 + 100
    #   M002: 957,654 x 100 =  95,765,400 = 136,807 x 700 + 500
    #   M003: same as M002                = 136,807 x 700 + 500
    #   M004: 957,654 x 200 = 191,530,800 = 273,615 x 700 + 300
    #   floors add up to 957,652: the 2 fen left go to the two largest remainders (M002, M003).
    inputs = PlanInputs(
        surplus_fen=1_234_567, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=500,
        mode=JOINT, share_weights={"M004": 200, "M001": 300, "M002": 100, "M003": 100},
        guaranteed_fen={"M002": 10_000, "M003": 20_000},
        patronage_rate_bp=6000,  # ignored in joint-stock mode
    )
    result = calculate_plan(inputs)
    assert not result.nothing_to_distribute
    assert result.waterfall == Waterfall(
        surplus_fen=1_234_567, reserve_fen=123_457, welfare_fen=61_728, risk_fen=61_728,
        after_funds_fen=987_654, guaranteed_fen=30_000, after_guaranteed_fen=957_654,
        patronage_fen=0, capital_fen=957_654,
    )
    assert lines_as_tuples(result) == [
        ("M001", 300, 0, 0, 0, 410_423, 410_423),
        ("M002", 100, 0, 10_000, 0, 136_808, 146_808),
        ("M003", 100, 0, 20_000, 0, 136_808, 156_808),
        ("M004", 200, 0, 0, 0, 273_615, 273_615),
    ]
    assert sum(l.total_fen for l in result.lines) == 987_654 == result.waterfall.distributed_fen
    assert result.total_weight == 700
    # 9,576.54 yuan / 700 shares = 13.68077... yuan per share.
    assert result.capital_per_weight_yuan() == Decimal("13.6808")
    assert result.line("M003").total_fen == 156_808
    assert result.line("nobody") is None


def test_joint_stock_by_share_days():
    # S = 1,000.00 yuan, no funds. A held 100 shares all 2025 (100 x 365 = 36,500 share-days),
    # B subscribed 100 shares on 1 July (100 x 184 = 18,400); W = 54,900.
    #   A: 100,000 x 36,500 = 3,650,000,000 = 66,484 x 54,900 + 28,400
    #   B: 100,000 x 18,400 = 1,840,000,000 = 33,515 x 54,900 + 26,500
    #   floors 99,999: the 1 fen left goes to A (larger remainder).
    # (By shares on the record date both would get 50,000.)
    result = calculate_plan(PlanInputs(
        surplus_fen=100_000, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
        mode=DistributionMode.JOINT_STOCK, share_weights={"A": 36_500, "B": 18_400},
    ))
    assert [(l.key, l.capital_fen) for l in result.lines] == [("A", 66_485), ("B", 33_515)]
    by_record_date = calculate_plan(dataclasses.replace(result.inputs, share_weights={"A": 100, "B": 100}))
    assert [(l.key, l.capital_fen) for l in by_record_date.lines] == [("A", 50_000), ("B", 50_000)]


def test_specialized_mode():
    # S = 20,000.03 yuan = 2,000,003 fen; reserve 10 %, welfare 5 %, risk 0 %.
    #   reserve = 200,000.3  -> 200,000; welfare = 100,000.15 -> 100,000; risk = 0
    #   D = 1,700,003, no guaranteed payments.
    # Patronage 60 % of the law's distributable surplus, S - reserve = 1,800,003
    # (art 44: after losses and the reserve, before the welfare fund):
    #   P = ceil(1,800,003 x 0.6) = ceil(1,080,001.8) = 1,080,002;
    # capital pool = 1,700,003 - 1,080,002 = 620,001.
    # Transactions: M002 150,000, M003 250,000 (M001 the collective and M004 none); T = 400,000.
    #   M002: 1,080,002 x 3/8 = 405,000.75 -> 405,000 (remainder .75)
    #   M003: 1,080,002 x 5/8 = 675,001.25 -> 675,001 (remainder .25)
    #   1 fen left -> M002: 405,001 + 675,001 = 1,080,002.
    # Shares: M001 500, M002 100, M003 100, M004 300; W = 1,000.
    #   M001 310,000.5, M002 62,000.1, M003 62,000.1, M004 186,000.3
    #   floors 620,000, 1 fen left -> M001 (.5): 310,001.
    inputs = PlanInputs(
        surplus_fen=2_000_003, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=0,
        mode=SPECIAL, patronage_rate_bp=6000,
        share_weights={"M001": 500, "M002": 100, "M003": 100, "M004": 300},
        transactions_fen={"M001": 0, "M002": 150_000, "M003": 250_000},
    )
    result = calculate_plan(inputs)
    assert result.waterfall == Waterfall(
        surplus_fen=2_000_003, reserve_fen=200_000, welfare_fen=100_000, risk_fen=0,
        after_funds_fen=1_700_003, guaranteed_fen=0, after_guaranteed_fen=1_700_003,
        patronage_fen=1_080_002, capital_fen=620_001,
    )
    assert lines_as_tuples(result) == [
        ("M001", 500, 0, 0, 0, 310_001, 310_001),
        ("M002", 100, 150_000, 0, 405_001, 62_000, 467_001),
        ("M003", 100, 250_000, 0, 675_001, 62_000, 737_001),
        ("M004", 300, 0, 0, 0, 186_000, 186_000),
    ]
    assert sum(l.total_fen for l in result.lines) == 1_700_003
    assert result.total_transactions_fen == 400_000
    assert result.patronage_per_yuan() == Decimal("2.7000")  # 1,080,002 / 400,000 = 2.700005


def test_specialized_with_guaranteed_and_member_without_shares():
    # S = 100.00 yuan, no funds: D = 10,000 fen; guaranteed A 10.00.
    # Patronage 65 % of D itself: P = ceil(10,000 x 0.65) = 6,500; capital 10,000 - 1,000 - 6,500 = 2,500.
    # Transactions A 1, B 2 (T = 3): 2,166.67 and 4,333.33, the fen left to the larger
    # remainder (A): A 2,167, B 4,333. Shares: only A (B has none): A 2,500.
    result = calculate_plan(PlanInputs(
        surplus_fen=10_000, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
        mode=SPECIAL, patronage_rate_bp=6500, share_weights={"A": 7},
        guaranteed_fen={"A": 1_000}, transactions_fen={"A": 1, "B": 2},
    ))
    assert result.waterfall.patronage_fen == 6_500
    assert result.waterfall.capital_fen == 2_500
    assert lines_as_tuples(result) == [
        ("A", 7, 1, 1_000, 2_167, 2_500, 5_667),
        ("B", 0, 2, 0, 4_333, 0, 4_333),
    ]


@pytest.mark.parametrize("surplus,rate,expected", [
    (10, 500, 1),   # 0.5 fen -> 1 (half-up)
    (9, 500, 0),    # 0.45 -> 0
    (30, 500, 2),   # 1.5 -> 2
    (2, 2500, 1),   # 0.5 -> 1
    (1, 2499, 0),   # 0.2499 -> 0
])
def test_funds_round_half_up(surplus, rate, expected):
    result = calculate_plan(PlanInputs(
        surplus_fen=surplus, reserve_rate_bp=rate, welfare_rate_bp=0, risk_rate_bp=0,
        mode=JOINT, share_weights={"A": 1},
    ))
    assert result.waterfall.reserve_fen == expected
    assert result.line("A").capital_fen == surplus - expected


def test_patronage_is_rounded_up():
    # D = 1 fen at 60 %: P = ceil(0.6) = 1, capital 0.
    result = calculate_plan(PlanInputs(
        surplus_fen=1, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0, mode=SPECIAL,
        patronage_rate_bp=6000, share_weights={"A": 1}, transactions_fen={"B": 5},
    ))
    assert (result.waterfall.patronage_fen, result.waterfall.capital_fen) == (1, 0)
    assert lines_as_tuples(result) == [("A", 1, 0, 0, 0, 0, 0), ("B", 0, 5, 0, 1, 0, 1)]


def guaranteed_inputs(guaranteed):
    # S = 1,000.00 yuan; 10 % + 5 % + 5 % = 200.00 yuan of funds; D = 800.00 yuan.
    return PlanInputs(
        surplus_fen=100_000, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=500,
        mode=JOINT, share_weights={"A": 1, "B": 1}, guaranteed_fen=guaranteed,
    )


def test_guaranteed_exceeding_the_pool_is_refused():
    with pytest.raises(GuaranteedExceedsPoolError) as info:
        calculate_plan(guaranteed_inputs({"A": 50_000, "B": 30_001}))
    assert isinstance(info.value, ValueError)
    assert str(info.value) == (
        "保底收益合计 800.01 元，超过提取公积金、公益金、风险金后的可分配盈余 800.00 元，"
        "分配方案不能成立。请核对保底标准或本年度盈余。"
    )


def test_guaranteed_equal_to_the_pool_leaves_nothing_by_shares():
    result = calculate_plan(guaranteed_inputs({"A": 50_000, "B": 30_000}))
    assert result.waterfall.after_guaranteed_fen == 0
    assert result.waterfall.capital_fen == 0
    assert lines_as_tuples(result) == [("A", 1, 0, 50_000, 0, 0, 50_000), ("B", 1, 0, 30_000, 0, 0, 30_000)]


@pytest.mark.parametrize("surplus", [0, -1, -5_000_000])
def test_no_surplus_says_so(surplus):
    result = calculate_plan(PlanInputs(
        surplus_fen=surplus, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=500,
        mode=SPECIAL, patronage_rate_bp=6000, share_weights={"A": 10},
        guaranteed_fen={"A": 999_999}, transactions_fen={},
    ))
    assert result.nothing_to_distribute
    assert "没有可分配盈余" in result.message
    assert result.lines == ()
    assert result.waterfall == Waterfall(surplus, 0, 0, 0, 0, 0, 0, 0, 0)


def test_no_surplus_message_shows_the_figure():
    result = calculate_plan(PlanInputs(surplus_fen=-123_456, reserve_rate_bp=0, welfare_rate_bp=0,
                                       risk_rate_bp=0, mode=JOINT, share_weights={}))
    assert result.message.startswith("本年度盈余为 -1,234.56 元，没有可分配盈余")


def test_specialized_with_no_transactions_is_refused():
    # A patronage pool of 600.00 yuan and nobody to return it to: refused, not silently
    # moved to the share pool (the law requires at least 60 % by transactions).
    with pytest.raises(NoTransactionsError) as info:
        calculate_plan(PlanInputs(
            surplus_fen=100_000, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
            mode=SPECIAL, patronage_rate_bp=6000, share_weights={"A": 1},
            transactions_fen={"A": 0},
        ))
    assert str(info.value) == (
        "专业合作社模式应按交易量返还 600.00 元，但本年度成员与合作社的交易额合计为零，无法返还。"
        "请先登记本年度成员的作业和交易，或改用按股分红方式。"
    )


def test_specialized_with_no_transactions_and_nothing_left_is_fine():
    # The funds take all of S: D = 0, so P = 0 and no transactions are needed.
    result = calculate_plan(PlanInputs(
        surplus_fen=100_000, reserve_rate_bp=10_000, welfare_rate_bp=0, risk_rate_bp=0,
        mode=SPECIAL, patronage_rate_bp=6000, share_weights={"A": 1},
    ))
    assert result.waterfall.patronage_fen == 0
    assert lines_as_tuples(result) == [("A", 1, 0, 0, 0, 0, 0)]


def specialized_with_guarantee(guaranteed_fen: int, mode: str = SPECIAL) -> PlanInputs:
    # D = 10,000.00 yuan (no funds), patronage rate 60 %.
    return PlanInputs(
        surplus_fen=1_000_000, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
        mode=mode, patronage_rate_bp=6000, share_weights={"A": 1, "B": 1},
        guaranteed_fen={"A": guaranteed_fen}, transactions_fen={"A": 1, "B": 3})


def test_specialized_patronage_is_sixty_percent_of_the_distributable_surplus():
    # D 10,000.00, guarantees 4,000.00: patronage 60 % of D = 6,000.00 (not 60 % of
    # the 6,000.00 left after the guarantees), nothing left by shares.
    w = calculate_plan(specialized_with_guarantee(400_000)).waterfall
    assert (w.after_funds_fen, w.guaranteed_fen, w.patronage_fen, w.capital_fen) == (
        1_000_000, 400_000, 600_000, 0)
    w = calculate_plan(specialized_with_guarantee(100_000)).waterfall
    assert (w.patronage_fen, w.capital_fen) == (600_000, 300_000)


def test_specialized_guarantee_pushing_patronage_below_the_floor_is_refused():
    # D 10,000.00, guarantees 5,000.00: patronage would have been 3,000.00, 30 % of D.
    with pytest.raises(PatronageFloorError) as exc:
        calculate_plan(specialized_with_guarantee(500_000))
    message = str(exc.value)
    for text in ("可分配盈余（弥补亏损、提取公积金后）10,000.00 元", "不得低于其 60.00%，即 6,000.00 元",
                 "农民专业合作社法第四十四条",
                 "最多只能支付 4,000.00 元", "保底收益合计 5,000.00 元"):
        assert text in message, message
    with pytest.raises(PatronageFloorError):  # one fen over is over
        calculate_plan(specialized_with_guarantee(400_001))


def test_specialized_patronage_floor_is_taken_before_the_welfare_and_risk_funds():
    # S 10,000.00, reserve 10 % = 1,000.00: the law's distributable surplus is 9,000.00
    # and P = 60 % of it = 5,400.00, whatever the welfare and risk funds take after it.
    inputs = dataclasses.replace(specialized_with_guarantee(0), reserve_rate_bp=1000,
                                 welfare_rate_bp=1000, risk_rate_bp=500, guaranteed_fen={})
    w = calculate_plan(inputs).waterfall
    assert (w.reserve_fen, w.welfare_fen, w.risk_fen, w.after_funds_fen) == (
        100_000, 100_000, 50_000, 750_000)
    assert (w.patronage_fen, w.capital_fen) == (540_000, 210_000)
    # Funds that would leave less than the floor are refused, naming what to change.
    with pytest.raises(PatronageFloorError) as exc:
        calculate_plan(dataclasses.replace(inputs, welfare_rate_bp=3000, risk_rate_bp=1000))
    message = str(exc.value)
    for text in ("可分配盈余（弥补亏损、提取公积金后）9,000.00 元", "即 5,400.00 元",
                 "农民专业合作社法第四十四条", "公益金 3,000.00 元、风险金 1,000.00 元后只剩 5,000.00 元",
                 "请降低公益金、风险金的提取比例"):
        assert text in message, message


def test_joint_stock_guarantee_may_take_all_of_d():
    # The floor is the specialized cooperatives' law: in joint-stock mode a guarantee up to D stands.
    w = calculate_plan(specialized_with_guarantee(1_000_000, JOINT)).waterfall
    assert (w.guaranteed_fen, w.patronage_fen, w.capital_fen) == (1_000_000, 0, 0)


def test_capital_pool_with_no_shares_is_refused():
    with pytest.raises(NoHoldersError, match="应按股分配 1,000.00 元，但成员持股合计为零"):
        calculate_plan(PlanInputs(surplus_fen=100_000, reserve_rate_bp=0, welfare_rate_bp=0,
                                  risk_rate_bp=0, mode=JOINT, share_weights={"A": 0}))


@pytest.mark.parametrize("changes,message", [
    ({"mode": "cooperative"}, "未知的分配方式"),
    ({"reserve_rate_bp": -1}, "公积金提取比例必须在 0% 到 100% 之间"),
    ({"risk_rate_bp": 10_001}, "风险金提取比例必须在 0% 到 100% 之间"),
    ({"welfare_rate_bp": 1.5}, "公益金提取比例必须在 0% 到 100% 之间"),
    ({"reserve_rate_bp": 5000, "welfare_rate_bp": 3000, "risk_rate_bp": 2001},
     "公积金、公益金、风险金比例合计 100.01%，不能超过 100%"),
    ({"mode": SPECIAL, "patronage_rate_bp": 5999}, "按交易量返还比例 59.99% 低于 60%"),
    ({"share_weights": {"A": -1}}, "A 的股份权重不能为负数"),
    ({"guaranteed_fen": {"B": -100}}, "B 的保底收益不能为负数"),
    ({"transactions_fen": {"C": -5}}, "C 的交易额不能为负数"),
    ({"transactions_fen": {"C": 5.0}}, "C 的交易额必须是整数"),
    ({"surplus_fen": 100.0}, "盈余必须是整数"),
])
def test_bad_inputs_refused(changes, message):
    base = PlanInputs(surplus_fen=100_000, reserve_rate_bp=1000, welfare_rate_bp=500,
                      risk_rate_bp=500, mode=JOINT, share_weights={"A": 1})
    with pytest.raises(PlanError, match=message):
        calculate_plan(dataclasses.replace(base, **changes))


def test_inputs_are_a_frozen_snapshot():
    weights = {"A": 1}
    inputs = PlanInputs(surplus_fen=100, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
                        mode=JOINT, share_weights=weights)
    weights["B"] = 1_000  # the caller's dict changing later does not change the snapshot
    assert dict(inputs.share_weights) == {"A": 1}
    with pytest.raises(TypeError):
        inputs.share_weights["A"] = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.surplus_fen = 1
    result = calculate_plan(inputs)
    with pytest.raises(AttributeError):
        result.lines[0].capital_fen = 0
    assert result.lines == (MemberLine("A", 1, 0, 0, 0, 100, 100),)
    assert result.lines[0]._asdict()["total_fen"] == 100


# Any valid plan: every pool adds up to the fen, and the lines add up to D after the funds.
keys = st.sampled_from([f"M{i:03d}" for i in range(1, 13)])


@given(
    surplus=st.integers(min_value=1, max_value=10**12),
    rates=st.tuples(*[st.integers(0, 3000)] * 3),
    mode=st.sampled_from([JOINT, SPECIAL]),
    patronage=st.integers(6000, 10_000),
    weights=st.dictionaries(keys, st.integers(0, 10**6), min_size=1).filter(lambda d: sum(d.values())),
    transactions=st.dictionaries(keys, st.integers(0, 10**9), min_size=1).filter(lambda d: sum(d.values())),
    guaranteed_share=st.integers(0, 100),
)
def test_pools_always_add_up(surplus, rates, mode, patronage, weights, transactions, guaranteed_share):
    reserve, welfare, risk = rates
    after_funds_estimate = surplus * (10_000 - sum(rates)) // 10_000
    guaranteed = {k: after_funds_estimate * guaranteed_share // 100 // len(weights) // 2 for k in weights}
    inputs = PlanInputs(
        surplus_fen=surplus, reserve_rate_bp=reserve, welfare_rate_bp=welfare, risk_rate_bp=risk,
        mode=mode, patronage_rate_bp=patronage, share_weights=weights, guaranteed_fen=guaranteed,
        transactions_fen=transactions,
    )
    after_funds = surplus - sum(apply_rate(surplus, r) for r in rates)
    after_reserve = surplus - apply_rate(surplus, reserve)
    floor = -(-after_reserve * patronage // 10_000)
    if mode == SPECIAL and sum(guaranteed.values()) > after_funds - floor:
        with pytest.raises(PatronageFloorError):
            calculate_plan(inputs)
        return
    result = calculate_plan(inputs)
    w = result.waterfall
    assert w.reserve_fen + w.welfare_fen + w.risk_fen + w.after_funds_fen == surplus
    assert w.guaranteed_fen + w.patronage_fen + w.capital_fen == w.after_funds_fen
    assert sum(l.guaranteed_fen for l in result.lines) == w.guaranteed_fen
    assert sum(l.patronage_fen for l in result.lines) == w.patronage_fen
    assert sum(l.capital_fen for l in result.lines) == w.capital_fen
    assert sum(l.total_fen for l in result.lines) == w.after_funds_fen
    assert all(l.total_fen == l.guaranteed_fen + l.patronage_fen + l.capital_fen for l in result.lines)
    if mode == SPECIAL:
        # P = ceil((S - reserve) x rate), before the other funds and the guarantees (art 44).
        assert (w.patronage_fen - 1) * 10_000 < after_reserve * patronage <= w.patronage_fen * 10_000
    else:
        assert w.patronage_fen == 0
    assert [l.key for l in result.lines] == sorted(l.key for l in result.lines)


@pytest.mark.parametrize("module", ["allocation", "calculation", "share_days"])
def test_pure_modules_import_no_flask_or_database(module):
    import ast
    from pathlib import Path

    import coop.dividends

    source = Path(coop.dividends.__file__).with_name(f"{module}.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", "coop.extensions", "coop.database",
                 "coop.web")
    assert not {name for name in imported if name.split(".")[0] in forbidden or name in forbidden}
    assert not {name for name in imported if name.endswith((".models", ".services", ".views"))}
