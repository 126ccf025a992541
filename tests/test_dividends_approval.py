"""A draft's way to approval: the supervisor's review, its disclosure to the
members and the meeting's resolution (RCEO arts 27, 46), on ``div_world``
(tests/conftest_dividends.py): five entitled villagers (C000 is the
collective, without a vote)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from coop.dividends import approval, compute, workflow
from coop.errors import ServiceError, ValidationFailed
from tests.conftest_dividends import MEETING_DAY, YEAR


def _draft(w) -> int:
    w.close()
    return w.call(compute.compute_plan, YEAR)


def test_a_meeting_that_passes_approves_the_plan_with_its_resolution(div_world):
    w = div_world
    plan_id = _draft(w)
    result = w.approve(plan_id, resolution_no="股合〔2025〕1号")
    assert result.passed
    plan = w.plan(plan_id)
    assert plan["status"] == "approved" and plan["assembly_date"] == MEETING_DAY
    assert plan["resolution_no"] == "股合〔2025〕1号" and plan["resolution_item_id"] == result.item_id
    assert plan["votes_for"] == 5 and plan["households_total"] is None
    assert plan["disclosed_on"] == MEETING_DAY - timedelta(days=10) and plan["reviewed_at"]
    assert plan["approved_at"] is not None


def test_one_vote_short_leaves_the_plan_a_draft_with_the_reasons(div_world):
    w = div_world
    plan_id = _draft(w)
    result = w.approve(plan_id, votes_for=3, votes_against=2)   # 3*3 < 2*5
    assert not result.passed
    assert any("第二十七条" in r for r in result.reasons)
    plan = w.plan(plan_id)
    assert plan["status"] == "draft" and plan["resolution_no"] is None


def test_a_failed_quorum_leaves_the_plan_a_draft(div_world):
    w = div_world
    plan_id = _draft(w)
    result = w.approve(plan_id, present=3)   # 3 of 5 is not two thirds
    assert not result.passed
    assert w.plan(plan_id)["status"] == "draft"


def test_nine_days_of_disclosure_fail_under_the_rceo(div_world):
    w = div_world
    plan_id = _draft(w)
    result = w.approve(plan_id, disclosed_days=9)
    assert not result.passed
    assert any("第四十六条" in r for r in result.reasons)
    assert w.plan(plan_id)["status"] == "draft"


def test_a_plan_not_reviewed_or_not_disclosed_is_not_put_to_the_vote(div_world):
    w = div_world
    plan_id = _draft(w)
    with pytest.raises(ServiceError, match="须经监事审核"):
        w.approve(plan_id, review=False)
    with pytest.raises(ValidationFailed) as refused:
        w.approve(plan_id, disclose=False)
    assert "第四十六条" in refused.value.errors["disclosed_on"]
    assert w.plan(plan_id)["status"] == "draft"


def test_review_sign_off_and_return(div_world, staff):
    w = div_world
    supervisor = staff[1]["supervisor"]
    plan_id = _draft(w)
    with pytest.raises(ValidationFailed) as refused:
        w.with_plan(plan_id, approval.review_plan, note=" ", user_id=None)
    assert "审核意见" in refused.value.errors["note"]
    w.with_plan(plan_id, approval.review_plan, note="同意", user_id=supervisor)
    plan = w.plan(plan_id)
    assert plan["review_note"] == "同意" and plan["reviewed_by_id"] == supervisor and plan["reviewed_at"]
    with pytest.raises(ValidationFailed) as refused:
        w.with_plan(plan_id, approval.return_plan, reason="", user_id=supervisor)
    assert "退回理由" in refused.value.errors["reason"]
    w.with_plan(plan_id, approval.return_plan, reason="公积金比例有误", user_id=supervisor)
    plan = w.plan(plan_id)
    assert plan["reviewed_at"] is None and plan["returned_reason"] == "公积金比例有误"
    assert plan["returned_at"] is not None and plan["status"] == "draft"
    with pytest.raises(ServiceError, match="监事审核通过后"):
        w.with_plan(plan_id, approval.disclose_plan, disclosed_on=date(2026, 6, 15))


def test_disclosure_is_not_backdated(div_world):
    w = div_world
    plan_id = _draft(w)
    w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)
    with pytest.raises(ValidationFailed) as refused:   # the clock is 2026-06-15
        w.with_plan(plan_id, approval.disclose_plan, disclosed_on=date(2026, 6, 14))
    assert "不能早于今天" in refused.value.errors["disclosed_on"]
    w.with_plan(plan_id, approval.disclose_plan, disclosed_on=date(2026, 6, 15))
    assert w.plan(plan_id)["disclosed_on"] == date(2026, 6, 15)


def test_a_plan_changed_after_review_needs_review_and_disclosure_again(div_world):
    w = div_world
    plan_id = _draft(w)
    w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)
    w.with_plan(plan_id, approval.disclose_plan, disclosed_on=date(2026, 6, 15))
    w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 12, 30))
    plan = w.plan(plan_id)
    assert plan["reviewed_at"] is None and plan["disclosed_on"] is None
    w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)
    w.with_plan(plan_id, workflow.recompute)
    assert w.plan(plan_id)["reviewed_at"] is None


def test_an_approved_plan_is_not_reviewed_again(div_world):
    w = div_world
    plan_id = _draft(w)
    w.approve(plan_id)
    with pytest.raises(ServiceError, match="已表决通过"):
        w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)


def test_the_demo_2024_plan_was_approved_by_its_2025_member_assembly(app, demo):
    from sqlalchemy import select

    from coop.dividends.models import DividendPlan
    from coop.extensions import db
    from coop.governance.models import AgendaItem

    with app.app_context():
        plans = {p.year: p for p in db.session.scalars(select(DividendPlan))}
        paid, draft = plans[2024], plans[2025]
        item = db.session.get(AgendaItem, paid.resolution_item_id)
        meeting = item.meeting
        assert paid.status == "paid" and not paid.under_old_rule
        assert item.passed and item.resolution_no == paid.resolution_no == "乌三股合〔2025〕1号"
        assert meeting.meeting_on == paid.assembly_date == date(2025, 3, 15)
        assert meeting.notice_days >= 10 and item.disclosed_days >= 10
        assert paid.reviewed_at is not None and paid.disclosed_on < meeting.meeting_on
        assert 3 * item.present > 2 * item.entitled and 3 * item.votes_for >= 2 * item.entitled
        assert item.entitled > 150
        assert draft.status == "draft" and not draft.is_reviewed and not draft.is_preview
