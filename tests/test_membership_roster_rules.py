"""The pure rules of the filed roster and the public notice
(coop.membership.roster_rules): differences between versions, the 30-day
filing, the notice's days."""
from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.membership.roster_rules import (COMPARED, FILING_HEADERS, RosterRow, decidable_from,
                                          filing_due_on, filing_errors, filing_overdue,
                                          notice_errors, notice_last_day, notice_refusal,
                                          roster_diff, shown)


def row(member_id: int, **values) -> RosterRow:
    base = dict(member_id=member_id, member_no=f"CY{member_id:04d}", name=f"成员{member_id}",
                gender="男", birth_date=date(1980, 1, 1), id_number="150203198001011234",
                household_no="H01", relation_to_head="户主", village_group="一组",
                acquired_how="founding", acquired_label="设立时成员", acquired_on=None, remark="")
    base.update(values)
    return RosterRow(**base)


def test_compared_fields_are_fields_of_the_row():
    assert set(COMPARED) <= {f.name for f in fields(RosterRow)}


def test_the_filing_columns_are_exactly_the_issues():
    assert FILING_HEADERS == ("编号", "姓名", "性别", "出生日期", "身份证号", "户号", "与户主关系",
                              "村民小组", "成员取得方式及日期", "备注")
    cells = row(1, acquired_how="birth", acquired_label="出生", acquired_on=date(2026, 3, 1)).filing_cells()
    assert len(cells) == len(FILING_HEADERS)
    assert cells[3] == "1980-01-01" and cells[4] == "150203198001011234"   # full ID: official filing
    assert cells[8] == "出生 2026-03-01"
    assert row(2).filing_cells()[8] == "设立时成员"


def test_diff_added_removed_changed():
    previous = [row(1), row(2), row(3)]
    current = [row(1), row(3, household_no="H09", relation_to_head="子"), row(4)]
    diff = roster_diff(previous, current)
    assert [r.member_id for r in diff.added] == [4]
    assert [r.member_id for r in diff.removed] == [2]
    assert len(diff.changed) == 1
    change = diff.changed[0]
    assert change.after.member_id == 3
    assert [(c.field, c.label, c.before, c.after) for c in change.changes] == [
        ("household_no", "户号", "H01", "H09"), ("relation_to_head", "与户主关系", "户主", "子")]
    assert diff.summary == "新增 1 人，减少 1 人，信息变更 1 人"


def test_same_roster_has_no_differences():
    rows = [row(1), row(2)]
    diff = roster_diff(rows, list(reversed(rows)))
    assert diff.is_empty and diff.summary == "与上一版相同"


def test_version_one_adds_everyone():
    diff = roster_diff([], [row(2), row(1)])
    assert [r.member_id for r in diff.added] == [1, 2]


def test_shown_masks_the_id_and_formats():
    assert shown("id_number", "150203198001011234") == "1502**********1234"
    assert shown("birth_date", date(2026, 3, 1)) == "2026-03-01"
    assert shown("remark", "") == "（空）"
    assert shown("acquired_how", "birth", labels={"birth": "出生"}) == "出生"


rows_strategy = st.dictionaries(
    st.integers(1, 20), st.tuples(st.sampled_from(["H01", "H02"]), st.sampled_from(["张三", "李四"]),
                                  st.booleans()),
    max_size=8).map(lambda people: [row(key, household_no=h, name=n, remark="备注" if r else "")
                                    for key, (h, n, r) in people.items()])


@given(rows_strategy, rows_strategy)
def test_diff_rebuilds_the_new_version(previous, current):
    diff = roster_diff(previous, current)
    rebuilt = {r.member_id: r for r in previous}
    for r in diff.removed:
        del rebuilt[r.member_id]
    for r in diff.added:
        rebuilt[r.member_id] = r
    for change in diff.changed:
        fixed = rebuilt[change.before.member_id]
        for c in change.changes:
            assert getattr(fixed, c.field) == c.before
            fixed = replace(fixed, **{c.field: c.after})
        rebuilt[change.before.member_id] = fixed
    assert rebuilt == {r.member_id: r for r in current}
    assert not {r.member_id for r in diff.added} & {r.member_id for r in diff.removed}


# -- filing ---------------------------------------------------------------------------

@pytest.mark.parametrize("today,overdue", [
    (date(2026, 7, 1), False),     # made that day
    (date(2026, 7, 31), False),    # the 30th day: still in time
    (date(2026, 8, 1), True),      # the 31st
])
def test_a_version_is_overdue_after_thirty_days(today, overdue):
    made = date(2026, 7, 1)
    assert filing_due_on(made) == date(2026, 7, 31)
    assert filing_overdue(made, None, today) is overdue
    assert filing_overdue(made, date(2026, 7, 20), today) is False


def test_filing_errors():
    made, today = date(2026, 7, 1), date(2026, 7, 10)
    assert filing_errors(made, date(2026, 7, 5), "某某镇人民政府", "备-001", today) == {}
    errors = filing_errors(made, None, "", "x" * 61, today)
    assert errors["filed_on"] == "请填写备案日期"
    assert "第十二条" in errors["filed_with"]
    assert "60" in errors["receipt_no"]
    assert "早于" in filing_errors(made, date(2026, 6, 30), "镇", "", today)["filed_on"]
    assert "晚于今天" in filing_errors(made, date(2026, 7, 11), "镇", "", today)["filed_on"]


# -- the notice -----------------------------------------------------------------------

def test_seven_days_from_the_start():
    start = date(2026, 6, 15)
    assert notice_last_day(start, 7) == date(2026, 6, 21)
    assert decidable_from(start, 7) == date(2026, 6, 22)


def test_notice_may_not_start_before_it_is_published():
    today = date(2026, 6, 15)
    assert notice_errors(today, 7, today) == {}
    assert notice_errors(date(2026, 6, 20), 7, today) == {}
    assert "不能早于发布公示之日（2026-06-15）" in notice_errors(date(2026, 6, 14), 7, today)["notice_start"]
    assert notice_errors(None, 7, today)["notice_start"] == "请填写公示开始日期"
    for days in (0, 61, None, True, "7"):
        assert "notice_days" in notice_errors(today, days, today)


def test_a_list_goes_to_the_vote_only_after_its_notice():
    start = date(2026, 6, 15)
    assert "尚未公示" in notice_refusal(None, 7, date(2026, 7, 1))
    refusal = notice_refusal(start, 7, date(2026, 6, 21))
    assert "第十二条" in refusal and "2026-06-21 期满" in refusal and "2026-06-22 起" in refusal
    assert notice_refusal(start, 7, date(2026, 6, 22)) is None
