"""The year-ends of hxnj, the second demo cooperative (a farmers' specialized
cooperative: 《农民专业合作社法》 arts 40-44, README "Demo cooperative hxnj").

Each year is closed by the accountant in mid-January (2023 too: the
machines' December depreciation, a loss the 2024 surplus covers first); its
plan is computed in February, reviewed by the supervisor, put at the office
for the members 16 days before the member assembly (art 40 asks 15),
approved there by more than half of all the votes (art 22, 30: one basic
vote a member, the collective included, and the charter's extra votes by
capital), publicly noticed for 7 days and paid. 2024's plan was approved on
2025-03-12 and paid on 2025-03-25, 2025's on 2026-03-12 and 2026-03-25, 30 %
of each member's share turned into capital (盈余转增, art 44 para 3: whole
shares entered on the register, the remainder in cash). As for wljs, these
days are replayed (``clock.replaying``), so loaded on any day from
2026-03-25 on the demo tells the same 2024 and 2025; loaded earlier, the
2025 plan stops at the stage that day had reached (the demo never records a
day still to come). Years after 2025 that have ended are closed without a
plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.audit.api import acting_as
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative
from coop.dividends import approval, compute, workflow
from coop.extensions import db
from coop.governance.api import (Body, ItemKind, ItemSpec, convene_under_charter, decide_item,
                                 entitled_voters, record_tally, sign_in_all)
from coop.machinery.api import close_year
from coop.members.api import MemberKind

FOUNDED_YEAR = 2023  # the machines' first month of depreciation: a small loss, carried


@dataclass(frozen=True)
class YearEnd:
    """The days of one year's plan, from the close to the payment, and the
    assembly's count: (present, against, abstain)."""

    year: int
    resolution_no: str
    absent: int
    against: int
    abstain: int
    conversion_bp: int = 0  # the part of each member's share turned into capital (art 44)

    def day(self, month: int, day: int) -> date:
        return date(self.year + 1, month, day)

    @property
    def closed(self) -> date:
        return self.day(1, 12)

    @property
    def computed(self) -> date:
        return self.day(2, 20)

    @property
    def reviewed(self) -> date:
        return self.day(2, 21)

    @property
    def disclosed(self) -> date:  # and the assembly's notice
        return self.day(2, 24)

    @property
    def assembly(self) -> date:
        return self.day(3, 12)

    @property
    def noticed(self) -> date:
        return self.day(3, 13)

    @property
    def paid(self) -> date:
        return self.day(3, 25)


YEAR_ENDS = {
    2024: YearEnd(2024, "红星农机社〔2025〕1号", absent=4, against=1, abstain=1),
    2025: YearEnd(2025, "红星农机社〔2026〕1号", absent=4, against=2, abstain=1,
                  conversion_bp=3000),
}


def load(coop: Cooperative) -> None:
    def staff(role: Role) -> int | None:
        return db.session.scalar(select(User.id).where(
            User.cooperative_id == coop.id, User.role == role.value).order_by(User.id))

    accountant, secretary = staff(Role.ACCOUNTANT), staff(Role.ADMIN)
    supervisor = staff(Role.SUPERVISOR)
    for year in range(FOUNDED_YEAR, clock.today().year):
        end = YEAR_ENDS.get(year)
        with clock.replaying(end.closed if end else date(year + 1, 1, 12)), acting_as(accountant):
            close_year(coop.id, year, accountant, note="年度决算")
        if end is not None:
            _paid_plan(coop, end, secretary, supervisor)


def _paid_plan(coop: Cooperative, end: YearEnd, secretary: int | None,
               supervisor: int | None) -> None:
    """The year's plan as far as it has got by today: the demo never records
    a day still to come, so loaded before the payment day the plan stops
    at the stage it had reached (computed, reviewed, disclosed, approved,
    noticed)."""
    def reached(day: date) -> bool:
        return day <= clock.today()

    with clock.replaying(end.computed), acting_as(secretary):
        plan = compute.compute_plan(coop, end.year)
        if end.conversion_bp:
            workflow.change_draft(coop, plan, record_date=plan.record_date,
                                  conversion_bp=end.conversion_bp)
    if not reached(end.reviewed):
        return
    with clock.replaying(end.reviewed), acting_as(supervisor):
        approval.review_plan(plan, note=f"经审核，方案与 {end.year} 年度财务决算相符，"
                                        "按交易量返还不低于可分配盈余的百分之六十",
                             user_id=supervisor)
    if not reached(end.disclosed):
        return
    with clock.replaying(end.disclosed), acting_as(secretary):
        approval.disclose_plan(plan, disclosed_on=end.disclosed)
        meeting = convene_under_charter(
            coop, body=Body.ASSEMBLY, title=f"{end.year + 1}年第一次成员大会", meeting_on=end.assembly,
            place="红星村村委会会议室", convened_by="理事会", notice_on=end.disclosed,
            user_id=secretary,
            items=[ItemSpec(kind=ItemKind.DISTRIBUTION, title=f"{end.year} 年度盈余分配方案",
                            plan_id=plan.id)])
    if not reached(end.assembly):
        return
    with clock.replaying(end.assembly), acting_as(secretary):
        # the last farmers by number stayed away (10,000 yuan each: no extra
        # votes), so the votes present are the people plus all the extra votes
        voters = entitled_voters(meeting).voters
        farmers = [m for m in voters if m.kind != MemberKind.COLLECTIVE]
        away = {m.id for m in farmers[len(farmers) - end.absent:]}
        present = [m.id for m in voters if m.id not in away]
        sign_in_all(meeting, present, user_id=secretary)
        item = meeting.items[0]
        votes = len(present) + meeting.extra_votes
        record_tally(item, votes_for=votes - end.against - end.abstain,
                     votes_against=end.against, votes_abstain=end.abstain, user_id=secretary)
        decide_item(item, resolution_no=end.resolution_no, user_id=secretary)
    if not reached(end.noticed):
        return
    with clock.replaying(end.noticed), acting_as(secretary):
        workflow.publish_plan(plan, notice_start=end.noticed, notice_days=7)
    if not reached(end.paid):
        return
    with clock.replaying(end.paid), acting_as(secretary):
        workflow.pay_all(plan, paid_on=end.paid, method="card", user_id=secretary)
