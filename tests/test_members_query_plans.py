"""The member pages read the members table through the index their
condition names.

Without statistics SQLite judged an ORDER BY member number worth walking the
cooperative's member-number index, reading every member: a household's
members (on every member's page) took 16 ms at 100,000 members instead of
well under one (issue 19 load test). These tests read the plans."""
from __future__ import annotations

from sqlalchemy import select

from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.members.models import Member
from coop.members.services import household_members
from tests.query_plans import captured_plans


def test_a_households_members_are_read_through_the_household_index(app, demo):
    with app.app_context():
        coop = get_by_code(demo)
        household = db.session.scalar(
            select(Member.household_no).where(Member.cooperative_id == coop.id)
            .group_by(Member.household_no).order_by(Member.household_no.desc()).limit(1))
        with captured_plans("members") as plans:
            members = household_members(coop.id, household)
        expected = db.session.scalars(select(Member).where(
            Member.cooperative_id == coop.id, Member.household_no == household)).all()
        assert [m.member_no for m in members] == sorted(m.member_no for m in expected)
        assert len(members) >= 1
        assert plans and all(any("ix_members_coop_household" in step for step in plan)
                             for plan in plans), plans
