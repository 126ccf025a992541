"""coop.governance.rules and .charter: resolutions under the RCEO and the FSC
law at every boundary, the charter's stricter rules, the bounds of a
representative assembly, and properties over all possible counts."""
from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coop.governance.api import (Body, Charter, ItemKind, Regime, Verdict, check_fsc_representatives,
                                 check_representatives, check_resolution, check_resolution_under_charter,
                                 disclosure_wait)

RCEO = "《农村集体经济组织法》"
FSC = "《农民专业合作社法》"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ARTICLE = re.compile(r"《(农村集体经济组织法|农民专业合作社法)》第[一二三四五六七八九十]+条")
ITEMS = [k.value for k in ItemKind]
SPECIAL = {"charter", "merger"}
ASSEMBLY_ONLY = {"charter", "membership", "merger"}


def vote(regime="collective", body="assembly", item="distribution", entitled=185, present=None,
         votes_for=0, votes_against=0, votes_abstain=0, **kw) -> Verdict:
    return check_resolution(regime=regime, body=body, item=item, entitled=entitled,
                            present=entitled if present is None else present, votes_for=votes_for,
                            votes_against=votes_against, votes_abstain=votes_abstain, **kw)


def failing(verdict: Verdict) -> list[str]:
    return [r for r in verdict.reasons if not r.ok]


def ceil_two_thirds(n: int) -> int:
    """The least integer >= 2n/3, found by counting, not by the formula under test."""
    return next(k for k in range(n + 1) if Fraction(k, n) >= Fraction(2, 3))


# --- the law's example -------------------------------------------------------

def test_the_example_reason_of_the_issue():
    verdict = vote(entitled=185, present=150, votes_for=128, votes_against=20, votes_abstain=2)
    assert verdict.passed and verdict.quorum_met and verdict.needed_for == 124
    assert any(r.startswith("《农村集体经济组织法》第二十七条：成员大会作出决定应经全体成员三分之二以上同意，"
                            "需 124 票，实得 128 票") for r in verdict.reasons)


def test_every_reason_names_its_law_and_article_and_says_whether_it_was_met():
    verdict = vote(entitled=185, votes_for=100, notice_days=9, disclosed_days=9)
    assert len(verdict.reasons) == 5  # competence, quorum, majority, notice, disclosure
    for reason in verdict.reasons:
        assert ARTICLE.match(reason), reason
        assert reason.endswith("，符合") == reason.ok
        assert reason.endswith("，不符合") == (not reason.ok)
    assert verdict.failures == tuple(failing(verdict))
    assert len(verdict.failures) == 3


def test_verdict_is_frozen_and_holds_no_float():
    verdict = vote(votes_for=150)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.passed = False
    assert type(verdict.needed_for) is int and type(verdict.passed) is bool
    assert type(verdict.quorum_met) is bool and isinstance(verdict.reasons, tuple)


@pytest.mark.parametrize("path", ["coop/governance/rules.py", "coop/governance/charter.py"])
def test_no_float_in_the_rules(path):
    tree = ast.parse((Path(__file__).resolve().parent.parent / path).read_text())
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)), f"true division at {node.lineno}"
        assert not (isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div))
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), node.lineno
        assert not (isinstance(node, ast.Name) and node.id in ("float", "round", "math")), node.lineno


def test_enum_members_and_plain_strings_are_the_same():
    by_string = vote(regime="specialized", body="representatives", item="charter", entitled=60, votes_for=40)
    by_member = vote(regime=Regime.SPECIALIZED, body=Body.REPRESENTATIVES, item=ItemKind.CHARTER, entitled=60,
                     votes_for=40)
    assert by_string == by_member


# --- RCEO: two thirds of ALL, at every boundary ------------------------------

