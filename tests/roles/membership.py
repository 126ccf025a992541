"""Role table of the membership routes (issue 15): the secretary records,
the accountant and the supervisor read, a member's login gets 403 (members
see their own standing on /me/membership, in tests/roles/portal.py). Every
write is refused to the readers."""
from tests.roles import STAFF

RECORD = {"admin": 200}
READ = {r: 200 for r in STAFF}

ROLE_TABLE = {
    "membership.disputes": ("GET", "/membership/disputes", READ),
    "membership.dispute": ("GET", "/membership/disputes/{dispute_id}", READ),
    "membership.new_dispute": ("GET", "/membership/disputes/new", RECORD),
    "membership.create_dispute": ("POST", "/membership/disputes", {"admin": 422}),
    "membership.add_dispute_step": ("POST", "/membership/disputes/{dispute_id}/steps", {"admin": 422}),
    # an empty form has no version of the dispute (409)
    "membership.close_dispute": ("POST", "/membership/disputes/{dispute_id}/close", {"admin": 409}),
    "membership.rights": ("GET", "/membership/rights", READ),
    "membership.new_right": ("GET", "/membership/rights/new", RECORD),
    "membership.grant_right": ("POST", "/membership/rights", {"admin": 422}),
}


def role_fixture(app) -> dict:
    from datetime import date

    from coop.cooperatives.services import get_by_code
    from coop.extensions import db
    from coop.members.services import create_member
    from coop.membership.disputes import open_dispute

    with app.app_context():
        coop = get_by_code("t1")
        member = create_member(coop, member_no="R001", name="王秀英", kind="villager",
                               household_no="H01", id_number="11010519491231002X",
                               joined_on=date(2023, 3, 15))
        dispute = open_dispute(coop.id, member=member, claimant="", claim="要求确认成员身份",
                               opened_on=date(2026, 5, 1))
        db.session.commit()
        return {"member_id": member.id, "dispute_id": dispute.id}
