"""Role table of the financial disclosure: every staff role reads the
periods, a period's draft, a published disclosure and its poster; only the
secretary (admin) publishes and corrects (an empty post is refused, 422).
Members read the published disclosures on /me/disclosures; staff get 403 there.

The disclosure is t1's second quarter of 2026, published on 2026-07-10 (the
clock of these tests is 2026-06-15, so it is written directly)."""
from __future__ import annotations

from tests.roles import STAFF

READ = {r: 200 for r in STAFF}
MEMBER_ONLY = {"member": 200}

ROLE_TABLE = {
    "disclosure.index": ("GET", "/disclosure/", READ),
    "disclosure.period": ("GET", "/disclosure/periods/2026/q2", READ),
    "disclosure.publish": ("POST", "/disclosure/periods/2026/q1/publish", {"admin": 422}),
    "disclosure.show": ("GET", "/disclosure/{disclosure_id}", READ),
    "disclosure.correct": ("POST", "/disclosure/{disclosure_id}/correct", {"admin": 422}),
    "disclosure.poster": ("GET", "/disclosure/{disclosure_id}/poster?size=A3", READ),
    "portal.disclosures": ("GET", "/me/disclosures", MEMBER_ONLY),
    "portal.disclosure": ("GET", "/me/disclosures/{disclosure_id}", MEMBER_ONLY),
}


def make_disclosure(app, code: str = "t1", key: str = "q2", year: int = 2026, on=None) -> int:
    """A published disclosure of ``code``'s period, written directly (its figures from the ledger)."""
    from datetime import timedelta

    from coop.cooperatives.services import get_by_code
    from coop.disclosure.models import Disclosure
    from coop.disclosure.rules import Period
    from coop.disclosure.services import compute
    from coop.extensions import db

    with app.app_context():
        coop = get_by_code(code)
        period = Period.parse(year, key)
        row = Disclosure(cooperative_id=coop.id, period_kind=period.kind, year=period.year,
                         period_no=period.number, starts_on=period.starts_on, ends_on=period.ends_on,
                         revision=1, published_on=on or period.ends_on + timedelta(days=10),
                         major_item_threshold_fen=coop.major_item_threshold_fen,
                         figures=compute(coop, period).as_dict())
        db.session.add(row)
        db.session.commit()
        return row.id


def role_fixture(app) -> dict:
    return {"disclosure_id": make_disclosure(app)}
