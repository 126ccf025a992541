"""Fixtures of the dividends domain (registered in tests/conftest.py).

``div_world``: cooperative t1 (the ``staff`` logins; default charter: reserve
10 %, welfare 5 %, risk 5 %, par 1 yuan) with a collective entity C000,
villagers V001-V004 and a cadre G001, each in a household of their own, and
1,000 shares from 2024-01-10: C000 650, V001 150, V002 160, G001 40.
The 2024 ledger has two member orders (V001 3,000.00 yuan, V002 1,000.00 yuan)
and 6,000.00 yuan of other income: surplus 10,000.00 yuan. ``close(2024)``
closes it. All writes go through the services.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, NamedTuple

import pytest

from coop.extensions import db
from tests.conftest_shares import ShareWorld

YEAR = 2024


MEETING_DAY = date(YEAR + 1, 3, 1)


class Approval(NamedTuple):
    """What ``DividendWorld.approve`` did: the meeting, its item and the outcome."""

    meeting_id: int
    item_id: int
    passed: bool
    reasons: list[str]


class DividendWorld(ShareWorld):
    wall_clock: Any = None

    def approve(self, plan_id: int, *, meeting_on: date = MEETING_DAY, disclosed_days: int = 10,
                notice_days: int = 10, present: int | None = None, votes_for: int | None = None,
                votes_against: int = 0, votes_abstain: int = 0, resolution_no: str | None = None,
                review: bool = True, disclose: bool = True) -> Approval:
        """Take draft ``plan_id`` through the supervisor's review, its
        disclosure ``disclosed_days`` before a member assembly on
        ``meeting_on`` (noticed ``notice_days`` before), the sign-in of
        ``present`` of the entitled (default all), a secret-ballot tally
        (``votes_for`` default all present) and the decision, committed
        together (a refusal leaves nothing). The clock is put back as it was."""
        from coop.dividends import approval
        from coop.dividends.models import DividendPlan
        from coop.governance import attendance, decisions, meetings
        from coop.governance.constants import AttendanceMode, Body, ItemKind, Regime
        from coop.governance.roster import entitled_voters

        from coop import clock

        wall = self.wall_clock or clock.system_utcnow.__self__  # tests/conftest.py wall_clock
        saved = (wall._start_utc, wall._started)
        disclosed_on = meeting_on - timedelta(days=disclosed_days)
        try:
            with self.app.app_context():
                plan = db.session.get(DividendPlan, plan_id)
                wall.set(min(disclosed_on, meeting_on - timedelta(days=notice_days)))
                if review:
                    approval.review_plan(plan, note="经审核，方案符合章程和财务决算", user_id=None)
                wall.set(disclosed_on)
                if disclose:
                    approval.disclose_plan(plan, disclosed_on=disclosed_on)
                meeting = meetings.convene_meeting(
                    plan.cooperative_id, regime=Regime.COLLECTIVE, body=Body.ASSEMBLY,
                    title=f"{meeting_on.year}年成员大会", meeting_on=meeting_on, place="村委会",
                    convened_by="理事会", notice_on=meeting_on - timedelta(days=notice_days),
                    items=[meetings.ItemSpec(kind=ItemKind.DISTRIBUTION,
                                             title=f"{plan.year} 年度收益分配方案", plan_id=plan.id)])
                wall.set(meeting_on)
                voters = entitled_voters(meeting).voters
                present = len(voters) if present is None else present
                for member in voters[:present]:
                    attendance.record_attendance(meeting, member.id,
                                                 mode=AttendanceMode.IN_PERSON.value)
                item = meeting.items[0]
                if present:
                    decisions.record_tally(
                        item, votes_for=present - votes_against - votes_abstain if votes_for is None
                        else votes_for, votes_against=votes_against, votes_abstain=votes_abstain)
                decision = decisions.decide_item(item, resolution_no=resolution_no)
                db.session.commit()
                return Approval(meeting.id, item.id, decision.verdict.passed,
                                [str(r) for r in decision.verdict.reasons])
        finally:
            wall._start_utc, wall._started = saved

    def coop_id(self) -> int:
        with self.app.app_context():
            return self.coop().id

    def ledger(self, fn_name: str, *args, **kwargs) -> Any:
        from tests.conftest_machinery import SERVICE_MODULES

        service = next(getattr(m, fn_name) for m in SERVICE_MODULES if hasattr(m, fn_name))
        with self.app.app_context():
            result = service(self.coop().id, *args, **kwargs)
            db.session.commit()
            return getattr(result, "id", result)

    def order(self, no: str, on: date, amount_yuan: int) -> int:
        from coop.machinery.orders import OrderInput

        return self.ledger("create_order", OrderInput(
            service_on=on, client_ref=f"m:{self.ids[no]}", service="sowing",
            area_cmu=10_000, unit_price_fen=amount_yuan))  # 100 mu x (amount / 100) yuan

    def income(self, on: date, amount_yuan: int, kind: str = "produce_sales") -> int:
        return self.ledger("create_income", on, kind, amount_yuan * 100)

    def close(self, year: int = YEAR) -> None:
        self.ledger("close_year", year, None)

    def charter(self, **values) -> None:
        with self.app.app_context():
            coop = self.coop()
            for name, value in values.items():
                setattr(coop, name, value)
            db.session.commit()

    def plain(self, result: Any) -> Any:
        from coop.dividends.models import DividendPlan

        return result.id if isinstance(result, DividendPlan) else super().plain(result)

    def call(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """fn(coop, *args) from coop.dividends.compute or .workflow; commits; plans become ids."""
        return self.run(fn, *args, **kwargs)

    def plan(self, plan_id: int) -> dict[str, Any]:
        """The plan's columns and its lines keyed by member number."""
        from sqlalchemy import select

        from coop.dividends.models import DividendLine, DividendPlan

        with self.app.app_context():
            plan = db.session.get(DividendPlan, plan_id)
            data = {c.key: getattr(plan, c.key) for c in DividendPlan.__table__.columns}
            data["lines"] = {
                line.member_no: {c.key: getattr(line, c.key) for c in DividendLine.__table__.columns}
                for line in db.session.scalars(
                    select(DividendLine).where(DividendLine.plan_id == plan_id))}
            return data

    def with_plan(self, plan_id: int, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """fn(coop, plan, *args) or fn(plan, *args) (by name); commits."""
        import inspect

        from coop.dividends.models import DividendPlan

        with self.app.app_context():
            plan = db.session.get(DividendPlan, plan_id)
            params = list(inspect.signature(fn).parameters)
            try:
                result = fn(self.coop(), plan, *args, **kwargs) if params[0] == "coop" else fn(
                    plan, *args, **kwargs)
            except Exception:
                db.session.rollback()
                raise
            db.session.commit()
            return result.id if isinstance(result, DividendPlan) else result


@pytest.fixture
def div_world(app, staff, wall_clock) -> DividendWorld:
    w = DividendWorld(app, staff[0])
    w.wall_clock = wall_clock
    w.member("C000", "乌兰计三村村集体", kind="collective", household_no="")
    for i in range(1, 5):
        w.member(f"V00{i}", f"村民{i}", household_no=f"H{i}")
    w.member("G001", "干部一", kind="cadre", household_no="H9")
    w.found([("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
             ("V001", "villager", 150), ("V002", "villager", 160)])
    w.order("V001", date(YEAR, 5, 1), 3000)
    w.order("V002", date(YEAR, 5, 2), 1000)
    w.income(date(YEAR, 9, 1), 6000)
    return w


def pass_at_meeting(coop, plan, meeting_on: date, *, resolution_no: str | None = None) -> None:
    """In an app context: ``plan`` reviewed, disclosed and convened 11 days
    before ``meeting_on`` (``clock.replaying``), nine in ten of the entitled
    signed in and all but five of them voting for; decided. Flushes only."""
    from coop import clock
    from coop.dividends import approval
    from coop.governance.api import (Body, ItemKind, ItemSpec, convene_meeting, decide_item,
                                     entitled_voters, record_tally, regime_of, sign_in_all)

    before = meeting_on - timedelta(days=11)
    with clock.replaying(before):
        approval.review_plan(plan, note="同意", user_id=None)
        approval.disclose_plan(plan, disclosed_on=before)
        meeting = convene_meeting(
            coop.id, regime=regime_of(coop), body=Body.ASSEMBLY, title="成员大会",
            meeting_on=meeting_on, place="村委会", convened_by="理事会", notice_on=before,
            items=[ItemSpec(kind=ItemKind.DISTRIBUTION, title=f"{plan.year} 年度收益分配方案",
                            plan_id=plan.id)])
    with clock.replaying(meeting_on):
        voters = entitled_voters(meeting).voters
        present = len(voters) * 9 // 10
        sign_in_all(meeting, [m.id for m in voters[:present]])
        record_tally(meeting.items[0], votes_for=present - 5, votes_against=3, votes_abstain=2)
        decide_item(meeting.items[0], resolution_no=resolution_no)