@pytest.mark.parametrize("body", ["assembly", "representatives"])
@pytest.mark.parametrize("entitled", [1, 2, 3, 4, 5, 21, 22, 23, 30, 185, 186, 187, 300, 1000])
def test_rceo_majority_one_short_and_exactly_enough(body, entitled):
    needed = ceil_two_thirds(entitled)
    exactly = vote(body=body, entitled=entitled, votes_for=needed)
    assert exactly.passed and exactly.needed_for == needed
    short = vote(body=body, entitled=entitled, votes_for=needed - 1, votes_against=entitled - needed + 1)
    assert not short.passed and short.quorum_met and short.needed_for == needed
    [reason] = failing(short)
    article = "第二十七条" if body == "assembly" else "第二十八条"
    assert reason.startswith(RCEO + article) and f"需 {needed} 票，实得 {needed - 1} 票，差 1 票" in reason


@pytest.mark.parametrize("body", ["assembly", "representatives"])
@pytest.mark.parametrize("entitled", [3, 21, 30, 185, 186, 187])
def test_rceo_majority_counts_all_members_not_those_present(body, entitled):
    needed = ceil_two_thirds(entitled)
    # everyone present votes for, but those present are fewer than two thirds of all
    verdict = vote(body=body, entitled=entitled, present=needed - 1, votes_for=needed - 1)
    assert not verdict.passed and not verdict.quorum_met


@pytest.mark.parametrize("body", ["assembly", "representatives"])
@pytest.mark.parametrize("entitled", [3, 4, 5, 21, 185, 186, 187])
def test_rceo_quorum_one_short_and_exactly(body, entitled):
    quorum = ceil_two_thirds(entitled)
    met = vote(body=body, entitled=entitled, present=quorum, votes_for=quorum)
    assert met.quorum_met and met.passed
    assert f"需 {quorum} 人，实到 {quorum} 人，符合" in met.reasons[1]
    short = vote(body=body, entitled=entitled, present=quorum - 1, votes_for=quorum - 1)
    assert not short.quorum_met and not short.passed
    assert f"需 {quorum} 人，实到 {quorum - 1} 人，不符合" in short.reasons[1]
    article = "第二十七条" if body == "assembly" else "第二十八条"
    assert short.reasons[1].startswith(RCEO + article)


# --- FSC: more than half of ALL votes; two thirds for charter and merger ------

@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("entitled,total", [(1, 1), (2, 2), (3, 3), (10, 10), (10, 12), (100, 100),
                                            (100, 101), (100, 120), (101, 101), (150, 180)])
def test_fsc_majority_one_short_and_exactly_enough(item, entitled, total):
    if item in SPECIAL:
        needed = next(k for k in range(total + 1) if Fraction(k, total) >= Fraction(2, 3))
    else:
        needed = next(k for k in range(total + 1) if Fraction(k, total) > Fraction(1, 2))
    exactly = vote("specialized", item=item, entitled=entitled, votes_for=needed, total_votes=total)
    assert exactly.passed and exactly.needed_for == needed
    short = vote("specialized", item=item, entitled=entitled, votes_for=needed - 1, total_votes=total)
    assert not short.passed and short.quorum_met and short.needed_for == needed
    [reason] = failing(short)
    assert reason.startswith(FSC + "第三十条")
    assert ("三分之二以上通过" in reason) == (item in SPECIAL)
    assert ("过半数通过" in reason) == (item not in SPECIAL)


def test_fsc_half_of_all_votes_is_not_more_than_half():
    verdict = vote("specialized", entitled=100, votes_for=50, votes_against=50)
    assert not verdict.passed and verdict.needed_for == 51


@pytest.mark.parametrize("entitled", [3, 21, 100, 151])
def test_fsc_quorum_one_short_and_exactly(entitled):
    quorum = ceil_two_thirds(entitled)
    extra = entitled // 5
    total = entitled + extra
    # with every extra vote among those present the majority is there; the quorum decides
    met = vote("specialized", entitled=entitled, present=quorum, votes_for=quorum + extra, total_votes=total)
    short = vote("specialized", entitled=entitled, present=quorum - 1, votes_for=quorum - 1 + extra,
                 total_votes=total)
    assert met.quorum_met and met.passed
    assert not short.quorum_met
    assert any(r.startswith(FSC + "第三十条：召开成员大会出席人数") and not r.ok for r in short.reasons)
    if 2 * (quorum - 1 + extra) > total:
        assert not short.passed  # a majority of the votes, but too few people came


