"""Whether a meeting's resolution stands under the law of the cooperative's
regime. Pure functions over counts: no Flask, no database.

Two laws, two regimes:

- ``collective``: 《农村集体经济组织法》 (RCEO, in force 2025-05-01). One person
  one vote; the member assembly (成员大会) meets after 10 days' notice with
  two thirds of the members of full civil capacity present and decides by two
  thirds of ALL of them (art 27); a representative assembly (成员代表大会)
  decides by two thirds of ALL representatives and cannot decide the charter,
  membership or mergers (art 28); the distribution plan is open to members 10
  days before (art 46).
- ``specialized``: 《农民专业合作社法》 (FSC, 2017). Two thirds of the members
  present (art 30); more than half of ALL votes, two thirds of them for the
  charter and mergers (art 30); extra votes at most 20% of the basic votes
  (art 22); the plan at the office 15 days before (art 40).

Every threshold is an integer inequality (3 * for >= 2 * entitled, never a
float). Each check gives a ``Reason``: a Chinese sentence naming its law and
article that says what was needed, what was found and whether it was met.

Counts. ``entitled`` and ``present`` are persons (members, or
representatives in a representative assembly); the votes are votes. Under the
RCEO a person has one vote, so at most ``present`` votes are cast. Under the
FSC the members present hold one basic vote each plus whatever extra votes
they have; which members hold the extra votes is not known here, so the votes
cast may reach ``present`` plus all the extra votes (``total_votes -
entitled``), no more. The service, which knows each person's votes, checks
the ballot exactly; this is the bound that holds whoever came.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from coop.governance.constants import Body, ItemKind, Regime
from coop.labels import LabelledEnum

RCEO = "《农村集体经济组织法》"
FSC = "《农民专业合作社法》"

NOTICE_DAYS = 10            # RCEO art 27
RCEO_DISCLOSURE_DAYS = 10   # RCEO art 46
FSC_DISCLOSURE_DAYS = 15    # FSC art 40


# FSC art 30: these need two thirds of all votes, the rest more than half.
FSC_SPECIAL_ITEMS = frozenset({ItemKind.CHARTER, ItemKind.MERGER})

# RCEO art 28: a representative assembly may not exercise the powers of art 26
# para 1 items 1, 3, 8, 10 and 12 (charter, membership, land and share
# quantification plans, land compensation, mergers and splits). Of ours:
RCEO_ASSEMBLY_ONLY = frozenset({ItemKind.CHARTER, ItemKind.MEMBERSHIP, ItemKind.MERGER})

# RCEO art 26 para 1: the item of the member assembly's powers for each.
_RCEO_POWERS = {
    ItemKind.DISTRIBUTION: "第七项“批准收益分配方案”",
    ItemKind.CHARTER: "第一项“制定、修改章程”",
    ItemKind.MEMBERSHIP: "第三项“确认成员”",
    ItemKind.MERGER: "第十二项“决定合并、分立等重大事项”",
    ItemKind.OTHER: "所列职权",
}
_FSC_POWERS = {
    ItemKind.DISTRIBUTION: "批准盈余分配方案",
    ItemKind.CHARTER: "修改章程",
    ItemKind.MEMBERSHIP: "对成员的入社、除名等作出决议",
    ItemKind.MERGER: "对合并、分立作出决议",
    ItemKind.OTHER: "章程规定的其他事项",
}

_COUNT_NAMES = {
    "entitled": "应到人数",
    "present": "实到人数",
    "votes_for": "同意票数",
    "votes_against": "反对票数",
    "votes_abstain": "弃权票数",
    "total_votes": "表决权总票数",
    "notice_days": "通知提前天数",
    "disclosed_days": "公开查阅天数",
}


class Reason(str):
    """One check of a verdict: the sentence (this string) and ``ok``, whether
    the check was met."""

    ok: bool

    def __new__(cls, text: str, ok: bool) -> "Reason":
        reason = super().__new__(cls, text)
        reason.ok = ok
        return reason


@dataclass(frozen=True)
class Verdict:
    passed: bool
    quorum_met: bool
    needed_for: int
    reasons: tuple[str, ...]

    @property
    def failures(self) -> tuple[str, ...]:
        """The reasons whose check was not met."""
        return tuple(r for r in self.reasons if not getattr(r, "ok", True))


class Counts(NamedTuple):
    entitled: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    total_votes: int

    @property
    def extra_votes(self) -> int:
        return self.total_votes - self.entitled


E = TypeVar("E", bound=LabelledEnum)


def ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def as_member(kind: type[E], value: object, what: str) -> E:
    """``value`` (a member or its plain string) as a member of ``kind``."""
    try:
        return kind(value)
    except ValueError:
        allowed = "、".join(f"{m.value}（{m.label}）" for m in kind)
        raise ValueError(f"{what}“{value}”无法识别，应为：{allowed}") from None


def count(name: str, value: object) -> int:
    """A count as given: an int (not a bool, never a float), not negative."""
    label = _COUNT_NAMES.get(name, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{label}应为整数，收到 {value!r}")
    if value < 0:
        raise ValueError(f"{label}不能为负数，收到 {value}")
    return value


def _outcome(ok: bool) -> str:
    return "符合" if ok else "不符合"


def validate_counts(regime: Regime, *, entitled: object, present: object, votes_for: object,
                    votes_against: object, votes_abstain: object,
                    total_votes: object = None) -> Counts:
    """The counts checked for possibility; ValueError (in Chinese) for counts
    that cannot happen."""
    values = {name: count(name, value) for name, value in (
        ("entitled", entitled), ("present", present), ("votes_for", votes_for),
        ("votes_against", votes_against), ("votes_abstain", votes_abstain))}
    counts = Counts(**values, total_votes=values["entitled"] if total_votes is None
                    else count("total_votes", total_votes))
    if counts.entitled == 0:
        raise ValueError("应到人数（有表决权的成员或代表）应大于零")
    if counts.present > counts.entitled:
        raise ValueError(f"实到 {counts.present} 人，多于应到的 {counts.entitled} 人")
    if regime is Regime.COLLECTIVE and counts.total_votes != counts.entitled:
        raise ValueError(f"{RCEO}第二十七条、第二十八条：实行一人一票的表决方式，没有附加表决权，"
                         f"表决权总票数应等于应到人数 {counts.entitled}，收到 {counts.total_votes}")
    if counts.total_votes < counts.entitled:
        raise ValueError(f"{FSC}第二十二条：每名成员享有一票基本表决权，表决权总票数 {counts.total_votes} "
                         f"不能少于基本表决权 {counts.entitled} 票")
    if 5 * counts.extra_votes > counts.entitled:
        raise ValueError(f"{FSC}第二十二条：附加表决权总票数不得超过成员基本表决权总票数的百分之二十，"
                         f"基本表决权 {counts.entitled} 票，附加表决权最多 {counts.entitled // 5} 票，"
                         f"现为 {counts.extra_votes} 票")
    cast = counts.votes_for + counts.votes_against + counts.votes_abstain
    can_cast = counts.present + counts.extra_votes
    if cast > can_cast:
        if counts.extra_votes:
            raise ValueError(f"同意、反对、弃权合计 {cast} 票，多于出席者最多可投的 {can_cast} 票"
                             f"（实到 {counts.present} 人各一票基本表决权，加全部附加表决权 "
                             f"{counts.extra_votes} 票）")
        raise ValueError(f"同意、反对、弃权合计 {cast} 票，多于实到的 {counts.present} 人（一人一票）")
    return counts


def _competence(regime: Regime, body: Body, item: ItemKind) -> Reason:
    if regime is Regime.COLLECTIVE and body is Body.ASSEMBLY:
        return Reason(f"{RCEO}第二十六条：成员大会是本集体经济组织的权力机构，{item.label}属第一款"
                      f"{_RCEO_POWERS[item]}，由成员大会决定，符合", True)
    if regime is Regime.COLLECTIVE:
        ok = item not in RCEO_ASSEMBLY_ONLY
        if not ok:
            return Reason(f"{RCEO}第二十八条：成员代表大会不得行使第二十六条第一款第一项、第三项、第八项、"
                          f"第十项、第十二项规定的职权，{item.label}（第二十六条第一款{_RCEO_POWERS[item]}）"
                          f"须由成员大会决定，不符合", False)
        return Reason(f"{RCEO}第二十八条：成员代表大会按照章程规定行使成员大会的部分职权，但第二十六条第一款"
                      f"第一项、第三项、第八项、第十项、第十二项除外；{item.label}不在除外之列，符合", True)
    if body is Body.ASSEMBLY:
        return Reason(f"{FSC}第二十九条：成员大会是本社的权力机构，{_FSC_POWERS[item]}属其职权，符合", True)
    return Reason(f"{FSC}第三十二条：成员代表大会按照章程规定可以行使成员大会的部分或者全部职权，"
                  f"{item.label}以章程授权为准，符合", True)


def _quorum(regime: Regime, body: Body, counts: Counts) -> Reason:
    entitled, present = counts.entitled, counts.present
    ok = 3 * present >= 2 * entitled
    facts = f"需 {ceil_div(2 * entitled, 3)} 人，实到 {present} 人"
    if regime is Regime.COLLECTIVE and body is Body.ASSEMBLY:
        rule = (f"{RCEO}第二十七条：召开成员大会应有三分之二以上具有完全民事行为能力的成员参加，"
                f"应到 {entitled} 人")
    elif regime is Regime.COLLECTIVE:
        rule = (f"{RCEO}第二十八条：成员代表大会作出决定应经全体成员代表三分之二以上同意，出席代表不足"
                f"三分之二即无法作出决定，代表 {entitled} 人")
    elif body is Body.ASSEMBLY:
        rule = f"{FSC}第三十条：召开成员大会出席人数应当达到成员总数三分之二以上，成员 {entitled} 人"
    else:
        rule = (f"{FSC}第三十条（成员代表大会参照适用）：出席人数应当达到三分之二以上，"
                f"代表 {entitled} 人")
    return Reason(f"{rule}，{facts}，{_outcome(ok)}", ok)


def _extra_votes(counts: Counts) -> Reason:
    return Reason(f"{FSC}第二十二条：附加表决权总票数不得超过成员基本表决权总票数的百分之二十，"
                  f"基本表决权 {counts.entitled} 票，附加表决权 {counts.extra_votes} 票"
                  f"（上限 {counts.entitled // 5} 票），符合", True)


def _majority(regime: Regime, body: Body, item: ItemKind, counts: Counts) -> tuple[Reason, int]:
    votes_for = counts.votes_for
    if regime is Regime.COLLECTIVE:
        ok = 3 * votes_for >= 2 * counts.entitled
        needed = ceil_div(2 * counts.entitled, 3)
        if body is Body.ASSEMBLY:
            rule = f"{RCEO}第二十七条：成员大会作出决定应经全体成员三分之二以上同意"
        else:
            rule = f"{RCEO}第二十八条：成员代表大会作出决定应经全体成员代表三分之二以上同意"
    elif item in FSC_SPECIAL_ITEMS:
        ok = 3 * votes_for >= 2 * counts.total_votes
        needed = ceil_div(2 * counts.total_votes, 3)
        rule = (f"{FSC}第三十条：作出修改章程或者合并、分立的决议应当由本社成员表决权总数的三分之二以上通过，"
                f"表决权总数 {counts.total_votes} 票")
    else:
        ok = 2 * votes_for > counts.total_votes
        needed = counts.total_votes // 2 + 1
        rule = f"{FSC}第三十条：成员大会作出决议应当由本社成员表决权总数过半数通过，表决权总数 {counts.total_votes} 票"
    shortfall = "" if ok else f"，差 {needed - votes_for} 票"
    return Reason(f"{rule}，需 {needed} 票，实得 {votes_for} 票{shortfall}，{_outcome(ok)}", ok), needed


def _notice(regime: Regime, body: Body, days: int) -> Reason:
    if regime is Regime.COLLECTIVE and body is Body.ASSEMBLY:
        ok = days >= NOTICE_DAYS
        short = "" if ok else f"，少 {NOTICE_DAYS - days} 日"
        return Reason(f"{RCEO}第二十七条：应当将会议召开的时间、地点和审议的事项于会议召开十日前通知全体成员，"
                      f"实际提前 {days} 日通知{short}，{_outcome(ok)}", ok)
    if regime is Regime.COLLECTIVE:
        return Reason(f"{RCEO}第二十七条的十日通知期限适用于成员大会，法律未规定成员代表大会的通知期限，依章程，"
                      f"实际提前 {days} 日通知，符合", True)
    return Reason(f"{FSC}第三十一条：成员大会会议的召集由章程规定，法律未规定通知期限，"
                  f"实际提前 {days} 日通知，符合", True)


@dataclass(frozen=True)
class DisclosureWait:
    """How many days a distribution plan is open to the members before the
    meeting that decides it, and the law and article that say so."""

    days: int
    law: str

    def earliest_meeting_on(self, disclosed_on: date) -> date:
        return disclosed_on + timedelta(days=self.days)


def disclosure_wait(regime: Regime | str) -> DisclosureWait:
    if as_member(Regime, regime, "法律类型") is Regime.COLLECTIVE:
        return DisclosureWait(RCEO_DISCLOSURE_DAYS, f"{RCEO}第四十六条")
    return DisclosureWait(FSC_DISCLOSURE_DAYS, f"{FSC}第四十条")


def _disclosure(regime: Regime, days: int) -> Reason:
    if regime is Regime.COLLECTIVE:
        ok = days >= RCEO_DISCLOSURE_DAYS
        short = "" if ok else f"，少 {RCEO_DISCLOSURE_DAYS - days} 日"
        return Reason(f"{RCEO}第四十六条：年度经营报告、年度财务会计报告和收益分配方案应当于成员大会、"
                      f"成员代表大会召开十日前提供成员查阅，实际提前 {days} 日公开{short}，{_outcome(ok)}", ok)
    ok = days >= FSC_DISCLOSURE_DAYS
    short = "" if ok else f"，少 {FSC_DISCLOSURE_DAYS - days} 日"
    return Reason(f"{FSC}第四十条：年度业务报告、盈余分配方案、亏损处理方案以及财务会计报告应当于成员大会召开的"
                  f"十五日前置备于办公地点供成员查阅，实际提前 {days} 日公开{short}，{_outcome(ok)}", ok)


def check_resolution(*, regime, body, item, entitled, present, votes_for, votes_against, votes_abstain,
                     total_votes=None, notice_days=None, disclosed_days=None) -> Verdict:
    """Whether a resolution on ``item`` passed in a meeting of ``body`` under
    ``regime`` (members or their plain strings, see ``Regime``, ``Body``,
    ``ItemKind``).

    ``entitled``: those with a vote (RCEO assembly: members of full civil
    capacity; a representative assembly: all its representatives; FSC: all
    members). ``present``: how many of them attended (in person, online or by
    proxy). Votes in votes; ``total_votes``: FSC votes including extra votes
    (default ``entitled``). ``notice_days``: days from the notice to the
    meeting (meeting date minus notice date); ``disclosed_days``: days the
    plan and reports were open to members before the meeting, checked for
    "distribution" only. None: not checked.

    ``passed`` needs every check met: the body's competence, the quorum, the
    majority, the notice and the disclosure. ``needed_for`` is the least
    number of votes for that meets the majority. ValueError for counts that
    cannot happen (see ``validate_counts``)."""
    regime = as_member(Regime, regime, "法律类型")
    body = as_member(Body, body, "会议机构")
    item = as_member(ItemKind, item, "表决事项")
    counts = validate_counts(regime, entitled=entitled, present=present, votes_for=votes_for,
                             votes_against=votes_against, votes_abstain=votes_abstain,
                             total_votes=total_votes)
    quorum = _quorum(regime, body, counts)
    reasons = [_competence(regime, body, item), quorum]
    if counts.extra_votes:
        reasons.append(_extra_votes(counts))
    majority, needed = _majority(regime, body, item, counts)
    reasons.append(majority)
    if notice_days is not None:
        reasons.append(_notice(regime, body, count("notice_days", notice_days)))
    if disclosed_days is not None and item is ItemKind.DISTRIBUTION:
        reasons.append(_disclosure(regime, count("disclosed_days", disclosed_days)))
    return Verdict(passed=all(r.ok for r in reasons), quorum_met=quorum.ok, needed_for=needed,
                   reasons=tuple(reasons))


def check_representatives(households: int, representatives: int, *, women: int | None = None,
                          term_years: int | None = None) -> list[str]:
    """What is wrong with a RCEO representative assembly of ``representatives``
    for ``households`` households (RCEO art 28: generally one representative
    per 5 to 15 households, more than 20 of them, an appropriate number of
    women, five-year terms). ``women`` and ``term_years`` are checked when
    given. An empty list: nothing wrong."""
    households = count("户数", households)
    representatives = count("代表人数", representatives)
    law = f"{RCEO}第二十八条"
    problems = []
    if representatives <= 20:
        problems.append(f"{law}：成员代表人数应当多于二十人，现有 {representatives} 人")
    if 5 * representatives > households:
        problems.append(f"{law}：一般每五户至十五户选举代表一人，{households} 户最多选举 "
                        f"{households // 5} 名代表，现有 {representatives} 名")
    if 15 * representatives < households:
        problems.append(f"{law}：一般每五户至十五户选举代表一人，{households} 户至少选举 "
                        f"{ceil_div(households, 15)} 名代表，现有 {representatives} 名")
    if households < 5 * 21:
        problems.append(f"{law}：成员较多的才设立成员代表大会；{households} 户按每五户一名代表最多 "
                        f"{households // 5} 名，达不到多于二十人，宜召开成员大会")
    if women is not None:
        if count("妇女代表人数", women) > representatives:
            raise ValueError(f"妇女代表 {women} 人，多于代表总数 {representatives} 人")
        if women == 0 and representatives:
            problems.append(f"{law}：成员代表中应当有适当数量的妇女代表，现在没有妇女代表")
    if term_years is not None and count("代表任期", term_years) != 5:
        problems.append(f"{law}：成员代表的任期为五年，现定为 {term_years} 年")
    return problems


def check_fsc_representatives(members: int, representatives: int) -> list[str]:
    """What is wrong with a FSC representative assembly (FSC art 32: only
    with more than 150 members; generally 10% of them, at least 51)."""
    members = count("成员人数", members)
    representatives = count("代表人数", representatives)
    if representatives > members:
        raise ValueError(f"代表 {representatives} 人，多于成员 {members} 人")
    law = f"{FSC}第三十二条"
    problems = []
    if members <= 150:
        problems.append(f"{law}：成员超过一百五十人的才可以设立成员代表大会，本社成员 {members} 人")
    if representatives < 51:
        problems.append(f"{law}：成员代表人数一般为成员总人数的百分之十，最低人数为五十一人，"
                        f"现有 {representatives} 人")
    return problems
