"""Pure share rules: valuation into whole shares, bands, cap, running sums, share-days."""
from datetime import date

import pytest

from coop.cooperatives.constants import ShareClass
from coop.money import AmountError, format_mu, parse_area
from coop.shares.rules import (
    ClassBand,
    RuleError,
    band_errors,
    cap_error,
    first_negative,
    holder_kind_error,
    ratio_bp,
    value_contribution,
)

BANDS = [ClassBand(ShareClass.COLLECTIVE, 6500, 6000, 7000),
         ClassBand(ShareClass.VILLAGER, 3100, 2600, 3600),
         ClassBand(ShareClass.CADRE, 400, 0, 600)]


def test_cash_buys_whole_shares():
    v = value_contribution("cash", 100, amount_fen=180_000_00)
    assert (v.value_fen, v.shares) == (180_000_00, 180_000)


def test_land_is_mu_times_price_per_mu():
    v = value_contribution("land", 100, land_mu=1050, price_per_mu_fen=800_00)
    assert (v.value_fen, v.shares) == (8_400_00, 8_400)
    assert "土地 10.50 亩 × 800.00 元/亩 = 8,400.00 元" == v.description


def test_labour_is_days_times_price_per_day():
    v = value_contribution("labour", 100, labour_days=30, price_per_day_fen=150_00)
    assert (v.value_fen, v.shares) == (4_500_00, 4_500)


def test_in_kind_at_appraised_value():
    v = value_contribution("in_kind", 100, amount_fen=650_000_00)
    assert v.shares == 650_000


def test_remainder_is_refused_with_the_nearest_valid_values():
    with pytest.raises(RuleError) as exc:
        value_contribution("cash", 100, amount_fen=1_234_56)
    assert exc.value.field == "amount_fen"
    assert exc.value.message == (
        "出资金额 1,234.56 元不是每股面值 1.00 元的整数倍，余下 0.56 元不足一股。"
        "最接近的有效值是 1,234.00 元（1,234 股）或 1,235.00 元（1,235 股），请调整金额。")


def test_land_remainder_names_nearest_values_without_rounding():
    with pytest.raises(RuleError) as exc:
        value_contribution("land", 100, land_mu=1055, price_per_mu_fen=333_33)
    assert "土地折价 3,516.6315 元不是每股面值 1.00 元的整数倍" in exc.value.message
    assert "3,516.00 元（3,516 股）或 3,517.00 元（3,517 股），请调整亩数或每亩折价" in exc.value.message


def test_less_than_one_share_names_one_share():
    with pytest.raises(RuleError) as exc:
        value_contribution("cash", 10_00, amount_fen=50)
    assert "最接近的有效值是 10.00 元（1 股）" in exc.value.message


@pytest.mark.parametrize("kind,values,field,message", [
    ("cash", {}, "amount_fen", "请填写出资金额"),
    ("cash", {"amount_fen": 0}, "amount_fen", "出资金额必须大于 0"),
    ("in_kind", {"amount_fen": -5}, "amount_fen", "实物折价必须大于 0"),
    ("land", {"price_per_mu_fen": 100}, "land_mu", "请填写大于 0 的土地亩数"),
    ("land", {"land_mu": 100}, "price_per_mu_fen", "请填写大于 0 的每亩折价"),
    ("labour", {"price_per_day_fen": 100}, "labour_days", "请填写大于 0 的劳动天数"),
    ("labour", {"labour_days": 3}, "price_per_day_fen", "请填写大于 0 的每天折价"),
])
def test_missing_inputs(kind, values, field, message):
    with pytest.raises(RuleError) as exc:
        value_contribution(kind, 100, **values)
    assert (exc.value.field, exc.value.message) == (field, message)


def test_parse_and_format_mu():
    assert parse_area("10.5", "亩数") == 1050 and parse_area("1,200", "亩数") == 120000
    assert format_mu(1050) == "10.50" and format_mu(-5) == "-0.05"
    for bad, msg in (("", "请填写亩数"), ("abc", "亩数不是有效的数字"), ("1.005", "最多保留 2 位小数")):
        with pytest.raises(AmountError, match=msg):
            parse_area(bad, "亩数")


def test_holder_kinds():
    assert holder_kind_error("collective", "collective") is None
    assert holder_kind_error("collective", "villager") == "集体股只能由村集体持有，该成员是村民"
    assert holder_kind_error("cadre", "villager") == "干部股只能由干部持有，该成员是村民"
    assert holder_kind_error("villager", "collective") == "村集体只能持有集体股，不能持有村民股"
    assert holder_kind_error("villager", "cadre") is None


def test_ratio_bp_half_up():
    assert ratio_bp(650, 1000) == 6500 and ratio_bp(1, 3) == 3333 and ratio_bp(2, 3) == 6667
    assert ratio_bp(1, 0) is None


def test_band_refuses_leaving_the_band():
    before = {"collective": 650, "villager": 310, "cadre": 40}
    after = {"collective": 650, "villager": 390, "cadre": 40}
    (msg,) = band_errors(before, after, BANDS)
    assert msg == ("登记后村民股占比将为 36.11%（390 / 1,080 股），超出章程允许区间 26.00%–36.00%"
                   "（登记前 31.00%）")


def test_band_checks_the_first_entry_on_the_state_it_creates():
    collective, villager = band_errors({}, {"collective": 650}, BANDS)
    assert collective.startswith("登记后集体股占比将为 100.00%（650 / 650 股），超出章程允许区间")
    assert collective.endswith("（登记前尚无股份）")
    assert villager.startswith("登记后村民股占比将为 0.00%（0 / 650 股）")
    # a founding batch's end state inside every band passes
    assert band_errors({}, {"collective": 650, "villager": 310, "cadre": 40}, BANDS) == []


def test_band_allows_moving_back_towards_it():
    # collective at 100 % moves towards its band when others buy in
    assert band_errors({"collective": 650}, {"collective": 650, "cadre": 40}, BANDS) == []
    # ... but not further out
    assert band_errors({"collective": 650, "cadre": 40}, {"collective": 700, "cadre": 40}, BANDS)


def test_cap():
    assert cap_error("张三", 150, 1000, 250, 1100, 2000) == (
        "登记后张三持股将占全部股份的 22.73%（250 / 1,100 股），超过章程规定的单一成员持股上限 "
        "20.00%（村集体不受此限）")
    assert cap_error("张三", 150, 1000, 200, 1050, 2000) is None  # 19.05 %
    assert cap_error("张三", 300, 1000, 290, 990, 2000) is None  # over, but not growing
    # the first entry of an empty register is checked like any other
    assert cap_error("张三", 0, 0, 100, 100, 2000).startswith("登记后张三持股将占全部股份的 100.00%")
    # a redemption by others: the share grows although the holding does not
    assert cap_error("张三", 160, 1000, 160, 750, 2000).startswith(
        "登记后张三持股将占全部股份的 21.33%（160 / 750 股）")


def test_first_negative():
    d = date(2024, 1, 1)
    assert first_negative(10, [(d, -5), (date(2024, 2, 1), -5)]) is None
    assert first_negative(10, [(d, -5), (date(2024, 2, 1), -6)]) == (date(2024, 2, 1), -1)