@pytest.mark.parametrize("entitled", [5, 7, 9, 10, 100, 101, 104])
def test_fsc_extra_votes_at_exactly_20_percent_and_one_over(entitled):
    limit = entitled // 5  # 5 * extra <= entitled
    verdict = vote("specialized", entitled=entitled, votes_for=entitled, total_votes=entitled + limit)
    assert verdict.passed
    if limit:
        assert any(r.startswith(FSC + "第二十二条") and f"附加表决权 {limit} 票" in r for r in verdict.reasons)
    with pytest.raises(ValueError, match="第二十二条.*百分之二十"):
        vote("specialized", entitled=entitled, votes_for=entitled, total_votes=entitled + limit + 1)


def test_fsc_without_extra_votes_has_no_extra_vote_reason():
    verdict = vote("specialized", entitled=100, votes_for=60)
    assert not any("第二十二条" in r for r in verdict.reasons)


# --- each regime x body x item -----------------------------------------------

@pytest.mark.parametrize("regime", ["collective", "specialized"])
@pytest.mark.parametrize("body", ["assembly", "representatives"])
@pytest.mark.parametrize("item", ITEMS)
def test_each_regime_body_and_item(regime, body, item):
    verdict = vote(regime, body, item, entitled=30, votes_for=30, notice_days=10, disclosed_days=15)
    refused = regime == "collective" and body == "representatives" and item in ASSEMBLY_ONLY
    assert verdict.passed is not refused
    assert verdict.quorum_met
    competence = verdict.reasons[0]
    assert competence.ok is not refused
    expected_article = {("collective", "assembly"): "第二十六条", ("collective", "representatives"): "第二十八条",
                        ("specialized", "assembly"): "第二十九条",
                        ("specialized", "representatives"): "第三十二条"}[regime, body]
    assert competence.startswith((RCEO if regime == "collective" else FSC) + expected_article)
    if refused:
        assert "须由成员大会决定" in competence and verdict.failures == (competence,)
    assert len(verdict.reasons) == 4 + (item == "distribution")


@pytest.mark.parametrize("item", sorted(ASSEMBLY_ONLY))
def test_rceo_representatives_refused_even_when_unanimous(item):
    verdict = vote(body="representatives", item=item, entitled=25, votes_for=25)
    assert not verdict.passed and verdict.quorum_met and verdict.needed_for == 17
    assert "第二十八条" in verdict.failures[0] and "第一项、第三项、第八项、第十项、第十二项" in verdict.failures[0]


# --- notice and disclosure ---------------------------------------------------

def test_rceo_assembly_notice_9_and_10_days():
    short = vote(votes_for=150, notice_days=9)
    assert not short.passed
    [reason] = short.failures
    assert reason.startswith(RCEO + "第二十七条") and "十日前通知" in reason and "少 1 日" in reason
    assert vote(votes_for=150, notice_days=10).passed
    assert vote(votes_for=150, notice_days=0).failures


@pytest.mark.parametrize("regime,body", [("collective", "representatives"), ("specialized", "assembly"),
                                         ("specialized", "representatives")])
def test_no_statutory_notice_outside_the_rceo_member_assembly(regime, body):
    verdict = vote(regime, body, entitled=30, votes_for=30, notice_days=3)
    assert verdict.passed
    assert any("实际提前 3 日通知，符合" in r for r in verdict.reasons)


@pytest.mark.parametrize("body", ["assembly", "representatives"])
def test_rceo_disclosure_9_and_10_days(body):
    short = vote(body=body, entitled=30, votes_for=30, disclosed_days=9)
    assert not short.passed
    [reason] = short.failures
    assert reason.startswith(RCEO + "第四十六条") and "少 1 日" in reason
    assert vote(body=body, entitled=30, votes_for=30, disclosed_days=10).passed


