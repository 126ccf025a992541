"""Role table of the share register's routes (see tests/test_roles.py).

The secretary (admin) records movements; accountant and supervisor read;
members get 403 everywhere here (their own view is the portal's).
"""
from tests.roles import STAFF

READ = {r: 200 for r in STAFF}

ROLE_TABLE = {
    "shares.structure": ("GET", "/shares/", READ),
    "shares.register": ("GET", "/shares/register", READ),
    "shares.holdings": ("GET", "/shares/holdings", READ),
    "shares.holdings_csv": ("GET", "/shares/holdings.csv", READ),
    "shares.holdings_xlsx": ("GET", "/shares/holdings.xlsx", READ),
    "shares.entry": ("GET", "/shares/entries/{share_entry_id}", READ),
    "shares.member": ("GET", "/shares/members/{share_member_id}", READ),
    "shares.certificate": ("GET", "/shares/certificates/{share_member_id}", READ),
    "shares.certificates": ("GET", "/shares/certificates", READ),
    "shares.reverse_preview": ("POST", "/shares/entries/{share_entry_id}/reverse/preview",
                               {"admin": 200}),
    "shares.reverse": ("POST", "/shares/entries/{share_entry_id}/reverse", {"admin": 422}),
}
ROLE_TABLE |= {
    "shares.founding": ("GET", "/shares/founding", {"admin": 200}),
    "shares.founding_preview": ("POST", "/shares/founding/preview", {"admin": 200}),
    "shares.founding_rows": ("POST", "/shares/founding/rows", {"admin": 200}),
    "shares.founding_save": ("POST", "/shares/founding", {"admin": 422}),
    "shares.import_page": ("GET", "/shares/import", {"admin": 200}),
    "shares.import_template": ("GET", "/shares/import/template", {"admin": 200}),
    "shares.import_upload": ("POST", "/shares/import", {"admin": 422}),  # no file
    "shares.import_confirm": ("POST", "/shares/import/confirm", {"admin": 422}),  # no token
}
for _kind in ("contribute", "transfer", "redeem", "inherit"):
    ROLE_TABLE[f"shares.{_kind}"] = ("GET", f"/shares/{_kind}", {"admin": 200})
    ROLE_TABLE[f"shares.{_kind}_preview"] = ("POST", f"/shares/{_kind}/preview", {"admin": 200})
    ROLE_TABLE[f"shares.{_kind}_save"] = ("POST", f"/shares/{_kind}", {"admin": 422})


def role_fixture(app) -> dict:
    from datetime import date

    from coop.cooperatives.services import get_by_code
    from coop.extensions import db
    from coop.members.models import Member
    from coop.shares.movements import record_contribution
    from tests.conftest_shares import passed_resolution

    with app.app_context():
        coop = get_by_code("t1")
        member = Member(cooperative_id=coop.id, member_no="S001", name="村集体", kind="collective")
        db.session.add(member)
        db.session.flush()
        entry = record_contribution(coop, member_id=member.id, share_class="collective",
                                    contribution_kind="cash", effective_on=date(2024, 1, 1),
                                    amount_fen=100_00,
                                    resolution_no=passed_resolution(coop.id, "测试决议 1 号"))
        db.session.commit()
        return {"share_member_id": member.id, "share_entry_id": entry.id}
