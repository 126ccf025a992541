"""A member's bank details (开户行, 账号, 户名) as pure rules: cleaning what a
person typed, the errors in Chinese, and the masked account shown everywhere
except the member's edit form. No Flask, no database."""
from __future__ import annotations

import re
from typing import Any, Mapping, NamedTuple

BANK_FIELDS = ("bank_name", "bank_account", "bank_holder")
BANK_LABELS = {"bank_name": "开户行", "bank_account": "银行账号", "bank_holder": "户名"}

ACCOUNT_MIN, ACCOUNT_MAX = 12, 30
_SPACES = re.compile(r"[\s\u3000-]+")


class BankDetails(NamedTuple):
    bank_name: str
    bank_account: str
    bank_holder: str


def clean_bank(raw: Mapping[str, Any]) -> BankDetails:
    """Trimmed texts; the account without spaces or dashes (as printed on a card)."""
    def text(key: str) -> str:
        return str(raw.get(key) or "").strip()
    return BankDetails(text("bank_name"), _SPACES.sub("", text("bank_account")), text("bank_holder"))


def bank_errors(details: BankDetails) -> dict[str, str]:
    """What is wrong with ``details`` (none filled in is fine: paid in cash)."""
    errors: dict[str, str] = {}
    account = details.bank_account
    if account:
        if not account.isascii() or not account.isdigit():
            errors["bank_account"] = "银行账号只能是数字（可以带空格）"
        elif not ACCOUNT_MIN <= len(account) <= ACCOUNT_MAX:
            errors["bank_account"] = (f"银行账号应为 {ACCOUNT_MIN}–{ACCOUNT_MAX} 位数字，"
                                      f"现在是 {len(account)} 位")
        if not details.bank_name:
            errors["bank_name"] = "填写了银行账号，请同时填写开户行"
    elif details.bank_name:
        errors["bank_account"] = "填写了开户行，请同时填写银行账号"
    if len(details.bank_name) > 60:
        errors["bank_name"] = "开户行最多 60 个字"
    if len(details.bank_holder) > 60:
        errors["bank_holder"] = "户名最多 60 个字"
    return errors


def mask_account(account: str | None) -> str:
    """6228 **** **** 1234: the first four and the last four digits shown."""
    if not account:
        return ""
    if len(account) <= 8:
        return "*" * len(account)
    return f"{account[:4]} **** **** {account[-4:]}"
