"""The year-ends of wljs: every finished year closed, 2024's plan reviewed
by the supervisor, disclosed to the members and approved by the member
assembly of 15 March 2025 (noticed eleven days before, attended by nine in
ten of the adult members), noticed and paid; 2025's computed as a draft,
ready to be reviewed.

The demo is the same whatever day it is loaded: the members, the ledger's
2024 and 2025 seasons and the share register are fixed history, and this step
replays the year-ends on the days they happened (``clock.replaying``), so even
the recorded times do not move. Only the current year depends on the date: it
stays open, with its season up to today. Loaded in 2027 or later, the years
between 2025 and the current one are closed too, without a plan; 2024 and
2025 stay exactly as described here.

Runs after the members, machinery and shares steps: a year is closed once all
of its records are written, as in a real office, and the plans split the
closed figures.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.audit.api import acting_as
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative
from coop.dividends import approval, compute, workflow
from coop.extensions import db
from coop.governance.api import (Body, ItemKind, ItemSpec, convene_meeting, decide_item,
                                 entitled_voters, record_tally, regime_of, sign_in_all)
from coop.machinery.api import close_year

PAID_YEAR, DRAFT_YEAR = 2024, 2025
COMPUTED_2024 = date(2025, 3, 2)
REVIEWED_2024 = date(2025, 3, 3)
DISCLOSED_2024 = date(2025, 3, 4)  # and the meeting's notice: 11 days before it
ASSEMBLY_2024 = date(2025, 3, 15)
NOTICE_2024 = date(2025, 3, 16)
PAID_2024 = date(2025, 3, 28)
COMPUTED_2025 = date(2026, 3, 2)


def closing_day(year: int) -> date:
    """The accountant closes a year in mid-January of the next."""
    return date(year + 1, 1, 15)


def load(coop: Cooperative) -> None:
    def staff(role: Role) -> int | None:
        return db.session.scalar(select(User.id).where(
            User.cooperative_id == coop.id, User.role == role.value).order_by(User.id))

    accountant, secretary = staff(Role.ACCOUNTANT), staff(Role.ADMIN)
    supervisor = staff(Role.SUPERVISOR)
    for year in range(PAID_YEAR, clock.today().year):
        with clock.replaying(closing_day(year)), acting_as(accountant):
            close_year(coop.id, year, accountant, note="年度决算")
        if year == PAID_YEAR:
            _paid_plan(coop, secretary, supervisor)
        elif year == DRAFT_YEAR:
            with clock.replaying(COMPUTED_2025), acting_as(secretary):
                compute.compute_plan(coop, DRAFT_YEAR)


def _paid_plan(coop: Cooperative, secretary: int | None, supervisor: int | None) -> None:
    with clock.replaying(COMPUTED_2024), acting_as(secretary):
        plan = compute.compute_plan(coop, PAID_YEAR)
    with clock.replaying(REVIEWED_2024), acting_as(supervisor):
        approval.review_plan(plan, note="经审核，方案与 2024 年度决算相符，提取比例符合章程",
                             user_id=supervisor)
    with clock.replaying(DISCLOSED_2024), acting_as(secretary):
        approval.disclose_plan(plan, disclosed_on=DISCLOSED_2024)
        meeting = convene_meeting(
            coop.id, regime=regime_of(coop), body=Body.ASSEMBLY, title="2025年第一次成员大会",
            meeting_on=ASSEMBLY_2024, place="村委会大会议室", convened_by="理事会",
            notice_on=DISCLOSED_2024, user_id=secretary,
            items=[ItemSpec(kind=ItemKind.DISTRIBUTION, title="2024 年度收益分配方案",
                            plan_id=plan.id)])
    with clock.replaying(ASSEMBLY_2024), acting_as(secretary):
        voters = entitled_voters(meeting).voters
        present = len(voters) * 9 // 10
        sign_in_all(meeting, [m.id for m in voters[:present]], user_id=secretary)
        against, abstain = 2, 3
        item = meeting.items[0]
        record_tally(item, votes_for=present - against - abstain, votes_against=against,
                     votes_abstain=abstain, user_id=secretary)
        decide_item(item, resolution_no="乌三股合〔2025〕1号", user_id=secretary)
    with clock.replaying(NOTICE_2024), acting_as(secretary):
        workflow.publish_plan(plan, notice_start=NOTICE_2024, notice_days=7)
    with clock.replaying(PAID_2024), acting_as(secretary):
        workflow.pay_all(plan, paid_on=PAID_2024, method="card", user_id=secretary)
