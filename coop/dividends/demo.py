"""The close of 2024 and 2025, and the distribution plans of wljs: 2024
approved, published and paid; 2025 a draft.

Runs after the members, machinery and shares demo steps: their records dated
in 2024 and 2025 are in before those years are closed (nothing may be dated in
a closed year afterwards), and their figures are what the plans split.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.audit.services import acting_as
from coop.auth.models import Role, User
from coop.cooperatives.models import Cooperative
from coop.dividends import services
from coop.extensions import db
from coop.machinery.services import close_year, is_year_closed

ASSEMBLY_2024 = date(2025, 3, 15)
NOTICE_2024 = date(2025, 3, 16)
PAID_2024 = date(2025, 3, 28)


def load(coop: Cooperative) -> None:
    accountant = db.session.scalar(select(User.id).where(
        User.cooperative_id == coop.id, User.role == Role.ACCOUNTANT.value))
    for year in (2024, 2025):
        if year < clock.today().year:
            close_year(coop.id, year, accountant, note="年度决算")
    if not is_year_closed(coop.id, 2024):
        return
    secretary = db.session.scalar(select(User.id).where(
        User.cooperative_id == coop.id, User.role == Role.ADMIN.value).order_by(User.id))
    with acting_as(secretary):
        plan = services.compute_plan(coop, 2024)
        households = services.households_with_a_vote(coop.id, ASSEMBLY_2024)
        present = households * 9 // 10
        against, abstain = 2, 3
        services.approve_plan(
            coop, plan, assembly_date=ASSEMBLY_2024, households_total=households,
            households_present=present, votes_for=present - against - abstain,
            votes_against=against, votes_abstain=abstain,
            resolution_no="乌三股合〔2025〕1号")
        services.publish_plan(plan, notice_start=NOTICE_2024, notice_days=7)
        services.pay_all(plan, paid_on=PAID_2024, method="card", user_id=secretary)
        if is_year_closed(coop.id, 2025):
            services.compute_plan(coop, 2025)
