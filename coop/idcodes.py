"""Check digits of Chinese identification codes. Pure functions.

- Resident identity number, GB 11643-1999: 17 digits + check character.
- Unified social credit code, GB 32100-2015: 18 characters + check character.

The birth date (characters 7-14 of the resident ID) says who is an adult:
``is_adult`` for the member assembly's roster (full civil capacity at 18);
the 17th character gives the holder's sex (``gender``, for the filed roster).
"""
from __future__ import annotations

from calendar import isleap
from datetime import date

from coop import clock

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_error(value: str, today: date | None = None) -> str | None:
    """None when ``value`` is a valid 18-character resident ID, else a message."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return f"身份证号应为 18 位，现在是 {len(value)} 位"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号前 17 位应为数字，最后一位为数字或 X"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    today = today or clock.today()
    if born > today or born.year < today.year - 120:
        return "身份证号中的出生日期不合理"
    if resident_id_check_char(value[:17]) != value[17]:
        return "身份证号校验位不正确，请核对"
    return None


def birth_date(id_number: str | None) -> date | None:
    """The birth date written in an 18-character resident ID, or None when
    the value is not shaped like one or the date does not exist. The check
    character is not verified here: ``resident_id_error`` does that when the
    number is entered."""
    value = (id_number or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return None
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def gender(id_number: str | None) -> str:
    """男 or 女 from the 17th character of an 18-character resident ID (odd:
    male, even: female, GB 11643-1999 4.3), or "" when the value is not
    shaped like one."""
    value = (id_number or "").strip().upper()
    if birth_date(value) is None:
        return ""
    return "男" if int(value[16]) % 2 else "女"


def eighteenth_birthday(born: date) -> date:
    """The day a person born on ``born`` turns 18. Someone born on 29 February
    turns 18 on 28 February of a common year: a period counted in years ends on
    the month's last day when that month has no corresponding day (Civil Code
    art 202)."""
    year = born.year + 18
    if born.month == 2 and born.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def is_adult(id_number: str | None, on: date) -> bool | None:
    """Whether the holder of ``id_number`` is 18 or older on ``on`` (Civil
    Code art 17: 十八周岁以上; "以上" includes the number itself, art 1259).
    The 18th birthday counts, as voters' ages are counted on election day,
    that day included. None when the ID holds no readable birth date."""
    born = birth_date(id_number)
    if born is None:
        return None
    return on >= eighteenth_birthday(born)


def mask_resident_id(value: str | None) -> str:
    """1501**********1234: first 4 and last 4 characters shown."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_with_check(first17: str) -> str:
    """``first17`` completed with its check character (demo and test codes)."""
    return first17 + uscc_check_char(first17)


def uscc_error(value: str) -> str | None:
    """None when ``value`` is a valid unified social credit code, else a message."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return f"统一社会信用代码应为 18 位，现在是 {len(value)} 位"
    bad = [c for c in value if c not in _USCC_ALPHABET]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{bad[0]}（不使用 I、O、S、V、Z）"
    if uscc_check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None
