"""allocate(): exact proportional split of a pool of fen (issue 6, DESIGN.md Dividends step 5)."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

from coop.dividends.allocation import AllocationError, allocate, natural_key, natural_keys

# Keys like member numbers: strings compare as strings, so "M010" < "M2" would
# be surprising; zero-padded numbers keep the order a person expects.
member_keys = st.integers(min_value=1, max_value=9999).map(lambda n: f"M{n:04d}")
weight_maps = st.dictionaries(member_keys, st.integers(min_value=0, max_value=10**9),
                              min_size=1, max_size=40).filter(lambda w: sum(w.values()) > 0)
pools = st.integers(min_value=0, max_value=10**13)  # up to 100 billion yuan in fen


# --- hand-worked examples -------------------------------------------------------------------

def test_even_split():
    assert allocate(300, {"A": 1, "B": 1, "C": 1}) == {"A": 100, "B": 100, "C": 100}


def test_leftover_goes_to_largest_remainder():
    # 100 fen by 1:2:3 (W = 6): exact 16.67, 33.33, 50 -> floors 16, 33, 50 = 99,
    # remainders (100*w mod 6) are 4, 2, 0: the one fen left goes to A.
    assert allocate(100, {"A": 1, "B": 2, "C": 3}) == {"A": 17, "B": 33, "C": 50}


def test_ties_go_to_the_smaller_key():
    # 100 fen over three equal weights: 33 each = 99, all remainders equal (1):
    # the one fen goes to the smallest key, whatever the order given.
    assert allocate(100, {"M003": 5, "M001": 5, "M002": 5}) == {"M001": 34, "M002": 33, "M003": 33}
    # 2 fen left over among four equal remainders: the two smallest keys.
    assert allocate(10, {"d": 1, "c": 1, "b": 1, "a": 1}) == {"a": 3, "b": 3, "c": 2, "d": 2}


def test_ties_go_to_the_lower_member_number_in_natural_order():
    # Members "9" and "10", one share each, 0.01 yuan: "9" is the lower number
    # (as text "10" < "9" would win).
    assert allocate(1, {"10": 1, "9": 1}) == {"10": 0, "9": 1}
    assert allocate(1, {"CY10": 1, "CY9": 1}) == {"CY10": 0, "CY9": 1}
    assert allocate(2, {"CY100": 1, "CY19": 1, "CY9": 1}) == {"CY100": 0, "CY19": 1, "CY9": 1}
    # Equal numbers written differently are still ordered (as text).
    assert allocate(1, {"7": 1, "007": 1}) == {"7": 0, "007": 1}
    # Keys of no single prefix + number shape take the general path.
    assert allocate(1, {"B10": 1, "A10x": 1, "A9x": 1}) == {"B10": 0, "A10x": 0, "A9x": 1}


def test_natural_key_compares_digit_runs_as_numbers():
    keys = ["CY10", "cy2", "10", "CY9", "9", "", "CY010", "A100", "007", "a1", "A19", "7", "a"]
    assert sorted(keys, key=natural_key) == [
        "", "007", "7", "9", "10", "A19", "A100", "CY9", "CY010", "CY10", "a", "a1", "cy2"]


def _in_natural_keys_order(keys: list[str]) -> list[str]:
    order = natural_keys(keys)
    return [keys[i] for i in sorted(range(len(keys)), key=order.__getitem__)]


# Member numbers as people write them: a prefix (maybe none), a number with or
# without padding, sometimes a suffix.
natural_numbers = st.builds(
    lambda prefix, number, pad, suffix: f"{prefix}{number:0{pad}d}{suffix}",
    st.sampled_from(["", "CY", "V", "A1-"]), st.integers(0, 10**6), st.integers(0, 7),
    st.sampled_from(["", "", "", "a", "-2"]))


@given(st.lists(natural_numbers, min_size=1, max_size=30, unique=True))
def test_natural_keys_agrees_with_natural_key(keys):
    assert _in_natural_keys_order(keys) == sorted(keys, key=natural_key)


@given(st.sampled_from(["", "CY", "V"]), st.lists(st.integers(0, 10**6), min_size=1, max_size=30,
                                                   unique=True), st.integers(1, 30))
def test_equal_remainders_go_to_the_lowest_numbers(prefix, numbers, pool):
    # Everyone holds the same shares: every remainder is equal, so the
    # leftover fen go to the lowest member numbers, compared as numbers.
    weights = {f"{prefix}{n}": 1 for n in numbers}
    result = allocate(pool, weights)
    base = pool // len(numbers)
    lowest = {f"{prefix}{n}" for n in sorted(numbers)[: pool - base * len(numbers)]}
    assert {k for k, v in result.items() if v > base} == lowest


def test_ties_with_tuple_keys():
    result = allocate(1, {(2, "B"): 1, (1, "Z"): 1})
    assert result == {(1, "Z"): 1, (2, "B"): 0}


def test_larger_remainder_beats_smaller_key():
    # 10 fen by 1:3 (W = 4): exact 2.5 and 7.5 -> floors 2, 7, remainders 2, 2 (tie) -> "a" gets it.
    assert allocate(10, {"a": 1, "b": 3}) == {"a": 3, "b": 7}
    # 10 fen by 2:3:2 (W = 7): exact 2.857, 4.286, 2.857 -> floors 2, 4, 2 = 8;
    # remainders 20 mod 7 = 6, 30 mod 7 = 2, 6: two fen to the two 6s ("a", "c"), not to "b".
    assert allocate(10, {"c": 2, "b": 3, "a": 2}) == {"c": 3, "b": 4, "a": 3}


def test_zero_weight_gets_nothing_and_keeps_its_key():
    assert allocate(7, {"A": 0, "B": 1}) == {"A": 0, "B": 7}


def test_zero_pool_gives_zeros():
    assert allocate(0, {"A": 3, "B": 4}) == {"A": 0, "B": 0}


def test_result_keeps_the_input_order():
    assert list(allocate(5, {"z": 1, "a": 1, "m": 1})) == ["z", "a", "m"]


def test_single_key_gets_everything():
    assert allocate(123456789, {"only": 42}) == {"only": 123456789}


def test_large_numbers_stay_exact():
    # 120 million yuan over weights whose product with the pool exceeds 2**64.
    pool = 120_000_000_00
    weights = {"collective": 3_000_000_000, "v1": 1, "v2": 6_999_999_999}
    result = allocate(pool, weights)
    assert sum(result.values()) == pool
    assert result == {"collective": 3_600_000_000, "v1": 1, "v2": 8_399_999_999}


@pytest.mark.parametrize("pool,weights,message", [
    (100, {}, "分配权重合计为零"),
    (100, {"A": 0, "B": 0}, "分配权重合计为零"),
    (0, {"A": 0}, "分配权重合计为零"),
    (100, {"A": 5, "B": -1}, "分配权重不能为负数：'B' 的权重为 -1"),
    (-1, {"A": 1}, "待分配金额不能为负数（-1 分）"),
])
def test_refusals(pool, weights, message):
    with pytest.raises(AllocationError, match=message) as info:
        allocate(pool, weights)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("pool,weights", [
    (100.0, {"A": 1}), (100, {"A": 1.5}), (True, {"A": 1}), (100, {"A": False}),
])
def test_non_integers_refused(pool, weights):
    with pytest.raises(TypeError, match="整数"):
        allocate(pool, weights)


# --- properties -----------------------------------------------------------------------------

@given(pools, weight_maps)
def test_sums_to_pool_and_keeps_keys(pool, weights):
    result = allocate(pool, weights)
    assert sum(result.values()) == pool
    assert list(result) == list(weights)
    assert all(isinstance(v, int) and v >= 0 for v in result.values())


@given(pools, weight_maps)
def test_each_share_within_one_fen_of_exact(pool, weights):
    total = sum(weights.values())
    result = allocate(pool, weights)
    for key, weight in weights.items():
        # |share - pool*w/W| < 1, in integers.
        assert abs(result[key] * total - pool * weight) < total
        floor = pool * weight // total
        assert result[key] in (floor, floor + 1)


@given(pools, weight_maps, st.randoms(use_true_random=False))
def test_order_of_keys_is_irrelevant(pool, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(pool, dict(items)) == allocate(pool, weights)


@given(pools, weight_maps, st.integers(min_value=2, max_value=10**6))
def test_scaling_all_weights_changes_nothing(pool, weights, factor):
    scaled = {k: w * factor for k, w in weights.items()}
    assert allocate(pool, scaled) == allocate(pool, weights)


@given(pools, weight_maps)
def test_larger_weight_never_gets_less(pool, weights):
    result = allocate(pool, weights)
    ordered = sorted(weights, key=weights.__getitem__)
    for smaller, larger in zip(ordered, ordered[1:]):
        if weights[larger] > weights[smaller]:
            assert result[larger] >= result[smaller]
        else:  # equal weights: at most one fen apart, the extra fen to the smaller key
            low, high = sorted((smaller, larger))
            assert result[low] - result[high] in (0, 1)


@given(pools, weight_maps)
def test_leftover_fen_go_to_largest_remainders(pool, weights):
    total = sum(weights.values())
    result = allocate(pool, weights)
    bumped = {k for k in weights if result[k] * total > pool * weights[k]}
    kept = set(weights) - bumped
    rank = lambda k: (-(pool * weights[k] % total), natural_key(k))  # noqa: E731
    if bumped and kept:
        assert max(rank(k) for k in bumped) < min(rank(k) for k in kept)


@settings(max_examples=30)
@given(st.integers(min_value=0, max_value=10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=300))
def test_many_small_weights_including_all_zero(pool, raw):
    weights = {i: w for i, w in enumerate(raw)}
    if sum(raw) == 0:
        with pytest.raises(AllocationError):
            allocate(pool, weights)
        return
    assert sum(allocate(pool, weights).values()) == pool


def test_hundred_thousand_holders_add_up_exactly():
    # A county-sized split still sums to the pool (speed is measured in benchmarks/).
    rnd = random.Random(6)
    weights = {f"M{i:06d}": rnd.randint(0, 5000) for i in range(100_000)}
    result = allocate(120_000_000_00, weights)
    assert sum(result.values()) == 120_000_000_00
