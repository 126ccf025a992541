"""Role table of the members' pages and the secretary's page of members' logins.

Only a member reaches /me/...; the ``member`` login of the ``staff`` fixture is
linked here to a member with a line in an approved 2025 plan, so each page
answers 200. Staff get 403 on members' pages; only the secretary issues logins.
"""
from __future__ import annotations

from tests.roles import STAFF  # noqa: F401

MEMBER_ONLY = {"member": 200}

ROLE_TABLE = {
    "portal.home": ("GET", "/me/", MEMBER_ONLY),
    "portal.membership": ("GET", "/me/membership", MEMBER_ONLY),
    "portal.holdings": ("GET", "/me/holdings", MEMBER_ONLY),
    "portal.certificate_pdf": ("GET", "/me/certificate.pdf", MEMBER_ONLY),
    "portal.account": ("GET", "/me/account", MEMBER_ONLY),
    "portal.dividends": ("GET", "/me/dividends", MEMBER_ONLY),
    "portal.dividend": ("GET", "/me/dividends/{portal_line_id}", MEMBER_ONLY),
    "portal.statement_list": ("GET", "/me/statements", MEMBER_ONLY),
    "portal.statement": ("GET", "/me/statements/2025", MEMBER_ONLY),
    "portal.statement_pdf": ("GET", "/me/statements/2025.pdf", MEMBER_ONLY),
    "portal.notice": ("GET", "/me/notice", MEMBER_ONLY),
    "portal.meetings": ("GET", "/me/meetings", MEMBER_ONLY),
    "portal.meeting": ("GET", "/me/meetings/{portal_meeting_id}", MEMBER_ONLY),
    "portal.meeting_plan": ("GET", "/me/meetings/{portal_meeting_id}/plan/{portal_item_id}",
                            MEMBER_ONLY),
    "portal.draft_plan": ("GET", "/me/plans/{portal_draft_id}", MEMBER_ONLY),
    "portal.logins": ("GET", "/member-logins", {"admin": 200}),
    "portal.issue_login": ("POST", "/member-logins/{portal_member_id}", {"admin": 200}),
    # the member has no login yet to disable
    "portal.set_login_enabled": ("POST", "/member-logins/{portal_member_id}/enabled", {"admin": 422}),
    "portal.issue_logins": ("POST", "/member-logins/bulk", {"admin": 200}),
}


def make_world(app) -> dict:
    """A member with shares and a line in an approved 2025 plan of t1; the
    ``member`` user of the staff fixture is that member's login."""
    from datetime import date, datetime

    from sqlalchemy import select

    from coop.auth.models import User
    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine, DividendPlan
    from coop.extensions import db
    from coop.governance.meetings import ItemSpec, convene_meeting
    from coop.members.models import Member
    from coop.shares.movements import record_contribution
    from tests.conftest_shares import passed_resolution

    with app.app_context():
        coop = get_by_code("t1")
        member = Member(cooperative_id=coop.id, member_no="R001", name="角色测试", kind="collective")
        other = Member(cooperative_id=coop.id, member_no="R002", name="另一位", kind="villager")
        db.session.add_all([member, other])
        db.session.flush()
        record_contribution(coop, member_id=member.id, share_class="collective",
                            contribution_kind="cash", effective_on=date(2025, 1, 1),
                            amount_fen=100_00,
                            resolution_no=passed_resolution(coop.id, "测试决议 1 号"))
        plan = DividendPlan(cooperative_id=coop.id, year=2025, status="approved", mode="joint_stock",
                            record_date=date(2025, 12, 31), surplus_fen=100_00,
                            capital_pool_fen=100_00, total_weight=100, total_shares=100,
                            line_count=1, assembly_date=date(2026, 3, 1))
        db.session.add(plan)
        db.session.flush()
        line = DividendLine(plan_id=plan.id, member_id=member.id, member_no="R001",
                            name=member.name, kind="collective", share_class="collective",
                            shares=100, weight=100, capital_fen=100_00, total_fen=100_00)
        db.session.add(line)
        user = db.session.scalar(select(User).where(User.cooperative_id == coop.id,
                                                    User.username == "member"))
        user.member_id = member.id
        draft = DividendPlan(cooperative_id=coop.id, year=2026, status="draft", mode="joint_stock",
                             record_date=date(2026, 12, 31), surplus_fen=100_00,
                             capital_pool_fen=100_00, total_weight=100, total_shares=100,
                             line_count=0, reviewed_at=datetime(2026, 6, 1, 2, 0),
                             review_note="同意", disclosed_on=date(2026, 6, 15),
                             disclosed_at=datetime(2026, 6, 1, 2, 0))
        db.session.add(draft)
        db.session.flush()
        meeting = convene_meeting(coop.id, regime="collective", body="assembly", title="角色测试会议",
                                  meeting_on=date(2026, 7, 1), place="村委会", convened_by="理事会",
                                  notice_on=date(2026, 6, 15),
                                  items=[ItemSpec(kind="distribution", title="2026 年度分配方案",
                                                  plan_id=draft.id)])
        db.session.commit()
        return {"portal_line_id": line.id, "portal_meeting_id": meeting.id, "portal_member_id": other.id,
                "portal_own_member_id": member.id, "portal_item_id": meeting.items[0].id,
                "portal_draft_id": draft.id}


def role_fixture(app) -> dict:
    return make_world(app)
