"""What a cooperative's charter adds to the law for its resolutions, and the
check that applies both. Pure: no Flask, no database.

Both laws let the charter be stricter than the statute (RCEO art 27:
章程有更严格规定的，从其规定; FSC art 30: 章程对表决权数有较高规定的，从其规定),
never laxer: a charter majority below the law's is refused when the charter
is built. ``check_resolution_under_charter`` runs the law's
``check_resolution`` and then the charter's own rules; a resolution passes
when it passes both.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Mapping

from coop.governance.constants import Body, ItemKind, Regime
from coop.governance.rules import (FSC, FSC_SPECIAL_ITEMS, RCEO, RCEO_ASSEMBLY_ONLY, Reason, Verdict, as_member,
                                   ceil_div, check_resolution, count, validate_counts)

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (二十一); larger numbers in digits."""
    if 0 <= n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if units == 0 else _DIGITS[units])
    return str(n)


def chinese_fraction(share: Fraction) -> str:
    """三分之二, 四分之三; 全体 for one."""
    if share == 1:
        return "全部"
    return f"{chinese_number(share.denominator)}分之{chinese_number(share.numerator)}"


def _legal_floor(regime: Regime, item: ItemKind) -> tuple[Fraction, bool]:
    """The law's majority for ``item``: the share of all votes and whether the
    law wants strictly more than it (FSC: more than half)."""
    if regime is Regime.COLLECTIVE or item in FSC_SPECIAL_ITEMS:
        return Fraction(2, 3), False
    return Fraction(1, 2), True


@dataclass(frozen=True)
class Charter:
    """The charter's rules for resolutions.

    ``majorities``: for an item, the share of ALL members (representatives in
    a representative assembly; all votes under the FSC) whose consent it
    needs, when the charter is stricter than the law. ``notice_days``: the
    charter's notice, in days before the meeting. ``representatives_decide``:
    what the charter lets a representative assembly decide (nothing when the
    charter sets none)."""

    regime: Regime
    majorities: Mapping[ItemKind, Fraction] = field(default_factory=dict, hash=False)
    notice_days: int | None = None
    representatives_decide: frozenset[ItemKind] = frozenset()

    def __post_init__(self) -> None:
        regime = as_member(Regime, self.regime, "法律类型")
        majorities = {}
        for key, share in dict(self.majorities).items():
            item = as_member(ItemKind, key, "表决事项")
            if isinstance(share, bool) or not isinstance(share, (int, Fraction)):
                raise ValueError(f"章程规定的{item.label}表决比例应为分数（如 3/4），收到 {share!r}")
            share = Fraction(share)
            if not 0 < share <= 1:
                raise ValueError(f"章程规定的{item.label}表决比例应大于零且不超过全部，收到 {share}")
            floor, strictly = _legal_floor(regime, item)
            if share < floor or (strictly and share == floor):
                law, article = (RCEO, "第二十七条") if regime is Regime.COLLECTIVE else (FSC, "第三十条")
                needed = "过半数" if strictly else f"{chinese_fraction(floor)}以上"
                raise ValueError(f"{law}{article}：{item.label}依法须经{needed}同意，章程只能规定更严格的比例，"
                                 f"不能规定{chinese_fraction(share)}")
            majorities[item] = share
        delegated = frozenset(as_member(ItemKind, i, "表决事项") for i in self.representatives_decide)
        if regime is Regime.COLLECTIVE and delegated & RCEO_ASSEMBLY_ONLY:
            names = "、".join(i.label for i in ItemKind if i in delegated & RCEO_ASSEMBLY_ONLY)
            raise ValueError(f"{RCEO}第二十八条：章程不能授权成员代表大会决定{names}，这些事项须由成员大会决定")
        if self.notice_days is not None:
            count("notice_days", self.notice_days)
        object.__setattr__(self, "regime", regime)
        object.__setattr__(self, "majorities", majorities)
        object.__setattr__(self, "representatives_decide", delegated)


