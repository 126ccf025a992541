"""The public notice (公示) cannot be back-dated (DESIGN.md, "Dividends", last
paragraph): it starts no earlier than the day it is published, and a
dividend is paid after the notice's last day, not before the day the
publication was recorded (in Beijing), not in the future. One line or all."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from coop.dividends import compute, reading, workflow
from coop.errors import ValidationFailed
from tests.conftest_dividends import YEAR

TODAY = date(YEAR + 1, 11, 30)
ASSEMBLY = date(YEAR + 1, 1, 10)


def _approved(w, set_clock):
    set_clock(TODAY)
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.approve(plan_id, meeting_on=ASSEMBLY)
    return plan_id


def _pay_one(w, plan_id, paid_on):
    line_id = w.plan(plan_id)["lines"]["V001"]["id"]
    return w.with_plan(plan_id, lambda plan: workflow.pay_line(
        plan, reading.get_line(plan, line_id), paid_on=paid_on, method="cash").id)


def _pay_all(w, plan_id, paid_on):
    return w.with_plan(plan_id, workflow.pay_all, paid_on=paid_on, method="cash")


PAYERS = {"one line": _pay_one, "all lines": _pay_all}


def test_a_notice_cannot_start_before_the_day_it_is_published(div_world, fingerprint,
                                                               set_clock):
    """The issue's case: approved on 30 November with the assembly of 10
    January, published with a notice from 10 January for one day."""
    w = div_world
    plan_id = _approved(w, set_clock)
    before = fingerprint()
    for start in (ASSEMBLY, date(YEAR + 1, 11, 29)):
        with pytest.raises(ValidationFailed) as exc:
            w.with_plan(plan_id, workflow.publish_plan, notice_start=start, notice_days=1)
        assert exc.value.errors["notice_start"].startswith(
            "公示开始日期不能早于公示登记当日 2025-11-30")
    assert fingerprint() == before
    w.with_plan(plan_id, workflow.publish_plan, notice_start=TODAY, notice_days=1)
    plan = w.plan(plan_id)
    assert plan["status"] == "published" and plan["notice_start"] == TODAY
    published_at = plan["published_at"]  # 10:00 in Beijing, the clock running on
    assert (published_at.date(), published_at.hour) == (TODAY, 2)


def test_a_notice_may_start_on_a_later_day(div_world, set_clock):
    w = div_world
    plan_id = _approved(w, set_clock)
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 12, 3), notice_days=7)
    assert w.plan(plan_id)["notice_start"] == date(YEAR + 1, 12, 3)


@pytest.mark.parametrize("pay", PAYERS.values(), ids=PAYERS.keys())
def test_payment_after_the_notice_and_not_in_the_future(div_world, fingerprint, set_clock,
                                                        pay):
    w = div_world
    plan_id = _approved(w, set_clock)
    w.with_plan(plan_id, workflow.publish_plan, notice_start=TODAY, notice_days=1)
    before = fingerprint()
    for paid_on, message in (
            (date(YEAR + 1, 11, 29), "方案于 2025-11-30 登记公示，发放日期不能早于公示登记之日"),
            (TODAY, "公示期到 2025-11-30 结束，发放日期应在公示期满之后"),
            (date(YEAR + 1, 12, 1), "发放日期不能晚于今天（2025-11-30）")):
        with pytest.raises(ValidationFailed) as exc:
            pay(w, plan_id, paid_on)
        assert exc.value.errors["paid_on"] == message
    assert fingerprint() == before
    set_clock(date(YEAR + 1, 12, 1))
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        pay(w, plan_id, date(YEAR + 1, 12, 2))
    pay(w, plan_id, date(YEAR + 1, 12, 1))  # the first day after the notice, today
    assert w.plan(plan_id)["lines"]["V001"]["paid_on"] == date(YEAR + 1, 12, 1)


@pytest.mark.parametrize("pay", PAYERS.values(), ids=PAYERS.keys())
def test_no_payment_before_the_recorded_publication_in_beijing(div_world, fingerprint,
                                                               set_clock, pay):
    """A plan published before the rule (its notice back-dated, its
    publication time taken from the audit log): the notice is long over, yet
    nothing is paid before the day of publication - 1:00 on 30 November in
    Beijing, still 29 November in UTC."""
    from coop.dividends.models import DividendPlan
    from coop.extensions import db

    w = div_world
    plan_id = _approved(w, set_clock)
    w.with_plan(plan_id, workflow.publish_plan, notice_start=TODAY, notice_days=1)
    with w.app.app_context():
        plan = db.session.get(DividendPlan, plan_id)
        plan.notice_start = ASSEMBLY
        plan.published_at = datetime(YEAR + 1, 11, 29, 17, 0)
        db.session.commit()
    set_clock(date(YEAR + 1, 12, 5))
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        pay(w, plan_id, date(YEAR + 1, 11, 29))
    assert exc.value.errors["paid_on"] == "方案于 2025-11-30 登记公示，发放日期不能早于公示登记之日"
    assert fingerprint() == before
    pay(w, plan_id, TODAY)
    assert w.plan(plan_id)["lines"]["V001"]["paid_on"] == TODAY


def test_the_demo_replays_a_publication_on_its_day(div_world, set_clock):
    """The demo records its history with clock.replaying: the notice starts
    no earlier than the replayed day, and the publication keeps its time."""
    from coop import clock

    w = div_world
    plan_id = _approved(w, set_clock)
    with clock.replaying(date(YEAR + 1, 1, 11)):
        with pytest.raises(ValidationFailed, match="不能早于公示登记当日 2025-01-11"):
            w.with_plan(plan_id, workflow.publish_plan, notice_start=ASSEMBLY)
        w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 1, 11))
    assert w.plan(plan_id)["published_at"] == datetime(YEAR + 1, 1, 11, 1, 0)


def test_the_publish_form_refuses_a_back_dated_notice(client, auth, div_world, fingerprint,
                                                      set_clock):
    w = div_world
    plan_id = _approved(w, set_clock)
    auth.login("admin")
    before = fingerprint()
    resp = client.post(f"/dividends/{plan_id}/publish", data={
        "notice_start": "2025-01-10", "notice_days": "1", "version": w.plan(plan_id)["version"]})
    assert resp.status_code == 422
    assert "公示开始日期不能早于公示登记当日 2025-11-30" in resp.get_data(as_text=True)
    assert fingerprint() == before
