"""How an imported member came to be one (成员取得方式), as a pure rule.

An import brings the roster a cooperative already has: its founding members,
and members confirmed before the Rural Collective Economic Organization Law
took effect on 2025-05-01, whom the law does not confirm again (art 66: the
import flag 2025年5月1日前已确认 and the date of that confirmation). Anyone
who becomes a member later (birth, marriage, adoption, policy migration...)
is a membership event decided by the member assembly (art 12), never an
import row. No Flask, no database.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from coop.members.constants import MembershipBasis
from coop.members.rules import parse_date
from coop.money import cell_words

RCEO = "《农村集体经济组织法》"
LAW_IN_FORCE = date(2025, 5, 1)
# (field, header): optional columns of the member import and its template
BASIS_COLUMNS = (
    ("acquired_how", "成员取得方式"),
    ("confirmed_on", "确认日期"),
    ("relation_to_head", "与户主关系"),
)
BASIS_LABELS = dict(BASIS_COLUMNS)
_WORDS = {
    "": MembershipBasis.FOUNDING.value,
    "设立时成员": MembershipBasis.FOUNDING.value,
    "设立": MembershipBasis.FOUNDING.value,
    "founding": MembershipBasis.FOUNDING.value,
    "2025年5月1日前已确认成员": MembershipBasis.CONFIRMED_BEFORE_LAW.value,
    "2025年5月1日前已确认": MembershipBasis.CONFIRMED_BEFORE_LAW.value,
    "已确认": MembershipBasis.CONFIRMED_BEFORE_LAW.value,
    "confirmed_before_law": MembershipBasis.CONFIRMED_BEFORE_LAW.value,
}
_LATER = {basis.label for basis in MembershipBasis} | {basis.value for basis in MembershipBasis}
RELATION_MAX = 10


def clean_relation(value: Any) -> tuple[str, str | None]:
    """The relation to the household head as written (户主、配偶、长子 ...), and
    the error when it is too long; the import's column and the member form
    read it alike."""
    relation = cell_words(value)
    if len(relation) > RELATION_MAX:
        return relation, f"与户主关系不能超过 {RELATION_MAX} 个字，例如 户主、配偶、长子"
    return relation, None


def clean_basis(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The basis values of an import row, and an error per column that
    breaks a rule. Only the columns present in the file are returned."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "acquired_how" in raw:
        word = cell_words(raw.get("acquired_how"))
        if word in _WORDS:
            values["acquired_how"] = _WORDS[word]
        elif word in _LATER:
            errors["acquired_how"] = (
                f"因“{word}”新取得成员身份的，须在“成员身份”中登记变动，经成员大会确认"
                f"（{RCEO}第十二条），不能直接导入")
        else:
            errors["acquired_how"] = (f"成员取得方式“{word}”不认识，应为 设立时成员 或 "
                                      "2025年5月1日前已确认成员")
    if "confirmed_on" in raw:
        try:
            values["confirmed_on"] = parse_date(raw.get("confirmed_on"))
        except ValueError:
            errors["confirmed_on"] = "确认日期格式不对，请写成 2020-06-30"
    basis = values.get("acquired_how")
    confirmed = values.get("confirmed_on")
    if basis == MembershipBasis.CONFIRMED_BEFORE_LAW and "confirmed_on" not in errors:
        if confirmed is None:
            errors["confirmed_on"] = (f"2025年5月1日前已确认的成员须填写确认日期（{RCEO}第六十六条："
                                      "本法施行前已确认的成员无需重新确认）")
        elif confirmed >= LAW_IN_FORCE:
            errors["confirmed_on"] = (f"确认日期应早于 2025-05-01；此后取得成员身份的须经成员大会确认"
                                      f"（{RCEO}第十二条、第六十六条）")
    if "relation_to_head" in raw:
        values["relation_to_head"], error = clean_relation(raw.get("relation_to_head"))
        if error:
            errors["relation_to_head"] = error
    return values, errors
