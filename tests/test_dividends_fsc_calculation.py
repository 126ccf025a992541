"""The specialized cooperative's distribution by the book (农民专业合作社法
arts 42-44, issue 14) as a pure calculation, worked by hand, and a property
test that every pool and every quantification adds up."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from coop.dividends.calculation import NoHoldersError, PatronageFloorError, PlanError, PlanInputs
from coop.dividends.fsc import FscInputs, calculate_fsc_plan
from coop.money import apply_rate

SPECIAL = "specialized"


def base(**changes) -> PlanInputs:
    # S = 10,000.00 yuan; reserve 10 %: the law's distributable surplus 9,000.00 yuan
    # (art 44); welfare 5 %, risk 5 %: D = 8,000.00 yuan left after the funds.
    values = dict(surplus_fen=1_000_000, reserve_rate_bp=1000, welfare_rate_bp=500,
                  risk_rate_bp=500, mode=SPECIAL, share_weights={}, patronage_rate_bp=6000,
                  transactions_fen={"M1": 300_000, "M2": 100_000})
    values.update(changes)
    return PlanInputs(**values)


def accounts(**changes) -> FscInputs:
    # capital M1 1,000.00, M2 2,000.00, M3 1,000.00; reserve from earlier years
    # M1 250.00, M3 500.00; the year's grants 300.00 among the three members.
    values = dict(capital_fen={"M1": 100_000, "M2": 200_000, "M3": 100_000},
                  reserve_before_fen={"M1": 25_000, "M3": 50_000}, year_grants_fen=30_000,
                  members=("M1", "M2", "M3"))
    values.update(changes)
    return FscInputs(**values)


def parts(result, key):
    line = result.plan.line(key)
    fsc = result.line(key)
    return (line.patronage_fen, line.capital_fen, line.total_fen, fsc.capital_basis_fen,
            fsc.reserve_share_fen, fsc.reserve_total_fen, fsc.grant_share_fen,
            fsc.grants_total_fen, fsc.rest_weight_fen)


def test_reserve_by_transactions_patronage_sixty_percent_rest_by_capital_reserve_and_grants():
    # Reserve 100,000 quantified by transactions 3:1 -> M1 75,000, M2 25,000 (art 42).
    # Grants 30,000 equally -> 10,000 each (art 43).
    # P = ceil(900,000 x 60 %) = 540,000 (60 % of the surplus after the reserve, before
    # the welfare and risk funds) by transactions: M1 405,000, M2 135,000.
    # R = 800,000 - 540,000 = 260,000 by capital + reserve (before + this year) + grants:
    #   M1 100,000 + 100,000 + 10,000 = 210,000
    #   M2 200,000 +  25,000 + 10,000 = 235,000
    #   M3 100,000 +  50,000 + 10,000 = 160,000    W = 605,000
    #   M1 260,000 x 210,000 / 605,000 =  90,247.93 ->  90,247 + 1 (largest remainder)
    #   M2 260,000 x 235,000 / 605,000 = 100,991.74 -> 100,991 + 1 (second largest)
    #   M3 260,000 x 160,000 / 605,000 =  68,760.33 ->  68,760
    result = calculate_fsc_plan(base(), accounts())
    w = result.plan.waterfall
    assert (w.reserve_fen, w.after_funds_fen, w.patronage_fen, w.capital_fen) == (
        100_000, 800_000, 540_000, 260_000)
    assert w.patronage_fen * 100 == (w.surplus_fen - w.reserve_fen) * 60  # exactly 60 %
    assert parts(result, "M1") == (405_000, 90_248, 495_248, 100_000, 75_000, 100_000, 10_000,
                                   10_000, 210_000)
    assert parts(result, "M2") == (135_000, 100_992, 235_992, 200_000, 25_000, 25_000, 10_000,
                                   10_000, 235_000)
    assert parts(result, "M3") == (0, 68_760, 68_760, 100_000, 0, 50_000, 10_000, 10_000, 160_000)
    assert (result.reserve_quantified_fen, result.grants_quantified_fen,
            result.rest_weight_fen) == (100_000, 30_000, 605_000)
    assert result.plan.total_weight == 605_000  # the rest pool's weights
    assert sum(l.total_fen for l in result.plan.lines) == 800_000
    assert result.converted_fen == 0 and result.cash_fen == 800_000


def test_patronage_above_sixty_percent():
    # The charter sets 70 %: P = 70 % of 900,000 = 630,000, R = 170,000 by the same
    # weights 210 : 235 : 160.
    #   M1 170,000 x 210,000 / 605,000 = 59,008.26 -> 59,008
    #   M2 170,000 x 235,000 / 605,000 = 66,033.06 -> 66,033
    #   M3 170,000 x 160,000 / 605,000 = 44,958.68 -> 44,958 + 1 (largest remainder)
    result = calculate_fsc_plan(base(patronage_rate_bp=7000), accounts())
    assert (result.plan.waterfall.patronage_fen, result.plan.waterfall.capital_fen) == (
        630_000, 170_000)
    assert [(l.key, l.patronage_fen, l.capital_fen) for l in result.plan.lines] == [
        ("M1", 472_500, 59_008), ("M2", 157_500, 66_033), ("M3", 0, 44_959)]


def test_patronage_floor_rounds_up_to_at_least_sixty_percent():
    # S = 1,000,001, no funds: D = 1,000,001; 60 % is 600,000.6 -> P = 600,001.
    result = calculate_fsc_plan(base(surplus_fen=1_000_001, reserve_rate_bp=0,
                                     welfare_rate_bp=0, risk_rate_bp=0), accounts())
    w = result.plan.waterfall
    assert (w.patronage_fen, w.capital_fen) == (600_001, 400_000)
    assert w.patronage_fen * 10 >= w.after_funds_fen * 6
    assert result.reserve_quantified_fen == 0


def test_reserve_quantified_by_capital():
    # Reserve 100,000 by capital 1 : 2 : 1 -> 25,000, 50,000, 25,000.
    result = calculate_fsc_plan(base(), accounts(reserve_basis="capital"))
    assert [(l.key, l.reserve_share_fen, l.reserve_total_fen) for l in result.lines()] == [
        ("M1", 25_000, 50_000), ("M2", 50_000, 50_000), ("M3", 25_000, 75_000)]


def test_reserve_quantified_equally():
    # Reserve 100,000 among three members: 33,333 each, the fen left to the lowest number.
    result = calculate_fsc_plan(base(), accounts(reserve_basis="equal"))
    assert [l.reserve_share_fen for l in result.lines()] == [33_334, 33_333, 33_333]
    assert result.reserve_quantified_fen == 100_000


def test_grants_from_earlier_years_count_in_the_rest_weight():
    result = calculate_fsc_plan(base(), accounts(grants_before_fen={"M3": 40_000}, year_grants_fen=0))
    m3 = result.line("M3")
    assert (m3.grant_share_fen, m3.grants_total_fen, m3.rest_weight_fen) == (0, 40_000, 190_000)


def test_conversion_to_capital_in_whole_shares_remainder_cash():
    # Half of each total becomes capital at par 1.00 yuan, whole shares only:
    #   M1 495,248 / 2 = 247,624 fen -> 2,476 shares = 247,600 fen, cash 247,648
    #   M2 235,992 / 2 = 117,996     -> 1,179 shares = 117,900,     cash 118,092
    #   M3  68,760 / 2 =  34,380     ->   343 shares =  34,300,     cash  34,460
    result = calculate_fsc_plan(base(), accounts(conversion_bp=5000))
    assert [(l.key, l.converted_shares, l.converted_fen) for l in result.lines()] == [
        ("M1", 2476, 247_600), ("M2", 1179, 117_900), ("M3", 343, 34_300)]
    assert result.converted_fen == 399_800 and result.cash_fen == 400_200
    # par 10.00 yuan: M3's 343.80 yuan make 34 shares
    assert result.line("M3").converted_shares == 343
    tens = calculate_fsc_plan(base(), accounts(conversion_bp=5000, par_value_fen=1000))
    assert tens.line("M3").converted_fen == 34_000 and tens.line("M3").converted_shares == 34


def test_conversion_only_for_those_who_can_take_shares():
    result = calculate_fsc_plan(base(), accounts(conversion_bp=10_000,
                                                 convertible=frozenset({"M1", "M3"})))
    assert [(l.key, l.converted_fen) for l in result.lines()] == [
        ("M1", 495_200), ("M2", 0), ("M3", 68_700)]


def test_nothing_to_distribute_quantifies_nothing():
    result = calculate_fsc_plan(base(surplus_fen=-5), accounts())
    assert result.plan.nothing_to_distribute and result.plan.line_count == 0
    assert result.reserve_quantified_fen == result.grants_quantified_fen == 0


def test_reserve_by_transactions_without_transactions_is_refused():
    with pytest.raises(PlanError, match="第四十二条"):
        calculate_fsc_plan(base(transactions_fen={}, patronage_rate_bp=6000), accounts())


def test_grants_without_members_are_refused():
    with pytest.raises(PlanError, match="第四十三条"):
        calculate_fsc_plan(base(), accounts(members=()))


def test_rest_without_any_weight_is_refused():
    with pytest.raises(NoHoldersError, match="第四十四条"):
        calculate_fsc_plan(base(reserve_rate_bp=0), accounts(capital_fen={}, reserve_before_fen={},
                                                             year_grants_fen=0))


@pytest.mark.parametrize("changes,message", [
    ({"reserve_basis": "shares"}, "公积金量化方式"), ({"conversion_bp": 10_001}, "转为出资"),
    ({"par_value_fen": 0}, "每股面值"), ({"year_grants_fen": -1}, "补助"),
    ({"capital_fen": {"M1": -1}}, "出资额")])
def test_bad_account_inputs_are_refused(changes, message):
    with pytest.raises(PlanError, match=message):
        calculate_fsc_plan(base(), accounts(**changes))


def test_joint_stock_inputs_are_refused():
    with pytest.raises(PlanError):
        calculate_fsc_plan(base(mode="joint_stock"), accounts())


keys = st.sampled_from([f"M{i}" for i in range(1, 9)])
amounts = st.dictionaries(keys, st.integers(0, 10**9), max_size=8)


@settings(max_examples=150, deadline=None)
@given(surplus=st.integers(1, 10**11), reserve_bp=st.integers(0, 3000),
       welfare_bp=st.integers(0, 2000), patronage_bp=st.integers(6000, 10_000),
       transactions=st.dictionaries(keys, st.integers(1, 10**9), min_size=1, max_size=8),
       capital=amounts, reserve_before=amounts, grants_before=amounts,
       grants=st.integers(0, 10**8), members=st.lists(keys, min_size=1, max_size=8, unique=True),
       basis=st.sampled_from(["transactions", "capital", "equal"]),
       conversion_bp=st.integers(0, 10_000), par=st.sampled_from([100, 1000, 2500]))
def test_every_pool_and_every_quantification_adds_up(
        surplus, reserve_bp, welfare_bp, patronage_bp, transactions, capital, reserve_before,
        grants_before, grants, members, basis, conversion_bp, par):
    inputs = base(surplus_fen=surplus, reserve_rate_bp=reserve_bp, welfare_rate_bp=welfare_bp,
                  risk_rate_bp=0, patronage_rate_bp=patronage_bp, transactions_fen=transactions)
    fsc = FscInputs(reserve_basis=basis, capital_fen=capital, reserve_before_fen=reserve_before,
                    grants_before_fen=grants_before, year_grants_fen=grants,
                    members=tuple(members), conversion_bp=conversion_bp, par_value_fen=par)
    reserve = apply_rate(surplus, reserve_bp)
    d = surplus - reserve - apply_rate(surplus, welfare_bp)
    patronage = -(-(surplus - reserve) * patronage_bp // 10_000)  # art 44: before the welfare fund
    if basis == "capital" and not any(capital.values()) and reserve:
        with pytest.raises(PlanError):  # no capital to quantify the reserve by
            calculate_fsc_plan(inputs, fsc)
        return
    if patronage > d:  # the welfare fund would leave less than the floor
        with pytest.raises(PatronageFloorError, match="第四十四条"):
            calculate_fsc_plan(inputs, fsc)
        return
    rest = d - patronage
    if rest and not any([*capital.values(), *reserve_before.values(),
                         *grants_before.values(), reserve, grants]):
        with pytest.raises(PlanError):  # nothing to split the rest by
            calculate_fsc_plan(inputs, fsc)
        return
    result = calculate_fsc_plan(inputs, fsc)
    w, lines, fsc_lines = result.plan.waterfall, result.plan.lines, result.lines()
    # the reserve quantified adds up to the reserve; the grants to the year's grants
    assert sum(l.reserve_share_fen for l in fsc_lines) == w.reserve_fen
    assert sum(l.grant_share_fen for l in fsc_lines) == grants
    # every pool adds up, and the lines add up to what is distributed
    assert sum(l.patronage_fen for l in lines) == w.patronage_fen
    assert sum(l.capital_fen for l in lines) == w.capital_fen
    assert sum(l.total_fen for l in lines) == w.distributed_fen == w.after_funds_fen
    assert w.patronage_fen * 10_000 >= (w.surplus_fen - w.reserve_fen) * patronage_bp
    assert w.patronage_fen == patronage
    # the rest goes by capital + reserve + grants, each line's weight its three parts
    assert all(l.weight == f.rest_weight_fen for l, f in zip(lines, fsc_lines))
    assert sum(f.rest_weight_fen for f in fsc_lines) == result.rest_weight_fen
    assert sum(f.reserve_total_fen for f in fsc_lines) == w.reserve_fen + sum(reserve_before.values())
    # conversion: whole shares at par, never more than the share of the total
    for line, f in zip(lines, fsc_lines):
        assert f.converted_fen == f.converted_shares * par
        assert 0 <= line.total_fen * conversion_bp - f.converted_fen * 10_000 < par * 10_000
    assert result.converted_fen + result.cash_fen == w.distributed_fen
