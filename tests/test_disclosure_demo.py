"""The demo: wljs has every ended quarter disclosed (the clock: 2026-06-15)
and nothing overdue."""
from __future__ import annotations

from sqlalchemy import select

from coop import clock
from coop.cooperatives.models import Cooperative
from coop.disclosure import api
from coop.disclosure.models import Disclosure
from coop.extensions import db


def test_the_demo_publishes_every_ended_quarter(app, demo):
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == demo))
        rows = api.published(coop.id)
        assert api.overdue(coop.id, clock.today()) == []
        keys = {(d.year, d.period_no) for d in rows}
        assert (2025, 4) in keys and (2026, 1) in keys and (2026, 2) not in keys
        assert all(d.ends_on < d.published_on <= clock.today() for d in rows)
        assert db.session.scalar(select(Disclosure.id).where(Disclosure.revision > 1)) is None
