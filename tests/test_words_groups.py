"""Village groups in natural Chinese order (coop.members.groups), and the
roster filter and the roster's group column using that order."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.members.groups import chinese_number, group_sort_key, sorted_groups

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """How a village writes 1..9999 (十一, 二十, 一百零五, 一千零一十)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            if zero and out:
                out += "零"
            out += DIGITS[d] + name
            zero = False
        elif out:
            zero = True
    return out


@pytest.mark.parametrize("shuffled, expected", [
    (["十组", "三组", "一组", "十一组", "二组"], ["一组", "二组", "三组", "十组", "十一组"]),
    (["10组", "2组", "1组", "11组"], ["1组", "2组", "10组", "11组"]),
    (["第十二组", "第二组", "第一组"], ["第一组", "第二组", "第十二组"]),
    (["二十组", "十九组", "九组"], ["九组", "十九组", "二十组"]),
    (["一百零五组", "九十九组", "一百组"], ["九十九组", "一百组", "一百零五组"]),
    (["东组", "一组", "西组"], ["一组", "东组", "西组"]),
    (["三社", "一社", "十社"], ["一社", "三社", "十社"]),
])
def test_table(shuffled, expected):
    assert sorted_groups(shuffled) == expected


@pytest.mark.parametrize("text, value", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("两百", 200),
                                         ("一百零五", 105), ("一千零一十", 1010), ("一〇", 10)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


@given(st.integers(1, 9999))
def test_chinese_numerals_read_back(n):
    assert chinese_number(to_chinese(n)) == n


@given(st.lists(st.integers(1, 9999), unique=True), st.booleans())
def test_groups_sort_by_their_number(numbers, arabic):
    names = [f"{n}组" if arabic else f"{to_chinese(n)}组" for n in numbers]
    assert sorted_groups(names) == [f"{n}组" if arabic else f"{to_chinese(n)}组" for n in sorted(numbers)]


@given(st.lists(st.text(max_size=6)))
def test_any_text_has_a_total_order(names):
    once = sorted_groups(names)
    assert sorted_groups(list(reversed(names))) == once or \
        [group_sort_key(n) for n in sorted_groups(list(reversed(names)))] == [group_sort_key(n) for n in once]


GROUPS_IN_ORDER = ["一组", "二组", "三组", "十组", "十一组"]


@pytest.fixture
def grouped_roster(client, auth, staff, create_member):
    for n, group in enumerate(["十一组", "三组", "十组", "一组", "二组"], start=1):
        create_member("t1", member_no=f"G{n:04d}", name=f"成员{group}", village_group=group)
    auth.login("admin")
    return client


def test_the_roster_filter_offers_groups_in_natural_order(grouped_roster):
    page = grouped_roster.get("/members/").get_data(as_text=True)
    offered = [g for g in GROUPS_IN_ORDER if f'<option value="{g}"' in page]
    assert offered == GROUPS_IN_ORDER
    assert sorted(GROUPS_IN_ORDER, key=lambda g: page.index(f'<option value="{g}"')) == GROUPS_IN_ORDER


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_the_roster_sorts_by_group_in_natural_order(grouped_roster, direction):
    page = grouped_roster.get(f"/members/?sort=village_group&direction={direction}").get_data(as_text=True)
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    shown = sorted(GROUPS_IN_ORDER, key=lambda g: body.index(f"成员{g}<"))
    assert shown == (GROUPS_IN_ORDER if direction == "asc" else GROUPS_IN_ORDER[::-1])
