"""Role table of the membership pages: the secretary (admin) records gains
and losses, the supervisor and the secretary review a change under art 8,
every staff role reads; a member's login gets 403 (see tests/test_roles.py)."""
from tests.roles import STAFF

ADMIN_ONLY = {"admin": 200}
READ = {r: 200 for r in STAFF}
# an empty submission of an edit carries no version of the record (409)
STALE = {"admin": 409}

ROLE_TABLE = {
    "membership.index": ("GET", "/membership/", READ),
    "membership.detail": ("GET", "/membership/events/{event_id}", READ),
    "membership.scan": ("GET", "/membership/events/{event_id}/scan", READ),
    "membership.new_gain": ("GET", "/membership/gains/new", ADMIN_ONLY),
    "membership.create_gain": ("POST", "/membership/gains", {"admin": 422}),
    "membership.new_loss": ("GET", "/membership/members/{member_id}/loss", ADMIN_ONLY),
    "membership.create_loss": ("POST", "/membership/members/{member_id}/loss", {"admin": 422}),
    "membership.cancel": ("POST", "/membership/events/{event_id}/cancel", STALE),
    "membership.review": ("POST", "/membership/events/{event_id}/review",
                          {"admin": 409, "supervisor": 409}),
    "membership.evidence": ("POST", "/membership/events/{event_id}/evidence", STALE),
}


def role_fixture(app) -> dict:
    import tempfile
    from datetime import date
    from pathlib import Path

    from coop.cooperatives.api import get_by_code
    from coop.extensions import db
    from coop.members.api import create_member
    from coop.membership.events import Evidence, Person, record_gain
    from coop.membership.evidence import Scan

    folder = Path(tempfile.mkdtemp(prefix="membership-roles-"))
    with app.app_context():
        coop = get_by_code("t1")
        member = create_member(coop, member_no="M001", name="李四", kind="villager",
                               household_no="H01", id_number="11010519491231002X",
                               joined_on=date(2023, 3, 15))
        event = record_gain(coop, reason="marriage_in", occurs_on=date(2026, 5, 1),
                            person=Person(name="刘桂兰", id_number="150203199808080028"),
                            relative_no="M001", folder=folder,
                            evidence=Evidence(doc_type="结婚证", scan=Scan("结婚证.pdf", b"%PDF-1.4 x")))
        db.session.commit()
        return {"member_id": member.id, "event_id": event.id,
                "app_config": {"MEMBERSHIP_FILES_DIR": str(folder)}}

ROLE_TABLE.update({
    "membership.household": ("GET", "/membership/households/H01", READ),
    "membership.split_household": ("POST", "/membership/households/H01/split", {"admin": 422}),
    "membership.merge_household": ("POST", "/membership/households/H01/merge", {"admin": 422}),
    "membership.move_member": ("POST", "/membership/households/H01/move", {"admin": 422}),
})
