"""Unfiled member rosters of many cooperatives at once (the township and
county warnings): one query over all of them."""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import select

from coop.extensions import db
from coop.membership.models import RosterVersion
from coop.membership.roster_rules import filing_due_on, filing_overdue


class UnfiledRoster(NamedTuple):
    cooperative_id: int
    roster_id: int
    number: int
    made_on: date
    due_on: date


def unfiled_rosters(coop_ids: Iterable[int], today: date) -> list[UnfiledRoster]:
    """Roster versions not filed within 30 days of their making
    (《农村集体经济组织法》第十二条)."""
    rows = db.session.execute(
        select(RosterVersion.cooperative_id, RosterVersion.id, RosterVersion.number, RosterVersion.made_on)
        .where(RosterVersion.cooperative_id.in_(list(coop_ids)), RosterVersion.filed_on.is_(None))
        .order_by(RosterVersion.cooperative_id, RosterVersion.number))
    return [UnfiledRoster(coop_id, roster_id, number, made_on, filing_due_on(made_on))
            for coop_id, roster_id, number, made_on in rows if filing_overdue(made_on, None, today)]
