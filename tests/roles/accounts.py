"""Role table of the member accounts (成员账户): every staff role reads; nobody
writes; members read their own on /me/account (tests/roles/portal.py).
Cooperative t1 is made a specialized cooperative so the pages are the accounts."""
from tests.roles import STAFF

READ = {r: 200 for r in STAFF}

ROLE_TABLE = {
    "accounts.index": ("GET", "/accounts/", READ),
    "accounts.export": ("GET", "/accounts/export.xlsx", READ),
    "accounts.detail": ("GET", "/accounts/{accounts_member_id}", READ),
}


def role_fixture(app) -> dict:
    from coop.cooperatives.services import get_by_code
    from coop.extensions import db
    from coop.members.models import Member

    with app.app_context():
        coop = get_by_code("t1")
        coop.distribution_mode = "specialized"
        member = Member(cooperative_id=coop.id, member_no="A001", name="账户测试", kind="villager")
        db.session.add(member)
        db.session.commit()
        return {"accounts_member_id": member.id}
