from datetime import date

import pytest

from coop.idcodes import (mask_resident_id, resident_id_check_char, resident_id_error,
                          uscc_check_char, uscc_error)

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
