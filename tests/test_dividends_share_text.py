"""The line page's exact share reads like every other amount: grouped by thousands."""
from coop.dividends.rules import PoolShare


def test_exact_share_is_grouped_by_thousands():
    share = PoolShare(pool_fen=3_587_609, weight=650_000, total_weight=1_000_000, result_fen=2_331_946)
    assert share.exact_yuan_text() == "23,319.4585"


def test_small_exact_share_has_no_separator():
    share = PoolShare(pool_fen=3_587_609, weight=1_600, total_weight=1_000_000, result_fen=5_740)
    assert share.exact_yuan_text() == "57.4017"
