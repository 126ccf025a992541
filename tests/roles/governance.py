"""Role table of the meeting pages: the secretary (admin) runs meetings, the
accountant and the supervisor read, a member's login gets 403 (see
tests/test_roles.py)."""
from tests.roles import STAFF

ADMIN_ONLY = {"admin": 200}
READ = {r: 200 for r in STAFF}
# an empty submission of an edit carries no version of the record (409)
STALE = {"admin": 409}

ROLE_TABLE = {
    "governance.index": ("GET", "/meetings/", READ),
    "governance.detail": ("GET", "/meetings/{meeting_id}", READ),
    "governance.attendance": ("GET", "/meetings/{meeting_id}/attendance", READ),
    "governance.paper": ("GET", "/meetings/{meeting_id}/papers/ballots", READ),
    "governance.paper_pdf": ("GET", "/meetings/{meeting_id}/papers/notice.pdf", READ),
    "governance.item": ("GET", "/meetings/items/{item_id}", READ),
    "governance.representatives": ("GET", "/meetings/representatives", READ),
    "governance.new": ("GET", "/meetings/new", ADMIN_ONLY),
    "governance.create": ("POST", "/meetings/", {"admin": 422}),
    "governance.minutes": ("POST", "/meetings/{meeting_id}/minutes", STALE),
    "governance.cancel": ("POST", "/meetings/{meeting_id}/cancel", STALE),
    "governance.sign_in": ("POST", "/meetings/{meeting_id}/attendance/{member_id}", STALE),
    "governance.vote": ("POST", "/meetings/items/{item_id}/votes/{member_id}", STALE),
    "governance.tally": ("POST", "/meetings/items/{item_id}/tally", STALE),
    "governance.decide": ("POST", "/meetings/items/{item_id}/decide", STALE),
    "governance.new_representative": ("POST", "/meetings/representatives", {"admin": 422}),
    "governance.end_representative": ("POST", "/meetings/representatives/end", {"admin": 422}),
}


def role_fixture(app) -> dict:
    from datetime import date

    from coop.cooperatives.api import get_by_code
    from coop.extensions import db
    from coop.governance.meetings import ItemSpec, convene_meeting
    from coop.members.api import create_member

    with app.app_context():
        coop = get_by_code("t1")
        member = create_member(coop, member_no="G001", name="李四", kind="villager",
                               household_no="H01", id_number="11010519491231002X",
                               joined_on=date(2023, 3, 15))
        meeting = convene_meeting(coop.id, regime="collective", body="assembly", title="成员大会",
                                  meeting_on=date(2026, 7, 1), place="村委会",
                                  convened_by="理事会", notice_on=date(2026, 6, 15),
                                  items=[ItemSpec(kind="other", title="修路")])
        db.session.commit()
        return {"member_id": member.id, "meeting_id": meeting.id, "item_id": meeting.items[0].id}
