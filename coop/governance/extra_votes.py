"""Each member's extra votes at a meeting of a specialized cooperative
(农民专业合作社法第二十二条): computed by the charter's rule from the figures
of the meeting day (``vote_sources``) when the meeting is convened, stored
per member (``MeetingExtraVotes``) and summed on the meeting; the sign-in,
the tally and the decision read them back as each person's votes.
Services flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from sqlalchemy import delete, select

from coop.errors import ServiceError
from coop.extensions import db
from coop.money import format_yuan
from coop.governance.constants import Body, Regime
from coop.governance.models import Meeting, MeetingExtraVotes
from coop.governance.roster import entitled_on
from coop.governance.vote_sources import vote_basis
from coop.governance.votes import (ART_22, ExtraVoteCount, ExtraVoteRule, MemberExtraVotes, cap_error,
                                   count_extra_votes)

RULE_FIELDS = (
    "extra_votes_allowed", "extra_votes_cap_bp", "extra_votes_basis", "extra_votes_member_max",
    "extra_votes_capital_step_fen", "extra_votes_capital_threshold_fen",
    "extra_votes_transactions_step_fen", "extra_votes_transactions_threshold_fen",
)


def rule_of(charter: Any) -> ExtraVoteRule | None:
    """The extra-vote rule of a specialized cooperative's charter (the
    Cooperative, or its values by name), None when it grants none. A charter
    that grants extra votes without a complete rule is refused."""
    values = charter if isinstance(charter, Mapping) else {f: getattr(charter, f) for f in
                                                           ("legal_regime", *RULE_FIELDS)}
    if values.get("legal_regime") != Regime.SPECIALIZED:
        return None
    try:
        return ExtraVoteRule.of_charter(values)
    except ValueError as exc:
        raise ServiceError(f"{ART_22}：本社章程设了附加表决权，但计算规则不完整（{exc}）；"
                           "请先在章程中填写附加表决权的计算规则") from None


def figures_words(rule: ExtraVoteRule, on: date) -> str:
    """Which figures a count on ``on`` used, in words."""
    parts = []
    if rule.basis.uses_capital:
        parts.append(f"{on:%Y-%m-%d} 的出资额")
    if rule.basis.uses_transactions:
        parts.append(f"{on.year - 1} 年度的交易额")
    return "按 " + "和".join(parts)


def count_on(coop_id: int, rule: ExtraVoteRule, member_ids: list[int], on: date) -> ExtraVoteCount:
    """The extra votes of ``member_ids`` (those entitled, one basic vote each)
    by the figures of ``on``."""
    return count_extra_votes(rule, len(member_ids), vote_basis(coop_id, on).figures(member_ids))


def assembly_count(coop_id: int, rule: ExtraVoteRule, on: date) -> ExtraVoteCount:
    """The extra votes of a member assembly on ``on``: every member on the roster."""
    roster = entitled_on(coop_id, Regime.SPECIALIZED, Body.ASSEMBLY, on)
    return count_on(coop_id, rule, [m.id for m in roster.voters], on)


def cap_error_on(coop_id: int, rule: ExtraVoteRule, on: date, *, what: str) -> str | None:
    """Why the rule's extra votes on ``on`` break art 22 (``what``: the
    advice that ends the message), or None."""
    message = cap_error(assembly_count(coop_id, rule, on), figures_of=figures_words(rule, on))
    return f"{message}；{what}" if message else None


def store(meeting: Meeting, members: Iterable[MemberExtraVotes]) -> None:
    """Write ``members``' extra votes on ``meeting`` (replacing any) and
    their sum on the meeting."""
    rows = [m for m in members if m.extra_votes > 0]
    db.session.execute(delete(MeetingExtraVotes).where(MeetingExtraVotes.meeting_id == meeting.id))
    db.session.add_all([MeetingExtraVotes(
        cooperative_id=meeting.cooperative_id, meeting_id=meeting.id, member_id=m.member_id,
        capital_fen=m.capital_fen, transactions_fen=m.transactions_fen, by_capital=m.by_capital,
        by_transactions=m.by_transactions, extra_votes=m.extra_votes) for m in rows])
    total = sum(m.extra_votes for m in rows)
    if meeting.extra_votes != total:
        meeting.extra_votes = total


@dataclass(frozen=True)
class Weights:
    """The votes each person carries at a meeting: one basic vote, plus the
    extra votes computed for them."""

    extra: Mapping[int, MeetingExtraVotes] = field(default_factory=dict)

    def extra_of(self, member_id: int) -> int:
        row = self.extra.get(member_id)
        return row.extra_votes if row is not None else 0

    def votes_of(self, member_id: int) -> int:
        return 1 + self.extra_of(member_id)

    def basis_of(self, member_id: int) -> str:
        """What the member's extra votes follow, in words ("" for none)."""
        row = self.extra.get(member_id)
        if row is None:
            return ""
        parts = []
        if row.by_capital:
            parts.append(f"出资 {format_yuan(row.capital_fen)} 元得 {row.by_capital} 票")
        if row.by_transactions:
            parts.append(f"上年交易 {format_yuan(row.transactions_fen)} 元得 {row.by_transactions} 票")
        if row.by_capital + row.by_transactions > row.extra_votes:
            parts.append(f"超过章程每人最多 {row.extra_votes} 票的上限，按 {row.extra_votes} 票计")
        return "，".join(parts)


def weights_of(meeting: Meeting) -> Weights:
    """Each member's extra votes at ``meeting``."""
    rows = db.session.scalars(select(MeetingExtraVotes).where(MeetingExtraVotes.meeting_id == meeting.id))
    return Weights({row.member_id: row for row in rows})
