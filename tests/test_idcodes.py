from datetime import date

import pytest

from coop.idcodes import (birth_date, eighteenth_birthday, is_adult, mask_resident_id,
                          resident_id_check_char, resident_id_error, uscc_check_char, uscc_error)

VALID_ID = "11010519491231002X"  # the standard's own example


def test_resident_id_valid_with_x():
    assert resident_id_check_char(VALID_ID[:17]) == "X"
    assert resident_id_error(VALID_ID) is None
    assert resident_id_error(VALID_ID.lower()) is None


@pytest.mark.parametrize("value,message", [
    ("110105194912310021", "校验位不正确"),
    ("1101051949123100", "应为 18 位"),
    ("11010519491331002X", "出生日期不存在"),
    ("11010530001231002X", "出生日期不合理"),
    ("1101051949123100AX", "前 17 位应为数字"),
])
def test_resident_id_errors(value, message):
    assert message in resident_id_error(value, today=date(2026, 1, 1))


def test_mask():
    assert mask_resident_id("150203198001011234") == "1502**********1234"


def test_uscc():
    code = "93150203MA0LWJ3K0" + uscc_check_char("93150203MA0LWJ3K0")
    assert uscc_error(code) is None
    assert "校验位" in uscc_error(code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert "18 位" in uscc_error("123")
    assert "不允许的字符" in uscc_error("93150203MA0LWJ3S0D")


def _id(born: str) -> str:
    first17 = "110105" + born + "002"
    return first17 + resident_id_check_char(first17)


def test_birth_date_read_from_the_id():
    assert birth_date(VALID_ID) == date(1949, 12, 31)
    assert birth_date(VALID_ID.lower()) == date(1949, 12, 31)
    assert birth_date(" " + _id("20080229") + " ") == date(2008, 2, 29)


@pytest.mark.parametrize("value", [None, "", "1101051949123100", "11010519491331002X",
                                   "11010519490230002X", "1101051949123100AX", "11010519491231002Y"])
def test_birth_date_none_when_unreadable(value):
    assert birth_date(value) is None
    assert is_adult(value, date(2026, 1, 1)) is None


@pytest.mark.parametrize("born,on,adult", [
    ("20080315", date(2026, 3, 14), False),
    ("20080315", date(2026, 3, 15), True),   # the 18th birthday itself
    ("20080315", date(2026, 3, 16), True),
    ("20080229", date(2026, 2, 27), False),
    ("20080229", date(2026, 2, 28), True),   # no 29 Feb in 2026: the month's last day
    ("20080229", date(2026, 3, 1), True),
    ("20120229", date(2030, 2, 28), True),
    ("20040229", date(2022, 2, 27), False),
    ("19991231", date(2017, 12, 31), True),
    ("20000101", date(2017, 12, 31), False),
    ("20300101", date(2026, 1, 1), False),   # not born yet
])
def test_is_adult_from_the_18th_birthday(born, on, adult):
    assert is_adult(_id(born), on) is adult


def test_a_leap_day_birth_turns_18_on_28_february():
    # 18 years after a leap year is never one (18 is 2 mod 4)
    assert eighteenth_birthday(date(1996, 2, 29)) == date(2014, 2, 28)
    assert eighteenth_birthday(date(2000, 2, 29)) == date(2018, 2, 28)
    assert eighteenth_birthday(date(1990, 2, 28)) == date(2008, 2, 28)


@pytest.mark.parametrize("value,expected", [
    (VALID_ID, "女"),                      # 17th character 2: even
    ("150203198001011234", "男"),          # 3: odd
    ("150203198001011214", "男"),
    ("15020319800101124x", "女"),          # lower-case check character
    ("", ""), (None, ""), ("1502031980", ""), ("15020319801301124X", ""),
])
def test_gender_from_the_17th_character(value, expected):
    from coop.idcodes import gender

    assert gender(value) == expected
