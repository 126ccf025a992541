"""Exact proportional split of a pool of fen (docs/rules.md, "The distribution" step 5).

Pure: no Flask, no database, integer arithmetic only. Each key gets
floor(pool x w / W) fen; the fen left over (fewer than the number of keys with
a non-zero remainder) go one each to the largest remainders, ties to the
smaller key, member numbers compared in natural order (:func:`natural_key`:
"9" before "10", "CY9" before "CY10"). The result always adds up to ``pool``.
"""
from __future__ import annotations

import re
from itertools import compress
from operator import itemgetter
from os.path import commonprefix
from typing import Any, Hashable, Mapping, TypeVar

K = TypeVar("K", bound=Hashable)


class AllocationError(ValueError):
    """The pool or the weights cannot be split (message in Chinese)."""


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}必须是整数，收到 {type(value).__name__}: {value!r}")


_DIGIT_RUNS = re.compile(r"(\d+)")
_TRAILING_DIGITS = re.compile(r"\d+\Z")


def natural_key(key: Any) -> Any:
    """A string's sort key with its digit runs compared as numbers: "9" <
    "10", "CY9" < "CY10" < "CY010a". Equal numbers with different padding
    ("7", "007") are then ordered as text, so the order is total. Any other
    key (an id, a tuple) is its own sort key."""
    if not isinstance(key, str):
        return key
    parts: list[Any] = _DIGIT_RUNS.split(key)
    # split() alternates text and digit runs, text first: the numbers are at
    # the odd places, so two keys' parts always line up text with text.
    parts[1::2] = map(int, parts[1::2])
    return tuple(parts), key


def natural_keys(keys: list[Any]) -> list[Any]:
    """The sort keys of ``keys`` (to be compared with each other only) giving
    the order of :func:`natural_key`.

    Member numbers are usually one text prefix and a number ("CY9", "CY10",
    "V001", "17"): then the key is the number (with the text, if two numbers
    are equal: "7", "007"), made by C-level maps, several times quicker than a
    regex split per key (100,000 tied holders when every member holds the
    same shares). Anything else goes through :func:`natural_key`.
    """
    if set(map(type, keys)) != {str}:
        return keys  # ids, tuples: their own order
    prefix = _TRAILING_DIGITS.sub("", commonprefix(keys))
    digits = list(map(itemgetter(slice(len(prefix), None)), keys)) if prefix else keys
    if not all(digits) or not "".join(digits).isdecimal():
        return list(map(natural_key, keys))
    numbers = list(map(int, digits))
    return numbers if len(set(numbers)) == len(numbers) else list(zip(numbers, keys))


def allocate(pool: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split ``pool`` fen over the keys of ``weights`` in proportion to them.

    Every key of ``weights`` is in the result (in the same order), a key with
    weight 0 gets 0. Each key gets floor or floor + 1 of its exact share
    pool x w / W, so |share x W - pool x w| < W. Keys must be mutually
    comparable (member numbers, tuples ...) because ties go to the smaller key
    (strings in natural order, :func:`natural_key`).

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
        # (sorting plain integers is quick), then break the tie at it by key,
        # in natural order (only the tied keys need a natural sort key).
        # It is never 0: leftover < the number of non-zero remainders.
        remainders = list(map(itemgetter(1), split))
        threshold = sorted(remainders, reverse=True)[leftover - 1]
        # C-level maps rather than Python loops: 100,000 holders.
        above = list(compress(range(len(keys)), map(threshold.__lt__, remainders)))
        tied = list(compress(range(len(keys)), map(threshold.__eq__, remainders)))
        order = natural_keys(list(map(keys.__getitem__, tied)))
        tied = list(map(tied.__getitem__, sorted(range(len(tied)), key=order.__getitem__)))
        for index in above + tied[: leftover - len(above)]:
            shares[index] += 1
    return dict(zip(keys, shares))
