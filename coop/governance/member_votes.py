"""A member's votes at a member assembly of a specialized cooperative held
today (农民专业合作社法第二十二条), for the member's page: one basic vote for
a member on the roster, plus the extra votes the charter's rule gives by
today's capital and last year's transactions. The count a meeting uses is
made again on its own day when it is convened (coop.governance.extra_votes)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError
from coop.extensions import db
from coop.governance.constants import Regime
from coop.governance.extra_votes import figures_words, rule_of
from coop.governance.roster import on_roster
from coop.governance.vote_sources import vote_basis
from coop.governance.votes import ART_22, MemberExtraVotes, member_extra_votes
from coop.members.api import Member
from coop.money import format_yuan


@dataclass(frozen=True)
class MemberVotes:
    """What ``member_votes`` found: whether the member votes today, the
    charter's rule in words ("" when it grants no extra votes, ``problem``
    when it cannot be applied) and the member's extra votes by it."""

    on: date
    entitled: bool
    rule: str = ""
    figures: str = ""
    extra: MemberExtraVotes | None = None
    problem: str = ""
    uses_capital: bool = False
    uses_transactions: bool = False

    @property
    def basic(self) -> int:
        return 1 if self.entitled else 0

    @property
    def extra_votes(self) -> int:
        return self.extra.extra_votes if self.entitled and self.extra is not None else 0

    @property
    def total(self) -> int:
        return self.basic + self.extra_votes

    @property
    def basis(self) -> str:
        """What the member's extra votes follow, in words ("" for none)."""
        if self.extra is None or not self.entitled:
            return ""
        e = self.extra
        parts = []
        if self.uses_capital:
            parts.append(f"出资 {format_yuan(e.capital_fen)} 元得 {e.by_capital} 票")
        if self.uses_transactions:
            parts.append(f"{self.on.year - 1} 年度交易 {format_yuan(e.transactions_fen)} 元得 "
                         f"{e.by_transactions} 票")
        if e.limited:
            parts.append(f"超过章程每人最多 {e.extra_votes} 票的上限，按 {e.extra_votes} 票计")
        return "，".join(parts)


def is_specialized(cooperative_id: int) -> bool:
    coop = db.session.get(Cooperative, cooperative_id)
    return coop is not None and coop.legal_regime == Regime.SPECIALIZED


def member_votes(member: Member) -> MemberVotes | None:
    """``member``'s votes at a member assembly held today; None unless the
    cooperative is a farmers' specialized cooperative."""
    coop = db.session.get(Cooperative, member.cooperative_id)
    if coop is None or coop.legal_regime != Regime.SPECIALIZED:
        return None
    today = clock.today()
    entitled = db.session.scalar(select(Member.id).where(Member.id == member.id, on_roster(today))) is not None
    try:
        rule = rule_of(coop)
    except ServiceError as exc:
        return MemberVotes(today, entitled, problem=str(exc))
    if rule is None:
        return MemberVotes(today, entitled)
    figures = vote_basis(coop.id, today).figures([member.id])[0]
    return MemberVotes(today, entitled, rule=rule.describe(), figures=figures_words(rule, today),
                       extra=member_extra_votes(rule, figures), uses_capital=rule.basis.uses_capital,
                       uses_transactions=rule.basis.uses_transactions)


__all__ = ["ART_22", "MemberVotes", "is_specialized", "member_votes"]
