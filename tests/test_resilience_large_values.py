"""County-size values past 2^31: a collective's contribution of 50 million
yuan and its share-day weight (shares x 365) are stored and summed exactly on
both databases (PostgreSQL's INTEGER stops at 2,147,483,647; migration 0008)."""
from __future__ import annotations

from datetime import date, datetime

from coop.extensions import db


def test_values_past_two_to_the_31_are_stored_and_summed(app, create_coop):
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member
    from coop.shares import services
    from coop.shares.models import ShareEntry

    code = create_coop("t1")
    with app.app_context():
        coop = get_by_code(code)
        collective = Member(cooperative_id=coop.id, member_no="JT0001", name="村集体",
                            kind="collective", name_initials="cj")
        db.session.add(collective)
        db.session.flush()
        shares = 50_000_000  # 50 million yuan at 1 yuan a share
        db.session.add(ShareEntry(
            cooperative_id=coop.id, member_id=collective.id, share_class="collective",
            effective_on=date(2024, 1, 1), shares=shares, entry_kind="subscribe",
            contribution_kind="in_kind", value_fen=shares * 100, asset_name="农机",
            movement="m1", recorded_at=datetime(2024, 1, 1)))
        db.session.commit()
        assert db.session.get(ShareEntry, 1).value_fen == 5_000_000_000
        assert services.share_days(coop.id, 2025) == {collective.id: shares * 365}
        structure = services.structure(coop, date(2025, 12, 31))
        assert structure.total_shares == shares
        assert dict((k, v) for k, _, v in structure.contributions)["in_kind"] == 5_000_000_000
