"""Disputes over membership as pure rules (《农村集体经济组织法》第五十六条)."""
from __future__ import annotations

from datetime import date

from coop.membership.people_rules import (ART56_PROSECUTORS, ART56_ROUTES, check_close, check_opened,
                                          check_step, dispute_notes, standing)

TODAY = date(2026, 6, 1)
OPENED = date(2026, 3, 1)


def test_the_opening_date_is_required_and_not_in_the_future():
    assert "opened_on" in check_opened(None, TODAY)
    assert "晚于今天" in check_opened(date(2026, 6, 2), TODAY)["opened_on"]
    assert check_opened(TODAY, TODAY) == {}


def test_a_step_lies_between_the_opening_and_today_of_an_open_dispute():
    assert check_step(OPENED, opened_on=OPENED, today=TODAY, is_open=True) == {}
    assert "早于争议发生" in check_step(date(2026, 2, 28), opened_on=OPENED, today=TODAY,
                                      is_open=True)["on"]
    assert "晚于今天" in check_step(date(2026, 6, 2), opened_on=OPENED, today=TODAY, is_open=True)["on"]
    assert "已结案" in check_step(TODAY, opened_on=OPENED, today=TODAY, is_open=False)["on"]


def test_closing_needs_an_outcome_and_a_date_not_before_the_last_step():
    errors = check_close(None, " ", opened_on=OPENED, last_step_on=None, today=TODAY, is_open=True)
    assert set(errors) == {"outcome", "closed_on"}
    errors = check_close(date(2026, 4, 1), "调解达成协议", opened_on=OPENED,
                         last_step_on=date(2026, 5, 1), today=TODAY, is_open=True)
    assert "早于已登记的 2026-05-01" in errors["closed_on"]
    assert check_close(date(2026, 5, 1), "调解达成协议", opened_on=OPENED,
                       last_step_on=date(2026, 5, 1), today=TODAY, is_open=True) == {}
    assert check_close(TODAY, "x", opened_on=OPENED, last_step_on=None, today=TODAY,
                       is_open=False) == {"outcome": "争议已经结案"}


def test_the_prosecutors_are_named_only_where_a_womans_membership_is_at_stake():
    assert dispute_notes(False) == [ART56_ROUTES]
    assert dispute_notes(True) == [ART56_ROUTES, ART56_PROSECUTORS]
    assert ART56_PROSECUTORS.startswith("《农村集体经济组织法》第五十六条第二款")
    assert "检察建议" in ART56_PROSECUTORS and "公益诉讼" in ART56_PROSECUTORS
    assert "乡镇人民政府" in ART56_ROUTES and "仲裁" in ART56_ROUTES and "人民法院" in ART56_ROUTES


def _standing(**kw):
    base = dict(status="active", status_label="在册", rights_only=False, acquired_label="出生",
                acquired_on=date(2008, 5, 1), confirmed_on=date(2026, 3, 21), joined_on=date(2026, 3, 21))
    return standing(**{**base, **kw})


def test_a_confirmed_members_standing_names_the_day_and_the_basis():
    s = _standing()
    assert s.headline == "本社成员，2026-03-21 经成员大会确认"
    assert s.lines == ("成员身份取得方式：出生（2008-05-01）",)
    assert _standing(confirmed_on=None).headline == "本社成员，2026-03-21 起在册"


def test_a_pending_person_reads_that_the_assembly_has_not_yet_confirmed():
    s = _standing(status="pending", pending_reason="婚姻迁入", pending_since=date(2026, 2, 1))
    assert s.pending and s.headline == "待成员大会确认"
    assert "婚姻迁入，2026-02-01" in s.lines[0] and "成员大会表决确认" in s.lines[0]


def test_a_rights_only_person_reads_art_15_and_no_vote():
    s = _standing(rights_only=True, rights_granted_on=date(2026, 3, 21), rights_resolution="2026-002")
    assert s.rights_only and "不参加成员大会表决" in s.lines[0] and "第十五条" in s.lines[0]
    assert "2026-002" in s.lines[0]
