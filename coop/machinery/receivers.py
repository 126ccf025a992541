"""The machinery ledger's answers to governance's signals
(coop.governance.vote_sources): governance sits below the ledger and cannot
ask it directly. Connected when the module is imported, which the app
factory does for every domain's ``receivers`` module (coop.domains)."""
from __future__ import annotations

from datetime import date

from coop.governance.api import MemberTransactions, vote_basis_requested
from coop.machinery.years import member_transactions


@vote_basis_requested.connect
def transactions_for_votes(coop_id: int, *, on: date, **_: object) -> MemberTransactions:
    """Each member's transactions with the cooperative in the calendar year
    before ``on`` (fen, net of reversals): what a specialized cooperative's
    extra votes by transactions follow (FSC art 22)."""
    year = on.year - 1
    return MemberTransactions(year, member_transactions(coop_id, year))
