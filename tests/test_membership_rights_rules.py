"""The art 15 grant as a pure rule: three quarters of ALL members, at a
member assembly, integer arithmetic."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coop.membership.people_rules import ART15, check_distribution_right, needed_for_rights


def test_three_quarters_of_all_members_passes_and_one_fewer_does_not():
    assert check_distribution_right(body="assembly", all_members=200, votes_for=150) == []
    [reason] = check_distribution_right(body="assembly", all_members=200, votes_for=149)
    assert reason.startswith("《农村集体经济组织法》第十五条")
    assert "全体成员 200 人，至少需 150 人同意，决议只有 149 人同意" in reason


def test_the_bound_is_rounded_up():
    assert needed_for_rights(5) == 4           # 3.75 -> 4
    assert needed_for_rights(4) == 3
    assert check_distribution_right(body="assembly", all_members=5, votes_for=3) != []


def test_a_representative_assembly_cannot_grant_it():
    [reason] = check_distribution_right(body="representatives", all_members=30, votes_for=30)
    assert ART15 in reason and "成员代表大会不能" in reason


def test_impossible_counts_are_refused_with_the_article():
    for all_members, votes_for in ((0, 0), (10, 11), (10, -1)):
        [reason] = check_distribution_right(body="assembly", all_members=all_members,
                                            votes_for=votes_for)
        assert reason.startswith(ART15)


@given(st.integers(min_value=1, max_value=100_000), st.integers(min_value=0, max_value=100_000))
def test_it_passes_exactly_when_four_times_for_reaches_three_times_all(all_members, votes_for):
    votes_for = min(votes_for, all_members)
    passed = check_distribution_right(body="assembly", all_members=all_members,
                                      votes_for=votes_for) == []
    assert passed == (4 * votes_for >= 3 * all_members)
