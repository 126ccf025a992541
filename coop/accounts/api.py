"""What other domains may use of the member accounts.

Other domains import from this module only; what is not here is private to
``coop.accounts``."""
from __future__ import annotations

from coop.accounts.constants import AccountEntryKind  # noqa: F401
from coop.accounts.entries import (  # noqa: F401
    AccountBalance,
    balances_before,
    record_quantification,
    reverse_quantification,
)
from coop.accounts.models import AccountEntry  # noqa: F401
from coop.accounts.reading import (  # noqa: F401
    NOT_KEPT,
    AccountYear,
    MemberAccount,
    accounts_of_year,
    keeps_accounts,
    member_account,
)
from coop.accounts.sources import capital_fen, year_grants_fen  # noqa: F401

__all__ = [
    "NOT_KEPT",
    "AccountBalance",
    "AccountEntry",
    "AccountEntryKind",
    "AccountYear",
    "MemberAccount",
    "accounts_of_year",
    "balances_before",
    "capital_fen",
    "keeps_accounts",
    "member_account",
    "record_quantification",
    "reverse_quantification",
    "year_grants_fen",
]
