"""Role table of the confirmation list and roster pages (issue 15): the
secretary (admin) composes, notices, records objections and filings and
exports the filing (full IDs); the accountant and the supervisor read; a
member's login gets 403."""
from tests.roles import STAFF

ADMIN_ONLY = {"admin": 200}
READ = {r: 200 for r in STAFF}
STALE = {"admin": 409}          # an empty submission carries no version of the record
REFUSED = {"admin": 422}

ROLE_TABLE = {
    "membership.lists_index": ("GET", "/membership/lists", READ),
    "membership.new_list": ("POST", "/membership/lists", REFUSED),
    "membership.list_detail": ("GET", "/membership/lists/{list_id}", READ),
    "membership.add_list_events": ("POST", "/membership/lists/{list_id}/events", STALE),
    "membership.remove_list_event": ("POST", "/membership/lists/{list_id}/events/{event_id}/remove", STALE),
    "membership.publish_list": ("POST", "/membership/lists/{list_id}/publish", STALE),
    "membership.withdraw_list": ("POST", "/membership/lists/{list_id}/withdraw", STALE),
    "membership.new_objection": ("POST", "/membership/lists/{list_id}/objections", REFUSED),
    "membership.objection_outcome": ("POST", "/membership/objections/{objection_id}/outcome", REFUSED),
    "membership.list_notice": ("GET", "/membership/lists/{list_id}/notice", READ),
    "membership.rosters_index": ("GET", "/membership/rosters", READ),
    "membership.first_version": ("POST", "/membership/rosters", REFUSED),
    "membership.roster": ("GET", "/membership/rosters/{roster_id}", READ),
    "membership.record_filing": ("POST", "/membership/rosters/{roster_id}/filing", STALE),
    "membership.filing_print": ("GET", "/membership/rosters/{roster_id}/filing", ADMIN_ONLY),
    "membership.filing_xlsx": ("GET", "/membership/rosters/{roster_id}/filing.xlsx", ADMIN_ONLY),
    "membership.filing_pdf": ("GET", "/membership/rosters/{roster_id}/filing.pdf", ADMIN_ONLY),
}


def role_fixture(app) -> dict:
    from datetime import date

    from coop.extensions import db
    from coop.membership import lists, rosters
    from tests.membership_roster_world import Village

    with app.app_context():
        village = Village("t1")
        version = rosters.make_first_version(village.coop.id)
        lst = lists.create_list(village.coop.id, village.event_ids)
        lists.publish(lst, notice_start=date(2026, 6, 15), notice_days=7)
        objection = lists.record_objection(lst, raised_by="成员A02", raised_on=date(2026, 6, 15),
                                           content="有异议")
        db.session.commit()
        return {"list_id": lst.id, "event_id": village.baby_event.id, "objection_id": objection.id,
                "roster_id": version.id}
