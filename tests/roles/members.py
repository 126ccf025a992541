"""Role table of the members routes: the secretary writes, accountant and
supervisor read, a member's login gets 403 (see tests/test_roles.py)."""
from tests.roles import STAFF

ADMIN_ONLY = {"admin": 200}
READ = {r: 200 for r in STAFF}

ROLE_TABLE = {
    "members.index": ("GET", "/members/", READ),
    "members.detail": ("GET", "/members/{member_id}", READ),
    "members.households": ("GET", "/members/households", READ),
    "members.household": ("GET", "/members/households/{household_no}", READ),
    "members.export": ("GET", "/members/export", READ),
    "members.roster_xlsx": ("GET", "/members/roster.xlsx", READ),
    "members.new": ("GET", "/members/new", ADMIN_ONLY),
    "members.edit": ("GET", "/members/{member_id}/edit", ADMIN_ONLY),
    "members.import_page": ("GET", "/members/import", ADMIN_ONLY),
    "members.import_template": ("GET", "/members/import/template", ADMIN_ONLY),
    "members.create": ("POST", "/members/", {"admin": 422}),
    "members.validate_new": ("POST", "/members/validate", ADMIN_ONLY),
    # an empty form has no version of the member (409)
    "members.update": ("POST", "/members/{member_id}", {"admin": 409}),
    "members.validate_edit": ("POST", "/members/{member_id}/validate", {"admin": 409}),
    "members.change_status": ("POST", "/members/{member_id}/status", {"admin": 409}),
    "members.reverse_status": ("POST", "/members/{member_id}/status/{change_id}/reverse",
                               {"admin": 409}),
    "members.import_upload": ("POST", "/members/import", {"admin": 422}),
    "members.import_confirm": ("POST", "/members/import/confirm", {"admin": 422}),
}


def role_fixture(app) -> dict:
    from datetime import date

    from coop.cooperatives.services import get_by_code
    from coop.extensions import db
    from coop.members.services import create_member
    from coop.members.models import MemberStatusChange

    with app.app_context():
        member = create_member(get_by_code("t1"), member_no="R001", name="张三", kind="villager",
                               household_no="H01", id_number="11010519491231002X",
                               joined_on=date(2023, 3, 15))
        change = MemberStatusChange(cooperative_id=member.cooperative_id, member_id=member.id,
                                    from_status="withdrawn", to_status="active",
                                    on_date=date(2024, 5, 1), reason="重新入社")
        db.session.add(change)
        db.session.commit()
        return {"member_id": member.id, "household_no": "H01", "change_id": change.id}
