"""Extra votes of a farmers' specialized cooperative (农民专业合作社法第二十二条).
Pure: no Flask, no database.

Art 22: every member has one basic vote; members with large capital or
transactions with the cooperative may have extra votes as the charter says;
all extra votes together may not exceed 20% of the basic votes; the members
with extra votes and their counts are told to everyone at each assembly.

The charter's rule (``ExtraVoteRule``): per figure it follows (capital on
the meeting day, transactions of the calendar year before), one extra vote
per full ``step`` of the amount above its ``threshold``; the figures' votes
add up, and no member has more than ``member_max``. ``count_extra_votes``
applies it to every member entitled to vote; ``cap_error`` says, naming the
article, when the total exceeds the charter's cap (itself at most 20%) of
the basic votes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from coop.cooperatives.constants import MAX_EXTRA_VOTES_BP, ExtraVoteBasis
from coop.governance.rules import FSC, as_member, count
from coop.money import FULL_BP, format_percent, format_yuan

ART_22 = f"{FSC}第二十二条"
FIGURE_LABELS = {"capital": "出资额", "transactions": "交易额"}
FIGURE_WHEN = {"capital": "会议当日出资额", "transactions": "上一年度交易额"}


@dataclass(frozen=True)
class ExtraVoteRule:
    """The charter's extra-vote rule. Amounts in fen; ``cap_bp``: the most all
    extra votes together may be, in basis points of the basic votes."""

    basis: ExtraVoteBasis
    cap_bp: int
    member_max: int
    capital_step_fen: int | None = None
    capital_threshold_fen: int | None = None
    transactions_step_fen: int | None = None
    transactions_threshold_fen: int | None = None

    def __post_init__(self) -> None:
        basis = as_member(ExtraVoteBasis, self.basis, "附加表决权分配依据")
        object.__setattr__(self, "basis", basis)
        if not 0 <= count("cap_bp", self.cap_bp) <= MAX_EXTRA_VOTES_BP:
            raise ValueError(f"{ART_22}：附加表决权总票数不得超过基本表决权总票数的百分之二十，"
                             f"章程不能定为 {format_percent(self.cap_bp)}")
        if count("member_max", self.member_max) < 1:
            raise ValueError("每名成员的附加表决权上限至少 1 票")
        for figure, used in (("capital", basis.uses_capital), ("transactions", basis.uses_transactions)):
            step = getattr(self, f"{figure}_step_fen")
            if used and (step is None or count(f"{figure}_step_fen", step) < 1):
                raise ValueError(f"按{FIGURE_LABELS[figure]}分配附加表决权，每票的金额应大于零")
            threshold = getattr(self, f"{figure}_threshold_fen")
            if threshold is not None:
                count(f"{figure}_threshold_fen", threshold)

    @classmethod
    def of_charter(cls, charter: Mapping[str, Any]) -> ExtraVoteRule | None:
        """The rule of a charter's values (the cooperative's columns by
        name), or None when it grants no extra votes."""
        if not charter.get("extra_votes_allowed"):
            return None
        return cls(basis=charter.get("extra_votes_basis"), cap_bp=charter.get("extra_votes_cap_bp"),
                   member_max=charter.get("extra_votes_member_max"),
                   **{f"{figure}_{part}_fen": charter.get(f"extra_votes_{figure}_{part}_fen")
                      for figure in FIGURE_LABELS for part in ("step", "threshold")})

    def describe(self) -> str:
        """The rule in words, for the pages and the papers."""
        parts = []
        for figure, used in (("capital", self.basis.uses_capital),
                             ("transactions", self.basis.uses_transactions)):
            if not used:
                continue
            threshold = getattr(self, f"{figure}_threshold_fen") or 0
            above = f"超过 {format_yuan(threshold)} 元的部分" if threshold else ""
            parts.append(f"{FIGURE_WHEN[figure]}{above}每满 {format_yuan(getattr(self, f'{figure}_step_fen'))} 元一票")
        return (f"{'；'.join(parts)}；每名成员最多 {self.member_max} 票；"
                f"全体合计不超过基本表决权的 {format_percent(self.cap_bp)}")


@dataclass(frozen=True)
class MemberFigures:
    """What a member's extra votes follow: capital on the meeting day and
    transactions of the calendar year before, in fen."""

    member_id: int
    capital_fen: int = 0
    transactions_fen: int = 0


@dataclass(frozen=True)
class MemberExtraVotes:
    """A member's extra votes by the rule: from each figure, and in all
    (at most the rule's ``member_max``)."""

    member_id: int
    capital_fen: int
    transactions_fen: int
    by_capital: int
    by_transactions: int
    extra_votes: int

    @property
    def limited(self) -> bool:
        """The member's figures would give more than the per-member maximum."""
        return self.extra_votes < self.by_capital + self.by_transactions


def _steps(amount: int, step: int | None, threshold: int | None) -> int:
    if step is None:
        return 0
    return max(0, amount - (threshold or 0)) // step


def member_extra_votes(rule: ExtraVoteRule, figures: MemberFigures) -> MemberExtraVotes:
    """One member's extra votes under ``rule``."""
    by_capital = (_steps(figures.capital_fen, rule.capital_step_fen, rule.capital_threshold_fen)
                  if rule.basis.uses_capital else 0)
    by_transactions = (_steps(figures.transactions_fen, rule.transactions_step_fen,
                              rule.transactions_threshold_fen)
                       if rule.basis.uses_transactions else 0)
    return MemberExtraVotes(figures.member_id, figures.capital_fen, figures.transactions_fen,
                            by_capital, by_transactions, min(rule.member_max, by_capital + by_transactions))


@dataclass(frozen=True)
class ExtraVoteCount:
    """Every entitled member's extra votes (those with at least one, in the
    order given) against the basic votes (one per entitled member)."""

    basic: int
    cap_bp: int
    members: tuple[MemberExtraVotes, ...]

    @property
    def total(self) -> int:
        return sum(m.extra_votes for m in self.members)

    @property
    def limit(self) -> int:
        """The most extra votes the charter's cap allows."""
        return self.cap_bp * self.basic // FULL_BP

    @property
    def within_cap(self) -> bool:
        return self.total * FULL_BP <= self.cap_bp * self.basic

    def of(self, member_id: int) -> int:
        return next((m.extra_votes for m in self.members if m.member_id == member_id), 0)


def count_extra_votes(rule: ExtraVoteRule, basic: int, figures: Iterable[MemberFigures]) -> ExtraVoteCount:
    """The extra votes of each entitled member (``figures``: one per entitled
    member; ``basic``: their basic votes, one each)."""
    members = tuple(votes for f in figures if (votes := member_extra_votes(rule, f)).extra_votes > 0)
    return ExtraVoteCount(count("basic", basic), rule.cap_bp, members)


def cap_error(tally: ExtraVoteCount, *, figures_of: str) -> str | None:
    """Why ``tally`` breaks art 22 and the charter's cap, or None. ``figures_of``
    names the day of the figures (e.g. 按 2026-07-01 的出资额和 2025 年度交易额)."""
    if tally.within_cap:
        return None
    charter = ("" if tally.cap_bp == MAX_EXTRA_VOTES_BP
               else f"，本社章程规定不超过 {format_percent(tally.cap_bp)}")
    return (f"{ART_22}：本社的附加表决权总票数，不得超过本社成员基本表决权总票数的百分之二十{charter}；"
            f"{figures_of}，成员 {tally.basic} 人共 {tally.basic} 票基本表决权，附加表决权最多 {tally.limit} 票，"
            f"按章程规则算得 {len(tally.members)} 人共 {tally.total} 票，多出 {tally.total - tally.limit} 票")
