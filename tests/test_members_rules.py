"""Member rules as pure functions: ID check digit, each message, pinyin, search keys."""
from datetime import date

import pytest

from coop.members.rules import (clean_member_values, id_tail, member_errors, name_initials,
                                search_keys)

TODAY = date(2026, 1, 1)
GOOD = {
    "member_no": "cy0001", "name": "张三", "kind": "villager", "household_no": "01001",
    "village_group": "一组", "id_number": "11010519491231002x", "phone": "138 0000 1234",
    "is_party_member": "是", "joined_on": "2023-03-15",
}


def errors_for(**change):
    values, errors = clean_member_values({**GOOD, **change})
    return {**member_errors(values, TODAY), **errors}


def test_good_values_are_normalised():
    values, errors = clean_member_values(GOOD)
    assert errors == {} and member_errors(values, TODAY) == {}
    assert values["member_no"] == "CY0001"
    assert values["id_number"] == "11010519491231002X"
    assert values["phone"] == "13800001234"
    assert values["is_party_member"] is True
    assert values["joined_on"] == date(2023, 3, 15)


@pytest.mark.parametrize("id_number,message", [
    ("110105194912310021", "身份证号校验位不正确，请核对"),          # wrong check digit
    ("11010519491231002", "身份证号应为 18 位，现在是 17 位"),        # too short
    ("11010519491231002X1", "身份证号应为 18 位，现在是 19 位"),      # too long
    ("11010519490231002X", "身份证号中的出生日期不存在"),             # 31 February... 0231
    ("11010519491331002X", "身份证号中的出生日期不存在"),             # month 13
    ("11010530001231002X", "身份证号中的出生日期不合理"),             # born in the future
    ("11010518001231002X", "身份证号中的出生日期不合理"),             # 226 years old
    ("1101051949123100AX", "身份证号前 17 位应为数字，最后一位为数字或 X"),
])
def test_id_number_errors(id_number, message):
    assert errors_for(id_number=id_number)["id_number"] == message


def test_id_number_with_x_check_character_is_valid():
    assert "id_number" not in errors_for(id_number="11010519491231002X")
    assert "id_number" not in errors_for(id_number="11010519491231002x")


@pytest.mark.parametrize("change,field,message", [
    ({"member_no": ""}, "member_no", "请填写成员编号"),
    ({"member_no": "A" * 21}, "member_no", "成员编号不能超过 20 位"),
    ({"member_no": "成员1"}, "member_no", "成员编号只能由字母、数字和短横线组成，例如 CY0001"),
    ({"name": "  "}, "name", "请填写姓名"),
    ({"name": "张" * 61}, "name", "姓名不能超过 60 个字"),
    ({"name": "<script>"}, "name", "姓名中含有不允许的字符"),
    ({"kind": ""}, "kind", "请选择成员类别"),
    ({"kind": "股东"}, "kind", "成员类别“股东”不认识，应为 村集体、村民 或 干部"),
    ({"household_no": ""}, "household_no", "请填写户号（同户成员凭户号核对委托表决和继承）"),
    ({"household_no": "一户"}, "household_no", "户号只能由字母、数字和短横线组成"),
    ({"household_no": "1" * 21}, "household_no", "户号不能超过 20 位"),
    ({"village_group": "组" * 41}, "village_group", "村民小组不能超过 40 个字"),
    ({"id_number": ""}, "id_number", "请填写身份证号（村民和干部成员必须登记）"),
    ({"id_number": 110105194912310000}, "id_number",
     "身份证号被表格存成了数字，后几位已丢失；请把这一列设为文本后重新填写"),
    ({"phone": "12345"}, "phone", "手机号码应为 11 位数字，以 13–19 开头，例如 13800001234"),
    ({"phone": "12800001234"}, "phone", "手机号码应为 11 位数字，以 13–19 开头，例如 13800001234"),
    ({"is_party_member": "也许"}, "is_party_member", "是否党员应填“是”或“否”，现在是“也许”"),
    ({"joined_on": "去年"}, "joined_on", "入社日期格式不对，请写成 2023-03-15"),
    ({"joined_on": "2026-01-02"}, "joined_on", "入社日期不能晚于今天（2026-01-01）"),
    ({"joined_on": "1948-12-31"}, "joined_on", "入社日期不合理，请核对"),
    ({"joined_on": "1949-12-01"}, "joined_on", "入社日期早于身份证上的出生日期，请核对"),
])
def test_each_validation_message(change, field, message):
    assert errors_for(**change)[field] == message


def test_collective_needs_neither_id_nor_household():
    errors = errors_for(kind="村集体", id_number="", household_no="", name="乌兰计三村集体经济组织")
    assert errors == {}


def test_phone_is_optional_and_accepts_country_code():
    assert "phone" not in errors_for(phone="")
    values, _ = clean_member_values({**GOOD, "phone": "+86 139-0000-1234"})
    assert values["phone"] == "13900001234"


@pytest.mark.parametrize("name,initials", [
    ("张三", "zs"), ("王建国", "wjg"), ("乌兰计三村集体经济组织", "wljscjtjjzz"),
    ("巴特尔", "bte"), ("李 Tom", "lt"), ("", ""),
])
def test_name_initials(name, initials):
    assert name_initials(name) == initials


def test_id_tail_is_reversed_last_six():
    assert id_tail("11010519491231002X") == "X20013"
    assert id_tail(None) == ""


@pytest.mark.parametrize("q,keys", [
    ("zs", {"member_no": "ZS", "name_initials": "zs"}),
    ("张", {"name": "张"}),
    ("1380", {"member_no": "1380", "phone": "1380", "id_tail": "0831"}),
    ("02x", {"member_no": "02X", "id_tail": "X20"}),
    ("13800001234", {"member_no": "13800001234", "phone": "13800001234"}),
    ("JT001", {"member_no": "JT001"}),
    ("  ", {}),
])
def test_search_keys(q, keys):
    assert search_keys(q) == keys