@pytest.mark.parametrize("body", ["assembly", "representatives"])
def test_fsc_disclosure_14_and_15_days(body):
    short = vote("specialized", body, entitled=30, votes_for=30, disclosed_days=14)
    assert not short.passed
    [reason] = short.failures
    assert reason.startswith(FSC + "第四十条") and "十五日前" in reason and "少 1 日" in reason
    assert vote("specialized", body, entitled=30, votes_for=30, disclosed_days=15).passed


@pytest.mark.parametrize("regime, law", [("collective", RCEO + "第四十六条"),
                                         ("specialized", FSC + "第四十条")])
def test_the_earliest_meeting_after_a_disclosure_passes_the_check(regime, law):
    """What the secretary is told after disclosing a plan agrees with the
    check the meeting's tally runs: the earliest day passes, the day before not."""
    wait = disclosure_wait(regime)
    assert wait.law == law
    disclosed = date(2025, 2, 10)
    earliest = wait.earliest_meeting_on(disclosed)
    assert vote(regime, entitled=30, votes_for=30,
                disclosed_days=(earliest - disclosed).days).passed
    assert not vote(regime, entitled=30, votes_for=30,
                    disclosed_days=(earliest - disclosed).days - 1).passed


@pytest.mark.parametrize("item", [i for i in ITEMS if i != "distribution"])
def test_disclosure_is_a_rule_of_the_distribution_plan_only(item):
    verdict = vote(item=item, entitled=30, votes_for=30, disclosed_days=0)
    assert verdict.passed and not any("第四十六条" in r for r in verdict.reasons)


def test_unchecked_when_none():
    verdict = vote(entitled=30, votes_for=30)
    assert len(verdict.reasons) == 3 and verdict.passed


# --- impossible counts -------------------------------------------------------

@pytest.mark.parametrize("field", ["entitled", "present", "votes_for", "votes_against", "votes_abstain",
                                   "total_votes", "notice_days", "disclosed_days"])
@pytest.mark.parametrize("bad", [-1, 1.0, "3", True, None])
def test_counts_must_be_non_negative_integers(field, bad):
    if bad is None and field in ("total_votes", "notice_days", "disclosed_days"):
        return  # None means "not given" for these
    kwargs = dict(regime="specialized", body="assembly", item="distribution", entitled=10, present=10,
                  votes_for=6, votes_against=0, votes_abstain=0, total_votes=10, notice_days=10,
                  disclosed_days=15)
    kwargs[field] = bad
    with pytest.raises(ValueError) as raised:
        check_resolution(**kwargs)
    assert CHINESE.search(str(raised.value))


@pytest.mark.parametrize("kwargs,message", [
    (dict(entitled=0, present=0), "应大于零"),
    (dict(entitled=10, present=11), "多于应到"),
    (dict(entitled=10, present=8, votes_for=5, votes_against=3, votes_abstain=1), "多于实到的 8 人"),
    (dict(entitled=10, present=10, total_votes=11), "第二十七条、第二十八条：实行一人一票"),
    (dict(regime="specialized", entitled=10, present=10, total_votes=9), "不能少于基本表决权"),
    (dict(regime="specialized", entitled=10, present=10, total_votes=13), "第二十二条"),
    (dict(regime="specialized", entitled=10, present=5, votes_for=7, votes_against=1, total_votes=12),
     "多于出席者最多可投的 7 票"),
    (dict(regime="law of the jungle"), "法律类型"),
    (dict(body="committee"), "会议机构"),
    (dict(item="party"), "表决事项"),
])
def test_impossible_counts_are_refused_in_chinese(kwargs, message):
    with pytest.raises(ValueError, match=message):
        vote(**kwargs)