def _charter_majority(charter: Charter, body: Body, item: ItemKind, share: Fraction, votes_for: int,
                      base: int) -> tuple[Reason, int]:
    needed = ceil_div(share.numerator * base, share.denominator)
    ok = votes_for * share.denominator >= share.numerator * base
    if charter.regime is Regime.SPECIALIZED:
        rule = (f"{FSC}第三十条：章程对表决权数有较高规定的，从其规定；本社章程规定{item.label}须经表决权总数"
                f"{chinese_fraction(share)}以上通过，表决权总数 {base} 票")
    elif body is Body.ASSEMBLY:
        rule = (f"{RCEO}第二十七条：章程有更严格规定的，从其规定；本社章程规定{item.label}须经全体成员"
                f"{chinese_fraction(share)}以上同意")
    else:
        rule = (f"{RCEO}第二十八条：成员代表大会按照章程规定行使职权；本社章程规定{item.label}须经全体成员代表"
                f"{chinese_fraction(share)}以上同意")
    shortfall = "" if ok else f"，差 {needed - votes_for} 票"
    return Reason(f"{rule}，需 {needed} 票，实得 {votes_for} 票{shortfall}，{'符合' if ok else '不符合'}", ok), needed


def _charter_notice(charter: Charter, body: Body, days: int) -> Reason:
    required = charter.notice_days
    ok = days >= required
    if charter.regime is Regime.SPECIALIZED:
        law = f"{FSC}第三十一条：成员大会会议的召集由章程规定"
    elif body is Body.ASSEMBLY:
        law = f"{RCEO}第二十七条：章程有更严格规定的，从其规定"
    else:
        law = f"{RCEO}第二十八条：成员代表大会依章程设立，按照章程规定行使职权"
    short = "" if ok else f"，少 {required - days} 日"
    return Reason(f"{law}；本社章程规定会议召开 {required} 日前通知，实际提前 {days} 日通知{short}，"
                  f"{'符合' if ok else '不符合'}", ok)


def _charter_delegation(charter: Charter, item: ItemKind) -> Reason:
    ok = item in charter.representatives_decide
    if charter.regime is Regime.COLLECTIVE:
        law = f"{RCEO}第二十八条：成员代表大会按照章程规定行使成员大会的部分职权"
    else:
        law = f"{FSC}第三十二条：成员代表大会按照章程规定可以行使成员大会的部分或者全部职权"
    granted = "授权" if ok else "未授权"
    return Reason(f"{law}；本社章程{granted}成员代表大会决定{item.label}，{'符合' if ok else '不符合'}", ok)


def check_resolution_under_charter(charter: Charter, *, body, item, entitled, present, votes_for,
                                   votes_against, votes_abstain, total_votes=None, notice_days=None,
                                   disclosed_days=None) -> Verdict:
    """``check_resolution`` under ``charter.regime``, then the charter's own
    rules: its stricter majority for the item, its notice, and whether it lets
    a representative assembly decide the item. ``needed_for`` is the larger of
    the law's and the charter's."""
    verdict = check_resolution(regime=charter.regime, body=body, item=item, entitled=entitled,
                               present=present, votes_for=votes_for, votes_against=votes_against,
                               votes_abstain=votes_abstain, total_votes=total_votes,
                               notice_days=notice_days, disclosed_days=disclosed_days)
    body = as_member(Body, body, "会议机构")
    item = as_member(ItemKind, item, "表决事项")
    counts = validate_counts(charter.regime, entitled=entitled, present=present, votes_for=votes_for,
                             votes_against=votes_against, votes_abstain=votes_abstain,
                             total_votes=total_votes)
    extra: list[Reason] = []
    needed = verdict.needed_for
    if body is Body.REPRESENTATIVES:
        extra.append(_charter_delegation(charter, item))
    share = charter.majorities.get(item)
    if share is not None:
        base = counts.entitled if charter.regime is Regime.COLLECTIVE else counts.total_votes
        reason, charter_needed = _charter_majority(charter, body, item, share, counts.votes_for, base)
        extra.append(reason)
        needed = max(needed, charter_needed)
    if charter.notice_days is not None and notice_days is not None:
        extra.append(_charter_notice(charter, body, notice_days))
    return replace(verdict, passed=verdict.passed and all(r.ok for r in extra), needed_for=needed,
                   reasons=verdict.reasons + tuple(extra))
