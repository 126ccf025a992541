"""The figures extra votes follow (农民专业合作社法第二十二条), asked of the
domains above governance without importing them.

Governance sits below the share register and the machinery ledger in the
layers. To count a specialized cooperative's extra votes for a day it sends
``vote_basis_requested`` with the cooperative's id as the sender and
``on=day``; the share register answers with a ``MemberCapital`` (each
member's capital on that day, coop/shares/receivers.py) and the machinery
ledger with a ``MemberTransactions`` (each member's transactions with the
cooperative in the calendar year before, coop/machinery/receivers.py). With
nobody answering every member's figures are zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from blinker import Namespace

from coop.governance.votes import MemberFigures

_signals = Namespace()

vote_basis_requested = _signals.signal(
    "vote-basis-requested",
    doc="Sent with a cooperative's id and ``on`` (a meeting day); a receiver returns a "
        "MemberCapital (capital per member on that day) or a MemberTransactions "
        "(transactions per member in the calendar year before).")


@dataclass(frozen=True)
class MemberCapital:
    """Each member's capital (出资额) on ``on``, in fen."""

    on: date
    fen_by_member: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberTransactions:
    """Each member's transactions with the cooperative in ``year``, in fen."""

    year: int
    fen_by_member: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class VoteBasis:
    """The figures of one day, summed over every answering domain."""

    on: date
    capital: Mapping[int, int]
    transactions: Mapping[int, int]

    @property
    def transactions_year(self) -> int:
        return self.on.year - 1

    def figures(self, member_ids: Iterable[int]) -> list[MemberFigures]:
        return [MemberFigures(member_id, self.capital.get(member_id, 0), self.transactions.get(member_id, 0))
                for member_id in member_ids]


def vote_basis(coop_id: int, on: date) -> VoteBasis:
    """Capital on ``on`` and transactions of the year before, per member."""
    capital: dict[int, int] = {}
    transactions: dict[int, int] = {}
    for _receiver, answer in vote_basis_requested.send(coop_id, on=on):
        if isinstance(answer, MemberCapital) and answer.on == on:
            target = capital
        elif isinstance(answer, MemberTransactions) and answer.year == on.year - 1:
            target = transactions
        else:
            continue
        for member_id, fen in answer.fen_by_member.items():
            target[member_id] = target.get(member_id, 0) + fen
    return VoteBasis(on, capital, transactions)
