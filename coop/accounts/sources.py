"""The figures a member account takes from the other domains: the capital on
the share register and the grants and donations the ledger received."""
from __future__ import annotations

from datetime import date
from typing import Collection

from sqlalchemy import func, select

from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.machinery.api import grants_received_fen
from coop.shares.api import ShareEntry


def _par_value_fen(coop_id: int) -> int:
    return db.session.get(Cooperative, coop_id).par_value_fen


def capital_of(coop_id: int, on: date, member_ids: Collection[int] | None = None
               ) -> dict[int, int]:
    """member id -> capital contributed on ``on`` (shares held, all classes, x
    the par value), of every member or of ``member_ids``; none held, left out."""
    total = func.sum(ShareEntry.shares)
    query = (select(ShareEntry.member_id, total)
             .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
             .group_by(ShareEntry.member_id))
    if member_ids is not None:
        if not member_ids:
            return {}
        query = query.where(ShareEntry.member_id.in_(list(member_ids)))
    db.session.flush()
    par = _par_value_fen(coop_id)
    return {member_id: int(n) * par for member_id, n in db.session.execute(query) if n}


def capital_fen(coop_id: int, on: date) -> dict[int, int]:
    """member id -> capital contributed on ``on``: shares held (all classes)
    x the par value (members holding none are left out)."""
    return capital_of(coop_id, on)


def total_capital_fen(coop_id: int, on: date) -> int:
    """All the members' capital on ``on``."""
    shares = db.session.scalar(select(func.coalesce(func.sum(ShareEntry.shares), 0)).where(
        ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on))
    return int(shares or 0) * _par_value_fen(coop_id)


def first_share_year(coop_id: int, member_id: int | None = None) -> int | None:
    """The year of the cooperative's (or the member's) first register entry."""
    query = select(func.min(ShareEntry.effective_on)).where(ShareEntry.cooperative_id == coop_id)
    if member_id is not None:
        query = query.where(ShareEntry.member_id == member_id)
    first = db.session.scalar(query)
    return first.year if first else None


def year_grants_fen(coop_id: int, year: int) -> int:
    """State grants and donations received in ``year`` (other income of those
    kinds, and machines acquired with a government grant at their original
    value): what the year's plan quantifies to the members."""
    return grants_received_fen(coop_id, year)
