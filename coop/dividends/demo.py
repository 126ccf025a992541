"""The year-ends of wljs: every finished year closed, 2024's plan approved,
noticed and paid, 2025's computed as a draft.

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
from coop.dividends import compute, workflow
from coop.extensions import db
from coop.machinery.api import close_year

PAID_YEAR, DRAFT_YEAR = 2024, 2025
COMPUTED_2024 = date(2025, 3, 2)
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
    for year in range(PAID_YEAR, clock.today().year):
        with clock.replaying(closing_day(year)), acting_as(accountant):
            close_year(coop.id, year, accountant, note="年度决算")
        if year == PAID_YEAR:
            _paid_plan(coop, secretary)
        elif year == DRAFT_YEAR:
            with clock.replaying(COMPUTED_2025), acting_as(secretary):
                compute.compute_plan(coop, DRAFT_YEAR)


def _paid_plan(coop: Cooperative, secretary: int | None) -> None:
    with clock.replaying(COMPUTED_2024), acting_as(secretary):
        plan = compute.compute_plan(coop, PAID_YEAR)
    with clock.replaying(ASSEMBLY_2024), acting_as(secretary):
        households = workflow.households_with_a_vote(coop.id, ASSEMBLY_2024)
        present = households * 9 // 10
        against, abstain = 2, 3
        workflow.approve_plan(
            coop, plan, assembly_date=ASSEMBLY_2024, households_total=households,
            households_present=present, votes_for=present - against - abstain,
            votes_against=against, votes_abstain=abstain,
            resolution_no="乌三股合〔2025〕1号")
    with clock.replaying(NOTICE_2024), acting_as(secretary):
        workflow.publish_plan(plan, notice_start=NOTICE_2024, notice_days=7)
    with clock.replaying(PAID_2024), acting_as(secretary):
        workflow.pay_all(plan, paid_on=PAID_2024, method="card", user_id=secretary)
