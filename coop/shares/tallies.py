"""Holdings and pooled land of many cooperatives at once (the township and
county overview): one GROUP BY over the register, never a query per
cooperative."""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import func, select

from coop.extensions import db
from coop.shares.models import ShareEntry


class RegisterTally(NamedTuple):
    shares_by_class: dict[str, int]
    land_mu: int  # hundredths of a mu carried by the shares held

    @property
    def shares(self) -> int:
        return sum(self.shares_by_class.values())


def register_tallies(coop_ids: Iterable[int], on: date) -> dict[int, RegisterTally]:
    """cooperative id -> the shares held in each class and the land pooled on
    ``on`` (every entry dated on or before it; a transfer moves land between
    members, a redemption returns it, so the cooperative's sum is what is
    pooled)."""
    rows = db.session.execute(
        select(ShareEntry.cooperative_id, ShareEntry.share_class,
               func.sum(ShareEntry.shares), func.coalesce(func.sum(ShareEntry.land_mu), 0))
        .where(ShareEntry.cooperative_id.in_(list(coop_ids)), ShareEntry.effective_on <= on)
        .group_by(ShareEntry.cooperative_id, ShareEntry.share_class))
    out: dict[int, RegisterTally] = {}
    for coop_id, share_class, shares, land in rows:
        tally = out.setdefault(coop_id, RegisterTally({}, 0))
        tally.shares_by_class[share_class] = int(shares)
        out[coop_id] = tally._replace(land_mu=tally.land_mu + int(land))
    return out
