"""Member rules as pure functions over plain values (no Flask, no database).

``clean_member_values`` normalises what a person typed (or what a spreadsheet
cell held) and ``member_errors`` says what is wrong with it. The service adds
the checks that need the database (duplicates). The form, the import and the
CLI all go through here, so a rule and its message exist once.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Mapping

from pypinyin import Style, lazy_pinyin

from coop.clock import future_error
from coop.idcodes import resident_id_error
from coop.members.constants import MemberKind
from coop.money import cell_words

MEMBER_FIELDS = (
    "member_no", "name", "kind", "household_no", "village_group", "id_number", "phone",
    "is_party_member", "joined_on",
)

FIELD_LABELS = {
    "member_no": "成员编号",
    "name": "姓名",
    "kind": "成员类别",
    "household_no": "户号",
    "relation_to_head": "与户主关系",
    "village_group": "村民小组",
    "id_number": "身份证号",
    "phone": "联系电话",
    "is_party_member": "是否党员",
    "joined_on": "入社日期",
    "status": "状态",
    "status_changed_on": "状态变更日期",
}

MEMBER_NO_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_SPACES_RE = re.compile(r"[\s\u3000-]+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Persons need an ID and a household; the village collective needs neither.
PERSON_KINDS = (MemberKind.VILLAGER.value, MemberKind.CADRE.value)
PAGE_SIZE = 50


def name_initials(name: str) -> str:
    """Lower-case pinyin initials of a name: 张三 -> 'zs'. Letters in the
    name keep their first letter; anything else is left out."""
    parts = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default")
    # Chinese characters come one letter each; other text as one chunk, of
    # which each word gives its first letter ("Tom Lee" -> "tl").
    words = (w for part in parts for w in re.split(r"[^A-Za-z]+", part))
    return "".join(w[0] for w in words if w).lower()[:60]


def id_tail(id_number: str | None) -> str:
    """Last six characters of an ID, reversed, so 'ends with 1234' is a prefix."""
    return (id_number or "")[-6:][::-1]


def clean_phone(value: Any) -> str:
    text = _SPACES_RE.sub("", str(value or "")).replace("（", "(").replace("）", ")")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def parse_bool(value: Any) -> bool | None:
    """是/否 and the usual spellings; None when it is neither."""
    if isinstance(value, bool):
        return value
    text = cell_words(value).lower()
    if text in ("是", "党员", "y", "yes", "true", "1", "on", "√", "✓"):
        return True
    if text in ("", "否", "非党员", "n", "no", "false", "0", "off", "×"):
        return False
    return None


_KIND_BY_TEXT = {kind.label: kind.value for kind in MemberKind}
_KIND_BY_TEXT.update({kind.value: kind.value for kind in MemberKind})
_KIND_BY_TEXT.update({"集体": "collective", "村集体经济组织": "collective", "村干部": "cadre"})


def parse_kind(value: Any) -> str | None:
    return _KIND_BY_TEXT.get(cell_words(value).lower() if cell_words(value).isascii() else cell_words(value))


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(value: Any) -> date | None:
    """A date from a form or a cell; raises ValueError when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_words(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def clean_member_values(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalised values, and errors for what could not even be read."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    out["member_no"] = _SPACES_RE.sub("", cell_words(raw.get("member_no"))).upper()
    out["name"] = cell_words(raw.get("name")).replace("\u3000", " ")
    kind_raw = raw.get("kind")
    out["kind"] = parse_kind(kind_raw)
    if out["kind"] is None:
        errors["kind"] = ("请选择成员类别" if not cell_words(kind_raw) else
                          f"成员类别“{cell_words(kind_raw)}”不认识，应为 村集体、村民 或 干部")
    out["household_no"] = _SPACES_RE.sub("", cell_words(raw.get("household_no"))).upper()
    out["village_group"] = cell_words(raw.get("village_group"))
    id_raw = raw.get("id_number")
    if isinstance(id_raw, (int, float)) and not isinstance(id_raw, bool):
        # a spreadsheet cell stored as a number has lost the digits past 15
        errors["id_number"] = "身份证号被表格存成了数字，后几位已丢失；请把这一列设为文本后重新填写"
    out["id_number"] = _SPACES_RE.sub("", cell_words(id_raw)).upper() or None
    out["phone"] = clean_phone(raw.get("phone"))
    party = parse_bool(raw.get("is_party_member"))
    out["is_party_member"] = bool(party)
    if party is None:
        errors["is_party_member"] = f"是否党员应填“是”或“否”，现在是“{cell_words(raw.get('is_party_member'))}”"
    try:
        out["joined_on"] = parse_date(raw.get("joined_on"))
    except ValueError:
        out["joined_on"] = None
        errors["joined_on"] = "入社日期格式不对，请写成 2023-03-15"
    return out, errors


def member_errors(v: Mapping[str, Any], today: date) -> dict[str, str]:
    """Field name -> message for every rule the cleaned values break."""
    errors: dict[str, str] = {}
    no = v.get("member_no") or ""
    if not no:
        errors["member_no"] = "请填写成员编号"
    elif len(no) > 20:
        errors["member_no"] = "成员编号不能超过 20 位"
    elif not no.isascii() or not MEMBER_NO_RE.match(no):
        errors["member_no"] = "成员编号只能由字母、数字和短横线组成，例如 CY0001"
    name = v.get("name") or ""
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > 60:
        errors["name"] = "姓名不能超过 60 个字"
    elif _CONTROL_RE.search(name) or any(c in name for c in "<>\"&;"):
        errors["name"] = "姓名中含有不允许的字符"
    kind = v.get("kind")
    if kind not in {k.value for k in MemberKind}:
        errors["kind"] = "请选择成员类别"
    person = kind in PERSON_KINDS
    household = v.get("household_no") or ""
    if len(household) > 20:
        errors["household_no"] = "户号不能超过 20 位"
    elif household and not MEMBER_NO_RE.match(household):
        errors["household_no"] = "户号只能由字母、数字和短横线组成"
    elif person and not household:
        errors["household_no"] = "请填写户号（同户成员凭户号核对委托表决和继承）"
    group = v.get("village_group") or ""
    if len(group) > 40:
        errors["village_group"] = "村民小组不能超过 40 个字"
    elif _CONTROL_RE.search(group) or any(c in group for c in "<>\"&;"):
        errors["village_group"] = "村民小组中含有不允许的字符"
    id_number = v.get("id_number")
    if id_number:
        if message := resident_id_error(id_number, today=today):
            errors["id_number"] = message
    elif person:
        errors["id_number"] = "请填写身份证号（村民和干部成员必须登记）"
    phone = v.get("phone") or ""
    if phone and not MOBILE_RE.match(phone):
        errors["phone"] = "手机号码应为 11 位数字，以 13–19 开头，例如 13800001234"
    joined = v.get("joined_on")
    if joined is not None:
        if message := future_error(joined, "入社日期", today):
            errors["joined_on"] = message
        elif joined.year < 1949:
            errors["joined_on"] = "入社日期不合理，请核对"
        elif id_number and "id_number" not in errors and joined < _birth_date(id_number):
            errors["joined_on"] = "入社日期早于身份证上的出生日期，请核对"
    return errors


def _birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


# -- search -------------------------------------------------------------------

def search_keys(q: str) -> dict[str, str]:
    """Which indexed columns a search text is a prefix of, and the prefix for each.

    Digits look in member number, phone and the ID's last digits (reversed,
    up to six); letters in member number and pinyin initials; anything with
    Chinese in the name.
    """
    q = _SPACES_RE.sub("", q or "")[:40]
    if not q:
        return {}
    if q.isascii():
        keys: dict[str, str] = {"member_no": q.upper()}
        if q.isdigit():
            keys["phone"] = q
        if len(q) <= 6 and (q[:-1].isdigit() and (q[-1].isdigit() or q[-1] in "xX")):
            keys["id_tail"] = q.upper()[::-1]
        if q.isalpha():
            keys["name_initials"] = q.lower()
        return keys
    return {"name": q}