def test_fsc_votes_cast_may_reach_those_present_plus_every_extra_vote():
    # 5 members present, 2 extra votes in the cooperative: at most 7 votes can be cast
    verdict = vote("specialized", entitled=10, present=5, votes_for=6, votes_against=1, total_votes=12)
    assert not verdict.passed and not verdict.quorum_met
    with pytest.raises(ValueError):
        vote("specialized", entitled=10, present=5, votes_for=6, votes_against=2, total_votes=12)


def test_rceo_votes_cast_exactly_those_present():
    assert vote(entitled=10, present=8, votes_for=7, votes_against=1).passed
    with pytest.raises(ValueError, match="一人一票"):
        vote(entitled=10, present=8, votes_for=7, votes_against=1, votes_abstain=1)


# --- properties over every possible meeting -----------------------------------

@st.composite
def meetings(draw, regime=None):
    regime = draw(st.sampled_from(["collective", "specialized"])) if regime is None else regime
    body = draw(st.sampled_from(["assembly", "representatives"]))
    item = draw(st.sampled_from(ITEMS))
    entitled = draw(st.integers(1, 400))
    present = draw(st.integers(0, entitled))
    extra = draw(st.integers(0, entitled // 5)) if regime == "specialized" else 0
    can_cast = present + extra
    votes_for = draw(st.integers(0, can_cast))
    votes_against = draw(st.integers(0, can_cast - votes_for))
    votes_abstain = draw(st.integers(0, can_cast - votes_for - votes_against))
    return dict(regime=regime, body=body, item=item, entitled=entitled, present=present,
                votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                total_votes=entitled + extra if regime == "specialized" else draw(st.sampled_from([None, entitled])),
                notice_days=draw(st.none() | st.integers(0, 30)),
                disclosed_days=draw(st.none() | st.integers(0, 30)))


def _can_cast(m: dict) -> int:
    return m["present"] + ((m["total_votes"] or m["entitled"]) - m["entitled"])


def _cast(m: dict) -> int:
    return m["votes_for"] + m["votes_against"] + m["votes_abstain"]


@given(meetings())
def test_property_one_more_vote_for_never_turns_pass_into_fail(m):
    before = check_resolution(**m)
    assume(_cast(m) < _can_cast(m))
    after = check_resolution(**{**m, "votes_for": m["votes_for"] + 1})
    assert before.passed <= after.passed
    assert after.needed_for == before.needed_for and after.quorum_met == before.quorum_met


@given(meetings())
def test_property_turning_a_vote_against_into_a_vote_for_never_turns_pass_into_fail(m):
    assume(m["votes_against"] > 0)
    before = check_resolution(**m)
    after = check_resolution(**{**m, "votes_for": m["votes_for"] + 1, "votes_against": m["votes_against"] - 1})
    assert before.passed <= after.passed


@given(meetings())
def test_property_needed_for_is_the_least_passing_count(m):
    verdict = check_resolution(**m)
    needed = verdict.needed_for
    assume(needed <= _can_cast(m))
    others = {**m, "votes_against": 0, "votes_abstain": 0}
    at = check_resolution(**{**others, "votes_for": needed})
    # everything but the majority is the same at needed_for and one below it
    others_ok = all(r.ok for r in at.reasons if "实得" not in r)
    assert at.passed == others_ok
    if needed:
        below = check_resolution(**{**others, "votes_for": needed - 1})
        assert not below.passed
        assert [r.ok for r in below.reasons if "实得" not in r] == [r.ok for r in at.reasons if "实得" not in r]


@given(meetings())
def test_property_needed_for_matches_the_law_by_counting(m):
    verdict = check_resolution(**m)
    if m["regime"] == "collective":
        base, share, strictly = m["entitled"], Fraction(2, 3), False
    else:
        base = m["total_votes"]
        share, strictly = (Fraction(2, 3), False) if m["item"] in SPECIAL else (Fraction(1, 2), True)
    least = next(k for k in range(base + 1)
                 if (Fraction(k, base) > share if strictly else Fraction(k, base) >= share))
    assert verdict.needed_for == least


@given(meetings())
def test_property_passed_means_quorum_and_majority(m):
    verdict = check_resolution(**m)
    if verdict.passed:
        assert verdict.quorum_met and m["votes_for"] >= verdict.needed_for
        assert 3 * m["present"] >= 2 * m["entitled"]
    assert verdict.passed == all(r.ok for r in verdict.reasons)
    assert all(ARTICLE.match(r) for r in verdict.reasons)


@given(meetings(regime="collective"))
def test_property_with_everyone_present_and_competent_rceo_passes_exactly_at_needed_for(m):
    assume(not (m["body"] == "representatives" and m["item"] in ASSEMBLY_ONLY))
    m = {**m, "present": m["entitled"], "notice_days": None, "disclosed_days": None,
         "votes_against": 0, "votes_abstain": 0}
    verdict = check_resolution(**m)
    assert verdict.passed == (m["votes_for"] >= verdict.needed_for)


# --- the charter's stricter rules ---------------------------------------------

def test_charter_three_quarters_for_the_charter_one_short_and_exactly():
    charter = Charter("collective", majorities={"charter": Fraction(3, 4)})
    kwargs = dict(body="assembly", item="charter", entitled=100, present=100, votes_against=0, votes_abstain=0)
    short = check_resolution_under_charter(charter, votes_for=74, **kwargs)
    exactly = check_resolution_under_charter(charter, votes_for=75, **kwargs)
    assert not short.passed and exactly.passed
    assert short.needed_for == exactly.needed_for == 75
    [reason] = short.failures
    assert reason.startswith(RCEO + "第二十七条：章程有更严格规定的，从其规定") and "四分之三" in reason
    assert "需 75 票，实得 74 票，差 1 票" in reason
    # other items keep the law's two thirds
    other = check_resolution_under_charter(charter, **{**kwargs, "item": "other"}, votes_for=67)
    assert other.passed and other.needed_for == 67


def test_charter_majority_under_the_fsc_counts_all_votes():
    charter = Charter("specialized", majorities={"distribution": Fraction(3, 5)})
    kwargs = dict(body="assembly", item="distribution", entitled=100, present=100, votes_against=0,
                  votes_abstain=0, total_votes=120)
    assert check_resolution_under_charter(charter, votes_for=72, **kwargs).passed
    short = check_resolution_under_charter(charter, votes_for=71, **kwargs)
    assert not short.passed and short.needed_for == 72
    assert short.failures[0].startswith(FSC + "第三十条：章程对表决权数有较高规定的，从其规定")


@pytest.mark.parametrize("regime,item,share", [
    ("collective", "distribution", Fraction(3, 5)),
    ("collective", "charter", Fraction(1, 2)),
    ("specialized", "other", Fraction(1, 2)),
    ("specialized", "charter", Fraction(3, 5)),
])
def test_charter_cannot_be_laxer_than_the_law(regime, item, share):
    with pytest.raises(ValueError, match="章程只能规定更严格的比例"):
        Charter(regime, majorities={item: share})


@pytest.mark.parametrize("share", [0.75, Fraction(0), Fraction(5, 4), "3/4"])
def test_charter_majority_must_be_a_fraction_between_zero_and_one(share):
    with pytest.raises(ValueError, match="表决比例"):
        Charter("collective", majorities={"charter": share})


def test_charter_equal_to_the_law_is_allowed():
    assert Charter("collective", majorities={"other": Fraction(2, 3)}).majorities == {ItemKind.OTHER: Fraction(2, 3)}
    assert Charter("specialized", majorities={"other": Fraction(51, 100), "merger": 1})


def test_rceo_charter_cannot_give_the_representatives_what_art_28_keeps_for_the_assembly():
    with pytest.raises(ValueError, match="第二十八条"):
        Charter("collective", representatives_decide={"distribution", "membership"})
    assert Charter("specialized", representatives_decide={"charter"}).representatives_decide == {ItemKind.CHARTER}


@pytest.mark.parametrize("regime", ["collective", "specialized"])
def test_representative_assembly_decides_only_what_the_charter_gives_it(regime):
    kwargs = dict(body="representatives", entitled=30, present=30, votes_for=30, votes_against=0,
                  votes_abstain=0)
    charter = Charter(regime, representatives_decide={"distribution"})
    assert check_resolution_under_charter(charter, item="distribution", **kwargs).passed
    refused = check_resolution_under_charter(charter, item="other", **kwargs)
    assert not refused.passed and "未授权成员代表大会决定其他事项" in refused.failures[0]
    no_assembly = check_resolution_under_charter(Charter(regime), item="distribution", **kwargs)
    assert not no_assembly.passed


@pytest.mark.parametrize("regime,body,article", [("collective", "assembly", "第二十七条"),
                                                 ("collective", "representatives", "第二十八条"),
                                                 ("specialized", "assembly", "第三十一条")])
def test_charter_notice_one_day_short_and_exactly(regime, body, article):
    charter = Charter(regime, notice_days=15, representatives_decide={"distribution"})
    kwargs = dict(body=body, item="distribution", entitled=30, present=30, votes_for=30, votes_against=0,
                  votes_abstain=0)
    assert check_resolution_under_charter(charter, notice_days=15, **kwargs).passed
    short = check_resolution_under_charter(charter, notice_days=14, **kwargs)
    assert not short.passed
    [reason] = short.failures
    assert reason.startswith((RCEO if regime == "collective" else FSC) + article) and "少 1 日" in reason


def test_charter_wrapper_keeps_the_laws_refusals():
    charter = Charter("collective", majorities={"membership": Fraction(3, 4)})
    verdict = check_resolution_under_charter(charter, body="representatives", item="membership", entitled=30,
                                             present=30, votes_for=30, votes_against=0, votes_abstain=0)
    assert not verdict.passed
    assert any("须由成员大会决定" in r for r in verdict.failures)


# --- the representative assembly's bounds --------------------------------------

def test_representatives_within_the_bounds():
    assert check_representatives(105, 21) == []
    assert check_representatives(315, 21) == []
    assert check_representatives(1000, 67, women=12, term_years=5) == []


def test_representatives_must_be_more_than_twenty():
    [problem] = check_representatives(300, 20)
    assert problem.startswith(RCEO + "第二十八条") and "多于二十人" in problem


def test_representatives_one_per_five_to_fifteen_households():
    [too_many] = check_representatives(109, 22)   # 5 * 22 = 110 > 109
    assert "最多选举 21 名代表" in too_many
    assert check_representatives(110, 22) == []
    [too_few] = check_representatives(316, 21)    # 15 * 21 = 315 < 316
    assert "至少选举 22 名代表" in too_few


def test_too_few_households_for_a_representative_assembly():
    problems = check_representatives(104, 21)
    assert any("宜召开成员大会" in p for p in problems)
    assert all(p.startswith(RCEO + "第二十八条") for p in problems)


def test_representatives_women_and_term():
    assert any("妇女代表" in p for p in check_representatives(200, 30, women=0))
    assert check_representatives(200, 30, women=1) == []
    assert any("任期为五年" in p for p in check_representatives(200, 30, term_years=3))
    with pytest.raises(ValueError, match="妇女代表"):
        check_representatives(200, 30, women=31)
    with pytest.raises(ValueError, match="不能为负数"):
        check_representatives(-1, 30)


def test_fsc_representative_assembly_bounds():
    assert check_fsc_representatives(151, 51) == []
    [problem] = check_fsc_representatives(150, 51)
    assert problem.startswith(FSC + "第三十二条") and "一百五十人" in problem
    [problem] = check_fsc_representatives(600, 50)
    assert "五十一人" in problem
    with pytest.raises(ValueError):
        check_fsc_representatives(60, 61)
