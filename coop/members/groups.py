"""The natural order of village group names: 一组, 二组 ... 十组, 十一组, and
1组, 2组, 10组, not the code-point order of the characters (which puts 十组
after 三组 and 10组 before 2组).

Pure: neither Flask nor the database."""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
# a run of Arabic digits (any script's decimal digits) or of Chinese numerals
_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百千]+")


def chinese_number(text: str) -> int:
    """The value of Chinese numerals: 十一 -> 11, 二十 -> 20, 一百零五 -> 105;
    a run of bare digits reads positionally (一〇 -> 10)."""
    if not any(ch in UNITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (digit or 1) * UNITS[ch]
            digit = 0
    return total + digit


class Part(NamedTuple):
    """One piece of a name: numbers sort before words, by value, then by how
    they were written (so 1组 and 一组 keep a fixed order)."""
    is_word: bool
    value: int
    text: str


def group_sort_key(name: str | None) -> tuple[Part, ...]:
    """The key that sorts village group names in natural Chinese order."""
    text = (name or "").strip()
    parts: list[Part] = []
    position = 0
    for match in _NUMBER.finditer(text):
        if match.start() > position:
            parts.append(Part(True, 0, text[position:match.start()]))
        run = match.group(0)
        value = int(run) if run[0].isdigit() else chinese_number(run)
        parts.append(Part(False, value, run))
        position = match.end()
    if position < len(text):
        parts.append(Part(True, 0, text[position:]))
    return tuple(parts)


def sorted_groups(names: Iterable[str]) -> list[str]:
    """Group names in natural Chinese order."""
    return sorted(names, key=group_sort_key)
