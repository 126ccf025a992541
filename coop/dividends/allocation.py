"""Exact proportional split of a pool of fen (DESIGN.md section 3, Dividends step 5).

Pure: no Flask, no database, integer arithmetic only. Each key gets
floor(pool x w / W) fen; the fen left over (fewer than the number of keys with
a non-zero remainder) go one each to the largest remainders, ties to the
smaller key. The result always adds up to ``pool``.
"""
from __future__ import annotations

from itertools import compress
from operator import itemgetter
from typing import Any, Hashable, Mapping, TypeVar

K = TypeVar("K", bound=Hashable)


class AllocationError(ValueError):
    """The pool or the weights cannot be split (message in Chinese)."""


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}必须是整数，收到 {type(value).__name__}: {value!r}")


def allocate(pool: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split ``pool`` fen over the keys of ``weights`` in proportion to them.

    Every key of ``weights`` is in the result (in the same order), a key with
    weight 0 gets 0. Each key gets floor or floor + 1 of its exact share
    pool x w / W, so |share x W - pool x w| < W. Keys must be mutually
    comparable (member numbers, tuples ...) because ties go to the smaller key.

    Raises AllocationError (a ValueError) for a negative pool, a negative
    weight or a zero total weight, and TypeError for a non-integer amount.
    """
    _check_int(pool, "待分配金额")
    if pool < 0:
        raise AllocationError(f"待分配金额不能为负数（{pool} 分）")
    keys = list(weights)
    values = list(weights.values())
    # Checks in C-level loops first (100,000 holders), the precise message only on failure.
    if not set(map(type, values)) <= {int}:
        for key, weight in zip(keys, values):
            _check_int(weight, f"{key!r} 的分配权重")
    if values and min(values) < 0:
        key, weight = next((k, w) for k, w in zip(keys, values) if w < 0)
        raise AllocationError(f"分配权重不能为负数：{key!r} 的权重为 {weight}")
    total = sum(values)
    if total == 0:
        raise AllocationError("分配权重合计为零，无法按比例分配")

    split = [divmod(pool * weight, total) for weight in values]
    shares = list(map(itemgetter(0), split))
    leftover = pool - sum(shares)
    if leftover:
        # The leftover fen go to the largest remainders; among equal remainders
        # to the smaller keys. Find the smallest remainder that still gets a fen
        # (sorting plain integers is quick), then break the tie at it by key.
        # It is never 0: leftover < the number of non-zero remainders.
        remainders = list(map(itemgetter(1), split))
        threshold = sorted(remainders, reverse=True)[leftover - 1]
        # C-level maps rather than Python loops: 100,000 holders.
        above = list(compress(range(len(keys)), map(threshold.__lt__, remainders)))
        tied = list(compress(range(len(keys)), map(threshold.__eq__, remainders)))
        tied.sort(key=keys.__getitem__)
        for index in above + tied[: leftover - len(above)]:
            shares[index] += 1
    return dict(zip(keys, shares))
